package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// untiledConv is the convolution as Conv2D computed it before tiles: the
// whole im2col matrix, one Gemm for z, one for the kernel gradient, one for
// the column gradient and one Col2Im. It gives z (linear, no bias),
// dkernel and dx for dz.
func untiledConv(x, kernel, dz []float32, g tensor.ConvGeom, f int) (z, dkernel, dx []float32) {
	rows, k := g.ColRows(), g.ColCols()
	cols := make([]float32, rows*k)
	tensor.Im2Col(cols, x, g)
	z = make([]float32, rows*f)
	tensor.Gemm(false, false, rows, f, k, 1, cols, k, kernel, f, 0, z, f)
	dkernel = make([]float32, k*f)
	tensor.Gemm(true, false, k, f, rows, 1, cols, k, dz, f, 1, dkernel, f)
	dcols := make([]float32, rows*k)
	tensor.Gemm(false, true, rows, k, f, 1, dz, f, kernel, f, 0, dcols, k)
	dx = make([]float32, len(x))
	tensor.Col2Im(dx, dcols, g)
	return z, dkernel, dx
}

// TestConv2DTilesGiveTheUntiledBits: computing the convolution one tile of
// im2col rows at a time gives the same float32 bits as the whole matrix at
// once, forward and backward, over several tiles (many 3×3×32 columns;
// many short one-channel columns) and one.
func TestConv2DTilesGiveTheUntiledBits(t *testing.T) {
	tests := []struct {
		name string
		in   tensor.Shape
		f    int
		cfg  map[string]any
	}{
		{"three_tiles_k288", tensor.Shape{8, 20, 20, 32}, 8, nil},
		{"two_tiles_k9", tensor.Shape{64, 28, 28, 1}, 4, nil},
		{"same_strided_k576", tensor.Shape{12, 33, 31, 64}, 5, map[string]any{"padding": "same", "strides": 2}},
		{"one_tile", tensor.Shape{2, 6, 6, 3}, 4, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := map[string]any{"filters": tt.f, "kernel_size": 3, "use_bias": false}
			for k, v := range tt.cfg {
				cfg[k] = v
			}
			l := mustLayer(t, "Conv2D", cfg).(*Conv2D)
			require.NoError(t, l.Build(tt.in[1:], tensor.NewRNG(1)))
			x := tensor.New(tt.in...)
			tensor.NewRNG(2).Uniform(x.Data, -1, 1)
			y := l.Forward(x, true)
			if tt.name != "one_tile" {
				require.Greater(t, l.tiles.Count(), 1, "the case must cover several tiles")
			}
			dy := tensor.New(y.Shape...)
			tensor.NewRNG(3).Uniform(dy.Data, -1, 1)
			kernel := l.Params()[0]
			kernel.Grad.Zero()
			dx := l.Backward(dy, true)
			z, dk, dxWant := untiledConv(x.Data, kernel.Value.Data, dy.Data, l.geom, tt.f)
			assert.Equal(t, f32bits(z), f32bits(y.Data), "z")
			assert.Equal(t, f32bits(dk), f32bits(kernel.Grad.Data), "dkernel")
			assert.Equal(t, f32bits(dxWant), f32bits(dx.Data), "dx")
		})
	}
}

func f32bits(v []float32) []uint32 {
	b := make([]uint32, len(v))
	for i, x := range v {
		b[i] = math.Float32bits(x)
	}
	return b
}

// TestConv2DScratchDoesNotGrowWithTheBatch: the im2col buffers a Conv2D
// holds after a step are one tile, the same for a batch of 2 and of 64.
func TestConv2DScratchDoesNotGrowWithTheBatch(t *testing.T) {
	scratch := func(n int) int {
		l := mustLayer(t, "Conv2D", map[string]any{"filters": 8, "kernel_size": 3, "activation": "relu"}).(*Conv2D)
		require.NoError(t, l.Build(tensor.Shape{24, 24, 32}, tensor.NewRNG(1)))
		y := l.Forward(tensor.New(n, 24, 24, 32), true)
		l.Backward(tensor.New(y.Shape...), true)
		return cap(l.cols.Data) + cap(l.dcols.Data)
	}
	small, large := scratch(2), scratch(64)
	assert.LessOrEqual(t, large, 2*tensor.MaxColTileRows(288)*288)
	assert.Less(t, large*4, 4<<20, "a few MiB")
	assert.LessOrEqual(t, large, 2*small+2*512*288, "at most a tile more than for 2 images")
	assert.Less(t, large, 64*22*22*288/4, "far below the whole batch's columns")
}

// TestConv2DReluTilesGiveTheUntiledBits: with relu and a bias, dz is formed
// one tile at a time and the bias gradient summed over the tiles; y,
// dkernel, dbias and dx have the bits of the whole-batch computation (relu's
// mask on z, tensor.SumRows over all of dz).
func TestConv2DReluTilesGiveTheUntiledBits(t *testing.T) {
	in, f := tensor.Shape{8, 20, 20, 32}, 8
	l := mustLayer(t, "Conv2D", map[string]any{"filters": f, "kernel_size": 3, "activation": "relu", "bias_initializer": "random_uniform"}).(*Conv2D)
	require.NoError(t, l.Build(in[1:], tensor.NewRNG(1)))
	x := tensor.New(in...)
	tensor.NewRNG(2).Uniform(x.Data, -1, 1)
	y := l.Forward(x, true)
	require.Greater(t, l.tiles.Count(), 1)
	yGot := append([]float32(nil), y.Data...)
	dy := tensor.New(y.Shape...)
	tensor.NewRNG(3).Uniform(dy.Data, -1, 1)
	dyCopy := append([]float32(nil), dy.Data...)
	kernel, bias := l.Params()[0], l.Params()[1]
	kernel.Grad.Zero()
	bias.Grad.Zero()
	dx := l.Backward(dy, true)
	assert.Equal(t, dyCopy, dy.Data, "dy is not written")

	rows, k := l.geom.ColRows(), l.geom.ColCols()
	cols := make([]float32, rows*k)
	tensor.Im2Col(cols, x.Data, l.geom)
	z := make([]float32, rows*f)
	tensor.Gemm(false, false, rows, f, k, 1, cols, k, kernel.Value.Data, f, 0, z, f)
	tensor.AddRowVector(z, bias.Value.Data)
	yWant, dz := make([]float32, len(z)), make([]float32, len(z))
	for i, v := range z {
		if v > 0 {
			yWant[i], dz[i] = v, dy.Data[i]
		}
	}
	dbias := make([]float32, f)
	tensor.SumRows(dbias, dz)
	_, dk, dxWant := untiledConv(x.Data, kernel.Value.Data, dz, l.geom, f)
	assert.Equal(t, f32bits(yWant), f32bits(yGot), "y")
	assert.Equal(t, f32bits(dk), f32bits(kernel.Grad.Data), "dkernel")
	assert.Equal(t, f32bits(dbias), f32bits(bias.Grad.Data), "dbias")
	assert.Equal(t, f32bits(dxWant), f32bits(dx.Data), "dx")
}
