package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecurrentActivityRegularizer: activity_regularizer on a recurrent
// layer adds its penalty (l2 · Σy² / batch, Keras 2's batch-agnostic form)
// and its gradient; it was read and ignored before.
func TestRecurrentActivityRegularizer(t *testing.T) {
	for _, class := range []string{"SimpleRNN", "LSTM", "GRU"} {
		t.Run(class, func(t *testing.T) {
			reg := map[string]any{"class_name": "L2", "config": map[string]any{"l2": 0.3}}
			r := newTestRNN(t, class, 3, map[string]any{"return_sequences": true, "activity_regularizer": reg})
			checkLayerGradients(t, r, tensor.Shape{2, 3, 2}, gradOpts{seed: 4})
			var sum float64
			for _, v := range r.run.y.Data {
				sum += float64(v) * float64(v)
			}
			assert.InDelta(t, 0.3*sum/2, r.ActivityLoss, 1e-5)
		})
	}
}

// TestEmbeddingActivityRegularizer: the penalty is Keras's l1 · Σ|y| / batch.
func TestEmbeddingActivityRegularizer(t *testing.T) {
	l := newTestLayer(t, "Embedding", map[string]any{"input_dim": 4, "output_dim": 2,
		"activity_regularizer": map[string]any{"class_name": "L1", "config": map[string]any{"l1": 0.5}}})
	require.NoError(t, l.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	y := l.Forward(tensor.FromSlice([]float32{0, 1, 3, 2, 2, 1}, 2, 3), true)
	var sum float64
	for _, v := range y.Data {
		sum += float64(max(v, -v))
	}
	assert.InDelta(t, 0.5*sum/2, l.Base().ActivityLoss, 1e-6)
	dy := tensor.New(y.Shape...)
	l.Backward(dy, false)
	g := l.Params()[0].Grad.Data
	assert.NotEqual(t, make([]float32, len(g)), g, "the penalty's gradient reaches the embeddings")
}
