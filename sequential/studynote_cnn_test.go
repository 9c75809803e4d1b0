package sequential

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// studyNoteSGD is the study note's SGD(lr=0.01, decay=1e-6, momentum=0.9,
// nesterov=True) (testdata/studynote/keras_sequential_note.md, line 253).
func studyNoteSGD(t testing.TB) nn.Optimizer {
	opt, err := nn.GetOptimizer(map[string]any{"class_name": "SGD", "config": map[string]any{
		"lr": 0.01, "decay": 1e-6, "momentum": 0.9, "nesterov": true}})
	require.NoError(t, err)
	return opt
}

// randomImages returns n random h×w×3 images and one-hot labels of 10
// classes, as the note's np.random.random((n, h, w, 3)) and
// to_categorical(np.random.randint(10, size=(n, 1)), num_classes=10)
// (lines 215–218).
func randomImages(n, h, w int, seed uint64) (x, y *tensor.Tensor) {
	rng := tensor.NewRNG(seed)
	x = tensor.New(n, h, w, 3)
	rng.Uniform(x.Data, 0, 1)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = rng.IntN(10)
	}
	return x, oneHot(labels, 10)
}

// TestStudyNoteCNN is the study note's CNN example
// (testdata/studynote/keras_sequential_note.md, lines 207–262): the same
// layers, compiled with categorical_crossentropy and SGD(lr=0.01,
// decay=1e-6, momentum=0.9, nesterov=True), fit with batch_size=32 for 10
// epochs, then evaluate with batch_size=32. The note uses 100 training and
// 20 test images of 100×100×3; to keep the test quick the images here are
// 16×16×3 (the layers and their order are the note's;
// TestSummaryStudyNoteCNN checks the 100×100 model's structure, and
// TestStudyNoteCNNFullSize one step at full size).
func TestStudyNoteCNN(t *testing.T) {
	xTrain, yTrain := randomImages(100, 16, 16, 1)
	xTest, yTest := randomImages(20, 16, 16, 2)
	m := studyNoteCNN(t, 16, 16, 1)
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy", Optimizer: studyNoteSGD(t)}))
	o := quiet()
	o.BatchSize, o.Epochs = 32, 10
	h, err := m.Fit(xTrain, yTrain, o)
	require.NoError(t, err)
	require.Len(t, h.History["loss"], 10)
	for _, l := range h.History["loss"] {
		assert.False(t, math.IsNaN(l) || math.IsInf(l, 0))
	}
	assert.Equal(t, int64(40), m.Optimizer().Iterations(), "4 batches (32, 32, 32, 4) × 10 epochs")
	score, err := m.Evaluate(xTest, yTest, EvaluateOptions{BatchSize: 32})
	require.NoError(t, err)
	require.Len(t, score, 1, "without metrics, evaluate gives the loss alone")
	assert.Greater(t, score[0], 0.0)
	t.Logf("study note CNN (16×16×3): loss %v; test loss %.4f", h.History["loss"], score[0])
	// Random labels: the net can only memorize; the training loss falls.
	assert.Less(t, h.History["loss"][9], h.History["loss"][0])
}

// TestStudyNoteCNNFullSize runs the note's CNN at its full 100×100×3 size
// for one training step on two images and an evaluation.
func TestStudyNoteCNNFullSize(t *testing.T) {
	if testing.Short() {
		t.Skip("one step of a 8M-weight CNN")
	}
	x, y := randomImages(2, 100, 100, 3)
	m := studyNoteCNN(t, 100, 100, 1)
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy", Optimizer: studyNoteSGD(t)}))
	before, err := m.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	_, err = m.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	after, err := m.Evaluate(x, y, EvaluateOptions{BatchSize: 32})
	require.NoError(t, err)
	assert.False(t, math.IsNaN(after[0]))
	assert.NotEqual(t, before[0], after[0])
	p, err := m.Predict(x, 32)
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{2, 10}, p.Shape)
	var sum float64
	for _, v := range p.Data[:10] {
		sum += float64(v)
	}
	assert.InDelta(t, 1, sum, 1e-5)
}
