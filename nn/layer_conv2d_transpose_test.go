package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestConv2DTransposeGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"valid", map[string]any{"filters": 2, "kernel_size": 3}, tensor.Shape{2, 3, 3, 2}},
		{"same_s2_relu", map[string]any{"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "tanh"}, tensor.Shape{2, 3, 2, 2}},
		{"valid_s2_kernel_below_stride", map[string]any{"filters": 2, "kernel_size": 1, "strides": 2}, tensor.Shape{1, 3, 3, 2}},
		{"output_padding", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, tensor.Shape{1, 2, 3, 2}},
		{"dilated_channels_first", map[string]any{"filters": 2, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first", "use_bias": false}, tensor.Shape{2, 2, 3, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "Conv2DTranspose", tc.cfg), tc.in, gradOpts{seed: 19})
		})
	}
}

// Keras's output sizes (deconv_output_length) and parameter counts:
// Conv2DTranspose(16, 3, strides=2, padding="same") on (7, 7, 32) gives
// (14, 14, 16) with 3·3·16·32 + 16 = 4624 parameters; valid gives 15×15;
// output_padding=1 with valid gives 16×16.
func TestConv2DTransposeShapesConfigAndErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  map[string]any
		want tensor.Shape
	}{
		{map[string]any{"padding": "same"}, tensor.Shape{14, 14, 16}},
		{map[string]any{}, tensor.Shape{15, 15, 16}},
		{map[string]any{"output_padding": 1}, tensor.Shape{16, 16, 16}},
		{map[string]any{"padding": "same", "output_padding": []any{1, 0}}, tensor.Shape{14, 13, 16}},
	} {
		cfg := map[string]any{"filters": 16, "kernel_size": 3, "strides": 2}
		for k, v := range tc.cfg {
			cfg[k] = v
		}
		l := mustLayer(t, "Conv2DTranspose", cfg)
		out, err := l.OutputShape(tensor.Shape{7, 7, 32})
		require.NoError(t, err, "%v", tc.cfg)
		assert.Equal(t, tc.want, out, "%v", tc.cfg)
	}
	l := mustLayer(t, "Conv2DTranspose", map[string]any{"filters": 16, "kernel_size": 3, "strides": 2, "padding": "same"})
	require.NoError(t, l.Build(tensor.Shape{7, 7, 32}, tensor.NewRNG(1)))
	assert.Equal(t, tensor.Shape{3, 3, 16, 32}, l.Params()[0].Value.Shape, "Keras's (kh, kw, filters, in)")
	assert.Equal(t, 4624.0, LayerFootprint(l, tensor.Shape{7, 7, 32}).Weights)
	out, err := l.OutputShape(tensor.Shape{-1, 7, 32})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{-1, 14, 16}, out)
	for name, cfg := range map[string]map[string]any{
		"defaults": {"filters": 2, "kernel_size": 3},
		"all": {"filters": 4, "kernel_size": []any{2, 3}, "strides": 2, "padding": "same", "output_padding": []any{1, 0},
			"data_format": "channels_first", "activation": "relu", "use_bias": false, "kernel_regularizer": "l2", "name": "up"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "Conv2DTranspose", cfg)) })
	}
	assert.Contains(t, layerError(t, "Conv2DTranspose", map[string]any{"filters": 2, "kernel_size": 3, "output_padding": 1}), "output_padding")
	assert.Contains(t, layerError(t, "Conv2DTranspose", map[string]any{"filters": 2, "kernel_size": 3, "groups": 2}), "groups")
	assert.Contains(t, layerError(t, "Convolution2DTranspose", map[string]any{"kernel_size": 3}), "filters")
}

func TestConv2DTransposeStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "Conv2DTranspose", map[string]any{"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "activation": "relu"})
	require.NoError(t, l.Build(tensor.Shape{4, 4, 2}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 4, 4, 2), true))
}
