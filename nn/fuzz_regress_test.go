package nn

import (
	"testing"
	"time"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Regression tests for what the fuzz targets found, one per finding, each
// with the smallest input that showed it.

// Found by FuzzLayerConfig: a Dense or Conv2D weight larger than memory
// (units=1e12 on 1e12 inputs overflowed to a makeslice panic; smaller but
// still huge products would exhaust memory, a fatal error) is an error at
// Build, before anything is allocated.
func TestHugeWeightsAreABuildError(t *testing.T) {
	tests := []struct {
		name string
		cfg  string
		in   tensor.Shape
	}{
		{"dense product overflows", `{"class_name": "Dense", "config": {"units": 1e12}}`, tensor.Shape{1e12}},
		{"dense beyond 2^30", `{"class_name": "Dense", "config": {"units": 1073741824}}`, tensor.Shape{2}},
		{"conv kernel beyond 2^30", `{"class_name": "Conv2D", "config": {"filters": 65536, "kernel_size": 256}}`, tensor.Shape{-1, -1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tt.cfg))
			require.NoError(t, err)
			l, err := NewLayer(c)
			require.NoError(t, err)
			err = l.Build(tt.in, tensor.NewRNG(1))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "more than 2^30 elements")
			assert.False(t, l.Base().Built)
		})
	}
}

// Found by FuzzLayerConfig: Dropout kept an inference Forward's input as its
// output buffer, so the next training Forward wrote the dropped values (and
// its shape) into the caller's input — in fit, a validation batch.
func TestDropoutTrainingAfterInferenceLeavesInputAlone(t *testing.T) {
	l, err := NewDropout(0.5, map[string]any{"seed": 3})
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{4}, nil))
	x := tensor.New(2, 4)
	x.Fill(1)
	assert.Same(t, x, l.Forward(x, false), "inference passes x through")
	y := l.Forward(x, true)
	assert.NotSame(t, x, y)
	assert.Equal(t, []float32{1, 1, 1, 1, 1, 1, 1, 1}, x.Data, "x must be untouched")
	assert.Contains(t, y.Data, float32(0), "rate 0.5 with this seed drops something")
}

// Found by FuzzLayerConfig ({"class_name": "Softmax", "config": {"axis": [1]}}
// on input (8, 97, 0, 0)): a softmax over an axis followed by a zero-size
// one never advanced its block loop and hung.
func TestSoftmaxWithZeroSizeInnerAxesReturns(t *testing.T) {
	l, err := NewSoftmax(map[string]any{"axis": 1})
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{8, 0}, nil))
	x := tensor.New(2, 8, 0)
	done := make(chan *tensor.Tensor)
	go func() { done <- l.Forward(x, false) }()
	select {
	case y := <-done:
		assert.Equal(t, x.Shape, y.Shape)
	case <-time.After(5 * time.Second):
		t.Fatal("Softmax.Forward on (2, 8, 0) did not return")
	}
}

// Found by FuzzLayerConfig: input_shape=[] (a scalar per sample) was taken
// but written back as batch_input_shape [null], which was then refused, so
// the config did not round trip.
func TestScalarInputShapeRoundTrips(t *testing.T) {
	l := mustLayer(t, "Flatten", map[string]any{"input_shape": []any{}})
	assert.Equal(t, tensor.Shape{}, l.Base().Input)
	assert.Equal(t, []any{nil}, l.Config().Config["batch_input_shape"])
	assertLayerRoundTrip(t, l)
	again := mustLayer(t, "Flatten", map[string]any{"batch_input_shape": []any{nil}})
	assert.Equal(t, tensor.Shape{}, again.Base().Input)
	assert.Contains(t, layerError(t, "Flatten", map[string]any{"batch_input_shape": []any{}}), "a list starting with the batch size")
}

