package nn

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/require"
)

// The fuzz targets of package nn hold the promise "impossible to crash with
// bad input": anything a user or a file can give the core (a JSON config, a
// decoded value, an argument map, an input shape) gives an error or an
// object, never a panic. Their seed corpora (f.Add and testdata/fuzz) run as
// ordinary tests; `go test -run '^$' -fuzz FuzzLayerConfig ./nn/` explores.
//
// Forward and Backward are only called on inputs of the shape the layer was
// built for: by the Layer contract (doc.go) they trust validated shapes.

const (
	// fzMaxElems caps the elements of a fuzzed Forward's input, output and
	// im2col matrix, and fzMaxParams the weight elements a fuzzed Build may
	// allocate, so that an exploration stays fast and small in memory.
	fzMaxElems  = 1 << 14
	fzMaxParams = 1 << 18
)

// fzProduct multiplies dims; ok is false when one is negative or the
// product exceeds limit (so it cannot overflow).
func fzProduct(limit int, dims ...int) (int, bool) {
	n := 1
	for _, d := range dims {
		if d < 0 {
			return 0, false
		}
		if d != 0 && n > limit/d {
			return 0, false
		}
		n *= d
	}
	return n, n <= limit
}

// fzErr checks that an error a user would see says something and carries
// no Go package prefix (the doc.go policy: Keras context only).
func fzErr(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	require.NotEmpty(t, msg)
	require.False(t, strings.HasPrefix(msg, "nn: "), "error with a Go package prefix: %q", msg)
}

// fzShape makes an input shape (no batch) of rank%5 dimensions from the
// fuzzed values, which may be zero, negative (-1 is None) or huge.
func fzShape(rank uint8, dims ...int64) tensor.Shape {
	s := tensor.Shape{}
	for i := range int(rank % 5) {
		s = append(s, int(dims[i]))
	}
	return s
}

// fzWeightElems returns the elements of the largest weight Build would
// make for input in, and ok false when it exceeds limit (or overflows).
func fzWeightElems(l Layer, in tensor.Shape, limit int) (int, bool) {
	switch x := l.(type) {
	case *Dense:
		if len(in) == 0 {
			return 0, true
		}
		return fzProduct(limit, in[len(in)-1], x.Units)
	case *Conv2D:
		_, _, c, ok := spatial(in, x.DataFormat)
		if !ok {
			return 0, true
		}
		return fzProduct(limit, x.KernelSize[0], x.KernelSize[1], c, x.Filters)
	}
	return 0, true
}

// fzForwardElems returns the largest buffer a Forward on batch shape x
// giving output y uses, and ok false above limit.
func fzForwardElems(l Layer, x, y tensor.Shape, limit int) bool {
	if _, ok := fzProduct(limit, x...); !ok {
		return false
	}
	if _, ok := fzProduct(limit, y...); !ok {
		return false
	}
	if c, isConv := l.(*Conv2D); isConv {
		oh, ow, _, _ := spatial(y[1:], c.DataFormat)
		_, _, ch, _ := spatial(x[1:], c.DataFormat)
		_, ok := fzProduct(limit, x[0], oh, ow, c.KernelSize[0], c.KernelSize[1], ch)
		return ok
	}
	return true
}

// fzRoundTrip checks that l's config makes an equal layer, directly and
// through JSON when the config can be written as JSON (a Go caller may give
// ±Inf, which JSON cannot hold).
func fzRoundTrip(t *testing.T, l Layer) {
	t.Helper()
	c := l.Config()
	again, err := NewLayer(c)
	require.NoError(t, err, "NewLayer(l.Config()) of %s %v", c.ClassName, c.Config)
	first, err := json.Marshal(c)
	if err != nil {
		return
	}
	second, err := json.Marshal(again.Config())
	require.NoError(t, err)
	require.JSONEq(t, string(first), string(second), "config changed on the round trip")
	parsed, err := ParseConfig(first)
	require.NoError(t, err)
	fromJSON, err := NewLayer(parsed)
	require.NoError(t, err, "NewLayer(%s)", first)
	third, err := json.Marshal(fromJSON.Config())
	require.NoError(t, err)
	require.JSONEq(t, string(first), string(third), "config changed on the JSON round trip")
}

