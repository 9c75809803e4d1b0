package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func lstmCfg(units int, extra map[string]any) map[string]any {
	m := map[string]any{"units": units}
	for k, v := range extra {
		m[k] = v
	}
	return map[string]any{"class_name": "LSTM", "config": m}
}

func newBi(t *testing.T, layer map[string]any, opts map[string]any) *Bidirectional {
	t.Helper()
	m := map[string]any{"layer": layer}
	for k, v := range opts {
		m[k] = v
	}
	l, err := NewLayer(Config{ClassName: "Bidirectional", Config: m})
	require.NoError(t, err)
	return l.(*Bidirectional)
}

// TestBidirectionalGradients: dx and every weight gradient by central
// differences, over the merge modes, return_sequences, the three cells and
// a mask.
func TestBidirectionalGradients(t *testing.T) {
	for _, class := range []string{"SimpleRNN", "LSTM", "GRU"} {
		for _, mode := range []string{"concat", "sum", "mul", "ave"} {
			for _, seq := range []bool{false, true} {
				name := class + "_" + mode
				if seq {
					name += "_sequences"
				}
				t.Run(name, func(t *testing.T) {
					w := newBi(t, map[string]any{"class_name": class, "config": map[string]any{"units": 3, "return_sequences": seq}},
						map[string]any{"merge_mode": mode})
					g := gradOpts{seed: 5}
					if class == "GRU" {
						// float32 noise: GRU alone shows up to ~1% over seeds.
						g.tol = 2e-2
					}
					checkLayerGradients(t, w, tensor.Shape{2, 4, 3}, g)
				})
			}
		}
	}
	t.Run("masked", func(t *testing.T) {
		w := newBi(t, lstmCfg(3, map[string]any{"return_sequences": true}), nil)
		w.SetMask([]bool{true, true, false, true, false, true, true, false})
		checkLayerGradients(t, w, tensor.Shape{2, 4, 2}, gradOpts{seed: 8})
	})
}

// TestBidirectionalIsForwardAndReversedBackward: Keras's definition, with
// two plain layers holding the same weights: concat(forward(x),
// reverse_time(backward(x))) where backward runs with go_backwards.
func TestBidirectionalIsForwardAndReversedBackward(t *testing.T) {
	const B, T, I, U = 2, 3, 2, 2
	w := newBi(t, lstmCfg(U, map[string]any{"return_sequences": true}), nil)
	require.NoError(t, w.Build(tensor.Shape{T, I}, tensor.NewRNG(1)))
	f := newTestRNN(t, "LSTM", U, map[string]any{"return_sequences": true})
	b := newTestRNN(t, "LSTM", U, map[string]any{"return_sequences": true, "go_backwards": true})
	require.NoError(t, f.Build(tensor.Shape{T, I}, tensor.NewRNG(2)))
	require.NoError(t, b.Build(tensor.Shape{T, I}, tensor.NewRNG(3)))
	ps := w.Params()
	require.Len(t, ps, 6)
	for i, p := range append(f.Params(), b.Params()...) {
		copy(p.Value.Data, ps[i].Value.Data)
	}
	x := tensor.FromSlice(gradcheck.Random(B*T*I, -1, 1, 5), B, T, I)
	y := w.Forward(x, false)
	yf, yb := f.Forward(x, false).Data, b.Forward(x, false).Data
	require.Equal(t, []int{B, T, 2 * U}, []int(y.Shape))
	for bi := range B {
		for ti := range T {
			assert.Equal(t, yf[(bi*T+ti)*U:][:U], y.Data[(bi*T+ti)*2*U:][:U], "forward half b=%d t=%d", bi, ti)
			assert.Equal(t, yb[(bi*T+T-1-ti)*U:][:U], y.Data[(bi*T+ti)*2*U+U:][:U], "backward half b=%d t=%d", bi, ti)
		}
	}
}

