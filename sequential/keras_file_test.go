package sequential

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/require"
)

// kerasMixConfig is a model with weights of every shape family: a Conv2D,
// BatchNormalization (non-trainable moving statistics), a weightless
// layer, a Dense.
const kerasMixConfig = `{"class_name": "Sequential", "config": {"name": "mix", "layers": [
 {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 3, "kernel_size": [3, 3], "activation": "relu", "batch_input_shape": [null, 6, 6, 2]}},
 {"class_name": "BatchNormalization", "config": {"name": "batch_normalization"}},
 {"class_name": "Flatten", "config": {"name": "flatten"}},
 {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.5}},
 {"class_name": "Dense", "config": {"name": "dense", "units": 4, "activation": "softmax"}}]}}`

func kerasMix(t *testing.T) *Model {
	m, err := FromJSON(kerasMixConfig, 3)
	require.NoError(t, err)
	// Moving statistics that are not the initial ones, so a lost variable shows.
	bn := m.Layers()[1].Params()
	for i := range bn[2].Value.Data {
		bn[2].Value.Data[i] = float32(i) * 0.25
		bn[3].Value.Data[i] = 1 + float32(i)
	}
	return m
}

func input(n int, shape ...int) *tensor.Tensor {
	x := tensor.New(append([]int{n}, shape...)...)
	for i := range x.Data {
		x.Data[i] = float32((i*37)%101)/50 - 1
	}
	return x
}

func saveKerasBytes(t *testing.T, m *Model, now time.Time) []byte {
	var b bytes.Buffer
	require.NoError(t, m.saveKeras(&b, now, true))
	return b.Bytes()
}

// TestKerasRoundTrip: a saved .keras loads into a model with the same
// predictions to the bit, and saving it again gives the same bytes except
// metadata.json's date_saved.
func TestKerasRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name  string
		model func() *Model
		x     *tensor.Tensor
	}{
		{"mnist_mlp", func() *Model { return mnistMLP(t, 5) }, input(7, 784)},
		{"mix", func() *Model { return kerasMix(t) }, input(5, 6, 6, 2)},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := c.model()
			want, err := m.Predict(c.x, 32)
			require.NoError(t, err)
			day1 := time.Date(2026, 12, 4, 13, 0, 0, 0, time.UTC)
			b := saveKerasBytes(t, m, day1)
			t.Logf("%s .keras: %d bytes for %d weights", c.name, len(b), m.CountParams())
			back, err := LoadKeras(bytes.NewReader(b), int64(len(b)))
			require.NoError(t, err)
			got, err := back.Predict(c.x, 32)
			require.NoError(t, err)
			require.Equal(t, want.Data, got.Data, "predictions after load")
			require.Equal(t, b, saveKerasBytes(t, back, day1), "save → load → save")
			other := saveKerasBytes(t, back, day1.Add(36*time.Hour))
			require.Equal(t, len(b), len(other))
			require.NotEqual(t, b, other, "date_saved is recorded")
		})
	}
}

// TestKerasFileLayout: the zip's members and config.json's keys are
// saving_lib's.
func TestKerasFileLayout(t *testing.T) {
	b := saveKerasBytes(t, kerasMix(t), time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var names []string
	files := map[string][]byte{}
	for _, f := range z.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		var buf bytes.Buffer
		_, err = buf.ReadFrom(rc)
		require.NoError(t, err)
		files[f.Name] = buf.Bytes()
	}
	require.Equal(t, []string{"metadata.json", "config.json", "model.weights.h5"}, names)
	require.JSONEq(t, `{"keras_version": "3.6.0", "date_saved": "2026-01-02@03:04:05"}`, string(files["metadata.json"]))
	var cfg map[string]any
	require.NoError(t, json.Unmarshal(files["config.json"], &cfg))
	require.Equal(t, "keras", cfg["module"])
	require.Equal(t, "Sequential", cfg["class_name"])
	require.Contains(t, cfg, "registered_name")
	require.Contains(t, cfg, "compile_config")
	require.Equal(t, map[string]any{"input_shape": []any{nil, 6.0, 6.0, 2.0}}, cfg["build_config"])
	layers := cfg["config"].(map[string]any)["layers"].([]any)
	require.Equal(t, "keras.layers", layers[1].(map[string]any)["module"])
}

