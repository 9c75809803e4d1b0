package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReshapingGradients(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
	}{
		{"Reshape", map[string]any{"target_shape": []int{3, -1}}, tensor.Shape{2, 2, 6}},
		{"Reshape", map[string]any{"target_shape": []int{4, 3}, "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 12}},
		{"Permute", map[string]any{"dims": []int{2, 1}}, tensor.Shape{2, 3, 4}},
		{"Permute", map[string]any{"dims": []int{3, 1, 2}}, tensor.Shape{2, 2, 3, 4}},
		{"RepeatVector", map[string]any{"n": 3}, tensor.Shape{2, 4}},
		{"ZeroPadding1D", map[string]any{"padding": []int{1, 2}}, tensor.Shape{2, 3, 2}},
		{"ZeroPadding1D", map[string]any{"padding": 1, "data_format": "channels_first"}, tensor.Shape{2, 2, 3}},
		{"ZeroPadding2D", map[string]any{}, tensor.Shape{2, 3, 2, 2}},
		{"ZeroPadding2D", map[string]any{"padding": [][]int{{1, 0}, {2, 1}}, "data_format": "channels_first"}, tensor.Shape{2, 2, 3, 2}},
		{"Cropping1D", map[string]any{}, tensor.Shape{2, 5, 2}},
		{"Cropping2D", map[string]any{"cropping": [][]int{{1, 0}, {0, 2}}}, tensor.Shape{2, 4, 5, 2}},
		{"Cropping2D", map[string]any{"cropping": 1, "data_format": "channels_first"}, tensor.Shape{2, 2, 4, 4}},
		{"UpSampling1D", map[string]any{"size": 3}, tensor.Shape{2, 3, 2}},
		{"UpSampling2D", map[string]any{}, tensor.Shape{2, 2, 3, 2}},
		{"UpSampling2D", map[string]any{"size": []int{2, 3}, "data_format": "channels_first"}, tensor.Shape{2, 2, 2, 3}},
		{"UpSampling2D", map[string]any{"size": []int{3, 2}, "interpolation": "bilinear"}, tensor.Shape{2, 3, 2, 2}},
		{"UpSampling2D", map[string]any{"interpolation": "bilinear", "data_format": "channels_first", "activity_regularizer": quadReg{0.1}}, tensor.Shape{1, 2, 3, 3}},
	}
	for i, tt := range tests {
		t.Run(tt.class+shapeString(tt.in...), func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, tt.class, tt.cfg), tt.in, gradOpts{seed: uint64(i)})
		})
	}
}

func TestReshapingByHand(t *testing.T) {
	forward := func(class string, cfg map[string]any, x *tensor.Tensor) *tensor.Tensor {
		l := mustLayer(t, class, cfg)
		require.NoError(t, l.Build(tensor.Shape(x.Shape[1:]), nil))
		return l.Forward(x, false)
	}
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 1, 2, 3)
	y := forward("Reshape", map[string]any{"target_shape": []int{-1, 2}}, x)
	assert.Equal(t, tensor.Shape{1, 3, 2}, y.Shape)
	assert.Equal(t, x.Data, y.Data)
	y = forward("Permute", map[string]any{"dims": []int{2, 1}}, x)
	assert.Equal(t, tensor.Shape{1, 3, 2}, y.Shape)
	assert.Equal(t, []float32{1, 4, 2, 5, 3, 6}, y.Data)
	y = forward("RepeatVector", map[string]any{"n": 2}, tensor.FromSlice([]float32{1, 2}, 1, 2))
	assert.Equal(t, []float32{1, 2, 1, 2}, y.Data)
	// Steps (1,2), (3,4), (5,6) of x viewed as (3 steps, 2 features).
	steps := tensor.FromSlice(x.Data, 1, 3, 2)
	y = forward("ZeroPadding1D", map[string]any{"padding": []int{1, 0}}, steps)
	assert.Equal(t, []float32{0, 0, 1, 2, 3, 4, 5, 6}, y.Data)
	y = forward("Cropping1D", map[string]any{"cropping": []int{0, 1}}, steps)
	assert.Equal(t, []float32{1, 2, 3, 4}, y.Data)
	y = forward("UpSampling1D", nil, steps)
	assert.Equal(t, []float32{1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6}, y.Data)
	// A 2×2 image, one channel: 1 2 / 3 4.
	img := tensor.FromSlice([]float32{1, 2, 3, 4}, 1, 2, 2, 1)
	y = forward("ZeroPadding2D", map[string]any{"padding": [][]int{{1, 0}, {0, 1}}}, img)
	assert.Equal(t, tensor.Shape{1, 3, 3, 1}, y.Shape)
	assert.Equal(t, []float32{0, 0, 0, 1, 2, 0, 3, 4, 0}, y.Data)
	y = forward("Cropping2D", map[string]any{"cropping": [][]int{{1, 0}, {0, 1}}}, img)
	assert.Equal(t, []float32{3}, y.Data)
	y = forward("UpSampling2D", map[string]any{"size": []int{1, 2}}, img)
	assert.Equal(t, []float32{1, 1, 2, 2, 3, 3, 4, 4}, y.Data)
}

