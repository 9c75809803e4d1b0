package nn

import (
	"fmt"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// convCases are the Conv2D configurations checked for gradients and against
// the direct convolution: strides 1/2, padding valid/same, dilation 1/2,
// non-square kernels, channels_first, with and without bias.
var convCases = []struct {
	name string
	cfg  map[string]any
	in   tensor.Shape // batch first
}{
	{"valid_s1", map[string]any{"filters": 3, "kernel_size": 3}, tensor.Shape{2, 5, 6, 2}},
	{"same_s1", map[string]any{"filters": 3, "kernel_size": 3, "padding": "same"}, tensor.Shape{2, 5, 6, 2}},
	{"valid_s2", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2}, tensor.Shape{2, 7, 6, 2}},
	{"same_s2", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, tensor.Shape{2, 6, 5, 2}},
	{"valid_d2", map[string]any{"filters": 2, "kernel_size": 2, "dilation_rate": 2}, tensor.Shape{2, 5, 6, 2}},
	{"same_d2", map[string]any{"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}, tensor.Shape{1, 5, 6, 3}},
	{"kernel_2x3_s21", map[string]any{"filters": 3, "kernel_size": []int{2, 3}, "strides": []int{2, 1}, "padding": "same"}, tensor.Shape{2, 5, 5, 2}},
	{"kernel_3x1_d12", map[string]any{"filters": 2, "kernel_size": []int{3, 1}, "dilation_rate": []int{1, 2}}, tensor.Shape{2, 4, 5, 2}},
	{"channels_first", map[string]any{"filters": 3, "kernel_size": []int{2, 3}, "padding": "same", "data_format": "channels_first"}, tensor.Shape{2, 2, 4, 5}},
	{"channels_first_s2", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2, "data_format": "channels_first"}, tensor.Shape{1, 3, 7, 7}},
	{"no_bias_relu", map[string]any{"filters": 3, "kernel_size": 2, "use_bias": false, "activation": "relu"}, tensor.Shape{2, 4, 4, 2}},
	{"sigmoid", map[string]any{"filters": 2, "kernel_size": 3, "padding": "same", "activation": "sigmoid"}, tensor.Shape{2, 4, 4, 2}},
	{"activity_regularizer", map[string]any{"filters": 2, "kernel_size": 2, "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 4, 4, 2}},
	{"activity_l2", map[string]any{"filters": 2, "kernel_size": 2, "padding": "same", "activation": "tanh", "activity_regularizer": "l2"}, tensor.Shape{2, 3, 3, 2}},
	{"activity_channels_first", map[string]any{"filters": 2, "kernel_size": 2, "data_format": "channels_first", "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 2, 4, 3}},
}

func TestConv2DGradients(t *testing.T) {
	for i, tt := range convCases {
		t.Run(tt.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "Conv2D", tt.cfg), tt.in, gradOpts{training: true, seed: uint64(100 + i)})
		})
	}
}

// directConv is the textbook convolution of x (N, H, W, C) channels_last
// with kernel (KH, KW, C, F), plus bias, for the geometry g: the reference
// the im2col path is compared with.
func directConv(x, kernel, bias []float32, g tensor.ConvGeom, f int) []float32 {
	y := make([]float32, g.N*g.OH*g.OW*f)
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				for o := 0; o < f; o++ {
					s := float64(0)
					if bias != nil {
						s = float64(bias[o])
					}
					for i := 0; i < g.KH; i++ {
						for j := 0; j < g.KW; j++ {
							h, w := oh*g.SH+i*g.DH-g.PadTop, ow*g.SW+j*g.DW-g.PadLeft
							if h < 0 || h >= g.H || w < 0 || w >= g.W {
								continue
							}
							for c := 0; c < g.C; c++ {
								s += float64(x[((n*g.H+h)*g.W+w)*g.C+c]) * float64(kernel[((i*g.KW+j)*g.C+c)*f+o])
							}
						}
					}
					y[((n*g.OH+oh)*g.OW+ow)*f+o] = float32(s)
				}
			}
		}
	}
	return y
}

