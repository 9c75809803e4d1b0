package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// randomClasses returns x (n, d) in [0, 1) and one-hot labels of k classes.
func randomClasses(n, d, k int, seed uint64) (x, y *tensor.Tensor) {
	rng := tensor.NewRNG(seed)
	x = tensor.New(n, d)
	rng.Uniform(x.Data, 0, 1)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(k)
	}
	return x, oneHot(labels, k)
}

func allocModel(t testing.TB) *Model {
	m, err := NewWithLayers("", 1,
		dense(t, 32, map[string]any{"activation": "relu", "input_shape": []int{20}, "kernel_regularizer": "l2"}),
		dropout(t, 0.3),
		dense(t, 5, nil),
		activation(t, "softmax"),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []any{"accuracy", "mse"}}))
	return m
}

// TestTrainStepAllocatesNothing: a training step in steady state (forward
// with dropout, fused softmax crossentropy, regularization, backward, Adam,
// two metrics) allocates nothing.
func TestTrainStepAllocatesNothing(t *testing.T) {
	m := allocModel(t)
	x, y := randomClasses(64, 20, 5, 3)
	m.prepare()
	require.NotNil(t, m.st.fused, "Activation('softmax') + categorical_crossentropy fuse")
	m.resetState()
	for i := 0; i < 3; i++ {
		_, err := m.trainStep(x, y, nil)
		require.NoError(t, err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := m.trainStep(x, y, nil); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs)
}

// TestFitAllocationsDoNotGrowWithBatches: what Fit allocates is per run and
// per epoch, not per batch — 10 times the batches, the same allocations.
func TestFitAllocationsDoNotGrowWithBatches(t *testing.T) {
	count := func(n int) float64 {
		m := allocModel(t)
		x, y := randomClasses(n, 20, 5, 3)
		o := DefaultFitOptions()
		o.Verbose, o.Epochs = 0, 2
		o.Callbacks = []Callback{&TerminateOnNaN{}}
		_, err := m.Fit(x, y, o)
		require.NoError(t, err)
		return testing.AllocsPerRun(3, func() {
			if _, err := m.Fit(x, y, o); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := count(320), count(3200)
	t.Logf("allocations per Fit of 2 epochs: %v (10 batches/epoch), %v (100 batches/epoch)", small, large)
	// Ten times the batches must not cost more allocations: a per-batch
	// allocation would add at least 180 here. One or two may differ between
	// the two runs when the garbage collector runs a model's cleanup (the
	// memory budget's) inside the measurement, which happened under load.
	assert.LessOrEqual(t, large, small+2, "allocations grow with the number of batches")
}
