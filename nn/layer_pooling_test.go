package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPoolingGradients(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
	}{
		{"AveragePooling2D", map[string]any{}, tensor.Shape{2, 4, 6, 2}},
		{"AveragePooling2D", map[string]any{"pool_size": 3, "strides": 2, "padding": "same"}, tensor.Shape{1, 5, 6, 2}},
		{"AveragePooling2D", map[string]any{"pool_size": []int{2, 3}, "strides": 1, "data_format": "channels_first"}, tensor.Shape{2, 3, 4, 5}},
		{"AveragePooling2D", map[string]any{"activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 4, 4, 2}},
		{"MaxPooling1D", map[string]any{}, tensor.Shape{2, 7, 3}},
		{"MaxPooling1D", map[string]any{"pool_size": 3, "strides": 1, "padding": "same"}, tensor.Shape{2, 5, 2}},
		{"MaxPooling1D", map[string]any{"pool_size": 2, "data_format": "channels_first"}, tensor.Shape{2, 3, 6}},
		{"AveragePooling1D", map[string]any{}, tensor.Shape{2, 6, 3}},
		{"AveragePooling1D", map[string]any{"pool_size": []int{3}, "strides": []int{2}, "padding": "same"}, tensor.Shape{2, 6, 2}},
		{"AveragePooling1D", map[string]any{"data_format": "channels_first", "padding": "same"}, tensor.Shape{2, 3, 5}},
		{"GlobalAveragePooling2D", map[string]any{}, tensor.Shape{2, 3, 4, 2}},
		{"GlobalAveragePooling2D", map[string]any{"keepdims": true, "data_format": "channels_first"}, tensor.Shape{2, 3, 2, 4}},
		{"GlobalMaxPooling2D", map[string]any{}, tensor.Shape{2, 3, 4, 2}},
		{"GlobalMaxPooling2D", map[string]any{"keepdims": true}, tensor.Shape{2, 3, 3, 2}},
		{"GlobalMaxPooling2D", map[string]any{"data_format": "channels_first"}, tensor.Shape{2, 2, 3, 3}},
		{"GlobalAveragePooling1D", map[string]any{}, tensor.Shape{2, 5, 3}},
		{"GlobalAveragePooling1D", map[string]any{"data_format": "channels_first", "keepdims": true}, tensor.Shape{2, 3, 5}},
		{"GlobalMaxPooling1D", map[string]any{}, tensor.Shape{2, 5, 3}},
		{"GlobalMaxPooling1D", map[string]any{"data_format": "channels_first", "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 3, 4}},
	}
	for i, tt := range tests {
		t.Run(tt.class+shapeString(tt.in...), func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, tt.class, tt.cfg), tt.in, gradOpts{seed: uint64(i), input: distinctInputs})
		})
	}
}

func TestAveragePoolingByHand(t *testing.T) {
	// x is one 3×3 single-channel image:
	//   1 5 2
	//   4 3 9
	//   7 8 6
	x := tensor.FromSlice([]float32{1, 5, 2, 4, 3, 9, 7, 8, 6}, 1, 3, 3, 1)
	// 'same' 2×2 stride 2 pads bottom and right; padding is not counted:
	// (1+5+4+3)/4, (2+9)/2, (7+8)/2, 6/1.
	p := mustLayer(t, "AveragePooling2D", map[string]any{"padding": "same"})
	require.NoError(t, p.Build(tensor.Shape{3, 3, 1}, nil))
	y := p.Forward(x, false)
	assert.Equal(t, tensor.Shape{1, 2, 2, 1}, y.Shape)
	assert.InDeltaSlice(t, []float32{3.25, 5.5, 7.5, 6}, y.Data, 1e-6)
	dx := p.Backward(tensor.FromSlice([]float32{4, 2, 2, 1}, 1, 2, 2, 1), true)
	assert.InDeltaSlice(t, []float32{1, 1, 1, 1, 1, 1, 1, 1, 1}, dx.Data, 1e-6)

	// MaxPooling1D over steps (1, 5, 9, 2) with one channel, pool 2.
	m := mustLayer(t, "MaxPooling1D", nil)
	y = m.Forward(tensor.FromSlice([]float32{1, 5, 9, 2}, 1, 4, 1), false)
	assert.Equal(t, tensor.Shape{1, 2, 1}, y.Shape)
	assert.Equal(t, []float32{5, 9}, y.Data)

	// Global pooling over the 3×3 image: mean 5, max 9.
	g := mustLayer(t, "GlobalAveragePooling2D", nil)
	assert.InDeltaSlice(t, []float32{5}, g.Forward(x, false).Data, 1e-6)
	gm := mustLayer(t, "GlobalMaxPooling2D", map[string]any{"keepdims": true})
	y = gm.Forward(x, false)
	assert.Equal(t, tensor.Shape{1, 1, 1, 1}, y.Shape)
	assert.Equal(t, []float32{9}, y.Data)
}

