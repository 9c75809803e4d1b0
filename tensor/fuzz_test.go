package tensor

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// fzSmall reports whether the product of dims is at most limit, all dims
// being non-negative (so it cannot overflow).
func fzSmall(limit int, dims ...int) bool {
	n := 1
	for _, d := range dims {
		if d < 0 || (d != 0 && n > limit/d) {
			return false
		}
		n *= d
	}
	return true
}

// FuzzConvGeom: any geometry (sizes from configs and input shapes, which
// may be zero, negative or huge) gives an error or a consistent geometry —
// Keras's output size, padding inside the window, no overflow — and, when
// small, Im2Col, Col2Im, MaxPool and MaxPoolBackward run on it without
// panicking.
func FuzzConvGeom(f *testing.F) {
	f.Add(1, 5, 5, 2, 3, 3, 1, 1, 1, 1, true)
	f.Add(2, 7, 4, 1, 2, 3, 2, 3, 1, 1, false)
	f.Add(1, 1, 1, 1, 2, 2, 1, 1, 5, 5, true)
	f.Add(1, 4, 4, 1, 1<<62, 1, 1, 1, 4, 1, false)
	f.Add(1, 1<<62, 3, 1, 1, 1, 1<<62, 1, 1, 1, true)
	f.Add(1, -1, 3, 1, 2, 2, 1, 1, 1, 1, true)
	f.Fuzz(func(t *testing.T, n, h, w, c, kh, kw, sh, sw, dh, dw int, same bool) {
		padding := "valid"
		if same {
			padding = "same"
		}
		g, err := NewConvGeom(n, h, w, c, kh, kw, sh, sw, dh, dw, padding)
		if err != nil {
			require.Contains(t, err.Error(), "tensor: ")
			return
		}
		ekh, ekw := (kh-1)*dh+1, (kw-1)*dw+1
		for _, d := range []struct{ in, k, s, e, pad, out int }{{h, kh, sh, ekh, g.PadTop, g.OH}, {w, kw, sw, ekw, g.PadLeft, g.OW}} {
			require.GreaterOrEqual(t, d.e, d.k, "dilated window overflowed: %+v", g)
			if same {
				require.Equal(t, (d.in+d.s-1)/d.s, d.out, "same: ceil(in/stride): %+v", g)
				require.True(t, d.pad >= 0 && d.pad < d.e, "padding outside the window: %+v", g)
			} else {
				require.Equal(t, (d.in-d.e)/d.s+1, d.out, "valid: floor((in-window)/stride)+1: %+v", g)
				require.Equal(t, 0, d.pad)
				require.LessOrEqual(t, (d.out-1)*d.s+d.e, d.in, "valid window past the input: %+v", g)
			}
		}
		const limit = 1 << 14 // the reference visits every tap of every window
		if !fzSmall(limit, n, h, w, c) || !fzSmall(limit, n, g.OH, g.OW, kh, kw, c) {
			return
		}
		x := make([]float32, n*h*w*c)
		for i := range x {
			x[i] = float32(i%7) - 3
		}
		cols := make([]float32, g.ColRows()*g.ColCols())
		Im2Col(cols, x, g)
		Col2Im(make([]float32, len(x)), cols, g)
		y := make([]float32, n*g.OH*g.OW*c)
		argmax := make([]int32, len(y))
		MaxPool(y, argmax, x, g)
		wantY, wantArg := fzMaxPoolRef(x, g)
		require.Equal(t, wantY, y, "MaxPool against the tap-by-tap reference: %+v", g)
		require.Equal(t, wantArg, argmax)
		MaxPoolBackward(make([]float32, len(x)), y, argmax)
	})
}

