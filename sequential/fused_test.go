package sequential

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

var (
	_ LogitsLayer = (*nn.Dense)(nil)
	_ LogitsLayer = (*nn.Conv2D)(nil)
)

// unfused hides a layer's LogitsLayer methods, so a model ending in it
// computes the loss from the probabilities: the reference path.
type unfused struct{ nn.Layer }

// allFinite reports whether every weight and gradient of m is finite.
func allFinite(m *Model) bool {
	for _, p := range m.st.params {
		for _, d := range [][]float32{p.Value.Data, p.Grad.Data} {
			for _, v := range d {
				if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
					return false
				}
			}
		}
	}
	return true
}

// TestFusedOutputLayerWithHugeLogits: Dense(…, softmax) with
// categorical_crossentropy, Dense(1, sigmoid) with binary_crossentropy and
// Conv2D(…, softmax) as the last layer are computed from their logits, as
// tf.keras does with the output's _keras_logits: logits of ±1000 give the
// true loss of a confident wrong answer (about 2000 or 1000, not the
// clipped −log(1e-7) ≈ 16.1) and finite gradients that move the weights.
func TestFusedOutputLayerWithHugeLogits(t *testing.T) {
	tests := []struct {
		name   string
		layer  func() nn.Layer
		kernel *tensor.Tensor
		loss   string
		x, y   *tensor.Tensor
		want   float64
	}{
		{"dense_softmax_cce", func() nn.Layer {
			return dense(t, 3, map[string]any{"input_dim": 2, "use_bias": false, "activation": "softmax"})
		}, tensor.FromSlice([]float32{1000, -1000, 0, 0, 0, 0}, 2, 3), "categorical_crossentropy",
			tensor.FromSlice([]float32{1, 0}, 1, 2), tensor.FromSlice([]float32{0, 1, 0}, 1, 3), 2000},
		{"dense_softmax_sparse", func() nn.Layer {
			return dense(t, 3, map[string]any{"input_dim": 2, "use_bias": false, "activation": "softmax"})
		}, tensor.FromSlice([]float32{1000, -1000, 0, 0, 0, 0}, 2, 3), "sparse_categorical_crossentropy",
			tensor.FromSlice([]float32{1, 0}, 1, 2), tensor.FromSlice([]float32{1}, 1, 1), 2000},
		{"dense_sigmoid_bce", func() nn.Layer {
			return dense(t, 1, map[string]any{"input_dim": 2, "use_bias": false, "activation": "sigmoid"})
		}, tensor.FromSlice([]float32{1000, 0}, 2, 1), "binary_crossentropy",
			tensor.FromSlice([]float32{1, 0}, 1, 2), tensor.FromSlice([]float32{0}, 1, 1), 1000},
		{"conv_softmax_cce", func() nn.Layer {
			l, err := nn.NewConv2D(2, []int{1, 1}, map[string]any{"input_shape": []int{1, 1, 1}, "use_bias": false, "activation": "softmax"})
			require.NoError(t, err)
			return l
		}, tensor.FromSlice([]float32{1000, -1000}, 1, 1, 1, 2), "categorical_crossentropy",
			tensor.FromSlice([]float32{1}, 1, 1, 1, 1), tensor.FromSlice([]float32{0, 1}, 1, 1, 1, 2), 2000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewWithLayers("", 1, tt.layer())
			require.NoError(t, err)
			require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: tt.loss}))
			require.NoError(t, m.SetWeights([]*tensor.Tensor{tt.kernel}))
			r, err := m.TestOnBatch(tt.x, tt.y, nil)
			require.NoError(t, err)
			require.NotNil(t, m.st.fusedLayer, "the last layer's activation is fused with the loss")
			assert.InDelta(t, tt.want, r[0], 1e-3)
			before := m.GetWeights()[0].Clone()
			r, err = m.TrainOnBatch(tt.x, tt.y, nil)
			require.NoError(t, err)
			assert.InDelta(t, tt.want, r[0], 1e-3)
			assert.True(t, allFinite(m), "weights and gradients stay finite")
			assert.NotEqual(t, before.Data, m.GetWeights()[0].Data, "a confident wrong answer moves the weights")
			p, err := m.Predict(tt.x, 0)
			require.NoError(t, err)
			for _, v := range p.Data {
				assert.True(t, v >= 0 && v <= 1, "predictions stay probabilities: %v", p.Data)
			}
		})
	}
}

