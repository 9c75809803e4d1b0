package sequential

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// noneConvModel is a fully convolutional model for images of any size:
// input (None, None, 1), a 3×3 valid Conv2D and a 3×3 valid per-pixel
// softmax Conv2D, compiled with categorical_crossentropy.
func noneConvModel(t *testing.T) *Model {
	t.Helper()
	m, err := NewWithLayers("", 1,
		conv2d(t, 2, map[string]any{"input_shape": []any{nil, nil, 1}, "activation": "relu"}),
		conv2d(t, 3, map[string]any{"activation": "softmax"}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	return m
}

// TestNoneDimensionsTakeTheDataSizes: a model whose input has None
// dimensions predicts, fits and evaluates on images of any size its layers
// can take, with outputs of the size the data gives.
func TestNoneDimensionsTakeTheDataSizes(t *testing.T) {
	m := noneConvModel(t)
	assert.Equal(t, tensor.Shape{-1, -1, 3}, m.OutputShape())
	for _, hw := range [][2]int{{5, 5}, {7, 6}} {
		x := tensor.New(4, hw[0], hw[1], 1)
		tensor.NewRNG(1).Uniform(x.Data, 0, 1)
		p, err := m.Predict(x, 0)
		require.NoError(t, err)
		assert.Equal(t, tensor.Shape{4, hw[0] - 4, hw[1] - 4, 3}, p.Shape)
		y := tensor.New(4, hw[0]-4, hw[1]-4, 3)
		for i := 0; i < len(y.Data); i += 3 {
			y.Data[i+i%2] = 1
		}
		h, err := m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 2})
		require.NoError(t, err)
		assert.Len(t, h.History["loss"], 2)
		_, err = m.Evaluate(x, y, EvaluateOptions{})
		require.NoError(t, err)
	}
}

// TestNoneDimensionsMisfitIsAnError: data whose sizes a layer cannot take
// (2×2 images for a 3×3 valid convolution, or 4×4 images whose 2×2 feature
// maps the second one cannot take) is refused by every entry point with an
// error naming the layer, the shape it would get and the model's input
// shape, not a recovered panic; the model stays usable.
func TestNoneDimensionsMisfitIsAnError(t *testing.T) {
	tests := []struct {
		name  string
		hw    int
		layer string
		got   string
	}{
		{"first_layer", 2, `"conv2d" (Conv2D)`, "(None, 2, 2, 1)"},
		{"second_layer", 4, `"conv2d_1" (Conv2D)`, "(None, 2, 2, 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := noneConvModel(t)
			x := tensor.New(3, tt.hw, tt.hw, 1)
			y := tensor.New(3, 1, 1, 3)
			calls := map[string]func() error{
				"predict": func() error { _, err := m.Predict(x, 0); return err },
				"predict_on_batch": func() error {
					_, err := m.PredictOnBatch(x)
					return err
				},
				"fit":            func() error { _, err := m.Fit(x, y, FitOptions{}); return err },
				"evaluate":       func() error { _, err := m.Evaluate(x, y, EvaluateOptions{}); return err },
				"train_on_batch": func() error { _, err := m.TrainOnBatch(x, y, nil); return err },
			}
			for op, call := range calls {
				err := call()
				require.Error(t, err, op)
				var pe *PanicError
				assert.NotErrorAs(t, err, &pe, op)
				assert.True(t, strings.HasPrefix(err.Error(), "layer "+tt.layer), "%s: %v", op, err)
				assert.Contains(t, err.Error(), tt.got, op)
				assert.Contains(t, err.Error(), "(None, None, None, 1)", op)
				assert.Contains(t, err.Error(), "kernel_size", op)
			}
			_, err := m.Predict(tensor.New(1, 5, 5, 1), 0)
			assert.NoError(t, err, "the model stays usable")
		})
	}
}
