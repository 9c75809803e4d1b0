// Package idx reads IDX files, the format MNIST ships in (LeCun's
// train-images-idx3-ubyte and friends), plain or gzipped. The bytes come
// from a page or a file a user names, so they are untrusted: every header
// field is checked against the data before anything the header declares
// is allocated, and no input panics.
//
// The format: two zero bytes, a type byte (0x08 unsigned byte, 0x09 signed
// byte, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64), the number of
// dimensions, then each dimension as a big-endian uint32, then the values,
// row-major. Only unsigned bytes are read here: MNIST's only type.
package idx

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// File is one IDX file's dimensions and its values (one byte each, row-major).
type File struct {
	Dims []int
	Data []byte
}

// maxInflate is deflate's largest compression ratio (about 1032:1): a gzip
// stream of n bytes cannot hold more than maxInflate*n, so a header that
// declares more is refused before it is allocated.
const maxInflate = 1032

// gzipMagic starts every gzip stream (RFC 1952).
var gzipMagic = []byte{0x1f, 0x8b}

// typeNames names the IDX types for error messages.
var typeNames = map[byte]string{0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64"}

// Read parses the IDX file b (gzipped when it starts with gzip's magic
// bytes). maxBytes caps the values it may make; a file declaring more is
// refused with an error that says so. Errors describe the file's fault in
// words and never name Go.
func Read(b []byte, maxBytes int64) (*File, error) {
	if bytes.HasPrefix(b, gzipMagic) {
		return readGzip(b, maxBytes)
	}
	dims, n, err := header(bytes.NewReader(b), maxBytes)
	if err != nil {
		return nil, err
	}
	head := 4 + 4*len(dims)
	if got := int64(len(b) - head); got != n {
		return nil, sizeError(dims, n, got)
	}
	return &File{Dims: dims, Data: b[head:]}, nil
}

// readGzip decompresses the header, checks what it declares against the
// compressed size, then reads exactly the declared values and nothing more.
func readGzip(b []byte, maxBytes int64) (*File, error) {
	br := bytes.NewReader(b) // a ByteReader: gzip reads no further than its stream
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("the file starts like gzip but its gzip header is damaged (%v); give the IDX file itself or an intact .gz of it", err)
	}
	zr.Multistream(false)
	dims, n, err := header(zr, maxBytes)
	if err != nil {
		return nil, err
	}
	if n > maxInflate*int64(len(b)) {
		return nil, fmt.Errorf("the header declares dimensions %v (%d bytes of values) but a gzip file of %d bytes cannot hold that many; the file is truncated or damaged", dims, n, len(b))
	}
	data := make([]byte, n)
	got, err := io.ReadFull(zr, data)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, sizeError(dims, n, int64(got))
		}
		return nil, fmt.Errorf("the gzip data is damaged after %d of the %d bytes of values (%v); the file is truncated or corrupt", got, n, err)
	}
	var one [1]byte
	extra, err := zr.Read(one[:])
	if extra > 0 {
		return nil, fmt.Errorf("the file holds more values than its header's dimensions %v declare (%d bytes); the header is damaged", dims, n)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("the gzip data is damaged at its end (%v); the file is truncated or corrupt", err)
	}
	if rest := br.Len(); rest > 0 {
		return nil, fmt.Errorf("the file has %d bytes after its gzip data; give one gzip stream of one IDX file", rest)
	}
	return &File{Dims: dims, Data: data}, nil
}

// header reads the magic number and the dimensions, and returns them with
// the number of value bytes they declare (checked against maxBytes).
func header(r io.Reader, maxBytes int64) ([]int, int64, error) {
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, 0, errors.New("the file is shorter than an IDX header (4 bytes of magic number); give an IDX file such as train-images-idx3-ubyte")
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, 0, fmt.Errorf("the magic number is 0x%02X%02X%02X%02X; an IDX file starts with two zero bytes (MNIST's images 0x00000803, labels 0x00000801)", magic[0], magic[1], magic[2], magic[3])
	}
	if magic[2] != 0x08 {
		name, ok := typeNames[magic[2]]
		if !ok {
			return nil, 0, fmt.Errorf("the magic number 0x%08X has data type 0x%02X, which IDX does not define", binary.BigEndian.Uint32(magic[:]), magic[2])
		}
		return nil, 0, fmt.Errorf("the data type is %s (0x%02X); only unsigned bytes (0x08, MNIST's type) are read", name, magic[2])
	}
	rank := int(magic[3])
	if rank == 0 {
		return nil, 0, errors.New("the header declares 0 dimensions; an IDX file has at least one (MNIST's labels 1, images 3)")
	}
	raw := make([]byte, 4*rank)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, 0, fmt.Errorf("the file ends inside its header: %d dimensions declared, %d bytes of them missing", rank, 4*rank)
	}
	dims := make([]int, rank)
	n := int64(1)
	for i := range dims {
		d := int64(binary.BigEndian.Uint32(raw[4*i:]))
		dims[i] = int(d)
		if d != 0 && n > maxBytes/d {
			return nil, 0, fmt.Errorf("the header's dimensions %v need more than %d bytes of values, the most allowed; the header is damaged or the file too large for the memory limit", readDims(raw), maxBytes)
		}
		n *= d
	}
	return dims, n, nil
}

// readDims decodes every dimension of raw, for a message.
func readDims(raw []byte) []uint32 {
	out := make([]uint32, len(raw)/4)
	for i := range out {
		out[i] = binary.BigEndian.Uint32(raw[4*i:])
	}
	return out
}

// sizeError says that the values do not match the dimensions.
func sizeError(dims []int, want, got int64) error {
	if got < want {
		return fmt.Errorf("the header's dimensions %v need %d bytes of values but the file holds %d; the file is truncated", dims, want, got)
	}
	return fmt.Errorf("the header's dimensions %v need %d bytes of values but the file holds %d; the header is damaged or extra bytes were appended", dims, want, got)
}