func TestPoolingShapes(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
		want  tensor.Shape
	}{
		{"AveragePooling2D", nil, tensor.Shape{5, 7, 3}, tensor.Shape{2, 3, 3}},
		{"AveragePooling2D", map[string]any{"padding": "same"}, tensor.Shape{5, 7, 3}, tensor.Shape{3, 4, 3}},
		{"AveragePooling2D", map[string]any{"data_format": "channels_first"}, tensor.Shape{3, 8, 6}, tensor.Shape{3, 4, 3}},
		{"MaxPooling1D", nil, tensor.Shape{9, 4}, tensor.Shape{4, 4}},
		{"MaxPooling1D", map[string]any{"padding": "same"}, tensor.Shape{9, 4}, tensor.Shape{5, 4}},
		{"AveragePooling1D", map[string]any{"pool_size": 3, "strides": 1}, tensor.Shape{-1, 4}, tensor.Shape{-1, 4}},
		{"AveragePooling1D", map[string]any{"data_format": "channels_first"}, tensor.Shape{4, 9}, tensor.Shape{4, 4}},
		{"GlobalAveragePooling2D", nil, tensor.Shape{7, 7, 32}, tensor.Shape{32}},
		{"GlobalAveragePooling2D", map[string]any{"keepdims": true}, tensor.Shape{7, 7, 32}, tensor.Shape{1, 1, 32}},
		{"GlobalMaxPooling2D", map[string]any{"keepdims": true, "data_format": "channels_first"}, tensor.Shape{32, 7, 7}, tensor.Shape{32, 1, 1}},
		{"GlobalMaxPooling1D", nil, tensor.Shape{-1, 8}, tensor.Shape{8}},
		{"GlobalAveragePooling1D", map[string]any{"keepdims": true}, tensor.Shape{10, 8}, tensor.Shape{1, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.class+shapeString(tt.in...), func(t *testing.T) {
			out, err := mustLayer(t, tt.class, tt.cfg).OutputShape(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
		})
	}
	_, err := mustLayer(t, "MaxPooling1D", nil).OutputShape(tensor.Shape{4, 4, 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected (steps, channels)")
	_, err = mustLayer(t, "AveragePooling1D", map[string]any{"pool_size": 5}).OutputShape(tensor.Shape{3, 2})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pool_size [5]")
	_, err = mustLayer(t, "GlobalAveragePooling2D", nil).OutputShape(tensor.Shape{4, 4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected (height, width, channels)")
}

func TestPoolingConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "MaxPooling1D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"pool_size": [2], "padding": "valid", "strides": [2], "data_format": "channels_last"}}`,
		layerJSON(t, mustLayer(t, "MaxPool1D", nil).Config()))
	assert.JSONEq(t, `{"class_name": "GlobalAveragePooling2D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"data_format": "channels_last", "keepdims": false}}`,
		layerJSON(t, mustLayer(t, "global_average_pooling2d", nil).Config()))
	for _, tc := range []struct {
		class string
		cfg   map[string]any
	}{
		{"AveragePooling2D", map[string]any{"pool_size": 3, "strides": []int{1, 2}, "padding": "same"}},
		{"AvgPool2D", map[string]any{"data_format": "channels_first", "name": "pool"}},
		{"MaxPooling1D", map[string]any{"pool_size": []int{3}, "strides": nil}},
		{"AveragePooling1D", map[string]any{"strides": 1, "data_format": "channels_first"}},
		{"GlobalMaxPooling1D", map[string]any{"keepdims": true}},
		{"GlobalAvgPool1D", nil},
		{"GlobalMaxPool2D", map[string]any{"data_format": "channels_first"}},
	} {
		t.Run(tc.class, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, tc.class, tc.cfg)) })
	}
}

func TestPoolingErrors(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		want  string
	}{
		{"AveragePooling2D", map[string]any{"pool_size": 0}, "Received: pool_size=[0,0]"},
		{"MaxPooling1D", map[string]any{"pool_size": []int{2, 2}}, "Received: pool_size=[2,2]"},
		{"AveragePooling1D", map[string]any{"strides": 0}, "Received: strides=0"},
		{"AveragePooling1D", map[string]any{"padding": "causal"}, `Received: padding="causal"`},
		{"GlobalMaxPooling2D", map[string]any{"keepdims": "yes"}, `Received: keepdims="yes"`},
		{"GlobalAveragePooling1D", map[string]any{"data_format": "nhwc"}, `Received: data_format="nhwc"`},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) { assert.Contains(t, layerError(t, tt.class, tt.cfg), tt.want) })
	}
}

func TestPoolingStepAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		class string
		cfg   map[string]any
		x     *tensor.Tensor
	}{
		{"AveragePooling2D", map[string]any{"data_format": "channels_first"}, tensor.New(2, 3, 4, 4)},
		{"MaxPooling1D", nil, tensor.New(2, 6, 3)},
		{"GlobalMaxPooling2D", nil, tensor.New(2, 4, 4, 3)},
		{"GlobalAveragePooling1D", nil, tensor.New(2, 4, 3)},
	} {
		t.Run(tc.class, func(t *testing.T) { assert.Zero(t, stepAllocs(mustLayer(t, tc.class, tc.cfg), tc.x, true)) })
	}
}
