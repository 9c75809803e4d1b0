package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestActivationClassGradients(t *testing.T) {
	for i, name := range ActivationNames() {
		for _, in := range []tensor.Shape{{3, 4}, {2, 3, 2, 2}} {
			t.Run(name+shapeString(in...), func(t *testing.T) {
				l := mustLayer(t, "Activation", map[string]any{"activation": name})
				checkLayerGradients(t, l, in, gradOpts{training: true, seed: uint64(7 * i), input: awayFromZero})
			})
		}
	}
	t.Run("activity_regularizer", func(t *testing.T) {
		l := mustLayer(t, "Activation", map[string]any{"activation": "sigmoid", "activity_regularizer": quadReg{0.2}})
		checkLayerGradients(t, l, tensor.Shape{3, 4}, gradOpts{seed: 3})
	})
}

func TestActivationClassForward(t *testing.T) {
	l, err := NewActivationLayer("relu", nil)
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{3}, nil))
	y := l.Forward(tensor.FromSlice([]float32{-1, 0, 2, 3, -4, 0.5}, 2, 3), false)
	assert.Equal(t, tensor.Shape{2, 3}, y.Shape)
	assert.Equal(t, []float32{0, 0, 2, 3, 0, 0.5}, y.Data)
	assert.Empty(t, l.Params())
	out, err := l.OutputShape(tensor.Shape{5, -1})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{5, -1}, out)
}

func TestActivationClassConfig(t *testing.T) {
	l := mustLayer(t, "Activation", map[string]any{"activation": "softmax", "name": "act"})
	assert.JSONEq(t, `{"class_name": "Activation", "config": {"name": "act", "trainable": true, "dtype": "float32", "activation": "softmax"}}`,
		layerJSON(t, l.Config()))
	for _, name := range ActivationNames() {
		t.Run(name, func(t *testing.T) {
			assertLayerRoundTrip(t, mustLayer(t, "Activation", map[string]any{"activation": name, "input_shape": []any{784.0}}))
		})
	}
}

func TestActivationClassErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		want string
	}{
		{"missing", map[string]any{}, "Received: activation=None"},
		{"unknown", map[string]any{"activation": "rellu"}, `Received: activation="rellu"`},
		{"unknown_argument", map[string]any{"activation": "relu", "alpha": 0.1}, `unknown argument "alpha"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, layerError(t, "Activation", tt.cfg), tt.want)
		})
	}
	assert.Contains(t, layerError(t, "Activation", map[string]any{"activation": "rellu"}), "sigmoid", "lists the valid activations")
}

func TestActivationClassStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "Activation", map[string]any{"activation": "softmax"})
	require.NoError(t, l.Build(tensor.Shape{10}, nil))
	assert.Zero(t, stepAllocs(l, tensor.New(4, 10), true))
}
