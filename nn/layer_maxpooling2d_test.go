package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMaxPooling2DGradients(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"pool2_valid", map[string]any{}, tensor.Shape{2, 4, 6, 2}},
		{"pool2_valid_odd", map[string]any{}, tensor.Shape{2, 5, 5, 2}},
		{"pool3_s2_valid", map[string]any{"pool_size": 3, "strides": 2}, tensor.Shape{2, 7, 6, 2}},
		{"pool2_s1_overlap", map[string]any{"pool_size": 2, "strides": 1}, tensor.Shape{1, 4, 4, 3}},
		{"pool2_same_odd", map[string]any{"padding": "same"}, tensor.Shape{2, 5, 3, 2}},
		{"pool3_s2_same", map[string]any{"pool_size": 3, "strides": 2, "padding": "same"}, tensor.Shape{1, 6, 7, 2}},
		{"pool2x3_s12_same", map[string]any{"pool_size": []int{2, 3}, "strides": []int{1, 2}, "padding": "same"}, tensor.Shape{2, 4, 5, 2}},
		{"channels_first", map[string]any{"pool_size": []int{2, 3}, "data_format": "channels_first"}, tensor.Shape{2, 3, 4, 6}},
		{"activity_regularizer", map[string]any{"activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 4, 4, 2}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "MaxPooling2D", tt.cfg), tt.in, gradOpts{seed: uint64(i), input: distinctInputs})
		})
	}
}

func TestMaxPooling2DForwardByHand(t *testing.T) {
	// x is one 3×3 single-channel image:
	//   1 5 2
	//   4 3 9
	//   7 8 6
	x := tensor.FromSlice([]float32{1, 5, 2, 4, 3, 9, 7, 8, 6}, 1, 3, 3, 1)
	tests := []struct {
		name string
		opts map[string]any
		want []float32
		out  tensor.Shape
	}{
		// valid 2×2 stride 2: one window, rows/cols 0..1: max(1, 5, 4, 3) = 5.
		{"valid", nil, []float32{5}, tensor.Shape{1, 1, 1, 1}},
		// same 2×2 stride 2: OH = 2, padding at the bottom/right:
		// max(1,5,4,3) = 5; max(2,9) = 9; max(7,8) = 8; max(6) = 6.
		{"same", map[string]any{"padding": "same"}, []float32{5, 9, 8, 6}, tensor.Shape{1, 2, 2, 1}},
		// valid 2×2 stride 1: max(1,5,4,3) = 5, max(5,2,3,9) = 9, max(4,3,7,8) = 8, max(3,9,8,6) = 9.
		{"stride1", map[string]any{"strides": 1}, []float32{5, 9, 8, 9}, tensor.Shape{1, 2, 2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewMaxPooling2D(tt.opts)
			require.NoError(t, err)
			require.NoError(t, p.Build(tensor.Shape{3, 3, 1}, nil))
			y := p.Forward(x, false)
			assert.Equal(t, tt.out, y.Shape)
			assert.Equal(t, tt.want, y.Data)
		})
	}

	// Overlapping windows send both gradients to the shared maximum 9.
	p, err := NewMaxPooling2D(map[string]any{"strides": 1})
	require.NoError(t, err)
	p.Forward(x, true)
	dx := p.Backward(tensor.FromSlice([]float32{1, 10, 100, 1000}, 1, 2, 2, 1), true)
	assert.Equal(t, []float32{0, 1, 0, 0, 0, 1010, 0, 100, 0}, dx.Data)
}

func TestMaxPooling2DShapes(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
		want tensor.Shape
	}{
		{"studynote_cnn_first", map[string]any{"pool_size": []int{2, 2}}, tensor.Shape{96, 96, 32}, tensor.Shape{48, 48, 32}},
		{"studynote_cnn_second", map[string]any{"pool_size": []int{2, 2}}, tensor.Shape{44, 44, 64}, tensor.Shape{22, 22, 64}},
		{"odd_valid", map[string]any{}, tensor.Shape{5, 7, 3}, tensor.Shape{2, 3, 3}},
		{"odd_same", map[string]any{"padding": "same"}, tensor.Shape{5, 7, 3}, tensor.Shape{3, 4, 3}},
		{"strides", map[string]any{"pool_size": 3, "strides": 1}, tensor.Shape{5, 7, 3}, tensor.Shape{3, 5, 3}},
		{"channels_first", map[string]any{"data_format": "channels_first"}, tensor.Shape{3, 8, 6}, tensor.Shape{3, 4, 3}},
		{"unknown", map[string]any{}, tensor.Shape{-1, 8, -1}, tensor.Shape{-1, 4, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := mustLayer(t, "MaxPooling2D", tt.cfg).OutputShape(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
		})
	}
	_, err := mustLayer(t, "MaxPooling2D", nil).OutputShape(tensor.Shape{10})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(10,)")
	assert.Contains(t, err.Error(), "expected (height, width, channels)")
	_, err = mustLayer(t, "MaxPooling2D", map[string]any{"pool_size": 3}).OutputShape(tensor.Shape{2, 5, 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(2, 5, 1)")
	assert.Contains(t, err.Error(), "pool_size [3,3]")
}

func TestMaxPooling2DConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "MaxPooling2D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}}`,
		layerJSON(t, mustLayer(t, "MaxPooling2D", map[string]any{"pool_size": []any{2.0, 2.0}}).Config()))
	for name, cfg := range map[string]map[string]any{
		"defaults":       {},
		"strides":        {"pool_size": 3, "strides": []int{1, 2}, "padding": "same"},
		"null_strides":   {"pool_size": []int{2, 3}, "strides": nil},
		"channels_first": {"data_format": "channels_first", "name": "pool"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "MaxPooling2D", cfg)) })
	}
	assert.Equal(t, "MaxPooling2D", mustLayer(t, "MaxPool2D", nil).Config().ClassName)
}

func TestMaxPooling2DErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		want string
	}{
		{"pool_size_zero", map[string]any{"pool_size": 0}, "Received: pool_size=[0,0]"},
		{"pool_size_three", map[string]any{"pool_size": []int{2, 2, 2}}, "Received: pool_size=[2,2,2]"},
		{"strides_one_entry", map[string]any{"strides": []any{1.0}}, "Received: strides=[1]"},
		{"padding_full", map[string]any{"padding": "full"}, `Received: padding="full"`},
		{"unknown_argument", map[string]any{"pool": 2}, `unknown argument "pool"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, layerError(t, "MaxPooling2D", tt.cfg), tt.want)
		})
	}
}

func TestMaxPooling2DStepAllocatesNothing(t *testing.T) {
	for name, cfg := range map[string]map[string]any{
		"channels_last":  {"padding": "same"},
		"channels_first": {"data_format": "channels_first"},
	} {
		t.Run(name, func(t *testing.T) {
			l := mustLayer(t, "MaxPooling2D", cfg)
			assert.Zero(t, stepAllocs(l, tensor.New(2, 4, 6, 6), true))
		})
	}
}
