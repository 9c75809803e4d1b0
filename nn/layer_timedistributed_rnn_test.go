package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTimeDistributedRecurrentGradients: dx and every weight gradient of
// TimeDistributed over SimpleRNN, LSTM, GRU (both reset_after forms) and
// Bidirectional, on (batch, outer, timesteps, features) inputs, by central
// differences; with return_sequences, go_backwards and dropout (the masks
// reseeded before every evaluation).
func TestTimeDistributedRecurrentGradients(t *testing.T) {
	for _, c := range []struct {
		name  string
		class string
		cfg   map[string]any
		in    tensor.Shape
	}{
		{"LSTM", "LSTM", map[string]any{"units": 3}, tensor.Shape{2, 3, 4, 2}},
		{"LSTM_sequences_backwards", "LSTM", map[string]any{"units": 2, "return_sequences": true, "go_backwards": true}, tensor.Shape{2, 2, 3, 3}},
		{"SimpleRNN_sequences", "SimpleRNN", map[string]any{"units": 3, "return_sequences": true}, tensor.Shape{2, 3, 3, 2}},
		{"GRU", "GRU", map[string]any{"units": 2}, tensor.Shape{3, 2, 4, 2}},
		{"GRU_reset_before", "GRU", map[string]any{"units": 2, "reset_after": false, "return_sequences": true}, tensor.Shape{2, 2, 3, 2}},
		{"LSTM_dropout", "LSTM", map[string]any{"units": 2, "dropout": 0.3, "recurrent_dropout": 0.2}, tensor.Shape{2, 2, 3, 2}},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newTD(t, c.class, c.cfg, nil)
			o := gradOpts{seed: 7}
			if _, ok := c.cfg["dropout"]; ok {
				r := w.Layer().(*Recurrent)
				o.training = true
				o.beforeForward = func() { r.rng.Seed(5) }
			}
			checkLayerGradients(t, w, c.in, o)
		})
	}
	t.Run("Bidirectional", func(t *testing.T) {
		w := newTD(t, "Bidirectional", map[string]any{"layer": lstmCfg(2, map[string]any{"return_sequences": true})}, nil)
		checkLayerGradients(t, w, tensor.Shape{2, 2, 3, 2}, gradOpts{seed: 8})
	})
}

// TestTimeDistributedRecurrentIsTheLayerAtEveryOuterStep: Keras 3's
// definition, y[:, i] = layer(x[:, i]) for every outer step i with the same
// weights, each slice run from zero states: the wrapped LSTM against a plain
// LSTM run on each (batch, timesteps, features) slice alone.
func TestTimeDistributedRecurrentIsTheLayerAtEveryOuterStep(t *testing.T) {
	const B, O, T, F, U = 2, 3, 4, 2, 3
	for _, seq := range []bool{false, true} {
		cfg := map[string]any{"units": U, "return_sequences": seq}
		w := newTD(t, "LSTM", cfg, nil)
		require.NoError(t, w.Build(tensor.Shape{O, T, F}, tensor.NewRNG(1)))
		plain := mustLayer(t, "LSTM", cfg)
		require.NoError(t, plain.Build(tensor.Shape{T, F}, tensor.NewRNG(9)))
		for i, p := range plain.Params() {
			copy(p.Value.Data, w.Params()[i].Value.Data)
		}
		x := gradcheck.Random(B*O*T*F, -1, 1, 4)
		y := w.Forward(tensor.FromSlice(x, B, O, T, F), false)
		per := U
		if seq {
			per = T * U
			require.Equal(t, []int{B, O, T, U}, []int(y.Shape))
		} else {
			require.Equal(t, []int{B, O, U}, []int(y.Shape))
		}
		for i := range O {
			slice := make([]float32, 0, B*T*F)
			for b := range B {
				slice = append(slice, x[(b*O+i)*T*F:][:T*F]...)
			}
			step := plain.Forward(tensor.FromSlice(slice, B, T, F), false)
			for b := range B {
				assert.InDeltaSlice(t, step.Data[b*per:][:per], y.Data[(b*O+i)*per:][:per], 1e-6, "return_sequences=%v b=%d outer step %d", seq, b, i)
			}
		}
	}
}

// TestTimeDistributedRecurrentShapesAndRefusals: Keras's output shapes and
// parameter count (LSTM: 4·(units·(features+units)+units)); a stateful
// layer is refused (Keras 3 would carry its states from one outer step to
// the next), and so is a mask that would reach the wrapped recurrent layer.
func TestTimeDistributedRecurrentShapesAndRefusals(t *testing.T) {
	w := newTD(t, "LSTM", map[string]any{"units": 8}, map[string]any{"input_shape": []any{5, 10, 16}})
	out, err := w.OutputShape(tensor.Shape{5, 10, 16})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{5, 8}, out)
	require.NoError(t, w.Build(tensor.Shape{5, 10, 16}, tensor.NewRNG(1)))
	n := 0
	for _, p := range w.Params() {
		n += p.Value.Size()
	}
	assert.Equal(t, 4*(8*(16+8)+8), n)
	assertLayerRoundTrip(t, newTD(t, "GRU", map[string]any{"units": 2, "return_sequences": true}, nil))
	seq := newTD(t, "GRU", map[string]any{"units": 2, "return_sequences": true}, nil)
	out, err = seq.OutputShape(tensor.Shape{3, 4, 5})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{3, 4, 2}, out)
	_, err = seq.OutputShape(tensor.Shape{3, 4})
	require.Error(t, err, "a recurrent layer in TimeDistributed needs (outer, timesteps, features)")

	_, err = NewLayer(Config{ClassName: "TimeDistributed", Config: map[string]any{"layer": lstmCfg(2, map[string]any{"stateful": true, "batch_size": 2})}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "TimeDistributed over a stateful recurrent layer")
	assert.Equal(t, NotImplementedError, ErrorClass(err))

	_, err = OutputMasked(newTD(t, "LSTM", map[string]any{"units": 2}, nil), true)
	require.Error(t, err)
	assert.Equal(t, NotImplementedError, ErrorClass(err), err.Error())
}
