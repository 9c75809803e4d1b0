package sequential

import (
	"slices"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runningSumData makes n left-padded sequences of length steps over tokens
// 1..4 (values −2, −1, +1, +2) with 0 as padding, labelled 1 when their sum
// is positive (zero sums are redrawn).
func runningSumData(n, steps int, seed uint64) (*tensor.Tensor, *tensor.Tensor) {
	rng := tensor.NewRNG(seed)
	val := []int{0, -2, -1, 1, 2}
	x, y := tensor.New(n, steps), tensor.New(n, 1)
	for i := 0; i < n; {
		pad := int(rng.Float64() * float64(steps/2))
		sum := 0
		for t := range steps {
			tok := 0
			if t >= pad {
				tok = 1 + int(rng.Float64()*4)
			}
			x.Data[i*steps+t] = float32(tok)
			sum += val[tok]
		}
		if sum == 0 {
			continue
		}
		if sum > 0 {
			y.Data[i] = 1
		}
		i++
	}
	return x, y
}

func layer(t testing.TB, class string, cfg map[string]any) nn.Layer {
	t.Helper()
	l, err := nn.NewLayer(nn.Config{ClassName: class, Config: cfg})
	require.NoError(t, err)
	return l
}

// TestTextModelLearnsRunningSumSign: Embedding(mask_zero) → LSTM → Dense
// learns the sign of a sequence's sum to high accuracy; the mask makes the
// left padding invisible.
func TestTextModelLearnsRunningSumSign(t *testing.T) {
	x, y := runningSumData(2000, 10, 1)
	xt, yt := runningSumData(500, 10, 2)
	m, err := NewWithLayers("", 3,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 8, "mask_zero": true, "input_length": 10}),
		layer(t, "LSTM", map[string]any{"units": 16}),
		layer(t, "Dense", map[string]any{"units": 1, "activation": "sigmoid"}),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "binary_crossentropy", Metrics: []any{"accuracy"}}))
	o := quiet()
	o.Epochs = 15
	_, err = m.Fit(x, y, o)
	require.NoError(t, err)
	res, err := m.Evaluate(xt, yt, EvaluateOptions{BatchSize: 100})
	require.NoError(t, err)
	t.Logf("running-sum sign: test loss %.4f, accuracy %.4f", res[0], res[1])
	assert.GreaterOrEqual(t, res[1], 0.95)
}

// TestMaskReachesTheRecurrentLayer: with mask_zero, padding at the start
// changes nothing (the masked steps carry the zero initial state).
func TestMaskReachesTheRecurrentLayer(t *testing.T) {
	for _, class := range []string{"SimpleRNN", "LSTM", "GRU"} {
		m, err := NewWithLayers("", 3,
			layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "mask_zero": true, "input_length": 4}),
			layer(t, "Dense", map[string]any{"units": 3}), // passes the mask on
			layer(t, class, map[string]any{"units": 2}),
		)
		require.NoError(t, err)
		padded, err := m.Predict(tensor.FromSlice([]float32{0, 0, 3, 1}, 1, 4), 1)
		require.NoError(t, err)
		p := slices.Clone(padded.Data)
		mid, err := m.Predict(tensor.FromSlice([]float32{0, 3, 0, 1}, 1, 4), 1)
		require.NoError(t, err)
		assert.InDeltaSlice(t, p, mid.Data, 1e-6, class)
		other, err := m.Predict(tensor.FromSlice([]float32{1, 1, 3, 1}, 1, 4), 1)
		require.NoError(t, err)
		assert.NotEqual(t, p, other.Data, class)
	}
}

// TestStatefulLSTMKeepsStateUntilReset is the study note's example:
// LSTM(32, batch_size=32, input_shape=(6, 8), stateful=True) carries its
// state from batch to batch until reset_states().
func TestStatefulLSTMKeepsStateUntilReset(t *testing.T) {
	m, err := NewWithLayers("", 3,
		layer(t, "LSTM", map[string]any{"units": 32, "batch_size": 32, "input_shape": []any{6, 8}, "stateful": true}))
	require.NoError(t, err)
	x := tensor.New(32, 6, 8)
	for i := range x.Data {
		x.Data[i] = float32(i%7) / 7
	}
	first, err := m.Predict(x, 32)
	require.NoError(t, err)
	a := slices.Clone(first.Data)
	second, err := m.Predict(x, 32)
	require.NoError(t, err)
	assert.NotEqual(t, a, second.Data, "the second batch starts from the first's last state")
	m.ResetStates()
	third, err := m.Predict(x, 32)
	require.NoError(t, err)
	assert.Equal(t, a, third.Data, "after reset_states the state is zeros again")
	assert.Equal(t, 4*(32*(8+32)+32), len(m.GetWeights()[0].Data)+len(m.GetWeights()[1].Data)+len(m.GetWeights()[2].Data))
}
