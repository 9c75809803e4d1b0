package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMNISTHugeN: ?n= near 2⁶³ (n·784 overflows) gives the whole file with the true
// X-Items, never a panic or a short answer that lies.
func TestMNISTHugeN(t *testing.T) {
	s, _ := newTestServer(t)
	m, _ := testMNIST()
	for _, name := range []string{"train-images.u8", "test-labels.u8"} {
		per := 1
		if name == "train-images.u8" {
			per = m.rows * m.cols
		}
		whole := m.files[name]
		for _, n := range []int64{math.MaxInt64, math.MaxInt64 - 1, math.MaxInt64/784 + 1, 1 << 62, 1<<61 + 3} {
			t.Run(fmt.Sprintf("%s n=%d", name, n), func(t *testing.T) {
				r := get(t, s, fmt.Sprintf("/data/mnist/%s?n=%d", name, n), nil)
				require.Equal(t, 200, r.StatusCode)
				b := body(t, r)
				assert.Equal(t, len(whole), len(b))
				assert.Equal(t, strconv.Itoa(len(whole)/per), r.Header.Get("X-Items"))
			})
		}
	}
	r := get(t, s, "/data/mnist/test-labels.u8?n=9223372036854775808", nil) // 2⁶³: past int64
	assert.Equal(t, 400, r.StatusCode)
}

// TestIdleConnectionsClosed: the server has read and idle timeouts; an idle keep-alive connection is
// closed by the server (here after a 100 ms idle timeout).
func TestIdleConnectionsClosed(t *testing.T) {
	srv := httpServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }), 100*time.Millisecond)
	assert.Positive(t, srv.ReadTimeout)
	assert.Positive(t, srv.ReadHeaderTimeout)
	assert.Positive(t, httpServer(nil, idleTimeout).IdleTimeout)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	require.Equal(t, 200, resp.StatusCode)
	_ = resp.Body.Close()
	// The connection is kept alive, then closed by the server once idle:
	// the read ends (EOF) instead of blocking until our own deadline.
	require.NoError(t, c.SetReadDeadline(time.Now().Add(20*time.Second)))
	_, err = br.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the server did not close the idle connection")
}
