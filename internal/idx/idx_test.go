package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encode writes an IDX file of unsigned bytes with the given dimensions.
func encode(dims []int, data []byte) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func TestReadPlainAndGzip(t *testing.T) {
	data := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
	for name, b := range map[string][]byte{"plain": encode([]int{3, 2, 2}, data), "gzip": gz(encode([]int{3, 2, 2}, data))} {
		t.Run(name, func(t *testing.T) {
			f, err := Read(b, 1<<20)
			require.NoError(t, err)
			assert.Equal(t, []int{3, 2, 2}, f.Dims)
			assert.Equal(t, data, f.Data)
		})
	}
}

func TestReadErrors(t *testing.T) {
	good := encode([]int{2, 3}, []byte{1, 2, 3, 4, 5, 6})
	cases := []struct {
		name string
		b    []byte
		max  int64
		want string
	}{
		{"empty", nil, 1 << 20, "shorter than an IDX header"},
		{"wrong magic", append([]byte{0x50, 0x4B, 3, 4}, good[4:]...), 1 << 20, "magic number is 0x504B0304"},
		{"float type", append([]byte{0, 0, 0x0D, 2}, good[4:]...), 1 << 20, "data type is float32 (0x0D)"},
		{"unknown type", append([]byte{0, 0, 0x42, 2}, good[4:]...), 1 << 20, "does not define"},
		{"no dims", []byte{0, 0, 8, 0}, 1 << 20, "0 dimensions"},
		{"header cut", good[:9], 1 << 20, "ends inside its header"},
		{"truncated", good[:len(good)-1], 1 << 20, "need 6 bytes of values but the file holds 5; the file is truncated"},
		{"extra", append(append([]byte{}, good...), 9), 1 << 20, "holds 7; the header is damaged"},
		{"over the cap", good, 5, "more than 5 bytes"},
		{"huge dims", encode([]int{1 << 31, 1 << 31, 1 << 31}, nil), 1 << 40, "more than"},
		{"gzip truncated", gz(good[:len(good)-2]), 1 << 20, "holds 4; the file is truncated"},
		{"gzip extra", gz(append(append([]byte{}, good...), 1, 2)), 1 << 20, "more values than"},
		{"gzip claims too much", gz(encode([]int{60000, 28, 28}, nil)), 1 << 30, "cannot hold that many"},
		{"gzip trailing bytes", append(gz(good), 0, 0, 0), 1 << 20, "3 bytes after its gzip data"},
		{"gzip header damaged", []byte{0x1f, 0x8b, 0, 0}, 1 << 20, "gzip header is damaged"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(c.b, c.max)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "idx.")
		})
	}
}

// FuzzIDX feeds arbitrary bytes to Read: it returns a file whose data
// matches its dimensions, or an error; it never panics. Seeds: testdata/fuzz/FuzzIDX.
func FuzzIDX(f *testing.F) {
	f.Add(encode([]int{2, 2}, []byte{1, 2, 3, 4}))
	f.Add(gz(encode([]int{1, 3}, []byte{7, 8, 9})))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(b, 1<<24)
		if err != nil {
			return
		}
		n := 1
		for _, d := range file.Dims {
			n *= d
		}
		if n != len(file.Data) {
			t.Fatalf("dims %v hold %d values but the data has %d", file.Dims, n, len(file.Data))
		}
	})
}