// Found by FuzzLayerConfig (Flatten on a batch of 0 of (3, 28)): Flatten
// worked out the flat width as len(data)/batch, which gave (0, 1) instead of
// OutputShape's (0, 84); a channels_first input with 0 channels divided by
// zero.
func TestFlattenEmptyInputs(t *testing.T) {
	tests := []struct {
		name   string
		format string
		x      tensor.Shape
		want   tensor.Shape
	}{
		{"empty batch", "channels_last", tensor.Shape{0, 3, 28}, tensor.Shape{0, 84}},
		{"empty batch channels_first", "channels_first", tensor.Shape{0, 3, 28}, tensor.Shape{0, 84}},
		{"zero channels channels_first", "channels_first", tensor.Shape{2, 0, 5}, tensor.Shape{2, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLayer(t, "Flatten", map[string]any{"data_format": tt.format})
			require.NoError(t, l.Build(tt.x[1:], nil))
			out, err := l.OutputShape(tt.x[1:])
			require.NoError(t, err)
			assert.Equal(t, tt.want[1:], out)
			x := tensor.New(tt.x...)
			y := l.Forward(x, false)
			assert.Equal(t, tt.want, y.Shape)
			dx := l.Backward(tensor.New(tt.want...), true)
			assert.Equal(t, tt.x, dx.Shape)
		})
	}
}

// Found by FuzzWindowLayers (MaxPooling2D pool (3, 39), strides (37, 137),
// 'same', on (0, 100, 19)): OutputShape worked out a zero height as 1 and
// promised an output row that Forward, rightly, did not make.
func TestWindowLayersOnZeroHeight(t *testing.T) {
	for _, class := range []string{"MaxPooling2D", "Conv2D"} {
		t.Run(class, func(t *testing.T) {
			m := map[string]any{"padding": "same"}
			if class == "Conv2D" {
				m["filters"], m["kernel_size"] = 2.0, 3.0
			}
			l := mustLayer(t, class, m)
			out, err := l.OutputShape(tensor.Shape{0, 5, 3})
			require.NoError(t, err)
			assert.Equal(t, 0, out[0], "ceil(0 / stride) rows")
			require.NoError(t, l.Build(tensor.Shape{0, 5, 3}, tensor.NewRNG(1)))
			y := l.Forward(tensor.New(2, 0, 5, 3), false)
			assert.Equal(t, append(tensor.Shape{2}, out...), y.Shape)
		})
	}
}

// Found by FuzzGetters ({"class_name": "AUC", "config": {"num_thresholds":
// 1e15}}): the thresholds were allocated before any bound, a makeslice panic.
func TestAUCNumThresholdsIsBounded(t *testing.T) {
	_, err := GetMetric(Config{ClassName: "AUC", Config: map[string]any{"num_thresholds": 1e15}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at most 2^20")
	m, err := GetMetric(Config{ClassName: "AUC", Config: map[string]any{"num_thresholds": float64(maxAUCThresholds)}})
	require.NoError(t, err, "the bound itself is taken")
	assert.Equal(t, "auc", m.Name())
}

// Found while reading what FuzzLayerConfig's Flatten seed (2^62, 2^62)
// exercised: Flatten's OutputShape multiplied without a check, so
// (2^40, 2^40) flattened to (0,) and larger products to any number, which
// the next layer would then have built on. It is an error now.
func TestFlattenOverflowIsAnError(t *testing.T) {
	l := mustLayer(t, "Flatten", map[string]any{})
	for _, in := range []tensor.Shape{{1 << 40, 1 << 40}, {1<<53 - 1, 1<<53 - 1}, {3, 1 << 62}} {
		_, err := l.OutputShape(in)
		require.Error(t, err, "%v", in)
		assert.Contains(t, err.Error(), "product fits in an integer")
		require.Error(t, l.Build(in, nil))
	}
	out, err := l.OutputShape(tensor.Shape{1 << 40, -1, 1 << 40})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{-1}, out, "an unknown dimension gives None, whatever the others")
	out, err = l.OutputShape(tensor.Shape{1 << 31, 1 << 31})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{1 << 62}, out)
}