// TestUpSampling2DBilinearIsKerasResize checks Keras's bilinear upsampling
// (tf.image.resize, half-pixel centres): upsampling (a, b) by 2 gives
// (a, 0.75a + 0.25b, 0.25a + 0.75b, b) along each axis.
func TestUpSampling2DBilinearIsKerasResize(t *testing.T) {
	u := mustLayer(t, "UpSampling2D", map[string]any{"size": []int{1, 2}, "interpolation": "bilinear"})
	y := u.Forward(tensor.FromSlice([]float32{1, 5}, 1, 1, 2, 1), false)
	assert.Equal(t, tensor.Shape{1, 1, 4, 1}, y.Shape)
	assert.InDeltaSlice(t, []float32{1, 2, 4, 5}, y.Data, 1e-6)
	// By 3 from (0, 3): positions (i + 0.5)/3 − 0.5 = −1/3, 0, 1/3, 2/3, 1, 4/3.
	u = mustLayer(t, "UpSampling2D", map[string]any{"size": []int{3, 1}, "interpolation": "bilinear"})
	y = u.Forward(tensor.FromSlice([]float32{0, 3}, 1, 2, 1, 1), false)
	assert.InDeltaSlice(t, []float32{0, 0, 1, 2, 3, 3}, y.Data, 1e-6)
}

func TestReshapingShapes(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
		want  tensor.Shape
	}{
		{"Reshape", map[string]any{"target_shape": []int{28, 28, 1}}, tensor.Shape{784}, tensor.Shape{28, 28, 1}},
		{"Reshape", map[string]any{"target_shape": []any{-1.0, 4.0}}, tensor.Shape{2, 6}, tensor.Shape{3, 4}},
		{"Reshape", map[string]any{"target_shape": []int{-1, 4}}, tensor.Shape{-1, 6}, tensor.Shape{-1, 4}},
		{"Permute", map[string]any{"dims": []int{2, 1}}, tensor.Shape{10, 64}, tensor.Shape{64, 10}},
		{"RepeatVector", map[string]any{"n": 3}, tensor.Shape{32}, tensor.Shape{3, 32}},
		{"ZeroPadding1D", nil, tensor.Shape{5, 3}, tensor.Shape{7, 3}},
		{"ZeroPadding2D", map[string]any{"padding": []int{1, 2}}, tensor.Shape{5, 5, 3}, tensor.Shape{7, 9, 3}},
		{"ZeroPadding2D", map[string]any{"data_format": "channels_first"}, tensor.Shape{3, 5, -1}, tensor.Shape{3, 7, -1}},
		{"Cropping1D", map[string]any{"cropping": []int{2, 1}}, tensor.Shape{5, 3}, tensor.Shape{2, 3}},
		{"Cropping2D", map[string]any{"cropping": [][]int{{2, 2}, {4, 4}}}, tensor.Shape{28, 28, 3}, tensor.Shape{24, 20, 3}},
		{"UpSampling1D", map[string]any{"size": 3}, tensor.Shape{5, 3}, tensor.Shape{15, 3}},
		{"UpSampling2D", map[string]any{"size": []int{2, 3}, "data_format": "channels_first"}, tensor.Shape{3, 4, 5}, tensor.Shape{3, 8, 15}},
	}
	for _, tt := range tests {
		t.Run(tt.class+shapeString(tt.in...), func(t *testing.T) {
			out, err := mustLayer(t, tt.class, tt.cfg).OutputShape(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
		})
	}
	for _, tc := range []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
		want  string
	}{
		{"Reshape", map[string]any{"target_shape": []int{5}}, tensor.Shape{2, 3}, "the total size of the new array must be unchanged"},
		{"Reshape", map[string]any{"target_shape": []int{-1, 4}}, tensor.Shape{2, 3}, "target_shape (None, 4)"},
		{"Permute", map[string]any{"dims": []int{2, 1}}, tensor.Shape{2, 3, 4}, "rank 2"},
		{"RepeatVector", map[string]any{"n": 2}, tensor.Shape{2, 3}, "(features,)"},
		{"Cropping1D", map[string]any{"cropping": []int{2, 1}}, tensor.Shape{3, 3}, "cropping [2,1]"},
		{"Cropping2D", map[string]any{"cropping": 2}, tensor.Shape{5, 4, 3}, "smaller than the corresponding spatial dimension"},
		{"ZeroPadding2D", nil, tensor.Shape{5, 3}, "expected (height, width, channels)"},
		{"UpSampling1D", nil, tensor.Shape{5}, "expected (steps, features)"},
	} {
		t.Run(tc.class+"_error", func(t *testing.T) {
			_, err := mustLayer(t, tc.class, tc.cfg).OutputShape(tc.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestReshapingConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "ZeroPadding2D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"padding": [[1, 1], [2, 2]], "data_format": "channels_last"}}`,
		layerJSON(t, mustLayer(t, "ZeroPadding2D", map[string]any{"padding": []int{1, 2}}).Config()))
	assert.JSONEq(t, `{"class_name": "Cropping1D", "config": {"name": "", "trainable": true, "dtype": "float32", "cropping": [1, 1]}}`,
		layerJSON(t, mustLayer(t, "cropping1d", nil).Config()))
	assert.JSONEq(t, `{"class_name": "UpSampling2D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"size": [2, 2], "data_format": "channels_last", "interpolation": "nearest"}}`,
		layerJSON(t, mustLayer(t, "UpSampling2D", nil).Config()))
	for _, tc := range []struct {
		class string
		cfg   map[string]any
	}{
		{"Reshape", map[string]any{"target_shape": []int{2, -1, 3}, "input_shape": []int{12}}},
		{"Permute", map[string]any{"dims": []int{3, 1, 2}}},
		{"RepeatVector", map[string]any{"n": 4}},
		{"ZeroPadding1D", map[string]any{"padding": []int{0, 3}, "data_format": "channels_first"}},
		{"ZeroPadding2D", map[string]any{"padding": [][]int{{1, 0}, {2, 3}}}},
		{"Cropping1D", map[string]any{"cropping": 2}},
		{"Cropping2D", map[string]any{"cropping": [][]int{{1, 0}, {2, 3}}, "data_format": "channels_first"}},
		{"UpSampling1D", map[string]any{"size": 3}},
		{"UpSampling2D", map[string]any{"size": []int{2, 3}, "interpolation": "bilinear", "data_format": "channels_first"}},
	} {
		t.Run(tc.class, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, tc.class, tc.cfg)) })
	}
}

