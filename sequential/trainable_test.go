package sequential

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
)

// frozenModel is Dense(4, input 3) → Dense(2, softmax), compiled with SGD.
func frozenModel(t *testing.T) *Model {
	m, err := NewWithLayers("", 1,
		dense(t, 4, map[string]any{"input_shape": []int{3}, "name": "first"}),
		dense(t, 2, map[string]any{"activation": "softmax", "name": "second"}),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	return m
}

// changed reports, per weight of the model, whether one train_on_batch
// moved it.
func changed(t *testing.T, m *Model) []bool {
	x, y := randomClasses(8, 3, 2, 3)
	before := m.GetWeights()
	_, err := m.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	after := m.GetWeights()
	out := make([]bool, len(before))
	for i := range before {
		for j := range before[i].Data {
			if before[i].Data[j] != after[i].Data[j] {
				out[i] = true
			}
		}
	}
	return out
}

// Keras: setting layer.trainable = False takes effect at the next compile
// ("Calling compile() on a model is meant to 'freeze' the behavior of that
// model"; keras.io guides/transfer_learning). Summary shows it at once.
func TestTrainableFalseFreezesFromTheNextCompile(t *testing.T) {
	m := frozenModel(t)
	m.Layers()[0].Base().Trainable = false
	assert.Contains(t, m.Summary(), "Non-trainable params: 16")
	assert.Contains(t, m.Summary(), "Trainable params: 10")
	assert.Equal(t, []bool{true, true, true, true}, changed(t, m), "before recompiling, the first layer still trains")

	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	assert.Equal(t, []bool{false, false, true, true}, changed(t, m), "after compile, the first layer's kernel and bias are frozen")

	m.Layers()[0].Base().Trainable = true
	assert.Equal(t, []bool{false, false, true, true}, changed(t, m), "unfreezing also waits for compile")
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	assert.Equal(t, []bool{true, true, true, true}, changed(t, m))
}

func TestFrozenLayerFromConfigDoesNotTrain(t *testing.T) {
	m, err := NewWithLayers("", 1,
		dense(t, 4, map[string]any{"input_shape": []int{3}, "trainable": false}),
		dense(t, 2, map[string]any{"activation": "softmax"}),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	assert.Equal(t, []bool{false, false, true, true}, changed(t, m))
	s := m.Summary()
	assert.Contains(t, s, "Total params: 26")
	assert.True(t, strings.Contains(s, "Trainable params: 10\nNon-trainable params: 16"), s)
}

// Keras's summary of Conv2D(32) → BatchNormalization: the layer holds
// 4·32 = 128 values, of which gamma and beta (64) train and the moving mean
// and variance (64) do not.
func TestSummaryCountsBatchNormalizationAsKeras(t *testing.T) {
	bn, err := nn.NewBatchNormalization(nil)
	require.NoError(t, err)
	m, err := NewWithLayers("", 1, conv2d(t, 32, map[string]any{"input_shape": []int{28, 28, 1}}), bn)
	require.NoError(t, err)
	s := m.Summary()
	assert.Contains(t, s, " batch_normalization (BatchN  (None, 26, 26, 32)       128       \n ormalization)   ")
	assert.Contains(t, s, "Total params: 448\nTrainable params: 384\nNon-trainable params: 64\n")
	assert.Equal(t, []string{"kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance"}, weightNames(m))
}

func weightNames(m *Model) []string {
	var out []string
	for _, p := range m.weightParams() {
		out = append(out, p.Name)
	}
	return out
}

// summary(show_trainable=True) adds tf.keras's Trainable column: 11 more
// characters per line, Y or N per layer.
func TestSummaryShowTrainable(t *testing.T) {
	m := frozenModel(t)
	m.Layers()[0].Base().Trainable = false
	s, err := m.SummaryWith(SummaryOptions{ShowTrainable: true})
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	assert.Equal(t, strings.Repeat("_", 76), lines[1])
	assert.Equal(t, " Layer (type)                Output Shape              Param #   Trainable  ", lines[2])
	assert.Equal(t, " first (Dense)               (None, 4)                 16        N          ", lines[4])
	assert.Equal(t, " second (Dense)              (None, 2)                 10        Y          ", lines[6])
	assert.Contains(t, s, "Trainable params: 10\nNon-trainable params: 16\n")
}
