package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTD(t *testing.T, class string, cfg map[string]any, opts map[string]any) *TimeDistributed {
	t.Helper()
	m := map[string]any{"layer": map[string]any{"class_name": class, "config": cfg}}
	for k, v := range opts {
		m[k] = v
	}
	l, err := NewLayer(Config{ClassName: "TimeDistributed", Config: m})
	require.NoError(t, err)
	return l.(*TimeDistributed)
}

// TestTimeDistributedGradients: dx and the wrapped layer's weight
// gradients by central differences, over Dense and Conv2D.
func TestTimeDistributedGradients(t *testing.T) {
	t.Run("Dense", func(t *testing.T) {
		w := newTD(t, "Dense", map[string]any{"units": 3, "activation": "tanh"}, nil)
		checkLayerGradients(t, w, tensor.Shape{2, 4, 3}, gradOpts{seed: 1})
	})
	t.Run("Conv2D", func(t *testing.T) {
		w := newTD(t, "Conv2D", map[string]any{"filters": 2, "kernel_size": []any{2, 2}, "activation": "sigmoid"}, nil)
		checkLayerGradients(t, w, tensor.Shape{2, 3, 4, 4, 2}, gradOpts{seed: 2})
	})
	t.Run("Dense_activity", func(t *testing.T) {
		w := newTD(t, "Dense", map[string]any{"units": 2, "activity_regularizer": map[string]any{"class_name": "L2", "config": map[string]any{"l2": 0.1}}},
			map[string]any{"activity_regularizer": map[string]any{"class_name": "L1", "config": map[string]any{"l1": 0.2}}})
		checkLayerGradients(t, w, tensor.Shape{2, 3, 2}, gradOpts{seed: 3})
	})
}

// TestTimeDistributedIsTheLayerAtEveryStep: Keras's definition, y[:, t] =
// layer(x[:, t]) with the same weights, checked against the layer run on
// each step alone.
func TestTimeDistributedIsTheLayerAtEveryStep(t *testing.T) {
	const B, T = 2, 3
	w := newTD(t, "Conv2D", map[string]any{"filters": 2, "kernel_size": 2}, nil)
	require.NoError(t, w.Build(tensor.Shape{T, 3, 3, 1}, tensor.NewRNG(1)))
	plain := mustLayer(t, "Conv2D", map[string]any{"filters": 2, "kernel_size": 2})
	require.NoError(t, plain.Build(tensor.Shape{3, 3, 1}, tensor.NewRNG(9)))
	for i, p := range plain.Params() {
		copy(p.Value.Data, w.Params()[i].Value.Data)
	}
	x := gradcheck.Random(B*T*9, -1, 1, 4)
	y := w.Forward(tensor.FromSlice(x, B, T, 3, 3, 1), false)
	require.Equal(t, []int{B, T, 2, 2, 2}, []int(y.Shape))
	for b := range B {
		for s := range T {
			step := plain.Forward(tensor.FromSlice(x[(b*T+s)*9:][:9], 1, 3, 3, 1), false)
			assert.InDeltaSlice(t, step.Data, y.Data[(b*T+s)*8:][:8], 1e-6, "b=%d t=%d", b, s)
		}
	}
}

// TestTimeDistributedShapesCountsConfig: Keras's output shape and summary
// count, the config round trip with the wrapped layer under "layer".
func TestTimeDistributedShapesCountsConfig(t *testing.T) {
	w := newTD(t, "Dense", map[string]any{"units": 8}, map[string]any{"input_shape": []any{10, 16}})
	out, err := w.OutputShape(tensor.Shape{10, 16})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{10, 8}, out)
	require.NoError(t, w.Build(tensor.Shape{10, 16}, tensor.NewRNG(1)))
	n := 0
	for _, p := range w.Params() {
		n += p.Value.Size()
	}
	assert.Equal(t, 16*8+8, n, "Keras: TimeDistributed(Dense(8)) on (10, 16) has 136 params")
	assertLayerRoundTrip(t, newTD(t, "Dense", map[string]any{"units": 8}, map[string]any{"input_shape": []any{10, 16}}))
	c := w.Config().Config["layer"].(map[string]any)
	assert.Equal(t, "Dense", c["class_name"])
	assert.Equal(t, "dense", c["config"].(map[string]any)["name"])
}

// TestTimeDistributedErrors: a recurrent layer, an input_shape on the
// wrapped layer and a missing layer are refused, each naming the fix.
func TestTimeDistributedErrors(t *testing.T) {
	for _, c := range []struct {
		m     map[string]any
		want  string
		class string
	}{
		{map[string]any{}, "layer", ValueError},
		{map[string]any{"layer": map[string]any{"class_name": "LSTM", "config": map[string]any{"units": 2, "stateful": true, "batch_input_shape": []any{2, 3, 2}}}}, "TimeDistributed over a stateful recurrent layer", NotImplementedError},
		{map[string]any{"layer": map[string]any{"class_name": "Dense", "config": map[string]any{"units": 2, "input_shape": []any{3}}}}, "input shape on the wrapper", ValueError},
		{map[string]any{"layer": map[string]any{"class_name": "Dence", "config": map[string]any{"units": 2}}}, "Dense", ValueError},
	} {
		_, err := NewLayer(Config{ClassName: "TimeDistributed", Config: c.m})
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		assert.Equal(t, c.class, ErrorClass(err), err.Error())
	}
	w := newTD(t, "Dense", map[string]any{"units": 2}, nil)
	_, err := w.OutputShape(tensor.Shape{4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "timesteps")
}

// TestTimeDistributedMask: a mask passes through a TimeDistributed Dense;
// into a TimeDistributed Conv2D it is refused, as Keras's compute_mask does.
func TestTimeDistributedMask(t *testing.T) {
	out, err := OutputMasked(newTD(t, "Dense", map[string]any{"units": 2}, nil), true)
	require.NoError(t, err)
	assert.True(t, out)
	_, err = OutputMasked(newTD(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 1}, nil), true)
	require.Error(t, err)
	assert.Equal(t, TypeError, ErrorClass(err))
}

// TestWrappersTakeTheWrappedLayersTrainable: a frozen wrapped layer makes
// the wrapper frozen (its weights are the wrapped layer's), as Keras's
// Bidirectional takes trainable from the layer; the wrapper's own wins.
func TestWrappersTakeTheWrappedLayersTrainable(t *testing.T) {
	frozen := map[string]any{"class_name": "Dense", "config": map[string]any{"units": 2, "trainable": false}}
	w := mustLayer(t, "TimeDistributed", map[string]any{"layer": frozen})
	assert.False(t, w.Base().Trainable)
	assert.True(t, w.Base().Frozen)
	b := mustLayer(t, "Bidirectional", map[string]any{"layer": lstmCfg(2, map[string]any{"trainable": false})})
	assert.False(t, b.Base().Trainable)
	b = mustLayer(t, "Bidirectional", map[string]any{"layer": lstmCfg(2, map[string]any{"trainable": false}), "trainable": true})
	assert.True(t, b.Base().Trainable)
	assertLayerRoundTrip(t, w)
}
