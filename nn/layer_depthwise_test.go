package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestDepthwiseConv2DGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"valid", map[string]any{"kernel_size": 3}, tensor.Shape{2, 5, 5, 2}},
		{"multiplier_same_strided", map[string]any{"kernel_size": 2, "depth_multiplier": 2, "padding": "same", "strides": 2, "activation": "tanh"}, tensor.Shape{2, 5, 4, 2}},
		{"dilated_no_bias", map[string]any{"kernel_size": 2, "dilation_rate": 2, "use_bias": false}, tensor.Shape{1, 5, 5, 3}},
		{"channels_first", map[string]any{"kernel_size": []any{2, 3}, "depth_multiplier": 3, "data_format": "channels_first"}, tensor.Shape{2, 2, 4, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "DepthwiseConv2D", tc.cfg), tc.in, gradOpts{seed: 13})
		})
	}
}

// Keras's summary of DepthwiseConv2D(3, depth_multiplier=2) on (28, 28, 8):
// output (26, 26, 16), 3·3·8·2 + 16 = 160 parameters.
func TestDepthwiseConv2DShapesConfigAndErrors(t *testing.T) {
	l := mustLayer(t, "DepthwiseConv2D", map[string]any{"kernel_size": 3, "depth_multiplier": 2})
	out, err := l.OutputShape(tensor.Shape{28, 28, 8})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{26, 26, 16}, out)
	require.NoError(t, l.Build(tensor.Shape{28, 28, 8}, tensor.NewRNG(1)))
	assert.Equal(t, []string{"depthwise_kernel", "bias"}, paramNames(l.Params()))
	assert.Equal(t, tensor.Shape{3, 3, 8, 2}, l.Params()[0].Value.Shape)
	assert.Equal(t, 160.0, LayerFootprint(l, tensor.Shape{28, 28, 8}).Weights)
	for name, cfg := range map[string]map[string]any{
		"defaults": {"kernel_size": 3},
		"all": {"kernel_size": []any{2, 3}, "strides": 2, "padding": "same", "depth_multiplier": 4, "data_format": "channels_first",
			"activation": "relu", "use_bias": false, "depthwise_regularizer": "l2", "depthwise_initializer": "he_normal", "name": "dw"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "DepthwiseConv2D", cfg)) })
	}
	assert.Contains(t, layerError(t, "DepthwiseConv2D", map[string]any{"kernel_size": 3, "depth_multiplier": 0}), "depth_multiplier")
	assert.Contains(t, layerError(t, "DepthwiseConv2D", map[string]any{"kernel_size": 3, "kernel_initializer": "ones"}), "kernel_initializer")
	assert.Contains(t, layerError(t, "DepthwiseConv2D", map[string]any{}), "kernel_size")
}

func TestDepthwiseConv2DStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "DepthwiseConv2D", map[string]any{"kernel_size": 3, "padding": "same", "activation": "relu"})
	require.NoError(t, l.Build(tensor.Shape{6, 6, 3}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 6, 6, 3), true))
}
