package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testMNIST loads the real MNIST once for all tests in the package (about a second).
var testMNIST = sync.OnceValues(func() (*mnistFiles, error) {
	root, err := findRoot()
	if err != nil {
		return nil, err
	}
	dir, err := findMNISTDir(root)
	if err != nil {
		return nil, err
	}
	return loadMNIST(dir)
})

// newTestServer serves a temporary js/ directory with a module and a wasm file.
func newTestServer(t *testing.T) (*server, string) {
	t.Helper()
	m, err := testMNIST()
	require.NoError(t, err)
	js := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(js, "dist"), 0o755))
	require.NoError(t, os.MkdirAll(filepath.Join(js, "node_modules", "x"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(js, "keras.mjs"), []byte("export const x = 1;\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(js, "dist", "keras.wasm"), bytes.Repeat([]byte{0, 97, 115, 109}, 2000), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(js, "node_modules", "x", "a.js"), []byte("secret"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(js, ".env"), []byte("secret"), 0o644))
	s, err := newServer(js, m)
	require.NoError(t, err)
	return s, js
}

func get(t *testing.T, h http.Handler, target string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, r *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	if r.Header.Get("Content-Encoding") == "gzip" {
		z, err := gzip.NewReader(bytes.NewReader(b))
		require.NoError(t, err)
		b, err = io.ReadAll(z)
		require.NoError(t, err)
	}
	return b
}

func TestMNISTFiles(t *testing.T) {
	m, err := testMNIST()
	require.NoError(t, err)
	assert.Equal(t, 28, m.rows)
	assert.Equal(t, 28, m.cols)
	assert.Equal(t, 60000, m.count("train"))
	assert.Equal(t, 10000, m.count("test"))
	assert.Len(t, m.files["train-images.u8"], 60000*784)
	assert.Len(t, m.files["test-images.u8"], 10000*784)
	// The first training label of MNIST is 5 and the first test label is 7.
	assert.Equal(t, byte(5), m.files["train-labels.u8"][0])
	assert.Equal(t, byte(7), m.files["test-labels.u8"][0])
	counts := map[byte]int{}
	for _, l := range m.files["test-labels.u8"] {
		counts[l]++
	}
	assert.Len(t, counts, 10, "every digit appears in the test labels")
}

func TestLoadMNISTMissingDir(t *testing.T) {
	_, err := loadMNIST(t.TempDir())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "train-images-idx3-ubyte.gz")
}

func TestServerRoutes(t *testing.T) {
	s, _ := newTestServer(t)
	tests := []struct {
		name, path string
		status     int
		ctype      string
		contains   string
	}{
		{"index", "/", 200, "text/html; charset=utf-8", `data-testid="test-accuracy"`},
		{"query string keeps index", "/?run=mnist-mlp&epochs=1", 200, "text/html; charset=utf-8", "<title>"},
		{"app module", "/app.mjs", 200, "text/javascript; charset=utf-8", "loadKeras"},
		{"example module", "/examples/1-list.mjs", 200, "text/javascript; charset=utf-8", "keras.Sequential"},
		{"css", "/style.css", 200, "text/css; charset=utf-8", "body"},
		{"favicon", "/favicon.svg", 200, "image/svg+xml", "<svg"},
		{"js package", "/keraswasm/keras.mjs", 200, "text/javascript; charset=utf-8", "export"},
		{"wasm runtime", "/keraswasm/dist/keras.wasm", 200, "application/wasm", "asm"},
		{"manifest", "/data/mnist/manifest.json", 200, "application/json", `"count":60000`},
		{"missing page", "/nope.html", 404, "", ""},
		{"directory", "/examples/", 404, "", ""},
		{"js directory", "/keraswasm/dist/", 404, "", ""},
		{"node_modules hidden", "/keraswasm/node_modules/x/a.js", 404, "", ""},
		{"dot file hidden", "/keraswasm/.env", 404, "", ""},
		{"traversal", "/keraswasm/../go.mod", 404, "", ""},
		{"unknown mnist file", "/data/mnist/x.u8", 404, "", "manifest"},
		{"bad n", "/data/mnist/test-labels.u8?n=-3", 400, "", "positive number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(t, s, tc.path, map[string]string{"Accept-Encoding": "gzip"})
			assert.Equal(t, tc.status, r.StatusCode)
			assert.Equal(t, csp, r.Header.Get("Content-Security-Policy"), "every answer carries the CSP")
			assert.Equal(t, "require-corp", r.Header.Get("Cross-Origin-Embedder-Policy"), "with COOP: cross-origin isolated")
			assert.Equal(t, "same-origin", r.Header.Get("Cross-Origin-Opener-Policy"))
			if tc.ctype != "" {
				assert.Equal(t, tc.ctype, r.Header.Get("Content-Type"))
			}
			if tc.contains != "" {
				assert.Contains(t, string(body(t, r)), tc.contains)
			}
		})
	}
}

func TestCSPAllowsOnlySelf(t *testing.T) {
	for _, d := range strings.Split(csp, ";") {
		f := strings.Fields(d)
		for _, src := range f[1:] {
			if f[0] == "script-src" && src == "blob:" {
				continue // the page's own modules of edited examples
			}
			assert.Contains(t, []string{"'self'", "'none'", "'wasm-unsafe-eval'"}, src, "directive %q", strings.TrimSpace(d))
		}
	}
	assert.Contains(t, csp, "worker-src 'self'")
	assert.Contains(t, csp, "default-src 'self'")
	assert.NotContains(t, csp, "'unsafe-eval'", "no eval of JavaScript")
	assert.NotContains(t, csp, "'unsafe-inline'")
}

func TestMNISTServing(t *testing.T) {
	s, _ := newTestServer(t)
	m, _ := testMNIST()
	tests := []struct {
		name, path string
		gzip       bool
		want       []byte
	}{
		{"first 5000 images gzip", "/data/mnist/train-images.u8?n=5000", true, m.files["train-images.u8"][:5000*784]},
		{"first 5000 labels plain", "/data/mnist/train-labels.u8?n=5000", false, m.files["train-labels.u8"][:5000]},
		{"whole test labels gzip", "/data/mnist/test-labels.u8", true, m.files["test-labels.u8"]},
		{"n past the end gives all", "/data/mnist/test-labels.u8?n=99999", true, m.files["test-labels.u8"]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.gzip {
				h["Accept-Encoding"] = "gzip, deflate, br"
			}
			r := get(t, s, tc.path, h)
			require.Equal(t, 200, r.StatusCode)
			if tc.gzip {
				assert.Equal(t, "gzip", r.Header.Get("Content-Encoding"))
			} else {
				assert.Empty(t, r.Header.Get("Content-Encoding"))
			}
			assert.Equal(t, tc.want, body(t, r))
		})
	}
}

