package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPReLUAndThresholdedReLUGradients(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
	}{
		{"PReLU", map[string]any{}, tensor.Shape{3, 4}},
		{"PReLU", map[string]any{"shared_axes": []int{1, 2}}, tensor.Shape{2, 3, 3, 2}},
		{"PReLU", map[string]any{"shared_axes": 2, "alpha_regularizer": "l2"}, tensor.Shape{2, 3, 4}},
		{"PReLU", map[string]any{"activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 2, 3}},
		{"ThresholdedReLU", map[string]any{}, tensor.Shape{3, 5}},
		{"ThresholdedReLU", map[string]any{"theta": 0.5, "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 3, 2}},
	}
	for i, tt := range tests {
		t.Run(tt.class+shapeString(tt.in...), func(t *testing.T) {
			// Inputs 0.05 apart, none within a step of 0 or of theta 0.5 or 1.
			input := func(n int, seed uint64) []float32 {
				v := distinctInputs(n, seed)
				for j := range v {
					v[j] += 0.0125
				}
				return v
			}
			checkLayerGradients(t, mustLayer(t, tt.class, tt.cfg), tt.in, gradOpts{seed: uint64(i), input: input, h: 1e-3})
		})
	}
}

func TestPReLUByHand(t *testing.T) {
	p := mustLayer(t, "PReLU", map[string]any{"shared_axes": []int{1}})
	require.NoError(t, p.Build(tensor.Shape{2, 2}, tensor.NewRNG(1)))
	alpha := p.Params()[0]
	assert.Equal(t, "alpha", alpha.Name)
	assert.Equal(t, tensor.Shape{1, 2}, alpha.Value.Shape, "shared along axis 1: one alpha per column")
	assert.Equal(t, []float32{0, 0}, alpha.Value.Data, "alpha_initializer defaults to zeros")
	copy(alpha.Value.Data, []float32{0.1, 0.5})
	x := tensor.FromSlice([]float32{-1, -2, 3, -4}, 1, 2, 2)
	y := p.Forward(x, true)
	assert.InDeltaSlice(t, []float32{-0.1, -1, 3, -2}, y.Data, 1e-6)
	p.Backward(tensor.FromSlice([]float32{1, 1, 1, 1}, 1, 2, 2), false)
	assert.InDeltaSlice(t, []float32{-1, -6}, alpha.Grad.Data, 1e-6, "dalpha sums min(x, 0) over the shared axis")

	th := mustLayer(t, "ThresholdedReLU", nil)
	y = th.Forward(tensor.FromSlice([]float32{0.5, 1, 1.5, -2}, 1, 4), false)
	assert.Equal(t, []float32{0, 0, 1.5, 0}, y.Data, "x > theta = 1 passes")
}

func TestPReLUShapesAndCounts(t *testing.T) {
	for _, tc := range []struct {
		cfg    map[string]any
		in     tensor.Shape
		params int
	}{
		{nil, tensor.Shape{10}, 10},
		{map[string]any{"shared_axes": []int{1, 2}}, tensor.Shape{28, 28, 32}, 32},
		{map[string]any{"shared_axes": []int{1}}, tensor.Shape{-1, 8}, 8},
	} {
		l := mustLayer(t, "PReLU", tc.cfg)
		require.NoError(t, l.Build(tc.in, tensor.NewRNG(1)))
		assert.Equal(t, tc.params, l.Params()[0].Value.Size(), "%v %v", tc.cfg, tc.in)
		assert.Equal(t, float64(tc.params), LayerFootprint(l, tc.in).Weights)
	}
	_, err := mustLayer(t, "PReLU", nil).OutputShape(tensor.Shape{-1, 8})
	assert.ErrorContains(t, err, "add it to shared_axes")
	_, err = mustLayer(t, "PReLU", map[string]any{"shared_axes": 3}).OutputShape(tensor.Shape{4, 8})
	assert.ErrorContains(t, err, "axis 3 for shared_axes [3]")
}

func TestPReLUConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "PReLU", "config": {"name": "", "trainable": true, "dtype": "float32",
		"alpha_initializer": {"class_name": "Zeros", "config": {}}, "alpha_regularizer": null, "alpha_constraint": null, "shared_axes": null}}`,
		layerJSON(t, mustLayer(t, "PReLU", nil).Config()))
	assert.JSONEq(t, `{"class_name": "ThresholdedReLU", "config": {"name": "", "trainable": true, "dtype": "float32", "theta": 1}}`,
		layerJSON(t, mustLayer(t, "thresholded_re_lu", nil).Config()))
	for _, tc := range []struct {
		class string
		cfg   map[string]any
	}{
		{"PReLU", map[string]any{"shared_axes": []int{1, 2}, "alpha_initializer": "ones", "alpha_constraint": "non_neg", "alpha_regularizer": "l1"}},
		{"PReLU", map[string]any{"shared_axes": 1}},
		{"ThresholdedReLU", map[string]any{"theta": 0.25}},
	} {
		t.Run(tc.class, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, tc.class, tc.cfg)) })
	}
}

func TestPReLUAndThresholdedReLUErrors(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		want  string
	}{
		{"PReLU", map[string]any{"shared_axes": []int{0}}, "Received: shared_axes=[0]"},
		{"PReLU", map[string]any{"shared_axes": "all"}, `Received: shared_axes="all"`},
		{"PReLU", map[string]any{"alpha_initializer": "zeroes"}, `Received: alpha_initializer="zeroes"`},
		{"ThresholdedReLU", map[string]any{"theta": -1}, "Received: theta=-1"},
		{"ThresholdedReLU", map[string]any{"theta": nil}, "cannot be None"},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) { assert.Contains(t, layerError(t, tt.class, tt.cfg), tt.want) })
	}
}