func TestReshapingErrors(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		want  string
	}{
		{"Reshape", nil, "Reshape needs one"},
		{"Reshape", map[string]any{"target_shape": []int{-1, -1}}, "Received: target_shape=[-1,-1]"},
		{"Reshape", map[string]any{"target_shape": []int{0, 2}}, "Received: target_shape=[0,2]"},
		{"Permute", map[string]any{"dims": []int{1, 3}}, "Received: dims=[1,3]"},
		{"Permute", map[string]any{"dims": []int{0, 1}}, "a permutation of 1, ..., rank"},
		{"RepeatVector", map[string]any{"n": 0}, "Received: n=0"},
		{"ZeroPadding1D", map[string]any{"padding": -1}, "Received: padding=-1"},
		{"ZeroPadding2D", map[string]any{"padding": []int{1, 2, 3}}, "Received: padding=[1,2,3]"},
		{"Cropping2D", map[string]any{"cropping": [][]int{{1}, {2, 2}}}, "((top, bottom), (left, right))"},
		{"Cropping1D", map[string]any{"data_format": "channels_last"}, `unknown argument "data_format"`},
		{"UpSampling1D", map[string]any{"size": 0}, "Received: size=0"},
		{"UpSampling2D", map[string]any{"interpolation": "bicubic"}, `Received: interpolation="bicubic"`},
		{"UpSampling2D", map[string]any{"interpolation": "linear"}, `one of "nearest", "bilinear"`},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) { assert.Contains(t, layerError(t, tt.class, tt.cfg), tt.want) })
	}
	_, err := NewLayer(Config{ClassName: "UpSampling2D", Config: map[string]any{"interpolation": "area"}})
	assert.Equal(t, NotImplementedError, ErrorClass(err))
}

func TestReshapingStepAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		class string
		cfg   map[string]any
		x     *tensor.Tensor
	}{
		{"Reshape", map[string]any{"target_shape": []int{-1}}, tensor.New(2, 3, 4)},
		{"Permute", map[string]any{"dims": []int{2, 1}}, tensor.New(2, 3, 4)},
		{"ZeroPadding2D", map[string]any{"data_format": "channels_first"}, tensor.New(2, 3, 4, 4)},
		{"UpSampling2D", map[string]any{"interpolation": "bilinear"}, tensor.New(2, 3, 3, 2)},
	} {
		t.Run(tc.class, func(t *testing.T) { assert.Zero(t, stepAllocs(mustLayer(t, tc.class, tc.cfg), tc.x, true)) })
	}
}
