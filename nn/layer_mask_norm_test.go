package nn

import (
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stepMask is a (2, 4) mask of (row, step): row 0 pads its first step, row 1
// its last two.
var stepMask = []bool{false, true, true, true, true, true, false, false}

// TestBatchNormalizationMaskedMomentsAreKeras3s: in training, Keras 3's
// _moments written out (mean = Σ_real x / (n_real + 1e-7), variance =
// Σ_real (x − mean)² / (n_real + 1e-7), per channel, every value normalized
// with them) and the moving statistics moved toward them; in inference the
// mask changes nothing. TF.js 4.22 ignores the mask, so the reference is
// the formula.
func TestBatchNormalizationMaskedMomentsAreKeras3s(t *testing.T) {
	const B, T, C = 2, 4, 3
	l := mustLayer(t, "BatchNormalization", map[string]any{"momentum": 0.8}).(*BatchNormalization)
	require.NoError(t, l.Build(tensor.Shape{T, C}, tensor.NewRNG(1)))
	gamma, beta := []float32{1.5, 0.5, -1}, []float32{0.1, -0.2, 0.3}
	copy(l.gamma.Value.Data, gamma)
	copy(l.beta.Value.Data, beta)
	copy(l.movingMean.Value.Data, []float32{0.2, -0.1, 0})
	copy(l.movingVar.Value.Data, []float32{1, 2, 0.5})
	x := gradcheck.Random(B*T*C, -2, 2, 3)

	mean, variance := make([]float64, C), make([]float64, C)
	var n float64
	for i, keep := range stepMask {
		if keep {
			n++
			for c := range C {
				mean[c] += float64(x[i*C+c])
			}
		}
	}
	for c := range C {
		mean[c] /= n + 1e-7
	}
	for i, keep := range stepMask {
		if keep {
			for c := range C {
				d := float64(x[i*C+c]) - mean[c]
				variance[c] += d * d
			}
		}
	}
	want := make([]float64, len(x))
	for c := range C {
		variance[c] /= n + 1e-7
	}
	for i, v := range x {
		c := i % C
		want[i] = float64(gamma[c])*(float64(v)-mean[c])/math.Sqrt(variance[c]+1e-3) + float64(beta[c])
	}
	wantMM := []float64{0.2*0.8 + mean[0]*0.2, -0.1*0.8 + mean[1]*0.2, mean[2] * 0.2}
	wantMV := []float64{1*0.8 + variance[0]*0.2, 2*0.8 + variance[1]*0.2, 0.5*0.8 + variance[2]*0.2}

	l.SetMask(stepMask)
	y := l.Forward(tensor.FromSlice(x, B, T, C), true)
	assert.InDeltaSlice(t, want, toF64(y.Data), 1e-5, "y, every step normalized with the real steps' moments")
	assert.InDeltaSlice(t, wantMM, toF64(l.movingMean.Value.Data), 1e-6, "moving_mean")
	assert.InDeltaSlice(t, wantMV, toF64(l.movingVar.Value.Data), 1e-6, "moving_variance")

	// Inference: the moving statistics, whatever the mask.
	masked := append([]float32(nil), l.Forward(tensor.FromSlice(x, B, T, C), false).Data...)
	l.SetMask(nil)
	assert.Equal(t, masked, l.Forward(tensor.FromSlice(x, B, T, C), false).Data)
}

func toF64(s []float32) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// TestBatchNormalizationMaskedGradients: dx, dgamma and dbeta by central
// differences through the masked moments, over the last axis and over
// axis 1 (the steps: a wholly masked step's group has no real value), with
// and without center and scale.
func TestBatchNormalizationMaskedGradients(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  map[string]any
	}{
		{"last_axis", map[string]any{}},
		{"axis_1", map[string]any{"axis": 1}},
		{"no_center_no_scale", map[string]any{"center": false, "scale": false}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := mustLayer(t, "BatchNormalization", c.cfg).(*BatchNormalization)
			l.SetMask(stepMask)
			checkLayerGradients(t, l, tensor.Shape{2, 4, 3}, gradOpts{training: true, seed: 4})
		})
	}
}

// TestSoftmaxMaskIsKeras3s: Keras 3's where(mask, softmax(where(mask, x,
// −1e9)), 0) with the step mask over each step's features: over the last
// axis a masked step outputs zeros and a real one its plain softmax; over
// the steps (axis 1) the masked steps take no share and output zeros.
func TestSoftmaxMaskIsKeras3s(t *testing.T) {
	const B, T, C = 2, 4, 3
	x := gradcheck.Random(B*T*C, -3, 3, 6)
	t.Run("last_axis", func(t *testing.T) {
		l := mustLayer(t, "Softmax", nil)
		require.NoError(t, l.Build(tensor.Shape{T, C}, nil))
		l.(MaskConsumer).SetMask(stepMask)
		y := l.Forward(tensor.FromSlice(x, B, T, C), false)
		for i, keep := range stepMask {
			var s float64
			for c := range C {
				s += math.Exp(float64(x[i*C+c]))
			}
			for c := range C {
				want := 0.0
				if keep {
					want = math.Exp(float64(x[i*C+c])) / s
				}
				assert.InDelta(t, want, y.Data[i*C+c], 1e-6, "step %d feature %d", i, c)
			}
		}
	})
	t.Run("axis_1", func(t *testing.T) {
		l := mustLayer(t, "Softmax", map[string]any{"axis": 1})
		require.NoError(t, l.Build(tensor.Shape{T, C}, nil))
		l.(MaskConsumer).SetMask(stepMask)
		y := l.Forward(tensor.FromSlice(x, B, T, C), false)
		for b := range B {
			for c := range C {
				var s float64
				for s0 := range T {
					if stepMask[b*T+s0] {
						s += math.Exp(float64(x[(b*T+s0)*C+c]))
					}
				}
				for s0 := range T {
					i := (b*T+s0)*C + c
					want := 0.0
					if stepMask[b*T+s0] {
						want = math.Exp(float64(x[i])) / s
					}
					assert.InDelta(t, want, y.Data[i], 1e-6, "row %d step %d feature %d", b, s0, c)
				}
			}
		}
	})
	t.Run("wholly_masked_row_is_zeros", func(t *testing.T) {
		l := mustLayer(t, "Softmax", map[string]any{"axis": 1})
		require.NoError(t, l.Build(tensor.Shape{2, 2}, nil))
		l.(MaskConsumer).SetMask([]bool{false, false})
		y := l.Forward(tensor.FromSlice([]float32{1, 2, 3, 4}, 1, 2, 2), false)
		assert.Equal(t, []float32{0, 0, 0, 0}, y.Data)
	})
}

// TestSoftmaxMaskedGradients: dx by central differences through the masked
// softmax over the last axis, over the steps, and with an activity
// regularizer on the output.
func TestSoftmaxMaskedGradients(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  map[string]any
	}{
		{"last_axis", nil},
		{"axis_1", map[string]any{"axis": 1}},
		{"activity", map[string]any{"activity_regularizer": map[string]any{"class_name": "L2", "config": map[string]any{"l2": 0.3}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			l := mustLayer(t, "Softmax", c.cfg)
			l.(MaskConsumer).SetMask(stepMask)
			checkLayerGradients(t, l, tensor.Shape{2, 4, 3}, gradOpts{seed: 9})
		})
	}
}
