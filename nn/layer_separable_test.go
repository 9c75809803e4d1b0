package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestSeparableConv2DGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"valid", map[string]any{"filters": 3, "kernel_size": 3}, tensor.Shape{2, 5, 5, 2}},
		{"multiplier_same_strided_relu", map[string]any{"filters": 2, "kernel_size": 2, "depth_multiplier": 2, "padding": "same", "strides": 2, "activation": "tanh"}, tensor.Shape{2, 5, 4, 2}},
		{"channels_first_no_bias", map[string]any{"filters": 2, "kernel_size": 2, "data_format": "channels_first", "use_bias": false}, tensor.Shape{2, 3, 4, 4}},
		{"activity", map[string]any{"filters": 2, "kernel_size": 2, "activity_regularizer": "l2"}, tensor.Shape{1, 3, 3, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "SeparableConv2D", tc.cfg), tc.in, gradOpts{seed: 17})
		})
	}
}

// Keras's summary of SeparableConv2D(64, 3) on (32, 32, 16): output
// (30, 30, 64), 3·3·16 + 16·64 + 64 = 1232 parameters.
func TestSeparableConv2DShapesConfigAndErrors(t *testing.T) {
	l := mustLayer(t, "SeparableConv2D", map[string]any{"filters": 64, "kernel_size": 3})
	out, err := l.OutputShape(tensor.Shape{32, 32, 16})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{30, 30, 64}, out)
	require.NoError(t, l.Build(tensor.Shape{32, 32, 16}, tensor.NewRNG(1)))
	assert.Equal(t, []string{"depthwise_kernel", "pointwise_kernel", "bias"}, paramNames(l.Params()))
	assert.Equal(t, tensor.Shape{1, 1, 16, 64}, l.Params()[1].Value.Shape)
	assert.Equal(t, 1232.0, LayerFootprint(l, tensor.Shape{32, 32, 16}).Weights)
	for name, cfg := range map[string]map[string]any{
		"defaults": {"filters": 2, "kernel_size": 3},
		"all": {"filters": 4, "kernel_size": []any{2, 3}, "strides": 2, "padding": "same", "depth_multiplier": 2, "data_format": "channels_first",
			"activation": "relu", "use_bias": false, "pointwise_regularizer": "l2", "depthwise_constraint": "non_neg", "name": "sep"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "SeparableConv2D", cfg)) })
	}
	assert.Contains(t, layerError(t, "SeparableConv2D", map[string]any{"kernel_size": 3}), "filters")
	assert.Contains(t, layerError(t, "SeparableConv2D", map[string]any{"filters": 1, "kernel_size": 3, "depth_multiplier": -1}), "depth_multiplier")
	_, err = mustLayer(t, "SeparableConv2D", map[string]any{"filters": 1, "kernel_size": 5}).OutputShape(tensor.Shape{3, 3, 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SeparableConv2D")
}

func TestSeparableConv2DStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "SeparableConv2D", map[string]any{"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"})
	require.NoError(t, l.Build(tensor.Shape{6, 6, 3}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 6, 6, 3), true))
}
