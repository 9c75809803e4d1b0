package tensor

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The depthwise convolution written out index by index (same padding with
// strides, valid with dilation) against DepthwiseConv; and its gradients as the transpose
// of the same sums.
func TestDepthwiseConvMatchesItsDefinition(t *testing.T) {
	t.Run("same_strided", func(t *testing.T) { checkDepthwise(t, 2, 1, 1, 1, "same") })
	t.Run("valid_dilated", func(t *testing.T) { checkDepthwise(t, 1, 1, 2, 1, "valid") })
}

func checkDepthwise(t *testing.T, sh, sw, dh, dw int, padding string) {
	const n, h, w, c, m, kh, kw = 2, 5, 4, 3, 2, 3, 2
	g, err := NewConvGeom(n, h, w, c, kh, kw, sh, sw, dh, dw, padding)
	require.NoError(t, err)
	x, k := make([]float32, n*h*w*c), make([]float32, kh*kw*c*m)
	NewRNG(1).Uniform(x, -1, 1)
	NewRNG(2).Uniform(k, -1, 1)
	y := make([]float32, n*g.OH*g.OW*c*m)
	DepthwiseConv(y, x, k, g, m)
	dy := make([]float32, len(y))
	NewRNG(3).Uniform(dy, -1, 1)
	dx, dk := make([]float32, len(x)), make([]float32, len(k))
	DepthwiseConvBackward(dx, dk, dy, x, k, g, m)
	wantDx, wantDk := make([]float64, len(x)), make([]float64, len(k))
	for b := 0; b < n; b++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				for ch := 0; ch < c; ch++ {
					for mm := 0; mm < m; mm++ {
						o := ((b*g.OH+oh)*g.OW+ow)*c*m + ch*m + mm
						var want float64
						for i := 0; i < kh; i++ {
							for j := 0; j < kw; j++ {
								ih, iw := oh*sh-g.PadTop+i*dh, ow*sw-g.PadLeft+j*dw
								if ih < 0 || ih >= h || iw < 0 || iw >= w {
									continue
								}
								xi, ki := ((b*h+ih)*w+iw)*c+ch, ((i*kw+j)*c+ch)*m+mm
								want += float64(x[xi]) * float64(k[ki])
								wantDx[xi] += float64(k[ki]) * float64(dy[o])
								wantDk[ki] += float64(x[xi]) * float64(dy[o])
							}
						}
						assert.InDelta(t, want, float64(y[o]), 1e-5)
					}
				}
			}
		}
	}
	for i := range dx {
		assert.InDelta(t, wantDx[i], float64(dx[i]), 1e-5)
	}
	for i := range dk {
		assert.InDelta(t, wantDk[i], float64(dk[i]), 1e-5)
	}
}