// TestKerasH5pyStructure: h5py reads model.weights.h5 of our .keras and
// finds Keras's group paths, with each variable's shape and values.
func TestKerasH5pyStructure(t *testing.T) {
	py := h5pyForTest(t)
	m := kerasMix(t)
	b, err := m.weightsH5Bytes(false)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "model.weights.h5")
	require.NoError(t, os.WriteFile(path, b, 0o644))
	out, err := exec.Command(py, "../internal/hdf5/testdata/h5py_dump.py", path).CombinedOutput()
	require.NoError(t, err, string(out))
	var dump struct {
		Groups   []string
		Datasets map[string]struct {
			Dtype  string
			Shape  []int
			Values []string
		}
	}
	require.NoError(t, json.Unmarshal(out, &dump))
	for _, g := range []string{"vars", "layers/conv2d/vars", "layers/batch_normalization/vars", "layers/flatten/vars", "layers/dropout/vars", "layers/dense/vars"} {
		require.Contains(t, dump.Groups, g)
	}
	want := map[string][]int{
		"layers/conv2d/vars/0": {3, 3, 2, 3}, "layers/conv2d/vars/1": {3},
		"layers/batch_normalization/vars/0": {3}, "layers/batch_normalization/vars/1": {3},
		"layers/batch_normalization/vars/2": {3}, "layers/batch_normalization/vars/3": {3},
		"layers/dense/vars/0": {48, 4}, "layers/dense/vars/1": {4},
	}
	require.Len(t, dump.Datasets, len(want))
	for p, s := range want {
		require.Equal(t, "float32", dump.Datasets[p].Dtype, p)
		require.Equal(t, s, dump.Datasets[p].Shape, p)
	}
	require.Equal(t, []string{"1.0", "2.0", "3.0"}, dump.Datasets["layers/batch_normalization/vars/3"].Values, "moving_variance")
}

func h5pyForTest(t *testing.T) string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import h5py").Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("h5py is missing (apt-get install python3-h5py; make test installs it when run as root)")
	}
	t.Skip("h5py not installed (apt-get install python3-h5py)")
	return ""
}

// TestKerasLoadErrors: damaged and unsupported files are clear errors.
func TestKerasLoadErrors(t *testing.T) {
	m := kerasMix(t)
	good := saveKerasBytes(t, m, time.Now())
	rezip := func(edit func(name string, b []byte) []byte) []byte {
		z, err := zip.NewReader(bytes.NewReader(good), int64(len(good)))
		require.NoError(t, err)
		var out bytes.Buffer
		w := zip.NewWriter(&out)
		for _, f := range z.File {
			rc, _ := f.Open()
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(rc)
			fw, _ := w.Create(f.Name)
			_, _ = fw.Write(edit(f.Name, buf.Bytes()))
		}
		require.NoError(t, w.Close())
		return out.Bytes()
	}
	for _, c := range []struct {
		name string
		file []byte
		want string
	}{
		{"truncated", good[:len(good)/2], "not a .keras file"},
		{"unknown layer", rezip(func(n string, b []byte) []byte {
			if n == "config.json" {
				return bytes.Replace(b, []byte(`"Flatten"`), []byte(`"Flattener"`), 1)
			}
			return b
		}), "Flattener"},
		{"truncated weights", rezip(func(n string, b []byte) []byte {
			if n == "model.weights.h5" {
				return b[:len(b)-100]
			}
			return b
		}), "truncated or corrupt"},
		{"wrong shape", rezip(func(n string, b []byte) []byte {
			if n == "config.json" {
				return bytes.Replace(b, []byte(`"units":4`), []byte(`"units":5`), 1)
			}
			return b
		}), `layer "dense": variable 0 (kernel) has shape (48, 4) in the file; the layer expects (48, 5)`},
		{"no weights", rezip(func(n string, b []byte) []byte {
			if n == "model.weights.h5" {
				return []byte("not hdf5")
			}
			return b
		}), "not an HDF5 file"},
	} {
		_, err := LoadKeras(bytes.NewReader(c.file), int64(len(c.file)))
		require.Error(t, err, c.name)
		require.Contains(t, err.Error(), c.want, c.name)
	}
}

// TestWeightsH5RoundTrip: save_weights / load_weights through .weights.h5;
// a file for another model is refused and the weights stay as they were.
func TestWeightsH5RoundTrip(t *testing.T) {
	a, b := mnistMLP(t, 1), mnistMLP(t, 2)
	var buf bytes.Buffer
	require.NoError(t, a.SaveWeightsH5(&buf))
	x := input(3, 784)
	want, _ := a.Predict(x, 32)
	require.NoError(t, b.LoadWeightsH5(bytes.NewReader(buf.Bytes()), int64(buf.Len())))
	got, _ := b.Predict(x, 32)
	require.Equal(t, want.Data, got.Data)

	before := kerasMix(t).GetWeights()
	mix := kerasMix(t)
	err := mix.LoadWeightsH5(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.Error(t, err)
	require.True(t, strings.Contains(err.Error(), `layer "conv2d" expected 2 variables`), err.Error())
	for i, w := range mix.GetWeights() {
		require.Equal(t, before[i].Data, w.Data)
	}
}