func TestConv2DMatchesDirectConvolution(t *testing.T) {
	for i, tt := range convCases {
		if tt.cfg["data_format"] != nil || tt.cfg["activation"] != nil {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			c := mustLayer(t, "Conv2D", tt.cfg).(*Conv2D)
			require.NoError(t, c.Build(tt.in[1:], tensor.NewRNG(uint64(i))))
			var bias []float32
			if c.UseBias {
				bias = c.Params()[1].Value.Data
				copy(bias, gradcheck.Random(len(bias), -1, 1, 5))
			}
			x := tensor.FromSlice(gradcheck.Random(tt.in.Size(), -1, 1, uint64(i)), tt.in...)
			y := c.Forward(x, false)
			want := directConv(x.Data, c.Params()[0].Value.Data, bias, c.geom, c.Filters)
			assert.InDeltaSlice(t, want, y.Data, 1e-5)
		})
	}
}

func TestConv2DForwardByHand(t *testing.T) {
	// x is one 3×3 single-channel image 1..9; kernel 2×2 [[1, 2], [3, 4]]; bias 1.
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1)
	tests := []struct {
		name string
		opts map[string]any
		want []float32
		out  tensor.Shape
	}{
		// valid: y00 = 1·1 + 2·2 + 3·4 + 4·5 = 37; y01 = 1·2 + 2·3 + 3·5 + 4·6 = 47;
		// y10 = 1·4 + 2·5 + 3·7 + 4·8 = 67; y11 = 1·5 + 2·6 + 3·8 + 4·9 = 77; plus bias 1.
		{"valid", nil, []float32{38, 48, 68, 78}, tensor.Shape{1, 2, 2, 1}},
		// same, stride 2: OH = ceil(3/2) = 2, one row and column of padding, all
		// at the bottom/right (Keras puts the smaller half first). Windows start
		// at 0 and 2: y00 = 37; y01 = 1·3 + 3·6 = 21; y10 = 1·7 + 2·8 = 23;
		// y11 = 1·9 = 9; plus bias 1.
		{"same_s2", map[string]any{"padding": "same", "strides": 2}, []float32{38, 22, 24, 10}, tensor.Shape{1, 2, 2, 1}},
		// dilation 2 on 3×3 valid: one window touching the corners:
		// 1·1 + 2·3 + 3·7 + 4·9 = 64, plus bias 1.
		{"valid_d2", map[string]any{"dilation_rate": 2}, []float32{65}, tensor.Shape{1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewConv2D(1, []int{2, 2}, tt.opts)
			require.NoError(t, err)
			require.NoError(t, c.Build(tensor.Shape{3, 3, 1}, tensor.NewRNG(1)))
			copy(c.Params()[0].Value.Data, []float32{1, 2, 3, 4})
			c.Params()[1].Value.Data[0] = 1
			y := c.Forward(x, false)
			assert.Equal(t, tt.out, y.Shape)
			assert.InDeltaSlice(t, tt.want, y.Data, 1e-5)
		})
	}
}

func TestConv2DChannelsFirstMatchesChannelsLast(t *testing.T) {
	last := mustLayer(t, "Conv2D", map[string]any{"filters": 3, "kernel_size": 3, "padding": "same", "strides": 2})
	first := mustLayer(t, "Conv2D", map[string]any{"filters": 3, "kernel_size": 3, "padding": "same", "strides": 2, "data_format": "channels_first"})
	require.NoError(t, last.Build(tensor.Shape{5, 4, 2}, tensor.NewRNG(1)))
	require.NoError(t, first.Build(tensor.Shape{2, 5, 4}, tensor.NewRNG(1)))
	copy(first.Params()[0].Value.Data, last.Params()[0].Value.Data)
	copy(last.Params()[1].Value.Data, []float32{0.1, -0.2, 0.3})
	copy(first.Params()[1].Value.Data, last.Params()[1].Value.Data)

	xl := tensor.FromSlice(gradcheck.Random(2*5*4*2, -1, 1, 3), 2, 5, 4, 2)
	xf := tensor.New(2, 2, 5, 4)
	toChannelsFirst(xf.Data, xl.Data, 2, 2, 20)
	yl := last.Forward(xl, false)
	yf := first.Forward(xf, false)
	assert.Equal(t, tensor.Shape{2, 3, 3, 2}, yf.Shape)
	want := make([]float32, len(yl.Data))
	toChannelsFirst(want, yl.Data, 2, 3, 6)
	assert.InDeltaSlice(t, want, yf.Data, 1e-6)
}

