package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFlattenGradients(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"channels_last", map[string]any{}, tensor.Shape{2, 3, 2, 2}},
		{"channels_first", map[string]any{"data_format": "channels_first"}, tensor.Shape{2, 3, 2, 2}},
		{"rank2", map[string]any{}, tensor.Shape{3, 4}},
		{"activity_regularizer", map[string]any{"activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 3, 2}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "Flatten", tt.cfg), tt.in, gradOpts{seed: uint64(i)})
		})
	}
}

func TestFlattenForward(t *testing.T) {
	x := tensor.FromSlice([]float32{0, 1, 2, 3, 4, 5, 6, 7}, 1, 2, 2, 2)

	last, err := NewFlatten(nil)
	require.NoError(t, err)
	y := last.Forward(x, false)
	assert.Equal(t, tensor.Shape{1, 8}, y.Shape)
	assert.Equal(t, []float32{0, 1, 2, 3, 4, 5, 6, 7}, y.Data)

	// channels_first: x[c][h][w] = 4c + 2h + w; Keras moves the channels last
	// before flattening, so the order is (h, w, c): 0, 4, 1, 5, 2, 6, 3, 7.
	first, err := NewFlatten(map[string]any{"data_format": "channels_first"})
	require.NoError(t, err)
	y = first.Forward(x, false)
	assert.Equal(t, []float32{0, 4, 1, 5, 2, 6, 3, 7}, y.Data)
	dx := first.Backward(y, true)
	assert.Equal(t, x.Shape, dx.Shape)
	assert.Equal(t, x.Data, dx.Data, "backward is the inverse permutation")
}

func TestFlattenOutputShape(t *testing.T) {
	tests := []struct {
		name string
		in   tensor.Shape
		want tensor.Shape
	}{
		{"studynote_cnn", tensor.Shape{22, 22, 64}, tensor.Shape{30976}},
		{"vector", tensor.Shape{10}, tensor.Shape{10}},
		{"unknown", tensor.Shape{-1, 3}, tensor.Shape{-1}},
		{"batch_only", tensor.Shape{}, tensor.Shape{1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := mustLayer(t, "Flatten", nil).OutputShape(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
		})
	}
}

func TestFlattenConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "Flatten", "config": {"name": "", "trainable": true, "dtype": "float32", "data_format": "channels_last"}}`,
		layerJSON(t, mustLayer(t, "Flatten", nil).Config()))
	assertLayerRoundTrip(t, mustLayer(t, "Flatten", map[string]any{"data_format": "channels_first", "input_shape": []any{3.0, 4.0, 4.0}}))
	assertLayerRoundTrip(t, mustLayer(t, "Flatten", map[string]any{"name": "flat", "trainable": false}))

	assert.Contains(t, layerError(t, "Flatten", map[string]any{"data_format": "NHWC"}), `Received: data_format="NHWC"`)
	assert.Contains(t, layerError(t, "Flatten", map[string]any{"units": 3}), `unknown argument "units"`)
}

func TestFlattenStepAllocatesNothing(t *testing.T) {
	for _, format := range []string{"channels_last", "channels_first"} {
		t.Run(format, func(t *testing.T) {
			l := mustLayer(t, "Flatten", map[string]any{"data_format": format})
			assert.Zero(t, stepAllocs(l, tensor.New(4, 3, 5, 5), true))
		})
	}
}
