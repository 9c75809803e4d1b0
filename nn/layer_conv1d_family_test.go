package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestConv1DFamilyGradients(t *testing.T) {
	for _, tc := range []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
	}{
		{"SeparableConv1D", map[string]any{"filters": 3, "kernel_size": 3, "depth_multiplier": 2}, tensor.Shape{2, 6, 2}},
		{"SeparableConv1D", map[string]any{"filters": 2, "kernel_size": 2, "padding": "same", "strides": 2, "data_format": "channels_first", "activation": "tanh"}, tensor.Shape{2, 3, 5}},
		{"DepthwiseConv1D", map[string]any{"kernel_size": 3, "depth_multiplier": 2, "padding": "same"}, tensor.Shape{2, 5, 2}},
		{"DepthwiseConv1D", map[string]any{"kernel_size": 2, "dilation_rate": 2, "activity_regularizer": "l2"}, tensor.Shape{1, 6, 3}},
		{"Conv1DTranspose", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2}, tensor.Shape{2, 3, 2}},
		{"Conv1DTranspose", map[string]any{"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1, "data_format": "channels_first"}, tensor.Shape{2, 2, 3}},
	} {
		t.Run(tc.class, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, tc.class, tc.cfg), tc.in, gradOpts{seed: 23})
		})
	}
}

// Keras's shapes: SeparableConv1D(8, 3) on (20, 4) gives (18, 8) with
// depthwise_kernel (3, 4, 1), pointwise_kernel (1, 4, 8), bias (8);
// DepthwiseConv1D(3, depth_multiplier=2) on (20, 4) gives (18, 8) with
// kernel (3, 4, 2); Conv1DTranspose(8, 3, strides=2) on (20, 4) gives
// (41, 8) with kernel (3, 8, 4).
func TestConv1DFamilyShapesAndConfig(t *testing.T) {
	for _, tc := range []struct {
		class   string
		cfg     map[string]any
		out     tensor.Shape
		weights []tensor.Shape
	}{
		{"SeparableConv1D", map[string]any{"filters": 8, "kernel_size": 3}, tensor.Shape{18, 8}, []tensor.Shape{{3, 4, 1}, {1, 4, 8}, {8}}},
		{"DepthwiseConv1D", map[string]any{"kernel_size": 3, "depth_multiplier": 2}, tensor.Shape{18, 8}, []tensor.Shape{{3, 4, 2}, {8}}},
		{"Conv1DTranspose", map[string]any{"filters": 8, "kernel_size": 3, "strides": 2}, tensor.Shape{41, 8}, []tensor.Shape{{3, 8, 4}, {8}}},
	} {
		t.Run(tc.class, func(t *testing.T) {
			l := mustLayer(t, tc.class, tc.cfg)
			out, err := l.OutputShape(tensor.Shape{20, 4})
			require.NoError(t, err)
			assert.Equal(t, tc.out, out)
			require.NoError(t, l.Build(tensor.Shape{20, 4}, tensor.NewRNG(1)))
			var shapes []tensor.Shape
			for _, p := range l.Params() {
				shapes = append(shapes, p.Value.Shape)
			}
			assert.Equal(t, tc.weights, shapes)
			c := l.Config().Config
			assert.Equal(t, []int{3}, c["kernel_size"])
			assertLayerRoundTrip(t, l)
		})
	}
	l := mustLayer(t, "SeparableConv1D", map[string]any{"filters": 2, "kernel_size": 2, "pointwise_regularizer": "l2",
		"depthwise_constraint": map[string]any{"class_name": "MaxNorm", "config": map[string]any{"axis": []any{0, 1}}}, "name": "sep1"})
	require.NoError(t, l.Build(tensor.Shape{5, 3}, tensor.NewRNG(1)))
	assert.NotNil(t, l.Params()[1].Regularizer, "the regularizer is on the 1-D pointwise kernel")
	assert.NotNil(t, l.Params()[0].Constraint)
	assertLayerRoundTrip(t, l)
	assert.Equal(t, "sep1", l.Config().Config["name"])

	msg := layerError(t, "SeparableConv1D", map[string]any{"kernel_size": 3})
	assert.Contains(t, msg, "SeparableConv1D")
	assert.NotContains(t, msg, "SeparableConv2D")
	assert.Contains(t, layerError(t, "DepthwiseConv1D", map[string]any{"kernel_size": 3, "padding": "causal"}), "causal")
	assert.Contains(t, layerError(t, "Conv1DTranspose", map[string]any{"filters": 1, "kernel_size": 3, "bogus": 1}), "bogus")
	_, err := mustLayer(t, "DepthwiseConv1D", map[string]any{"kernel_size": 3}).OutputShape(tensor.Shape{4, 4, 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "DepthwiseConv1D")
}

func TestConv1DFamilyStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "SeparableConv1D", map[string]any{"filters": 4, "kernel_size": 3, "padding": "same", "activation": "relu"})
	require.NoError(t, l.Build(tensor.Shape{8, 3}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 8, 3), true))
}