func TestConv2DShapes(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
		want tensor.Shape
	}{
		{"studynote_first_layer", map[string]any{"filters": 32, "kernel_size": []int{3, 3}}, tensor.Shape{100, 100, 3}, tensor.Shape{98, 98, 32}},
		{"same_s2_odd", map[string]any{"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, tensor.Shape{7, 8, 1}, tensor.Shape{4, 4, 4}},
		{"valid_d2", map[string]any{"filters": 4, "kernel_size": 3, "dilation_rate": 2}, tensor.Shape{7, 8, 1}, tensor.Shape{3, 4, 4}},
		{"channels_first", map[string]any{"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, tensor.Shape{1, 7, 8}, tensor.Shape{4, 5, 6}},
		{"unknown_spatial", map[string]any{"filters": 4, "kernel_size": 3}, tensor.Shape{-1, 8, 1}, tensor.Shape{-1, 6, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := mustLayer(t, "Conv2D", tt.cfg).OutputShape(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, out)
		})
	}

	errTests := []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
		want []string
	}{
		{"rank1", map[string]any{"filters": 2, "kernel_size": 3}, tensor.Shape{5}, []string{"(5,)", "expected (height, width, channels)"}},
		{"rank1_channels_first", map[string]any{"filters": 2, "kernel_size": 3, "data_format": "channels_first"}, tensor.Shape{5}, []string{"(5,)", "(channels, height, width)"}},
		{"too_small", map[string]any{"filters": 2, "kernel_size": 3}, tensor.Shape{2, 5, 1}, []string{"(2, 5, 1)", "kernel_size [3,3]", "padding 'same'"}},
		{"unknown_channels", map[string]any{"filters": 2, "kernel_size": 3}, tensor.Shape{5, 5, -1}, []string{"(5, 5, None)", "known number of channels"}},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mustLayer(t, "Conv2D", tt.cfg).OutputShape(tt.in)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	c := mustLayer(t, "Conv2D", map[string]any{"filters": 2, "kernel_size": 3})
	require.NoError(t, c.Build(tensor.Shape{5, 5, 3}, tensor.NewRNG(1)))
	_, err := c.OutputShape(tensor.Shape{5, 5, 4})
	assert.ErrorContains(t, err, "with 3 channels")
}

func TestConv2DConfig(t *testing.T) {
	want := `{"class_name": "Conv2D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"batch_input_shape": [null, 100, 100, 3],
		"filters": 32, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
		"data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": true,
		"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
		"bias_initializer": {"class_name": "Zeros", "config": {}},
		"kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
		"kernel_constraint": null, "bias_constraint": null}}`
	c := mustLayer(t, "Conv2D", map[string]any{"filters": 32.0, "kernel_size": []any{3.0, 3.0}, "activation": "relu", "input_shape": []any{100.0, 100.0, 3.0}})
	assert.JSONEq(t, want, layerJSON(t, c.Config()))

	for name, cfg := range map[string]map[string]any{
		"defaults":       {"filters": 8, "kernel_size": 3},
		"full":           {"filters": 8, "kernel_size": []int{2, 3}, "strides": []int{2, 1}, "padding": "same", "use_bias": false, "name": "c1"},
		"dilation":       {"filters": 8, "kernel_size": 3, "dilation_rate": 2, "padding": "SAME"},
		"channels_first": {"filters": 8, "kernel_size": 3, "data_format": "channels_first", "trainable": false},
		"init_seed":      {"filters": 8, "kernel_size": 3, "kernel_initializer": map[string]any{"class_name": "GlorotUniform", "config": map[string]any{"seed": 3.0}}},
		"constraints":    {"filters": 8, "kernel_size": 3, "kernel_constraint": map[string]any{"class_name": "MaxNorm", "config": map[string]any{"max_value": 2.0, "axis": []any{0.0, 1.0, 2.0}}}, "bias_constraint": "non_neg"},
		"regularizers":   {"filters": 8, "kernel_size": 3, "kernel_regularizer": "l2", "bias_regularizer": "l1", "activity_regularizer": "l1_l2", "kernel_initializer": "he_uniform"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "Conv2D", cfg)) })
	}
	alias := mustLayer(t, "Convolution2D", map[string]any{"filters": 2, "kernel_size": 3})
	assert.Equal(t, "Conv2D", alias.Config().ClassName)
}

