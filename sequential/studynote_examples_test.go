package sequential

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// randomData returns x (n, d) uniform in [0, 1), as np.random.random, and
// binary labels (n, 1), as np.random.randint(2, size=(n, 1)).
func randomData(n, d int, seed uint64) (x, y *tensor.Tensor) {
	rng := tensor.NewRNG(seed)
	x = tensor.New(n, d)
	rng.Uniform(x.Data, 0, 1)
	y = tensor.New(n, 1)
	for i := range y.Data {
		y.Data[i] = float32(rng.IntN(2))
	}
	return x, y
}

// oneHot returns to_categorical(labels, classes).
func oneHot(labels []int, classes int) *tensor.Tensor {
	y := tensor.New(len(labels), classes)
	for i, c := range labels {
		y.Data[i*classes+c] = 1
	}
	return y
}

// TestStudyNoteCompileVariants is the study note's three compile calls
// (multi-class, binary, regression) and its custom metric mean_pred
// (testdata/studynote/keras_sequential_note.md, lines 93–110).
func TestStudyNoteCompileVariants(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    CompileOptions
		metrics []string
	}{
		{"multiclass", CompileOptions{Optimizer: "rmsprop", Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}, []string{"loss", "accuracy"}},
		{"binary", CompileOptions{Optimizer: "rmsprop", Loss: "binary_crossentropy", Metrics: []any{"accuracy"}}, []string{"loss", "accuracy"}},
		{"regression", CompileOptions{Optimizer: "rmsprop", Loss: "mse"}, []string{"loss"}},
		{"mean_pred", CompileOptions{Optimizer: "rmsprop", Loss: "binary_crossentropy", Metrics: []any{"accuracy", meanPred}}, []string{"loss", "accuracy", "mean_pred"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New("", 1)
			require.NoError(t, m.Add(dense(t, 32, map[string]any{"input_dim": 100, "activation": "relu"})))
			require.NoError(t, m.Add(dense(t, 1, map[string]any{"activation": "sigmoid"})))
			require.NoError(t, m.Compile(tc.opts))
			assert.Equal(t, tc.metrics, m.MetricsNames())
			assert.Equal(t, "RMSprop", m.Optimizer().Config().ClassName)
		})
	}
}

// meanPred is the note's def mean_pred(y_true, y_pred): return K.mean(y_pred)
// (lines 105–106).
var meanPred = MetricFunc{Name: "mean_pred", Fn: func(yTrue, yPred *tensor.Tensor) ([]float32, error) {
	var s float64
	for _, v := range yPred.Data {
		s += float64(v)
	}
	return []float32{float32(s / float64(len(yPred.Data)))}, nil
}}

// TestStudyNoteBinaryFit is the study note's fit example
// (testdata/studynote/keras_sequential_note.md, lines 131–146):
// Dense(32, relu, input_dim=100), Dense(1, sigmoid), rmsprop,
// binary_crossentropy, accuracy, on 1000 random samples for 10 epochs of
// 32. The labels are random, so the model can only memorize: the loss must
// fall and the accuracy rise above chance.
func TestStudyNoteBinaryFit(t *testing.T) {
	x, y := randomData(1000, 100, 42)
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 32, map[string]any{"activation": "relu", "input_dim": 100})))
	require.NoError(t, m.Add(dense(t, 1, map[string]any{"activation": "sigmoid"})))
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "rmsprop", Loss: "binary_crossentropy", Metrics: []any{"accuracy", meanPred}}))
	o := DefaultFitOptions()
	o.Epochs, o.BatchSize, o.Verbose = 10, 32, 1
	var out bytes.Buffer
	o.Out = &out
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	loss := h.History["loss"]
	require.Len(t, loss, 10)
	assert.Equal(t, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, h.Epoch)
	assert.Less(t, loss[9], loss[0]-0.02, "loss %v", loss)
	assert.Greater(t, h.History["accuracy"][9], 0.55)
	assert.Len(t, h.History["mean_pred"], 10)
	assert.Equal(t, map[string]any{"verbose": 1, "epochs": 10, "steps": 32, "samples": 1000,
		"metrics": []string{"loss", "accuracy", "mean_pred"}}, h.Params)
	assert.Contains(t, out.String(), "Epoch 10/10")
	assert.Contains(t, out.String(), "1000/1000 [==============================]")
	t.Logf("loss %v\naccuracy %v\n%s", loss, h.History["accuracy"], out.String())
}
