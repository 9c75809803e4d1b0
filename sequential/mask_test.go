package sequential

import (
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMaskIntoUnsupportedLayerIsRefusedAtAdd: Embedding(mask_zero=True)
// then Flatten is refused when Flatten is added, with Keras 2's TypeError,
// and the model keeps its layers; after a recurrent layer consumes the mask
// Flatten is fine.
func TestMaskIntoUnsupportedLayerIsRefusedAtAdd(t *testing.T) {
	m, err := NewWithLayers("", 1,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "mask_zero": true, "input_length": 4}),
		layer(t, "Dense", map[string]any{"units": 2}))
	require.NoError(t, err)
	err = m.Add(layer(t, "Flatten", nil))
	require.Error(t, err)
	assert.Equal(t, nn.TypeError, nn.ErrorClass(err))
	assert.Contains(t, err.Error(), `layer "flatten" (Flatten) does not support masking, but was passed an input_mask`)
	assert.Len(t, m.Layers(), 2)
	require.NoError(t, m.AddConfig(nn.Config{ClassName: "LSTM", Config: map[string]any{"units": 2}}))
	require.NoError(t, m.Add(layer(t, "Flatten", nil)), "the LSTM consumed the mask")

	// The same from a config, as a loaded model file would come.
	m2 := New("", 1)
	require.NoError(t, m2.AddConfig(nn.Config{ClassName: "Masking", Config: map[string]any{"input_shape": []any{3, 2}}}))
	require.NoError(t, m2.AddConfig(nn.Config{ClassName: "BatchNormalization", Config: map[string]any{}}), "BatchNormalization takes the mask and passes it on")
	err = m2.AddConfig(nn.Config{ClassName: "Flatten", Config: map[string]any{}})
	require.Error(t, err)
	assert.Equal(t, nn.TypeError, nn.ErrorClass(err))
}

// TestGlobalAveragePooling1DHonoursTheMaskInAModel: padding tokens do not
// count in the mean, so a padded sequence pools to its unpadded mean.
func TestGlobalAveragePooling1DHonoursTheMaskInAModel(t *testing.T) {
	m, err := NewWithLayers("", 1,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "mask_zero": true}),
		layer(t, "GlobalAveragePooling1D", nil))
	require.NoError(t, err)
	y, err := m.Predict(tensor.FromSlice([]float32{0, 2, 0, 4, 2, 4, 2, 4}, 2, 4), 2)
	require.NoError(t, err)
	assert.InDeltaSlice(t, y.Data[3:6], y.Data[0:3], 1e-6, "[0 2 0 4] pools as [2 4 2 4]")
	emb := m.GetWeights()[0].Data
	for c := range 3 {
		assert.InDelta(t, (emb[2*3+c]+emb[4*3+c])/2, y.Data[c], 1e-6)
	}
}

// TestLossOverMaskedOutputIsNotImplemented: Keras weights the loss by the
// output's mask; keraswasm refuses rather than count the padded steps.
func TestLossOverMaskedOutputIsNotImplemented(t *testing.T) {
	m, err := NewWithLayers("", 1,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "mask_zero": true, "input_length": 4}),
		layer(t, "LSTM", map[string]any{"units": 2, "return_sequences": true}),
		layer(t, "Dense", map[string]any{"units": 1}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	x, y := tensor.FromSlice([]float32{0, 1, 2, 3}, 1, 4), tensor.New(1, 4, 1)
	_, err = m.Fit(x, y, quiet())
	require.Error(t, err)
	assert.Equal(t, nn.NotImplementedError, nn.ErrorClass(err))
	assert.Contains(t, err.Error(), "carries a mask")
	_, err = m.Predict(x, 1)
	assert.NoError(t, err)
}