func TestStaticGzipFollowsFileChanges(t *testing.T) {
	s, js := newTestServer(t)
	first := body(t, get(t, s, "/keraswasm/dist/keras.wasm", map[string]string{"Accept-Encoding": "gzip"}))
	require.Len(t, first, 8000)
	require.NoError(t, os.WriteFile(filepath.Join(js, "dist", "keras.wasm"), bytes.Repeat([]byte{1}, 3000), 0o644))
	second := body(t, get(t, s, "/keraswasm/dist/keras.wasm", map[string]string{"Accept-Encoding": "gzip"}))
	assert.Equal(t, bytes.Repeat([]byte{1}, 3000), second, "a rebuilt runtime is served at once")
}

func TestMethodsAndEncodings(t *testing.T) {
	s, _ := newTestServer(t)
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)

	tests := []struct {
		name, accept string
		want         bool
	}{
		{"none", "", false},
		{"gzip", "gzip", true},
		{"list", "br, gzip;q=0.8", true},
		{"refused", "gzip;q=0", false},
		{"other", "br", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Accept-Encoding", tc.accept)
			assert.Equal(t, tc.want, acceptsGzip(r))
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	err := run([]string{"extra"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unexpected arguments")
	err = run([]string{"-mnist", t.TempDir(), "-root", t.TempDir()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MNIST")
}
