package sequential

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/keraswasm/keraswasm/internal/hdf5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// namedMix has layers whose names are not their classes' (as a user names
// them, or as a second model in one session gets dense_3, dense_4).
const namedMix = `{"class_name": "Sequential", "config": {"name": "named", "layers": [
 {"class_name": "Dense", "config": {"name": "hidden", "units": 5, "activation": "relu", "batch_input_shape": [null, 3]}},
 {"class_name": "BatchNormalization", "config": {"name": "bn"}},
 {"class_name": "Dense", "config": {"name": "dense_7", "units": 4}},
 {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.1}},
 {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}`

// TestKerasLayerKeysByClass: the groups of model.weights.h5 are named as
// keras/src/saving/saving_lib.py _save_container_state names the items of
// model.layers: the class's snake_case name (keras/src/utils/naming.py
// to_snake_case), then _1, _2 for later layers of the class — not the
// layers' names. h5py reads the groups; the file loads into a model of the
// same config with other layer names, by position.
func TestKerasLayerKeysByClass(t *testing.T) {
	py := h5pyForTest(t)
	m, err := FromJSON(namedMix, 3)
	require.NoError(t, err)
	b, err := m.weightsH5Bytes(false)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "model.weights.h5")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	out, err := exec.Command(py, "../internal/hdf5/testdata/h5py_dump.py", path).CombinedOutput()
	require.NoError(t, err, string(out))
	var dump struct {
		Groups   []string
		Datasets map[string]struct{ Shape []int }
	}
	require.NoError(t, json.Unmarshal(out, &dump))
	assert.ElementsMatch(t, []string{"layers", "vars",
		"layers/dense", "layers/dense/vars", "layers/batch_normalization", "layers/batch_normalization/vars",
		"layers/dense_1", "layers/dense_1/vars", "layers/dropout", "layers/dropout/vars",
		"layers/dense_2", "layers/dense_2/vars"}, dump.Groups)
	assert.Equal(t, []int{3, 5}, dump.Datasets["layers/dense/vars/0"].Shape, "the first Dense (hidden)")
	assert.Equal(t, []int{5, 4}, dump.Datasets["layers/dense_1/vars/0"].Shape, "the second (dense_7)")
	assert.Equal(t, []int{4, 2}, dump.Datasets["layers/dense_2/vars/0"].Shape, "the third (dense)")

	other, err := FromJSON(namedMix, 9)
	require.NoError(t, err)
	require.NoError(t, other.LoadWeightsH5(bytes.NewReader(b), int64(len(b))))
	for i, w := range other.GetWeights() {
		require.Equal(t, m.GetWeights()[i].Data, w.Data, i)
	}
}

// TestKerasLayerKeysOldFiles: a file keraswasm wrote by layer names
// (layers/hidden/vars, ...) before it followed Keras still loads.
func TestKerasLayerKeysOldFiles(t *testing.T) {
	m, err := FromJSON(namedMix, 3)
	require.NoError(t, err)
	groups := []string{"vars"}
	var sets []hdf5.Dataset
	for _, l := range m.layers {
		p := kerasWeightsPath(l.Base().Name)
		groups = append(groups, p)
		for i, w := range l.Params() {
			sets = append(sets, hdf5.Float32Dataset(p+"/"+string(rune('0'+i)), w.Value.Shape, w.Value.Data))
		}
	}
	var b bytes.Buffer
	require.NoError(t, hdf5.Write(&b, groups, sets))
	other, err := FromJSON(namedMix, 9)
	require.NoError(t, err)
	require.NoError(t, other.LoadWeightsH5(bytes.NewReader(b.Bytes()), int64(b.Len())))
	for i, w := range other.GetWeights() {
		require.Equal(t, m.GetWeights()[i].Data, w.Data, i)
	}
}
