package sequential

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCallIsPredictOnOneBatch: model(x) in inference equals predict; layer
// calls chain to the model's output; training=true runs dropout; a wrong
// shape names both shapes in Keras's words.
func TestCallIsPredictOnOneBatch(t *testing.T) {
	m, err := NewWithLayers("", 2,
		layer(t, "Dense", map[string]any{"units": 4, "input_shape": []any{3}, "activation": "tanh"}),
		layer(t, "Dropout", map[string]any{"rate": 0.5}),
		layer(t, "Dense", map[string]any{"units": 2}))
	require.NoError(t, err)
	x := tensor.FromSlice([]float32{0.1, -0.2, 0.3, 0.5, 0.4, -0.6}, 2, 3)
	y, err := m.Call(x, false)
	require.NoError(t, err)
	p, err := m.Predict(x, 0)
	require.NoError(t, err)
	assert.Equal(t, p.Data, y.Data)
	h := x
	for i := range 3 {
		h, err = m.CallLayer(i, h, false)
		require.NoError(t, err)
	}
	assert.Equal(t, y.Data, h.Data)
	d, err := m.Call(x, true)
	require.NoError(t, err)
	assert.NotEqual(t, y.Data, d.Data, "training=true: dropout")
	_, err = m.CallLayer(2, x, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `input 0 of layer "dense_1" is incompatible with the layer: expected shape=(None, 4), found shape=(2, 3)`)
	_, err = m.CallLayer(3, x, false)
	require.Error(t, err)
}
