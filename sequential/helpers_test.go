package sequential

import (
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
)

// dense returns a Dense layer or fails the test.
func dense(t testing.TB, units int, opts map[string]any) nn.Layer {
	t.Helper()
	l, err := nn.NewDense(units, opts)
	require.NoError(t, err)
	return l
}

// activation returns an Activation layer or fails the test.
func activation(t testing.TB, name string) nn.Layer {
	t.Helper()
	l, err := nn.NewActivationLayer(name, nil)
	require.NoError(t, err)
	return l
}

func conv2d(t testing.TB, filters int, opts map[string]any) nn.Layer {
	t.Helper()
	l, err := nn.NewConv2D(filters, []int{3, 3}, opts)
	require.NoError(t, err)
	return l
}

func maxPool(t testing.TB) nn.Layer {
	t.Helper()
	l, err := nn.NewMaxPooling2D(map[string]any{"pool_size": []int{2, 2}})
	require.NoError(t, err)
	return l
}

func dropout(t testing.TB, rate float64) nn.Layer {
	t.Helper()
	l, err := nn.NewDropout(rate, nil)
	require.NoError(t, err)
	return l
}

func flatten(t testing.TB) nn.Layer {
	t.Helper()
	l, err := nn.NewFlatten(nil)
	require.NoError(t, err)
	return l
}

// studyNoteCNN is the study note's CNN
// (testdata/studynote/keras_sequential_note.md, lines 220–251) on
// 100×100×3 images (h×w×3 here).
func studyNoteCNN(t testing.TB, h, w int, seed uint64) *Model {
	t.Helper()
	m := New("", seed)
	for _, l := range []nn.Layer{
		conv2d(t, 32, map[string]any{"activation": "relu", "input_shape": []int{h, w, 3}}),
		conv2d(t, 32, map[string]any{"activation": "relu"}),
		maxPool(t),
		dropout(t, 0.25),
		conv2d(t, 64, map[string]any{"activation": "relu"}),
		conv2d(t, 64, map[string]any{"activation": "relu"}),
		maxPool(t),
		dropout(t, 0.25),
		flatten(t),
		dense(t, 256, map[string]any{"activation": "relu"}),
		dropout(t, 0.5),
		dense(t, 10, map[string]any{"activation": "softmax"}),
	} {
		require.NoError(t, m.Add(l))
	}
	return m
}

func nan() float64 { return math.NaN() }

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}
