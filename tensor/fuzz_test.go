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
		const limit = 1 << 14
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
		MaxPoolBackward(make([]float32, len(x)), y, argmax)
	})
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
