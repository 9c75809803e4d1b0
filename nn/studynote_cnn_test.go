package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// studyNoteCNN is the convolutional model of the user's study note
// (testdata/studynote/keras_sequential_note.md, lines 223–251), as Keras
// layer configs.
func studyNoteCNN(t *testing.T) []Layer {
	t.Helper()
	cfgs := []Config{
		{"Conv2D", map[string]any{"filters": 32, "kernel_size": []any{3, 3}, "activation": "relu", "input_shape": []any{100, 100, 3}}},
		{"Conv2D", map[string]any{"filters": 32, "kernel_size": []any{3, 3}, "activation": "relu"}},
		{"MaxPooling2D", map[string]any{"pool_size": []any{2, 2}}},
		{"Dropout", map[string]any{"rate": 0.25}},
		{"Conv2D", map[string]any{"filters": 64, "kernel_size": []any{3, 3}, "activation": "relu"}},
		{"Conv2D", map[string]any{"filters": 64, "kernel_size": []any{3, 3}, "activation": "relu"}},
		{"MaxPooling2D", map[string]any{"pool_size": []any{2, 2}}},
		{"Dropout", map[string]any{"rate": 0.25}},
		{"Flatten", nil},
		{"Dense", map[string]any{"units": 256, "activation": "relu"}},
		{"Dropout", map[string]any{"rate": 0.5}},
		{"Dense", map[string]any{"units": 10, "activation": "softmax"}},
	}
	ls := make([]Layer, len(cfgs))
	for i, c := range cfgs {
		l, err := NewLayer(c)
		require.NoError(t, err, "%v", c)
		ls[i] = l
	}
	return ls
}

// TestStudyNoteCNNMatchesKeras builds the study note's CNN and compares
// each layer's output shape and parameter count with Keras's
// model.summary() for it.
func TestStudyNoteCNNMatchesKeras(t *testing.T) {
	want := []struct {
		out    tensor.Shape
		params int
	}{
		{tensor.Shape{98, 98, 32}, 896},   // 3·3·3·32 + 32
		{tensor.Shape{96, 96, 32}, 9248},  // 3·3·32·32 + 32
		{tensor.Shape{48, 48, 32}, 0},     //
		{tensor.Shape{48, 48, 32}, 0},     //
		{tensor.Shape{46, 46, 64}, 18496}, // 3·3·32·64 + 64
		{tensor.Shape{44, 44, 64}, 36928}, // 3·3·64·64 + 64
		{tensor.Shape{22, 22, 64}, 0},     //
		{tensor.Shape{22, 22, 64}, 0},     //
		{tensor.Shape{30976}, 0},          // 22·22·64
		{tensor.Shape{256}, 7930112},      // 30976·256 + 256
		{tensor.Shape{256}, 0},            //
		{tensor.Shape{10}, 2570},          // 256·10 + 10
	}
	ls := studyNoteCNN(t)
	shape := ls[0].Base().Input
	require.Equal(t, tensor.Shape{100, 100, 3}, shape)
	rng := tensor.NewRNG(1)
	total := 0
	for i, l := range ls {
		require.NoError(t, l.Build(shape, rng), "layer %d", i)
		out, err := l.OutputShape(shape)
		require.NoError(t, err)
		assert.Equal(t, want[i].out, out, "layer %d (%s) output", i, l.Base().ClassName)
		assert.Equal(t, want[i].params, countParams(l), "layer %d (%s) params", i, l.Base().ClassName)
		total += countParams(l)
		shape = out
	}
	assert.Equal(t, 896+9248+18496+36928+7930112+2570, total)

	// One forward and backward pass of a single image through the stack:
	// every layer's output feeds the next and every dx has its input's shape.
	x := tensor.New(1, 100, 100, 3)
	x.Fill(0.5)
	ins := make([]tensor.Shape, len(ls))
	for i, l := range ls {
		ins[i] = x.Shape.Clone()
		x = l.Forward(x, true)
	}
	assert.Equal(t, tensor.Shape{1, 10}, x.Shape)
	var sum float64
	for _, v := range x.Data {
		sum += float64(v)
	}
	assert.InDelta(t, 1, sum, 1e-5, "softmax output sums to 1")
	dy := tensor.New(1, 10)
	dy.Fill(0.1)
	for i := len(ls) - 1; i >= 0; i-- {
		dy = ls[i].Backward(dy, true)
		assert.Equal(t, ins[i], dy.Shape, "layer %d dx", i)
	}
}