// TestBidirectionalWeightsAndCounts: Keras's summary count and get_weights
// order and names.
func TestBidirectionalWeightsAndCounts(t *testing.T) {
	w := newBi(t, lstmCfg(8, nil), nil)
	out, err := w.OutputShape(tensor.Shape{5, 10})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{16}, out)
	require.NoError(t, w.Build(tensor.Shape{5, 10}, tensor.NewRNG(1)))
	n := 0
	var names []string
	for _, p := range w.Params() {
		n += p.Value.Size()
		names = append(names, p.Name)
	}
	assert.Equal(t, 2*4*(8*(10+8)+8), n, "Keras: Bidirectional(LSTM(8)) on (5, 10) has 1216 params")
	assert.Equal(t, []string{"forward_lstm/kernel", "forward_lstm/recurrent_kernel", "forward_lstm/bias",
		"backward_lstm/kernel", "backward_lstm/recurrent_kernel", "backward_lstm/bias"}, names)
	gru := newBi(t, map[string]any{"class_name": "GRU", "config": map[string]any{"units": 4, "return_sequences": true}},
		map[string]any{"merge_mode": "sum"})
	out, err = gru.OutputShape(tensor.Shape{5, 3})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{5, 4}, out)
}

// TestBidirectionalConfigRoundTrip: Keras's layout, the wrapped layer's
// config under "layer" with its own name, backward_layer when given.
func TestBidirectionalConfigRoundTrip(t *testing.T) {
	w := newBi(t, lstmCfg(3, map[string]any{"return_sequences": true}), map[string]any{"merge_mode": "ave", "input_shape": []any{4, 2}})
	assertLayerRoundTrip(t, w)
	c := w.Config().Config
	assert.Equal(t, "ave", c["merge_mode"])
	inner := c["layer"].(map[string]any)
	assert.Equal(t, "LSTM", inner["class_name"])
	assert.Equal(t, "lstm", inner["config"].(map[string]any)["name"])
	assert.NotContains(t, c, "backward_layer")

	back := newBi(t, lstmCfg(3, nil), map[string]any{"backward_layer": lstmCfg(3, map[string]any{"go_backwards": true, "name": "back"})})
	assertLayerRoundTrip(t, back)
	assert.Contains(t, back.Config().Config, "backward_layer")
	_, bl := back.Layers()
	assert.Equal(t, "backward_back", bl.Name)
}

