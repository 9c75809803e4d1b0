package nn

import (
	"slices"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestRNN(t *testing.T, class string, units int, opts map[string]any) *Recurrent {
	t.Helper()
	m := map[string]any{"units": units}
	for k, v := range opts {
		m[k] = v
	}
	l, err := NewLayer(Config{ClassName: class, Config: m})
	require.NoError(t, err)
	return l.(*Recurrent)
}

// TestRecurrentGradients checks dx and every weight gradient of the three
// cells over each option by central differences.
func TestRecurrentGradients(t *testing.T) {
	opts := []struct {
		name string
		m    map[string]any
	}{
		{"last", nil},
		{"sequences", map[string]any{"return_sequences": true}},
		{"backwards", map[string]any{"go_backwards": true, "return_sequences": true}},
		{"no_bias", map[string]any{"use_bias": false}},
		{"relu_hard_sigmoid", map[string]any{"activation": "softsign", "recurrent_activation": "hard_sigmoid"}},
		{"dropout", map[string]any{"dropout": 0.3, "recurrent_dropout": 0.4, "return_sequences": true}},
	}
	for _, class := range []string{"SimpleRNN", "LSTM", "GRU"} {
		for _, o := range opts {
			for _, resetAfter := range []bool{true, false} {
				if class != "GRU" && !resetAfter {
					continue
				}
				name := class + "_" + o.name
				m := map[string]any{}
				for k, v := range o.m {
					m[k] = v
				}
				if class == "SimpleRNN" {
					delete(m, "recurrent_activation")
				}
				if class == "GRU" {
					m["reset_after"] = resetAfter
					if !resetAfter {
						name += "_reset_before"
					}
				}
				t.Run(name, func(t *testing.T) {
					r := newTestRNN(t, class, 3, m)
					g := gradOpts{training: true, seed: 5}
					if r.Dropout > 0 {
						g.beforeForward = func() { r.rng.Seed(11) }
					}
					checkLayerGradients(t, r, tensor.Shape{2, 4, 3}, g)
				})
			}
		}
	}
}

// TestRecurrentMaskedGradients: masked steps carry the state; the gradient
// check runs with a mask that hides steps in the middle and at the end.
func TestRecurrentMaskedGradients(t *testing.T) {
	mask := []bool{true, false, true, true, true, true, false, false}
	for _, class := range []string{"SimpleRNN", "LSTM", "GRU"} {
		for _, seq := range []bool{false, true} {
			t.Run(class, func(t *testing.T) {
				r := newTestRNN(t, class, 3, map[string]any{"return_sequences": seq, "go_backwards": seq})
				r.SetMask(mask)
				checkLayerGradients(t, r, tensor.Shape{2, 4, 2}, gradOpts{seed: 9})
			})
		}
	}
}

// TestRecurrentStatefulGradients: with carried states the gradient of this
// batch (states held fixed) is right too.
func TestRecurrentStatefulGradients(t *testing.T) {
	for _, class := range []string{"SimpleRNN", "LSTM", "GRU"} {
		t.Run(class, func(t *testing.T) {
			r := newTestRNN(t, class, 3, map[string]any{"stateful": true, "batch_input_shape": []any{2, 3, 2}})
			h := gradcheck.Random(6, -1, 1, 3)
			c := gradcheck.Random(6, -1, 1, 4)
			checkLayerGradients(t, r, tensor.Shape{2, 3, 2}, gradOpts{seed: 2, beforeForward: func() {
				r.state[0] = append(r.state[0][:0], h...)
				r.state[1] = append(r.state[1][:0], c...)
			}})
		})
	}
}

// TestRecurrentMaskCarriesState: a masked step leaves h as it was, and the
// output at a masked step repeats the previous one.
func TestRecurrentMaskCarriesState(t *testing.T) {
	r := newTestRNN(t, "LSTM", 2, map[string]any{"return_sequences": true})
	require.NoError(t, r.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	x := tensor.FromSlice(gradcheck.Random(6, -1, 1, 8), 1, 3, 2)
	r.SetMask([]bool{true, false, true})
	y := slices.Clone(r.Forward(x, false).Data)
	assert.Equal(t, y[0:2], y[2:4], "step 1 is masked: its output is step 0's")
	r.SetMask(nil)
	short := slices.Clone(r.Forward(tensor.FromSlice([]float32{x.Data[0], x.Data[1], x.Data[4], x.Data[5]}, 1, 2, 2), false).Data)
	r.SetMask([]bool{true, false, true})
	y = r.Forward(x, false).Data
	assert.InDeltaSlice(t, short[2:4], y[4:6], 1e-6, "skipping step 1 equals the sequence without it")
}

// TestRecurrentParamCounts: Keras's summary counts.
func TestRecurrentParamCounts(t *testing.T) {
	count := func(l Layer) int {
		n := 0
		for _, p := range l.Params() {
			n += p.Value.Size()
		}
		return n
	}
	in, units := 8, 32
	for _, c := range []struct {
		class string
		opts  map[string]any
		want  int
	}{
		{"LSTM", nil, 4 * (units*(in+units) + units)},
		{"GRU", nil, 3 * (units*(in+units) + 2*units)},
		{"GRU", map[string]any{"reset_after": false}, 3 * (units*(in+units) + units)},
		{"SimpleRNN", nil, units*(in+units) + units},
	} {
		r := newTestRNN(t, c.class, units, c.opts)
		require.NoError(t, r.Build(tensor.Shape{6, in}, tensor.NewRNG(1)))
		assert.Equal(t, c.want, count(r), c.class)
	}
}

// TestLSTMUnitForgetBias: the forget gate's bias starts at 1.
func TestLSTMUnitForgetBias(t *testing.T) {
	r := newTestRNN(t, "LSTM", 2, nil)
	require.NoError(t, r.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	assert.Equal(t, []float32{0, 0, 1, 1, 0, 0, 0, 0}, r.bias.Value.Data)
}

func TestRecurrentConfigRoundTrip(t *testing.T) {
	for _, c := range []Config{
		{ClassName: "LSTM", Config: map[string]any{"units": 4, "return_sequences": true, "dropout": 0.2, "go_backwards": true}},
		{ClassName: "GRU", Config: map[string]any{"units": 3, "reset_after": false, "stateful": true, "batch_input_shape": []any{4, 5, 2}}},
		{ClassName: "SimpleRNN", Config: map[string]any{"units": 2, "activation": "relu", "unroll": true}},
	} {
		l, err := NewLayer(c)
		require.NoError(t, err)
		assertLayerRoundTrip(t, l)
	}
}

func TestRecurrentErrors(t *testing.T) {
	for _, c := range []struct {
		class string
		m     map[string]any
		want  string
	}{
		{"LSTM", map[string]any{}, "units"},
		{"LSTM", map[string]any{"units": 0}, "units"},
		{"GRU", map[string]any{"units": 2, "dropout": 1.5}, "dropout"},
		{"LSTM", map[string]any{"units": 2, "return_state": true}, "return_state"},
		{"LSTM", map[string]any{"units": 2, "time_major": true}, "time_major"},
	} {
		_, err := NewLayer(Config{ClassName: c.class, Config: c.m})
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
	}
	// A stateful layer without a fixed batch size is refused by the model
	// (sequential/states_test.go), which knows the input's batch size.
	r := newTestRNN(t, "LSTM", 2, nil)
	_, err := r.OutputShape(tensor.Shape{3})
	require.Error(t, err)
}
