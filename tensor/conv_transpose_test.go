package tensor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The transposed convolution is the adjoint of the convolution with the same kernel:
// <conv(u), x> = <u, convT(x)> for any u, with conv written out directly;
// and its kernel gradient is <conv_k(u), x>'s.
func TestConvTransposeIsTheConvolutionsAdjoint(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		h, w, sh, sw, dh, dw int
		padding              string
	}{
		{"valid_strided", 7, 6, 2, 2, 1, 1, "valid"},
		{"same_strided", 6, 5, 2, 1, 1, 1, "same"},
		{"dilated", 6, 6, 1, 1, 2, 2, "valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const n, f, c, kh, kw = 2, 3, 2, 3, 2
			g, err := NewConvGeom(n, tc.h, tc.w, f, kh, kw, tc.sh, tc.sw, tc.dh, tc.dw, tc.padding)
			require.NoError(t, err)
			u := make([]float32, n*tc.h*tc.w*f) // the convolution's input: ConvTranspose's output space
			x := make([]float32, n*g.OH*g.OW*c)
			k := make([]float32, kh*kw*f*c)
			NewRNG(1).Uniform(u, -1, 1)
			NewRNG(2).Uniform(x, -1, 1)
			NewRNG(3).Uniform(k, -1, 1)
			// conv(u)[o, c] = Σ_taps Σ_f u[i, f]·k[tap, f, c]
			conv := make([]float64, len(x))
			g.eachTap(func(out, in, tap int) {
				for cc := 0; cc < c; cc++ {
					for ff := 0; ff < f; ff++ {
						conv[out*c+cc] += float64(u[in*f+ff]) * float64(k[(tap*f+ff)*c+cc])
					}
				}
			})
			y := make([]float32, len(u))
			ConvTranspose(y, x, k, g, c)
			var lhs, rhs float64
			for i := range x {
				lhs += conv[i] * float64(x[i])
			}
			for i := range u {
				rhs += float64(u[i]) * float64(y[i])
			}
			assert.InDelta(t, lhs, rhs, 1e-4)

			// Backward: dx = conv(dy) and dkernel[tap, f, c] = Σ dy[i, f]·x[o, c].
			dy := u
			dx, dk := make([]float32, len(x)), make([]float32, len(k))
			ConvTransposeBackward(dx, dk, dy, x, k, g, c)
			for i := range dx {
				assert.InDelta(t, conv[i], float64(dx[i]), 1e-5)
			}
			wantDk := make([]float64, len(k))
			g.eachTap(func(out, in, tap int) {
				for ff := 0; ff < f; ff++ {
					for cc := 0; cc < c; cc++ {
						wantDk[(tap*f+ff)*c+cc] += float64(dy[in*f+ff]) * float64(x[out*c+cc])
					}
				}
			})
			for i := range dk {
				assert.InDelta(t, wantDk[i], float64(dk[i]), 1e-5)
			}
		})
	}
}