// TestBidirectionalInitialWeights: weights=[...] sets forward then backward.
func TestBidirectionalInitialWeights(t *testing.T) {
	ws := []any{}
	for i, n := range []int{2 * 1, 1 * 1, 1, 2 * 1, 1 * 1, 1} {
		row := []any{}
		for j := range n {
			row = append(row, float64(i*10+j))
		}
		ws = append(ws, row)
	}
	w := newBi(t, map[string]any{"class_name": "SimpleRNN", "config": map[string]any{"units": 1}}, map[string]any{"weights": ws})
	require.NoError(t, w.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	ps := w.Params()
	assert.Equal(t, []float32{0, 1}, ps[0].Value.Data)
	assert.Equal(t, []float32{30, 31}, ps[3].Value.Data)
	assert.Equal(t, []float32{50}, ps[5].Value.Data)

	short := newBi(t, map[string]any{"class_name": "SimpleRNN", "config": map[string]any{"units": 1}}, map[string]any{"weights": ws[:3]})
	err := short.Build(tensor.Shape{3, 2}, tensor.NewRNG(1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "holds 3 arrays, but the layer was expecting 6 weights")
}

// TestBidirectionalErrors: merge_mode None is NotImplementedError (two
// outputs), a typo gets the nearest name, a non-recurrent layer is refused.
func TestBidirectionalErrors(t *testing.T) {
	bad := func(m map[string]any) error {
		_, err := NewLayer(Config{ClassName: "Bidirectional", Config: m})
		require.Error(t, err)
		return err
	}
	err := bad(map[string]any{"layer": lstmCfg(2, nil), "merge_mode": nil})
	assert.Equal(t, NotImplementedError, ErrorClass(err))
	assert.Contains(t, err.Error(), "merge_mode")
	err = bad(map[string]any{"layer": lstmCfg(2, nil), "merge_mode": "concatt"})
	assert.Equal(t, ValueError, ErrorClass(err))
	assert.Contains(t, err.Error(), "concat")
	err = bad(map[string]any{"layer": map[string]any{"class_name": "Dense", "config": map[string]any{"units": 2}}})
	assert.Contains(t, err.Error(), "a recurrent layer")
	assert.Contains(t, err.Error(), "Dense")
	err = bad(map[string]any{})
	assert.Contains(t, err.Error(), "layer")
	err = bad(map[string]any{"layer": lstmCfg(2, nil), "backward_layer": lstmCfg(2, nil)})
	assert.Contains(t, err.Error(), "different go_backwards")
}

// TestBidirectionalStateful: both layers carry their states until reset.
func TestBidirectionalStateful(t *testing.T) {
	w := newBi(t, lstmCfg(2, map[string]any{"stateful": true}), map[string]any{"batch_input_shape": []any{1, 3, 2}})
	require.NoError(t, w.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	x := tensor.FromSlice(gradcheck.Random(6, -1, 1, 3), 1, 3, 2)
	a := append([]float32(nil), w.Forward(x, false).Data...)
	assert.NotEqual(t, a, w.Forward(x, false).Data)
	w.ResetStates()
	assert.Equal(t, a, w.Forward(x, false).Data)
	assert.True(t, w.IsStateful())
}

// TestBidirectionalZeroesMaskedOutputs: Keras's Bidirectional forces
// zero_output_for_mask with return_sequences; a plain layer repeats the
// previous output unless zero_output_for_mask is given.
func TestBidirectionalZeroesMaskedOutputs(t *testing.T) {
	mask := []bool{true, false, true}
	x := tensor.FromSlice(gradcheck.Random(6, -1, 1, 2), 1, 3, 2)
	w := newBi(t, lstmCfg(2, map[string]any{"return_sequences": true}), nil)
	require.NoError(t, w.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	w.SetMask(mask)
	y := w.Forward(x, false).Data
	assert.Equal(t, []float32{0, 0, 0, 0}, y[4:8], "step 1 is masked")
	assert.NotEqual(t, []float32{0, 0, 0, 0}, y[0:4])
	assertLayerRoundTrip(t, w)
	assert.NotContains(t, w.Config().Config["layer"].(map[string]any)["config"], "zero_output_for_mask")

	plain := newTestRNN(t, "GRU", 2, map[string]any{"return_sequences": true})
	require.NoError(t, plain.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	plain.SetMask(mask)
	p := plain.Forward(x, false).Data
	assert.Equal(t, p[0:2], p[2:4], "carried")
	zero := newTestRNN(t, "GRU", 2, map[string]any{"return_sequences": true, "zero_output_for_mask": true})
	require.NoError(t, zero.Build(tensor.Shape{3, 2}, tensor.NewRNG(1)))
	zero.SetMask(mask)
	assert.Equal(t, []float32{0, 0}, zero.Forward(x, false).Data[2:4])
	assertLayerRoundTrip(t, zero)
	checkLayerGradients(t, zero, tensor.Shape{2, 3, 2}, gradOpts{seed: 3, beforeForward: func() { zero.SetMask([]bool{true, false, true, false, true, true}) }})
}

// TestBidirectionalReadsKeras3Config: Keras 3 writes the forward layer
// (forward_lstm) as "layer" and always a backward_layer; the names are not
// prefixed twice.
func TestBidirectionalReadsKeras3Config(t *testing.T) {
	w := newBi(t, lstmCfg(2, map[string]any{"name": "forward_lstm", "zero_output_for_mask": false}),
		map[string]any{"backward_layer": lstmCfg(2, map[string]any{"name": "backward_lstm", "go_backwards": true})})
	f, b := w.Layers()
	assert.Equal(t, "forward_lstm", f.Name)
	assert.Equal(t, "backward_lstm", b.Name)
}