// fzMaxPoolRef is MaxPool written tap by tap over the whole window,
// skipping the taps in the padding: the reference for MaxPool's clipped
// tap ranges.
func fzMaxPoolRef(x []float32, g ConvGeom) ([]float32, []int32) {
	var y []float32
	var arg []int32
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				for c := 0; c < g.C; c++ {
					best, bi := float32(0), int32(-1)
					for kh := 0; kh < g.KH; kh++ {
						for kw := 0; kw < g.KW; kw++ {
							ih, iw := oh*g.SH+kh*g.DH-g.PadTop, ow*g.SW+kw*g.DW-g.PadLeft
							if ih < 0 || ih >= g.H || iw < 0 || iw >= g.W {
								continue
							}
							idx := ((n*g.H+ih)*g.W+iw)*g.C + c
							if bi < 0 || x[idx] > best {
								best, bi = x[idx], int32(idx)
							}
						}
					}
					y, arg = append(y, best), append(arg, bi)
				}
			}
		}
	}
	if y == nil {
		y, arg = []float32{}, []int32{}
	}
	return y, arg
}

// Found by FuzzConvGeom: sizes whose products overflowed gave a geometry
// (a 2^62 window dilated by 4 "fit" a 4-high input with 8 output rows);
// negative inputs were taken. Both are errors now.
func TestConvGeomRejectsOverflowingSizes(t *testing.T) {
	tests := []struct {
		name                               string
		n, h, w, c, kh, kw, sh, sw, dh, dw int
		padding, want                      string
	}{
		{"window overflows when dilated", 1, 4, 4, 1, 1 << 62, 1, 1, 1, 4, 1, "valid", "at most 2^30"},
		{"input plus stride overflows", 1, 1 << 62, 3, 1, 1, 1, 1 << 62, 1, 1, 1, "same", "at most 2^30"},
		{"negative height", 1, -1, 3, 1, 2, 2, 1, 1, 1, 1, "same", "sizes must be >= 0"},
		{"negative channels", 1, 3, 3, -2, 2, 2, 1, 1, 1, 1, "valid", "sizes must be >= 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewConvGeom(tt.n, tt.h, tt.w, tt.c, tt.kh, tt.kw, tt.sh, tt.sw, tt.dh, tt.dw, tt.padding)
			require.Error(t, err)
			require.Contains(t, err.Error(), tt.want)
		})
	}
	g, err := NewConvGeom(1, MaxConvDim, 1, 1, MaxConvDim, 1, MaxConvDim, 1, 1, 1, "same")
	require.NoError(t, err, "the largest sizes are taken")
	require.Equal(t, 1, g.OH)
}

// Found by FuzzConvGeom: a dilated window can lie wholly in the 'same'
// padding (a 2x2 window dilated by 5 on a 1x1 input); MaxPool gave it
// argmax −1 and MaxPoolBackward indexed dx[−1].
func TestMaxPoolWindowWhollyInPadding(t *testing.T) {
	g, err := NewConvGeom(1, 1, 1, 1, 2, 2, 1, 1, 5, 5, "same")
	require.NoError(t, err)
	y, argmax := make([]float32, 1), make([]int32, 1)
	MaxPool(y, argmax, []float32{7}, g)
	require.Equal(t, []int32{-1}, argmax, "the window (rows -2 and 3) misses the only pixel")
	require.Equal(t, []float32{0}, y)
	dx := []float32{0}
	MaxPoolBackward(dx, []float32{1}, argmax)
	require.Equal(t, []float32{0}, dx)
}

// Found by FuzzWindowLayers (MaxPooling2D pool_size (2^30, 1), 'same', on a
// 3x3 input): MaxPool visited every tap of the window, 2^30 per output,
// though only 3 lie in the input; it now visits only the overlap.
func TestMaxPoolHugeWindowVisitsOnlyTheInput(t *testing.T) {
	g, err := NewConvGeom(1, 3, 3, 1, MaxConvDim, 1, 1, 1, 1, 1, "same")
	require.NoError(t, err)
	y, argmax := make([]float32, 9), make([]int32, 9)
	MaxPool(y, argmax, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, g)
	require.Equal(t, []float32{7, 8, 9, 7, 8, 9, 7, 8, 9}, y, "every window covers the whole column")
	require.Equal(t, []int32{6, 7, 8, 6, 7, 8, 6, 7, 8}, argmax)
}
