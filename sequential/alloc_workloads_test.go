package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// workloadModel builds W1 (mnist-mlp) or W3 (mnist-cnn) of
// /work/shared/bench/workloads.json (bench/workloads.json here): the same
// layers, loss and optimizer, and returns one batch of 128 for it.
func workloadModel(t *testing.T, id string) (*Model, *tensor.Tensor, *tensor.Tensor) {
	t.Helper()
	var layers []nn.Layer
	var opt string
	in := []int{784}
	switch id {
	case "W1":
		layers = []nn.Layer{
			dense(t, 128, map[string]any{"activation": "relu", "input_shape": in}),
			dense(t, 10, map[string]any{"activation": "softmax"}),
		}
		opt = "rmsprop"
	case "W3":
		in = []int{28, 28, 1}
		layers = []nn.Layer{
			conv2d(t, 32, map[string]any{"activation": "relu", "input_shape": in}),
			conv2d(t, 64, map[string]any{"activation": "relu"}),
			maxPool(t),
			dropout(t, 0.25),
			flatten(t),
			dense(t, 128, map[string]any{"activation": "relu"}),
			dropout(t, 0.5),
			dense(t, 10, map[string]any{"activation": "softmax"}),
		}
		opt = "adam"
	}
	m, err := NewWithLayers("", 1, layers...)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: opt, Loss: "categorical_crossentropy"}))
	x, y := randomClasses(128, tensor.Shape(in).Size(), 10, 5)
	x.Shape = append([]int{128}, in...)
	return m, x, y
}

// TestWorkloadStepsAllocateNothing: a steady-state training step of W1 and
// of W3 (convolutions by tiles, relu in place, dropout, Adam) allocates
// nothing.
func TestWorkloadStepsAllocateNothing(t *testing.T) {
	for _, id := range []string{"W1", "W3"} {
		t.Run(id, func(t *testing.T) {
			if id == "W3" && testing.Short() {
				t.Skip("a W3 step is 9 GFLOP")
			}
			m, x, y := workloadModel(t, id)
			m.prepare()
			m.resetState()
			for range 1 {
				_, err := m.trainStep(x, y, nil)
				require.NoError(t, err)
			}
			allocs := testing.AllocsPerRun(1, func() { // runs the step twice: once to warm up, once counted
				if _, err := m.trainStep(x, y, nil); err != nil {
					t.Fatal(err)
				}
			})
			assert.Zero(t, allocs)
		})
	}
}
