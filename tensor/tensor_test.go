package tensor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShapeString(t *testing.T) {
	assert.Equal(t, "(2, 3)", Shape{2, 3}.String())
	assert.Equal(t, "(5,)", Shape{5}.String())
	assert.Equal(t, "(None, 10)", Shape{-1, 10}.String())
}

func TestReshapeIsAView(t *testing.T) {
	x := New(2, 3)
	v := x.Reshape(3, -1)
	assert.Equal(t, Shape{3, 2}, v.Shape)
	v.Data[5] = 7
	assert.Equal(t, float32(7), x.Data[5])
	assert.Panics(t, func() { x.Reshape(4, 2) })
}

func TestEnsureReusesStorage(t *testing.T) {
	b := Ensure(nil, 4, 8)
	p := &b.Data[0]
	b2 := Ensure(b, 2, 8)
	assert.Same(t, p, &b2.Data[0])
	assert.Equal(t, Shape{2, 8}, b2.Shape)
	allocs := testing.AllocsPerRun(100, func() { b = Ensure(b, 3, 8) })
	assert.Zero(t, allocs)
}

func TestConvGeomMatchesKeras(t *testing.T) {
	tests := []struct {
		name       string
		h, k, s, d int
		padding    string
		oh, padTop int
	}{
		{"valid", 28, 3, 1, 1, "valid", 26, 0},
		{"valid stride 2", 7, 3, 2, 1, "valid", 3, 0},
		{"same", 28, 3, 1, 1, "same", 28, 1},
		{"same stride 2 even", 8, 3, 2, 1, "same", 4, 0},
		{"same dilated", 10, 3, 1, 2, "same", 10, 2},
		{"valid dilated", 10, 3, 1, 2, "valid", 6, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := NewConvGeom(1, tc.h, tc.h, 1, tc.k, tc.k, tc.s, tc.s, tc.d, tc.d, tc.padding)
			require.NoError(t, err)
			assert.Equal(t, tc.oh, g.OH)
			assert.Equal(t, tc.padTop, g.PadTop)
		})
	}
	_, err := NewConvGeom(1, 2, 2, 1, 3, 3, 1, 1, 1, 1, "valid")
	assert.ErrorContains(t, err, "larger than")
	_, err = NewConvGeom(1, 2, 2, 1, 3, 3, 1, 1, 1, 1, "full")
	assert.ErrorContains(t, err, `"full"`)
}
