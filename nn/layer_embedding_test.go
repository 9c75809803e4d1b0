package nn

import (
	"slices"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// integerInputs gives indices in [0, 5) as floats.
func integerInputs(n int, seed uint64) []float32 {
	out := gradcheck.Random(n, 0, 5, seed)
	for i, v := range out {
		out[i] = float32(int(v))
	}
	return out
}

// TestEmbeddingGradients checks dembeddings by central differences (the
// indices have no gradient: dx is zeros, which the check confirms, since the
// loss does not move when an index moves by less than one).
func TestEmbeddingGradients(t *testing.T) {
	l, err := NewEmbedding(5, 3, nil)
	require.NoError(t, err)
	checkLayerGradients(t, l, tensor.Shape{2, 4}, gradOpts{h: 1e-3, input: func(n int, seed uint64) []float32 {
		v := integerInputs(n, seed)
		for i := range v {
			v[i] += 0.5 // h away from the integers, so ±h keeps the row
		}
		return v
	}})
}

func TestEmbeddingForwardAndMask(t *testing.T) {
	l, err := NewEmbedding(4, 2, map[string]any{"mask_zero": true, "input_length": 3})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{3}, l.Input, "input_length is input_shape=(input_length,)")
	require.NoError(t, l.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	copy(l.embeddings.Value.Data, []float32{0, 1, 10, 11, 20, 21, 30, 31})
	y := l.Forward(tensor.FromSlice([]float32{2, 0, 3, 1, 9, -1}, 2, 3), false)
	assert.Equal(t, []float32{20, 21, 0, 1, 30, 31, 10, 11, 0, 0, 0, 0}, y.Data, "out-of-range indices give zeros")
	assert.Equal(t, []bool{true, false, true, true, true, true}, slices.Clone(l.ComputeMask(nil)))
	out, err := l.OutputShape(tensor.Shape{3})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{3, 2}, out)
	assert.Equal(t, 8, l.Params()[0].Value.Size())
}

func TestEmbeddingConfigAndErrors(t *testing.T) {
	l, err := NewEmbedding(10, 4, map[string]any{"mask_zero": true, "embeddings_regularizer": "l2"})
	require.NoError(t, err)
	assertLayerRoundTrip(t, l)
	for _, c := range []struct {
		m    map[string]any
		want string
	}{
		{map[string]any{"output_dim": 2}, "input_dim"},
		{map[string]any{"input_dim": 2}, "output_dim"},
		{map[string]any{"input_dim": 0, "output_dim": 2}, "input_dim"},
		{map[string]any{"input_dim": 3, "output_dim": 2, "input_length": 0}, "input_length"},
		{map[string]any{"input_dim": 3, "output_dim": 2, "sparse": true}, "sparse"},
	} {
		_, err := NewLayer(Config{ClassName: "Embedding", Config: c.m})
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestMaskingForwardGradientsAndMask(t *testing.T) {
	l, err := NewLayer(Config{ClassName: "Masking", Config: map[string]any{"mask_value": 0.5}})
	require.NoError(t, err)
	m := l.(*Masking)
	require.NoError(t, m.Build(tensor.Shape{3, 2}, nil))
	y := m.Forward(tensor.FromSlice([]float32{1, 2, 0.5, 0.5, 0.5, 3}, 1, 3, 2), false)
	assert.Equal(t, []float32{1, 2, 0, 0, 0.5, 3}, y.Data)
	assert.Equal(t, []bool{true, false, true}, m.ComputeMask(nil))
	assert.Equal(t, []bool{false, false, true}, m.ComputeMask([]bool{false, true, true}))
	checkLayerGradients(t, m, tensor.Shape{2, 3, 2}, gradOpts{})
	assertLayerRoundTrip(t, m)
}
