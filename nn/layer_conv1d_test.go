package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestConv1DGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"valid", map[string]any{"filters": 2, "kernel_size": 3}, tensor.Shape{2, 6, 3}},
		{"same_relu", map[string]any{"filters": 3, "kernel_size": 2, "padding": "same", "activation": "tanh"}, tensor.Shape{2, 5, 2}},
		{"causal", map[string]any{"filters": 2, "kernel_size": 3, "padding": "causal"}, tensor.Shape{2, 5, 2}},
		{"causal_dilated", map[string]any{"filters": 2, "kernel_size": 2, "padding": "causal", "dilation_rate": 2}, tensor.Shape{1, 6, 2}},
		{"strided_no_bias", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2, "use_bias": false}, tensor.Shape{2, 7, 2}},
		{"channels_first_causal", map[string]any{"filters": 2, "kernel_size": 2, "padding": "causal", "data_format": "channels_first"}, tensor.Shape{2, 3, 5}},
		{"activity", map[string]any{"filters": 2, "kernel_size": 2, "activity_regularizer": "l2"}, tensor.Shape{2, 4, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "Conv1D", tc.cfg), tc.in, gradOpts{seed: 11})
		})
	}
}

// Keras's definition, written out: causal output t is
// Σ_j Σ_c x[t − d·(k−1) + d·j, c]·kernel[j, c, f] + bias[f], with x = 0 before
// the first step.
func TestConv1DCausalKerasFormula(t *testing.T) {
	l := mustLayer(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2})
	const steps, ch, k, d, f = 7, 2, 3, 2, 2
	require.NoError(t, l.Build(tensor.Shape{steps, ch}, tensor.NewRNG(1)))
	kernel, bias := l.Params()[0], l.Params()[1]
	require.Equal(t, tensor.Shape{k, ch, f}, kernel.Value.Shape)
	tensor.NewRNG(2).Uniform(kernel.Value.Data, -1, 1)
	tensor.NewRNG(3).Uniform(bias.Value.Data, -1, 1)
	x := tensor.New(2, steps, ch)
	tensor.NewRNG(4).Uniform(x.Data, -1, 1)
	y := l.Forward(x, false)
	require.Equal(t, tensor.Shape{2, steps, f}, y.Shape)
	for b := 0; b < 2; b++ {
		for s := 0; s < steps; s++ {
			for o := 0; o < f; o++ {
				want := float64(bias.Value.Data[o])
				for j := 0; j < k; j++ {
					src := s - d*(k-1) + d*j
					if src < 0 {
						continue
					}
					for c := 0; c < ch; c++ {
						want += float64(x.Data[(b*steps+src)*ch+c]) * float64(kernel.Value.Data[(j*ch+c)*f+o])
					}
				}
				assert.InDelta(t, want, float64(y.Data[(b*steps+s)*f+o]), 1e-5, "sample %d step %d filter %d", b, s, o)
			}
		}
	}
}

func TestConv1DShapesConfigAndErrors(t *testing.T) {
	l := mustLayer(t, "Conv1D", map[string]any{"filters": 32, "kernel_size": 3})
	out, err := l.OutputShape(tensor.Shape{100, 16})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{98, 32}, out)
	out, err = l.OutputShape(tensor.Shape{-1, 16})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{-1, 32}, out, "unknown steps stay unknown")
	require.NoError(t, l.Build(tensor.Shape{100, 16}, tensor.NewRNG(1)))
	assert.Equal(t, 3*16*32+32, l.Params()[0].Value.Size()+l.Params()[1].Value.Size(), "Keras's summary count")
	assert.Equal(t, float64(3*16*32+32), LayerFootprint(l, tensor.Shape{100, 16}).Weights)
	for name, cfg := range map[string]map[string]any{
		"same":   {"filters": 4, "kernel_size": []any{5}, "strides": 2, "padding": "same"},
		"causal": {"filters": 1, "kernel_size": 2, "padding": "causal", "dilation_rate": 4, "activation": "relu", "name": "c", "kernel_regularizer": "l2"},
		"first":  {"filters": 2, "kernel_size": 1, "data_format": "channels_first", "use_bias": false, "input_shape": []any{3, 10}},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "Conv1D", cfg)) })
	}
	c := mustLayer(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 3, "padding": "causal"}).Config().Config
	assert.Equal(t, []int{3}, c["kernel_size"])
	assert.Equal(t, "causal", c["padding"])
	assert.Contains(t, layerError(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 3, "padding": "full"}), `"causal"`)
	assert.Contains(t, layerError(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 3, "groups": 2}), "groups")
	assert.Contains(t, layerError(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": []any{3, 3}}), "kernel_size")
	assert.Contains(t, layerError(t, "Convolution1D", map[string]any{"kernel_size": 3}), "filters")
	_, err = mustLayer(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 5}).OutputShape(tensor.Shape{3, 2})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at least 5 steps")
	_, err = mustLayer(t, "Conv1D", map[string]any{"filters": 2, "kernel_size": 2}).OutputShape(tensor.Shape{3, 2, 2})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(steps, channels)")
}

func TestConv1DStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "Conv1D", map[string]any{"filters": 4, "kernel_size": 3, "padding": "causal", "activation": "relu"})
	require.NoError(t, l.Build(tensor.Shape{8, 3}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 8, 3), true))
}
