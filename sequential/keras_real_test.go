package sequential

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKerasWrittenFile reads a .keras file Keras 3.15 wrote
// (testdata/keras/README.md): its model.weights.h5 keys the layers by
// class (dense, dense_1, dense_2, dense_3 for layers named d_0, d_1, d_2,
// dense), as keras/src/saving/saving_lib.py _save_container_state does, and
// a Sequential of the same layers loads it; the subclassed model itself is
// refused, named.
func TestKerasWrittenFile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "testdata", "keras", "keras3_15_nested_dense.keras"))
	require.NoError(t, err)
	_, err = LoadKeras(bytes.NewReader(b), int64(len(b)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "NestedDenseModel")

	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var h5 []byte
	for _, f := range z.File {
		if f.Name == kerasWeightsName {
			rc, err := f.Open()
			require.NoError(t, err)
			var buf bytes.Buffer
			_, err = buf.ReadFrom(rc)
			require.NoError(t, err)
			h5 = buf.Bytes()
		}
	}
	require.NotNil(t, h5)
	m, err := FromJSON(`{"class_name": "Sequential", "config": {"layers": [
 {"class_name": "Dense", "config": {"name": "d_0", "units": 4, "use_bias": false, "batch_input_shape": [null, 4]}},
 {"class_name": "Dense", "config": {"name": "d_1", "units": 4, "use_bias": false}},
 {"class_name": "Dense", "config": {"name": "d_2", "units": 4, "use_bias": false}},
 {"class_name": "Dense", "config": {"name": "dense", "units": 2}}]}}`, 1)
	require.NoError(t, err)
	require.NoError(t, m.LoadWeightsH5(bytes.NewReader(h5), int64(len(h5))))
	w := m.GetWeights()
	require.Len(t, w, 5)
	for i, want := range []float32{0.1, 0.2, 0.3, 0.5, 0} {
		for _, v := range w[i].Data {
			require.Equal(t, want, v, "weight %d", i)
		}
	}
}
