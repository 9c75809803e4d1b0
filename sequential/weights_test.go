package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func shapesOf(ts []*tensor.Tensor) []tensor.Shape {
	var s []tensor.Shape
	for _, t := range ts {
		s = append(s, t.Shape)
	}
	return s
}

// TestGetWeightsKerasOrder: kernels (in, units) and biases, layer by layer;
// a frozen layer's weights come after every trainable one, as
// model.get_weights orders them (trainable_weights + non_trainable_weights).
func TestGetWeightsKerasOrder(t *testing.T) {
	m := mlp(t, 1)
	assert.Equal(t, []tensor.Shape{{784, 32}, {32}, {32, 10}, {10}}, shapesOf(m.GetWeights()))

	// Freezing a layer does not reorder them: Keras lists each layer's
	// weights in turn (keras/src/layers/layer.py Layer.weights: a layer's own
	// variables, then each sublayer's; tf_keras/engine/training.py
	// Model.weights: layer.variables of each layer).
	m.Layers()[0].Base().Trainable = false
	assert.Equal(t, []tensor.Shape{{784, 32}, {32}, {32, 10}, {10}}, shapesOf(m.GetWeights()))
	s, err := m.SummaryE()
	require.NoError(t, err)
	assert.Contains(t, s, "Trainable params: 330\n")
	assert.Contains(t, s, "Non-trainable params: 25,120\n")
}

func TestGetWeightsAreCopies(t *testing.T) {
	m := mlp(t, 1)
	w := m.GetWeights()
	w[0].Data[0] = 1234
	assert.NotEqual(t, float32(1234), m.GetWeights()[0].Data[0])
}

func TestSetWeights(t *testing.T) {
	a, b := mlp(t, 1), mlp(t, 2)
	require.NotEqual(t, a.GetWeights(), b.GetWeights())
	require.NoError(t, b.SetWeights(a.GetWeights()))
	assert.Equal(t, a.GetWeights(), b.GetWeights())

	before := b.GetWeights()
	for _, tc := range []struct {
		name string
		w    []*tensor.Tensor
		want string
	}{
		{"too few", before[:3], "weight list of length 3, but the model was expecting 4 weights"},
		{"wrong shape", []*tensor.Tensor{before[0], before[1], tensor.New(10, 32), before[3]}, "layer weight shape (32, 10) not compatible with provided weight shape (10, 32)"},
		{"nil", []*tensor.Tensor{before[0], nil, before[2], before[3]}, "weight 1 is null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The first weight is changed in the list; a refused list writes nothing.
			w := append([]*tensor.Tensor(nil), tc.w...)
			w[0] = tensor.New(784, 32)
			err := b.SetWeights(w)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, before, b.GetWeights())
		})
	}
	err := New("", 1).SetWeights(nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not built")
}

// TestSameSeedSameWeights: initial weights depend on the seed alone.
func TestSameSeedSameWeights(t *testing.T) {
	assert.Equal(t, mlp(t, 5).GetWeights(), mlp(t, 5).GetWeights())
	assert.NotEqual(t, mlp(t, 5).GetWeights(), mlp(t, 6).GetWeights())
}