// TestFusedOutputLayerMatchesUnfused: on ordinary inputs, training through
// the fused path gives the losses and weights of the path through the
// probabilities, for each fusable ending, including an activity
// regularizer on the fused layer (its gradient goes through the
// activation in BackwardLogits).
func TestFusedOutputLayerMatchesUnfused(t *testing.T) {
	l2 := map[string]any{"class_name": "L2", "config": map[string]any{"l2": 0.05}}
	x, y := randomClasses(24, 4, 3, 5)
	xb, yb := randomData(24, 4, 6)
	labels := tensor.New(24, 1)
	for i := range labels.Data {
		labels.Data[i] = float32(tensor.ArgMax(y.Data[i*3 : i*3+3]))
	}
	ximg := tensor.New(24, 4, 4, 1)
	tensor.NewRNG(7).Uniform(ximg.Data, 0, 1)
	yimg := tensor.New(24, 2, 2, 3)
	for i := range yimg.Data {
		yimg.Data[i] = y.Data[(i/12)*3+i%3]
	}
	tests := []struct {
		name string
		last func() nn.Layer
		loss string
		x, y *tensor.Tensor
	}{
		{"softmax_cce", func() nn.Layer { return dense(t, 3, map[string]any{"activation": "softmax"}) }, "categorical_crossentropy", x, y},
		{"softmax_sparse", func() nn.Layer { return dense(t, 3, map[string]any{"activation": "softmax"}) }, "sparse_categorical_crossentropy", x, labels},
		{"sigmoid_bce", func() nn.Layer { return dense(t, 1, map[string]any{"activation": "sigmoid"}) }, "binary_crossentropy", xb, yb},
		{"softmax_cce_activity", func() nn.Layer {
			return dense(t, 3, map[string]any{"activation": "softmax", "activity_regularizer": l2})
		}, "categorical_crossentropy", x, y},
		{"sigmoid_bce_activity", func() nn.Layer {
			return dense(t, 1, map[string]any{"activation": "sigmoid", "activity_regularizer": l2})
		}, "binary_crossentropy", xb, yb},
		{"conv_softmax_activity", func() nn.Layer {
			return conv2d(t, 3, map[string]any{"activation": "softmax", "padding": "same", "activity_regularizer": l2})
		}, "categorical_crossentropy", ximg, yimg},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			first := func() nn.Layer { return dense(t, 5, map[string]any{"activation": "tanh", "input_shape": []int{4}}) }
			if len(tt.x.Shape) == 4 {
				first = func() nn.Layer {
					return conv2d(t, 2, map[string]any{"activation": "tanh", "input_shape": []int{4, 4, 1}})
				}
			}
			fused, err := NewWithLayers("", 3, first(), tt.last())
			require.NoError(t, err)
			plain, err := NewWithLayers("", 3, first(), unfused{tt.last()})
			require.NoError(t, err)
			require.NoError(t, plain.SetWeights(fused.GetWeights()))
			var hist [2]*History
			for i, m := range []*Model{fused, plain} {
				require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: tt.loss}))
				hist[i], err = m.Fit(tt.x, tt.y, FitOptions{Epochs: 3, BatchSize: 8})
				require.NoError(t, err)
			}
			require.NotNil(t, fused.st.fusedLayer, "the fused model fuses its last layer")
			require.Nil(t, plain.st.fused, "the reference model does not fuse")
			assert.InDeltaSlice(t, hist[1].History["loss"], hist[0].History["loss"], 1e-5)
			for i, w := range fused.GetWeights() {
				assert.InDeltaSlice(t, plain.GetWeights()[i].Data, w.Data, 1e-5, "weight %d", i)
			}
		})
	}
}

// TestActivationLayerWithActivityRegularizerIsNotFused: an Activation layer
// whose backward the fusion would skip keeps the unfused path when it has
// an activity regularizer (the penalty's gradient goes through it).
func TestActivationLayerWithActivityRegularizerIsNotFused(t *testing.T) {
	act, err := nn.NewActivationLayer("softmax", map[string]any{"activity_regularizer": "l2"})
	require.NoError(t, err)
	m, err := NewWithLayers("", 1, dense(t, 3, map[string]any{"input_dim": 2}), act)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy"}))
	x, y := randomClasses(4, 2, 3, 1)
	_, err = m.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.Nil(t, m.st.fused)
}