// fzExerciseLayer puts a constructed layer through everything a model
// does with it for input shape in (no batch): config round trips,
// OutputShape, Build, and, when in fits, Forward and Backward on a batch of
// the built shape (None dimensions taken as 3).
func fzExerciseLayer(t *testing.T, l Layer, in tensor.Shape, batch int, seed uint64) {
	t.Helper()
	fzRoundTrip(t, l)
	out, err := l.OutputShape(in)
	if err != nil {
		fzErr(t, err)
		berr := l.Build(in, tensor.NewRNG(seed))
		require.Error(t, berr, "Build must refuse the shape %v that OutputShape refused (%v)", in, err)
		fzErr(t, berr)
		return
	}
	if slices.Min(append(in.Clone(), 0)) >= -1 {
		require.GreaterOrEqual(t, slices.Min(append(out.Clone(), 0)), -1, "OutputShape(%v) = %v: a dimension below None", in, out)
	}
	if _, ok := fzWeightElems(l, in, fzMaxParams); !ok {
		if _, possible := fzWeightElems(l, in, maxWeightElements); !possible {
			berr := l.Build(in, tensor.NewRNG(seed))
			require.Error(t, berr, "Build of weights beyond maxWeightElements for %v", in)
			fzErr(t, berr)
		}
		return // possible but too large to build while fuzzing
	}
	if err := l.Build(in, tensor.NewRNG(seed)); err != nil {
		fzErr(t, err)
		return
	}
	again, err := l.OutputShape(in)
	require.NoError(t, err, "OutputShape after Build")
	require.Equal(t, out, again)
	for _, p := range l.Params() {
		require.Equal(t, p.Value.Shape, p.Grad.Shape, "param %s", p.Name)
	}
	fzRoundTrip(t, l)
	fzForwardBackward(t, l, in, batch, seed)
}

// fzForwardBackward runs Forward and Backward on a batch of shape
// (batch,)+in, None dimensions taken as 3, if that shape is valid and small.
func fzForwardBackward(t *testing.T, l Layer, in tensor.Shape, batch int, seed uint64) {
	t.Helper()
	xs := tensor.Shape{batch}
	for _, d := range in {
		switch {
		case d == -1:
			d = 3
		case d < 0:
			return // not a shape a model can feed
		}
		xs = append(xs, d)
	}
	out, err := l.OutputShape(xs[1:])
	if err != nil {
		return // None taken as 3 does not fit the window; the model validates
	}
	ys := append(tensor.Shape{batch}, out...)
	if !fzForwardElems(l, xs, ys, fzMaxElems) {
		return
	}
	x := tensor.FromSlice(gradcheck.Random(xs.Size(), -2, 2, seed), xs...)
	xBefore := slices.Clone(x.Data)
	for _, training := range []bool{false, true} {
		y := l.Forward(x, training)
		require.Equal(t, ys, y.Shape, "Forward's output shape (training=%v)", training)
		require.Equal(t, xBefore, x.Data, "Forward must not write into x")
		dy := tensor.FromSlice(gradcheck.Random(ys.Size(), -1, 1, seed+1), ys...)
		dyBefore := slices.Clone(dy.Data)
		dx := l.Backward(dy, true)
		require.Equal(t, xs, dx.Shape, "dx must have x's shape")
		require.Equal(t, dyBefore, dy.Data, "Backward must not write into dy")
		l.Forward(x, training)
		l.Backward(dy, false)
	}
}

// fzLayerSeed is one seed of FuzzLayerConfig: a config and an input shape.
type fzLayerSeed struct {
	cfg            string
	rank           uint8
	d0, d1, d2, d3 int64
}

