package sequential

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadTFJSStateByPosition: a backup restores into a model of the same
// config whose layers have other names (a later model in the same
// runtime), weights and optimizer both, so it trains on as the saver
// would; a backup of another architecture is refused and changes nothing.
func TestLoadTFJSStateByPosition(t *testing.T) {
	x, y := classData(20)
	opt := map[string]any{"class_name": "Adam", "config": map[string]any{"learning_rate": 0.01}}
	first := compiledMLP(t, opt)
	fitEpochs(t, first, x, y, 0, 2)
	a, err := first.TFJSArtifacts(true)
	require.NoError(t, err)

	renamed := strings.NewReplacer(`"dense"`, `"dense_7"`, `"dense_1"`, `"dense_8"`, `"batch_normalization"`, `"bn_3"`).Replace(tfjsMLPConfig)
	later, err := FromJSON(renamed, 99)
	require.NoError(t, err)
	require.NoError(t, later.Compile(CompileOptions{Optimizer: opt, Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}))
	require.Error(t, later.LoadTFJSWeights(a.WeightSpecs, a.WeightData, true), "by name it does not fit")
	require.NoError(t, later.LoadTFJSState(a.WeightSpecs, a.WeightData))
	assert.Equal(t, first.Optimizer().Iterations(), later.Optimizer().Iterations())
	h1 := fitEpochs(t, first, x, y, 2, 4)
	h2 := fitEpochs(t, later, x, y, 2, 4)
	assert.Equal(t, h1.History["loss"], h2.History["loss"])

	small, err := FromJSON(`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 3, "batch_input_shape": [null, 4]}}]}}`, 1)
	require.NoError(t, err)
	before := append([]float32(nil), small.layers[0].Params()[0].Value.Data...)
	err = small.LoadTFJSState(a.WeightSpecs, a.WeightData)
	assert.ErrorContains(t, err, "more weights than model")
	assert.Equal(t, before, small.layers[0].Params()[0].Value.Data)
}
