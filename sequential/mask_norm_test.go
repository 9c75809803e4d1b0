package sequential

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatchNormalizationTrainsOnTheRealStepsOnly: Embedding(mask_zero=True)
// → BatchNormalization → Softmax → LSTM → Dense fits; the one batch's
// moving_mean moves toward the mean of the real tokens' embeddings only
// (Keras 3's masked moments), the padding tokens left out.
func TestBatchNormalizationTrainsOnTheRealStepsOnly(t *testing.T) {
	m, err := NewWithLayers("", 1,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "mask_zero": true, "input_length": 4}),
		layer(t, "BatchNormalization", map[string]any{"momentum": 0.5}),
		layer(t, "Softmax", nil),
		layer(t, "LSTM", map[string]any{"units": 2}),
		layer(t, "Dense", map[string]any{"units": 1, "activation": "sigmoid"}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "binary_crossentropy"}))
	emb := append([]float32(nil), m.GetWeights()[0].Data...)
	tokens := []float32{0, 0, 1, 2, 0, 3, 3, 4}
	x := tensor.FromSlice(tokens, 2, 4)
	o := DefaultFitOptions()
	o.Verbose, o.BatchSize = 0, 2
	_, err = m.Fit(x, tensor.FromSlice([]float32{1, 0}, 2, 1), o)
	require.NoError(t, err)
	want := make([]float64, 3)
	real := 0.0
	for _, tok := range tokens {
		if tok != 0 {
			real++
			for c := range 3 {
				want[c] += float64(emb[int(tok)*3+c])
			}
		}
	}
	movingMean := m.GetWeights()[3].Data // embeddings, gamma, beta, moving_mean
	for c := range 3 {
		assert.InDelta(t, 0.5*want[c]/(real+1e-7), movingMean[c], 1e-6, "channel %d", c)
	}
}
