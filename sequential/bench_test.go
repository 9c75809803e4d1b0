package sequential

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// mnistMLP is the MLP: 784 → 128 relu → 10 softmax, rmsprop,
// categorical crossentropy, accuracy.
func mnistMLP(t testing.TB, seed uint64) *Model {
	t.Helper()
	m, err := NewWithLayers("", seed,
		dense(t, 128, map[string]any{"activation": "relu", "input_shape": []int{784}}),
		dense(t, 10, map[string]any{"activation": "softmax"}),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "rmsprop", Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}))
	return m
}

// BenchmarkFitEpochMNISTMLP is one Fit epoch of the MNIST MLP over the
// 60000 training images (batch 32, shuffled, verbose 0). samples/s is
// reported; allocs/op counts the whole epoch.
func BenchmarkFitEpochMNISTMLP(b *testing.B) {
	train, _ := loadMNIST(b)
	x, y := train.head(60000, true)
	m := mnistMLP(b, 1)
	o := DefaultFitOptions()
	o.Verbose = 0
	_, err := m.Fit(x, y, o) // warm-up: buffers, optimizer state
	require.NoError(b, err)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Fit(x, y, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(60000*b.N)/b.Elapsed().Seconds(), "samples/s")
}

// mnistCNN is a small CNN: Conv2D(8, 3×3, relu) → MaxPooling2D → Conv2D(16,
// 3×3, relu) → MaxPooling2D → Flatten → Dense(64, relu) → Dense(10, softmax).
func mnistCNN(t testing.TB, seed uint64) *Model {
	t.Helper()
	m, err := NewWithLayers("", seed,
		conv2d(t, 8, map[string]any{"activation": "relu", "input_shape": []int{28, 28, 1}}),
		maxPool(t),
		conv2d(t, 16, map[string]any{"activation": "relu"}),
		maxPool(t),
		flatten(t),
		dense(t, 64, map[string]any{"activation": "relu"}),
		dense(t, 10, map[string]any{"activation": "softmax"}),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}))
	return m
}

// BenchmarkTrainStepMNISTCNN is one training step of the small MNIST CNN on
// a batch of 32 images.
func BenchmarkTrainStepMNISTCNN(b *testing.B) {
	train, _ := loadMNIST(b)
	x, y := train.head(32, false)
	m := mnistCNN(b, 1)
	m.prepare()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.trainStep(x, y, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(32*b.N)/b.Elapsed().Seconds(), "samples/s")
}