var fzLayerSeeds = []fzLayerSeed{
	{`{"class_name": "Dense", "config": {"units": 3, "activation": "relu"}}`, 1, 4, 0, 0, 0},
	{`{"class_name": "Dense", "config": {"units": 2, "use_bias": false, "kernel_regularizer": "l2", "kernel_constraint": {"class_name": "MaxNorm", "config": {"axis": 0}}}}`, 2, -1, 3, 0, 0},
	{`{"class_name": "Dense", "config": {"units": 4, "activity_regularizer": {"class_name": "L1", "config": {"l1": 0.1}}, "input_dim": 5}}`, 1, 0, 0, 0, 0},
	{`{"class_name": "Dense", "config": {"units": 1e12}}`, 1, 1e12, 0, 0, 0},
	{`{"class_name": "Dense", "config": {"units": 3, "kernel_initializer": "orthogonal"}}`, 3, 2, 2, 2, 0},
	{`{"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": 3, "padding": "same", "activation": "tanh"}}`, 3, 5, 5, 2, 0},
	{`{"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": [2, 3], "strides": 2, "data_format": "channels_first"}}`, 3, 1, 6, 7, 0},
	{`{"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 2, "dilation_rate": 3, "padding": "same"}}`, 3, 1, -1, 1, 0},
	{`{"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 4611686018427387904}}`, 3, 9, 9, 1, 0},
	{`{"class_name": "Conv2D", "config": {"filters": 3, "kernel_size": 2, "kernel_initializer": "identity"}}`, 3, 4, 4, 1, 0},
	{`{"class_name": "MaxPooling2D", "config": {"pool_size": 2, "padding": "same"}}`, 3, 3, 5, 2, 0},
	{`{"class_name": "MaxPooling2D", "config": {"pool_size": [3, 1], "strides": [1, 2], "data_format": "channels_first"}}`, 3, 2, 4, 4, 0},
	{`{"class_name": "MaxPooling2D", "config": {}}`, 3, -1, -1, 3, 0},
	{`{"class_name": "Flatten", "config": {}}`, 3, 2, 3, 4, 0},
	{`{"class_name": "Flatten", "config": {"data_format": "channels_first"}}`, 4, 2, 3, 2, 1},
	{`{"class_name": "Flatten", "config": {}}`, 2, 4611686018427387904, 4611686018427387904, 0, 0},
	{`{"class_name": "Dropout", "config": {"rate": 0.5, "seed": 3}}`, 2, 3, 4, 0, 0},
	{`{"class_name": "Dropout", "config": {"rate": 0.25, "noise_shape": [null, 1, 4]}}`, 2, 3, 4, 0, 0},
	{`{"class_name": "Dropout", "config": {"rate": 0.1, "noise_shape": [1, 2]}}`, 1, 5, 0, 0, 0},
	{`{"class_name": "Activation", "config": {"activation": "softmax"}}`, 1, 5, 0, 0, 0},
	{`{"class_name": "Activation", "config": {"activation": "gelu", "activity_regularizer": "l2"}}`, 0, 0, 0, 0, 0},
	{`{"class_name": "ReLU", "config": {"max_value": 6, "negative_slope": 0.1, "threshold": 0.5}}`, 2, 2, 2, 0, 0},
	{`{"class_name": "LeakyReLU", "config": {"alpha": 0.2}}`, 1, 0, 0, 0, 0},
	{`{"class_name": "ELU", "config": {"alpha": -1}}`, 1, 3, 0, 0, 0},
	{`{"class_name": "Softmax", "config": {"axis": [1, 2]}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "Softmax", "config": {"axis": 7}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "Dense", "config": {"units": 2, "batch_input_shape": [null, 3]}}`, 1, 3, 0, 0, 0},
	{`{"class_name": "Nope", "config": {}}`, 0, 0, 0, 0, 0},
	{`[1, 2]`, 0, 0, 0, 0, 0},
	{`{"class_name": "AveragePooling2D", "config": {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"}}`, 3, 2, 5, 4, 0},
	{`{"class_name": "MaxPooling1D", "config": {"pool_size": 3, "padding": "same"}}`, 2, 5, 2, 0, 0},
	{`{"class_name": "AveragePooling1D", "config": {"pool_size": [2], "data_format": "channels_first"}}`, 2, 3, -1, 0, 0},
	{`{"class_name": "GlobalMaxPooling2D", "config": {"keepdims": true}}`, 3, 3, 0, 2, 0},
	{`{"class_name": "GlobalAveragePooling1D", "config": {"data_format": "channels_first"}}`, 2, 2, 4, 0, 0},
	{`{"class_name": "Reshape", "config": {"target_shape": [-1, 2]}}`, 2, 3, 4, 0, 0},
	{`{"class_name": "Reshape", "config": {"target_shape": [4611686018427387904, 4]}}`, 1, 8, 0, 0, 0},
	{`{"class_name": "Permute", "config": {"dims": [2, 3, 1]}}`, 3, 2, 3, 4, 0},
	{`{"class_name": "RepeatVector", "config": {"n": 3}}`, 1, 4, 0, 0, 0},
	{`{"class_name": "ZeroPadding1D", "config": {"padding": [1, 2], "data_format": "channels_first"}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "ZeroPadding2D", "config": {"padding": [[1, 0], [4611686018427387904, 1]]}}`, 3, 2, 2, 1, 0},
	{`{"class_name": "Cropping1D", "config": {"cropping": [1, 1]}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "ZeroPadding1D", "config": {"padding": [4611686018427387904, 4611686018427387904]}}`, 2, 4611686018427387904, 3, 0, 0},
	{`{"class_name": "Cropping2D", "config": {"cropping": 1, "data_format": "channels_first"}}`, 3, 2, 4, 4, 0},
	{`{"class_name": "UpSampling1D", "config": {"size": 3}}`, 2, 3, 2, 0, 0},
	{`{"class_name": "UpSampling2D", "config": {"size": [2, 3], "interpolation": "bilinear"}}`, 3, 2, 3, 2, 0},
	{`{"class_name": "UpSampling2D", "config": {"size": 4611686018427387904}}`, 3, 2, 3, 2, 0},
	{`{"class_name": "GaussianNoise", "config": {"stddev": 0.3, "seed": 1}}`, 2, 3, 2, 0, 0},
	{`{"class_name": "GaussianDropout", "config": {"rate": 0.5}}`, 1, 4, 0, 0, 0},
	{`{"class_name": "AlphaDropout", "config": {"rate": 0.2, "noise_shape": [null, 1]}}`, 1, 4, 0, 0, 0},
	{`{"class_name": "AlphaDropout", "config": {"rate": 0.2, "noise_shape": [null, 2, 3]}}`, 1, 4, 0, 0, 0},
	{`{"class_name": "SpatialDropout1D", "config": {"rate": 0.4}}`, 2, 3, 2, 0, 0},
	{`{"class_name": "SpatialDropout2D", "config": {"rate": 0.4, "data_format": "channels_first"}}`, 3, 2, 2, 3, 0},
	{`{"class_name": "SpatialDropout2D", "config": {"rate": 0.4}}`, 1, 5, 0, 0, 0},
	{`{"class_name": "ActivityRegularization", "config": {"l1": 0.1, "l2": 0.1}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "PReLU", "config": {"shared_axes": [1, 2], "alpha_initializer": "ones"}}`, 3, -1, 3, 2, 0},
	{`{"class_name": "PReLU", "config": {}}`, 2, 3, 4, 0, 0},
	{`{"class_name": "PReLU", "config": {"shared_axes": 5}}`, 2, 3, 4, 0, 0},
	{`{"class_name": "PReLU", "config": {}}`, 2, 4611686018427387904, 4611686018427387904, 0, 0},
	{`{"class_name": "ThresholdedReLU", "config": {"theta": 0.5}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "BatchNormalization", "config": {"momentum": 0.5}}`, 3, 2, 2, 3, 0},
	{`{"class_name": "BatchNormalization", "config": {"axis": [1, 3], "center": false, "gamma_regularizer": "l2"}}`, 3, 2, 1, 3, 0},
	{`{"class_name": "BatchNormalization", "config": {"axis": 5}}`, 2, 2, 3, 0, 0},
	{`{"class_name": "LayerNormalization", "config": {"axis": [-2, -1], "scale": false}}`, 2, 3, 4, 0, 0},
	{`{"class_name": "LayerNormalization", "config": {"epsilon": 1e-9}}`, 1, 1, 0, 0, 0},
	{`{"class_name": "Conv1D", "config": {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}}`, 2, 5, 2, 0, 0},
	{`{"class_name": "Conv1D", "config": {"filters": 1, "kernel_size": [2], "strides": 2, "data_format": "channels_first"}}`, 2, 2, 5, 0, 0},
	{`{"class_name": "Conv1D", "config": {"filters": 3, "kernel_size": 9}}`, 2, -1, 2, 0, 0},
	{`{"class_name": "DepthwiseConv2D", "config": {"kernel_size": 2, "depth_multiplier": 3, "padding": "same", "strides": 2}}`, 3, 5, 4, 2, 0},
	{`{"class_name": "DepthwiseConv2D", "config": {"kernel_size": 3, "data_format": "channels_first", "dilation_rate": 2}}`, 3, 2, 6, 6, 0},
	{`{"class_name": "SeparableConv2D", "config": {"filters": 2, "kernel_size": 2, "depth_multiplier": 2, "padding": "same"}}`, 3, 4, 4, 2, 0},
	{`{"class_name": "Conv2DTranspose", "config": {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}}`, 3, 2, 3, 2, 0},
	{`{"class_name": "Conv2DTranspose", "config": {"filters": 1, "kernel_size": 2, "padding": "same", "strides": 2}}`, 3, 1, -1, 2, 0},
	{`{"class_name": "SeparableConv1D", "config": {"filters": 2, "kernel_size": 3, "depth_multiplier": 2, "pointwise_regularizer": "l1"}}`, 2, 5, 2, 0, 0},
	{`{"class_name": "DepthwiseConv1D", "config": {"kernel_size": [2], "data_format": "channels_first"}}`, 2, 2, 4, 0, 0},
	{`{"class_name": "Conv1DTranspose", "config": {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}}`, 2, 3, 2, 0, 0},
	{`{"class_name": "Bidirectional", "config": {"layer": {"class_name": "GRU", "config": {"units": 2, "return_sequences": true}}, "merge_mode": "mul"}}`, 2, 3, 2, 0, 0},
	{`{"class_name": "Bidirectional", "config": {"layer": {"class_name": "LSTM", "config": {"units": 2}}, "weights": [[1, 2]]}}`, 2, 3, 1, 0, 0},
	{`{"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Dense", "config": {"units": 2}}}}`, 2, 3, 2, 0, 0},
	{`{"class_name": "TimeDistributed", "config": {"layer": {"class_name": "Conv2D", "config": {"filters": 1, "kernel_size": 2}}}}`, 4, 2, 3, 3, 1},
}

// FuzzLayerConfig: any JSON config through NewLayer, and any input shape
// through OutputShape, Build, Forward, Backward and the config round trip.
func FuzzLayerConfig(f *testing.F) {
	for _, s := range fzLayerSeeds {
		f.Add(s.cfg, s.rank, s.d0, s.d1, s.d2, s.d3, uint8(2))
	}
	f.Fuzz(func(t *testing.T, cfg string, rank uint8, d0, d1, d2, d3 int64, batch uint8) {
		c, err := ParseConfig([]byte(cfg))
		if err != nil {
			fzErr(t, err)
			return
		}
		l, err := NewLayer(c)
		if err != nil {
			fzErr(t, err)
			return
		}
		fzExerciseLayer(t, l, fzShape(rank, d0, d1, d2, d3), int(batch%3), uint64(d0))
	})
}
