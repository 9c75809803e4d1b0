package tensor

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// convGeoms is a spread of window geometries: strides, valid/same
// padding (including same with no top padding but a bottom one), dilation,
// non-square images and kernels, one and three channels.
func convGeoms(t *testing.T) []ConvGeom {
	t.Helper()
	type spec struct {
		n, h, w, c, kh, kw, sh, sw, dh, dw int
		padding                            string
	}
	var specs []spec
	for _, c := range []int{1, 3} {
		for _, padding := range []string{"valid", "same"} {
			specs = append(specs,
				spec{2, 7, 7, c, 3, 3, 1, 1, 1, 1, padding},
				spec{2, 8, 6, c, 3, 3, 2, 2, 1, 1, padding},
				spec{1, 9, 10, c, 2, 3, 1, 2, 1, 1, padding},
				spec{2, 10, 9, c, 3, 2, 3, 1, 1, 1, padding},
				spec{1, 11, 12, c, 3, 3, 1, 1, 2, 2, padding},
				spec{2, 9, 13, c, 2, 3, 1, 1, 3, 2, padding},
				spec{1, 6, 6, c, 1, 1, 1, 1, 1, 1, padding},
				spec{2, 5, 7, c, 5, 4, 1, 1, 1, 1, padding},
				spec{1, 4, 4, c, 2, 2, 2, 2, 1, 1, padding},
				spec{1, 5, 5, c, 2, 2, 2, 2, 1, 1, padding},
				spec{1, 3, 8, c, 3, 5, 2, 3, 1, 1, padding},
			)
		}
	}
	var gs []ConvGeom
	for _, s := range specs {
		g, err := NewConvGeom(s.n, s.h, s.w, s.c, s.kh, s.kw, s.sh, s.sw, s.dh, s.dw, s.padding)
		require.NoError(t, err, "%+v", s)
		gs = append(gs, g)
	}
	return gs
}

func geomName(g ConvGeom) string {
	return fmt.Sprintf("%dx%dx%dx%d_k%dx%d_s%dx%d_d%dx%d_p%d,%d", g.N, g.H, g.W, g.C, g.KH, g.KW, g.SH, g.SW, g.DH, g.DW, g.PadTop, g.PadLeft)
}

func TestIm2ColMatchesReference(t *testing.T) {
	rng := NewRNG(10)
	for _, g := range convGeoms(t) {
		t.Run(geomName(g), func(t *testing.T) {
			x := make([]float32, g.N*g.H*g.W*g.C)
			rng.Uniform(x, -1, 1)
			want := make([]float32, g.ColRows()*g.ColCols())
			got := make([]float32, len(want))
			for i := range got {
				got[i] = 99 // Im2Col must overwrite every value, padding included
			}
			im2colRef(want, x, g)
			Im2Col(got, x, g)
			require.Equal(t, want, got)
		})
	}
}

func TestCol2ImMatchesReference(t *testing.T) {
	rng := NewRNG(11)
	for _, g := range convGeoms(t) {
		t.Run(geomName(g), func(t *testing.T) {
			cols := make([]float32, g.ColRows()*g.ColCols())
			rng.Uniform(cols, -1, 1)
			want := make([]float32, g.N*g.H*g.W*g.C)
			rng.Uniform(want, -1, 1) // Col2Im accumulates into what is there
			got := append([]float32(nil), want...)
			col2imRef(want, cols, g)
			Col2Im(got, cols, g)
			require.Equal(t, want, got, "same values summed in the same order")
		})
	}
}

// TestCol2ImIsAdjoint checks ⟨Im2Col(x), c⟩ = ⟨x, Col2Im(c)⟩, the property
// that makes Col2Im the input gradient of a convolution.
func TestCol2ImIsAdjoint(t *testing.T) {
	rng := NewRNG(12)
	for _, g := range convGeoms(t) {
		x := make([]float32, g.N*g.H*g.W*g.C)
		c := make([]float32, g.ColRows()*g.ColCols())
		rng.Uniform(x, -1, 1)
		rng.Uniform(c, -1, 1)
		cols := make([]float32, len(c))
		Im2Col(cols, x, g)
		dx := make([]float32, len(x))
		Col2Im(dx, c, g)
		assert.InDelta(t, Dot(cols, c), Dot(x, dx), 1e-4, geomName(g))
	}
}

func TestMaxPoolMatchesReference(t *testing.T) {
	rng := NewRNG(13)
	for _, g := range convGeoms(t) {
		for _, data := range []string{"uniform", "ties", "negative"} {
			t.Run(geomName(g)+"/"+data, func(t *testing.T) {
				x := make([]float32, g.N*g.H*g.W*g.C)
				switch data {
				case "uniform":
					rng.Uniform(x, -1, 1)
				case "ties": // few distinct values: the first maximum must win
					for i := range x {
						x[i] = float32(rng.IntN(3))
					}
				case "negative": // padding (an implicit 0) must never win
					rng.Uniform(x, -2, -1)
				}
				size := g.N * g.OH * g.OW * g.C
				wantY, gotY := make([]float32, size), make([]float32, size)
				wantA, gotA := make([]int32, size), make([]int32, size)
				maxPoolRef(wantY, wantA, x, g)
				MaxPool(gotY, gotA, x, g)
				require.Equal(t, wantY, gotY)
				require.Equal(t, wantA, gotA)
				if data == "negative" {
					for i, v := range gotY {
						require.Less(t, v, float32(-0.5), "y[%d]", i)
					}
				}

				dy := make([]float32, size)
				rng.Uniform(dy, -1, 1)
				wantDx := make([]float32, len(x))
				rng.Uniform(wantDx, -1, 1)
				gotDx := append([]float32(nil), wantDx...)
				maxPoolBackwardRef(wantDx, dy, wantA)
				MaxPoolBackward(gotDx, dy, gotA)
				require.Equal(t, wantDx, gotDx)
			})
		}
	}
}

func TestConvKernelsPanicOnBadLengths(t *testing.T) {
	g, err := NewConvGeom(1, 4, 4, 2, 2, 2, 1, 1, 1, 1, "valid")
	require.NoError(t, err)
	x := make([]float32, 4*4*2)
	cols := make([]float32, g.ColRows()*g.ColCols())
	assert.Panics(t, func() { Im2Col(cols[1:], x, g) })
	assert.Panics(t, func() { Col2Im(x[1:], cols, g) })
	y := make([]float32, g.OH*g.OW*g.C)
	assert.Panics(t, func() { MaxPool(y, make([]int32, len(y)-1), x, g) })
	assert.PanicsWithValue(t, "tensor: MaxPoolBackward lengths dy 3, argmax 2 differ",
		func() { MaxPoolBackward(x, y[:3], []int32{0, 1}) })
}
