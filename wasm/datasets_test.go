package main

import (
	"encoding/binary"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// idxFile writes an IDX file of unsigned bytes.
func idxFile(dims []int, data []byte) []byte {
	b := []byte{0, 0, 0x08, byte(len(dims))}
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d))
	}
	return append(b, data...)
}

func TestReadMNISTSplit(t *testing.T) {
	rt := NewRuntime()
	images := idxFile([]int{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	labels := idxFile([]int{2}, []byte{5, 0})
	s, release, err := rt.ReadMNISTSplit(images, "a-images", labels, "a-labels")
	require.NoError(t, err)
	release()
	assert.Equal(t, 2, s.Count)
	assert.Equal(t, 2, s.Rows)
	assert.Equal(t, 3, s.Cols)
	assert.Equal(t, []byte{5, 0}, s.Labels)
	assert.Len(t, s.Pixels, 12)

	cases := []struct {
		name           string
		images, labels []byte
		want           string
	}{
		{"count mismatch", images, idxFile([]int{3}, []byte{1, 2, 3}), "a-images holds 2 images but a-labels holds 3 labels"},
		{"swapped", labels, images, "a-images: expected images (count, rows, cols), an IDX file of 3 dimensions, but it has 1"},
		{"bad magic", images, []byte{1, 2, 3, 4, 5}, "a-labels: the magic number is 0x01020304"},
		{"truncated", images[:len(images)-1], labels, "a-images: the header's dimensions [2 2 3] need 12 bytes of values but the file holds 11"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := rt.ReadMNISTSplit(c.images, "a-images", c.labels, "a-labels")
			require.Error(t, err)
			assert.Equal(t, "mnist.load_data: "+c.want, err.Error()[:len("mnist.load_data: ")+len(c.want)])
			assert.Equal(t, nn.ValueError, errorName(err))
		})
	}
}

func TestReadMNISTSplitBudget(t *testing.T) {
	rt := NewRuntimeWith(sequential.NewBudget(64<<20, 64<<20))
	require.NoError(t, rt.SetMemoryLimit(8))
	images := idxFile([]int{2, 2, 3}, make([]byte, 12))
	_, _, err := rt.ReadMNISTSplit(images, "a-images", idxFile([]int{2}, []byte{1, 2}), "a-labels")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "a-images: the header's dimensions [2 2 3] need more than 8 bytes")
}