func TestConv2DErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		want []string
	}{
		{"filters_zero", map[string]any{"filters": 0, "kernel_size": 3}, []string{"Received: filters=0"}},
		{"filters_missing", map[string]any{"kernel_size": 3}, []string{"Received: filters=None"}},
		{"kernel_size_one_entry", map[string]any{"filters": 2, "kernel_size": []any{3.0}}, []string{"Received: kernel_size=[3]", "list of 2 integers"}},
		{"kernel_size_zero", map[string]any{"filters": 2, "kernel_size": []int{0, 3}}, []string{"Received: kernel_size=[0,3]"}},
		{"kernel_size_missing", map[string]any{"filters": 2}, []string{"Received: kernel_size=None"}},
		{"padding_full", map[string]any{"filters": 2, "kernel_size": 3, "padding": "full"}, []string{`Received: padding="full"`, `"valid", "same"`}},
		{"strides_with_dilation", map[string]any{"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
			[]string{"Received: strides=[2,2]", "dilation_rate=[2,2]"}},
		{"strides_zero", map[string]any{"filters": 2, "kernel_size": 3, "strides": 0}, []string{"Received: strides=[0,0]"}},
		{"groups", map[string]any{"filters": 2, "kernel_size": 3, "groups": 2}, []string{"Received: groups=2", "not implemented"}},
		{"data_format", map[string]any{"filters": 2, "kernel_size": 3, "data_format": "NCHW"}, []string{`Received: data_format="NCHW"`}},
		{"unknown_argument", map[string]any{"filters": 2, "kernel_size": 3, "kernel_sizes": 3}, []string{`unknown argument "kernel_sizes"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := layerError(t, "Conv2D", tt.cfg)
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
		})
	}
}

func TestConv2DStepAllocatesNothing(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"channels_last_relu", map[string]any{"filters": 4, "kernel_size": 3, "activation": "relu", "padding": "same"}, tensor.Shape{2, 8, 8, 3}},
		{"channels_first", map[string]any{"filters": 4, "kernel_size": 3, "data_format": "channels_first"}, tensor.Shape{2, 3, 8, 8}},
		{"activity_regularizer", map[string]any{"filters": 4, "kernel_size": 3, "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 8, 8, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLayer(t, "Conv2D", tt.cfg)
			require.NoError(t, l.Build(tt.in[1:], tensor.NewRNG(1)))
			assert.Zero(t, stepAllocs(l, tensor.New(tt.in...), true))
		})
	}
}

func BenchmarkConv2DStep(b *testing.B) {
	// One training step (forward and backward) of a 3×3, 32-filter relu
	// convolution, as in the study note's CNN, on a batch of 8 32×32×32 images.
	for _, in := range []tensor.Shape{{8, 32, 32, 32}} {
		b.Run(fmt.Sprint(in), func(b *testing.B) {
			l, err := NewConv2D(32, []int{3, 3}, map[string]any{"activation": "relu"})
			if err != nil {
				b.Fatal(err)
			}
			if err := l.Build(in[1:], tensor.NewRNG(1)); err != nil {
				b.Fatal(err)
			}
			x := tensor.New(in...)
			dy := tensor.New(l.Forward(x, true).Shape...)
			l.Backward(dy, true)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				l.Forward(x, true)
				l.Backward(dy, true)
			}
		})
	}
}
