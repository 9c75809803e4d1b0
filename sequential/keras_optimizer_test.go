package sequential

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/keraswasm/keraswasm/internal/hdf5"
	"github.com/keraswasm/keraswasm/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kerasRoundTrip saves m as a .keras file and loads it back.
func kerasRoundTrip(t *testing.T, m *Model, includeOptimizer bool) (*Model, []byte) {
	var b bytes.Buffer
	require.NoError(t, m.saveKeras(&b, time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC), includeOptimizer))
	back, err := LoadKeras(bytes.NewReader(b.Bytes()), int64(b.Len()))
	require.NoError(t, err)
	return back, b.Bytes()
}

// kerasResumeOptimizers are the optimizers and slot variants the .keras
// resume test runs.
var kerasResumeOptimizers = []map[string]any{
	{"class_name": "SGD", "config": map[string]any{"learning_rate": 0.05}},
	{"class_name": "SGD", "config": map[string]any{"momentum": 0.9, "nesterov": true}},
	{"class_name": "SGD", "config": map[string]any{"momentum": 0.9, "decay": 0.01}},
	{"class_name": "Adam", "config": map[string]any{"learning_rate": 0.01}},
	{"class_name": "Adam", "config": map[string]any{"amsgrad": true}},
	{"class_name": "AdamW", "config": map[string]any{}},
	{"class_name": "RMSprop", "config": map[string]any{}},
	{"class_name": "RMSprop", "config": map[string]any{"momentum": 0.5, "centered": true}},
	{"class_name": "Adagrad", "config": map[string]any{}},
	{"class_name": "Adadelta", "config": map[string]any{"learning_rate": 1.0}},
	{"class_name": "Adamax", "config": map[string]any{}},
	{"class_name": "Nadam", "config": map[string]any{}},
}

// TestKerasResumeSameHistory: 2 epochs, model.save("x.keras") (the
// optimizer is in it by default, as in Keras 3), load, 2 more epochs: the
// History of 4 uninterrupted epochs to the bit, for every optimizer and its
// slot variants; and save → load → save gives the same bytes.
func TestKerasResumeSameHistory(t *testing.T) {
	for _, opt := range kerasResumeOptimizers {
		name, _ := json.Marshal(opt)
		t.Run(string(name), func(t *testing.T) {
			x, y := classData(20)
			whole := compiledMLP(t, opt)
			hw := fitEpochs(t, whole, x, y, 0, 4)

			first := compiledMLP(t, opt)
			h1 := fitEpochs(t, first, x, y, 0, 2)
			resumed, b := kerasRoundTrip(t, first, true)
			_, again := kerasRoundTrip(t, resumed, true)
			assert.Equal(t, b, again, "save → load → save")
			h2 := fitEpochs(t, resumed, x, y, 2, 4)
			for _, k := range []string{"loss", "accuracy"} {
				got := append(append([]float64{}, h1.History[k]...), h2.History[k]...)
				assert.Equal(t, hw.History[k], got, k)
			}
			assert.Equal(t, whole.Optimizer().Iterations(), resumed.Optimizer().Iterations())
		})
	}
}

// TestKerasWithoutOptimizerStartsFresh: include_optimizer false leaves the
// state out: the loaded model is compiled, its optimizer at step 0, and the
// resumed run differs from the uninterrupted one.
func TestKerasWithoutOptimizerStartsFresh(t *testing.T) {
	x, y := classData(20)
	whole := compiledMLP(t, "adam")
	hw := fitEpochs(t, whole, x, y, 0, 2)
	first := compiledMLP(t, "adam")
	fitEpochs(t, first, x, y, 0, 1)
	back, b := kerasRoundTrip(t, first, false)
	require.NotNil(t, back.Optimizer())
	assert.Equal(t, int64(0), back.Optimizer().Iterations())
	f := weightsH5Of(t, b)
	for _, d := range f.Datasets {
		assert.NotContains(t, d.Path, "optimizer", "include_optimizer=false writes no optimizer variables")
	}
	h2 := fitEpochs(t, back, x, y, 1, 2)
	assert.NotEqual(t, hw.History["loss"][1], h2.History["loss"][0])
}

// TestKerasUnbuiltOptimizer: a compiled model saved before its first step
// holds iteration and learning_rate only (Keras builds its optimizer on the
// first step); it loads and trains as a fresh one.
func TestKerasUnbuiltOptimizer(t *testing.T) {
	x, y := classData(20)
	whole := compiledMLP(t, "adam")
	hw := fitEpochs(t, whole, x, y, 0, 2)
	back, b := kerasRoundTrip(t, compiledMLP(t, "adam"), true)
	f := weightsH5Of(t, b)
	var opt []string
	for _, d := range f.Datasets {
		if len(d.Path) > 10 && d.Path[:10] == "optimizer/" {
			opt = append(opt, d.Path)
		}
	}
	assert.Equal(t, []string{"optimizer/vars/0", "optimizer/vars/1"}, opt)
	h := fitEpochs(t, back, x, y, 0, 2)
	assert.Equal(t, hw.History["loss"], h.History["loss"])
}

// weightsH5Of reads model.weights.h5 of a .keras file's bytes.
func weightsH5Of(t *testing.T, keras []byte) *hdf5.File {
	b := kerasMember(t, keras, kerasWeightsName)
	f, err := hdf5.Read(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	return f
}

func kerasMember(t *testing.T, keras []byte, name string) []byte {
	z, err := zip.NewReader(bytes.NewReader(keras), int64(len(keras)))
	require.NoError(t, err)
	for _, f := range z.File {
		if f.Name == name {
			rc, err := f.Open()
			require.NoError(t, err)
			var buf bytes.Buffer
			_, err = buf.ReadFrom(rc)
			require.NoError(t, err)
			return buf.Bytes()
		}
	}
	t.Fatalf("no %s in the .keras file", name)
	return nil
}

// withWeightsH5 returns the .keras file with model.weights.h5 rewritten by
// edit from its datasets.
func withWeightsH5(t *testing.T, keras []byte, edit func([]hdf5.Dataset) []hdf5.Dataset) []byte {
	f := weightsH5Of(t, keras)
	var h5 bytes.Buffer
	require.NoError(t, hdf5.Write(&h5, f.Groups[1:], edit(append([]hdf5.Dataset(nil), f.Datasets...))))
	z, err := zip.NewReader(bytes.NewReader(keras), int64(len(keras)))
	require.NoError(t, err)
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, zf := range z.File {
		b := kerasMember(t, keras, zf.Name)
		if zf.Name == kerasWeightsName {
			b = h5.Bytes()
		}
		fw, err := w.Create(zf.Name)
		require.NoError(t, err)
		_, err = fw.Write(b)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return out.Bytes()
}

// TestKerasNadamEitherOrder: Keras 3.10 and later build Nadam's u_product
// after its slots (keras/src/optimizers/nadam.py build); such a file
// resumes as ours (u_product third, as up to Keras 3.9) does.
func TestKerasNadamEitherOrder(t *testing.T) {
	x, y := classData(20)
	whole := compiledMLP(t, "nadam")
	hw := fitEpochs(t, whole, x, y, 0, 4)
	first := compiledMLP(t, "nadam")
	fitEpochs(t, first, x, y, 0, 2)
	var b bytes.Buffer
	require.NoError(t, first.SaveKeras(&b))
	moved := withWeightsH5(t, b.Bytes(), func(ds []hdf5.Dataset) []hdf5.Dataset {
		var opt []hdf5.Dataset
		var rest []hdf5.Dataset
		for _, d := range ds {
			if len(d.Path) > 15 && d.Path[:15] == "optimizer/vars/" {
				opt = append(opt, d)
			} else {
				rest = append(rest, d)
			}
		}
		byIndex := make([]hdf5.Dataset, len(opt))
		for _, d := range opt {
			i, _ := strconv.Atoi(d.Path[15:])
			byIndex[i] = d
		}
		u := byIndex[2]
		order := append(append(append([]hdf5.Dataset{}, byIndex[:2]...), byIndex[3:]...), u)
		for i := range order {
			order[i].Path = fmt.Sprintf("optimizer/vars/%d", i)
		}
		return append(rest, order...)
	})
	resumed, err := LoadKeras(bytes.NewReader(moved), int64(len(moved)))
	require.NoError(t, err)
	h2 := fitEpochs(t, resumed, x, y, 2, 4)
	assert.Equal(t, hw.History["loss"][2:], h2.History["loss"])
}

// TestKerasOptimizerStateErrors: optimizer variables that do not fit the
// model's optimizer are refused, named.
func TestKerasOptimizerStateErrors(t *testing.T) {
	x, y := classData(20)
	m := compiledMLP(t, "adam")
	fitEpochs(t, m, x, y, 0, 1)
	var b bytes.Buffer
	require.NoError(t, m.SaveKeras(&b))
	drop := withWeightsH5(t, b.Bytes(), func(ds []hdf5.Dataset) []hdf5.Dataset {
		var out []hdf5.Dataset
		for _, d := range ds {
			if d.Path != "optimizer/vars/13" {
				out = append(out, d)
			}
		}
		return out
	})
	_, err := LoadKeras(bytes.NewReader(drop), int64(len(drop)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the file holds 13 optimizer variables; optimizer Adam of this model keeps 14 (iteration and learning_rate, then momentum, velocity for its 6 trained weights), or 2 before its first step")

	reshaped := withWeightsH5(t, b.Bytes(), func(ds []hdf5.Dataset) []hdf5.Dataset {
		for i, d := range ds {
			if d.Path == "optimizer/vars/3" { // dense/kernel's velocity, (4, 6)
				ds[i] = hdf5.Float32Dataset(d.Path, []int{6, 4}, make([]float32, 24))
			}
		}
		return ds
	})
	_, err = LoadKeras(bytes.NewReader(reshaped), int64(len(reshaped)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "optimizer variable 3 (dense_kernel_velocity) has shape (6, 4) in the file; the weight it belongs to has (4, 6)")

	floatIter := withWeightsH5(t, b.Bytes(), func(ds []hdf5.Dataset) []hdf5.Dataset {
		for i, d := range ds {
			if d.Path == "optimizer/vars/0" {
				ds[i] = hdf5.Float32Dataset(d.Path, []int{}, []float32{4})
			}
		}
		return ds
	})
	_, err = LoadKeras(bytes.NewReader(floatIter), int64(len(floatIter)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "optimizer variable 0 (iteration) has dtype float32 in the file; expected an integer")
}

// TestKerasIterationInt32: a JAX or PyTorch Keras writes the iteration
// count as int32 (dtype "int"); it is read as well.
func TestKerasIterationInt32(t *testing.T) {
	x, y := classData(20)
	m := compiledMLP(t, "adam")
	fitEpochs(t, m, x, y, 0, 1)
	var b bytes.Buffer
	require.NoError(t, m.SaveKeras(&b))
	b32 := withWeightsH5(t, b.Bytes(), func(ds []hdf5.Dataset) []hdf5.Dataset {
		for i, d := range ds {
			if d.Path == "optimizer/vars/0" {
				ds[i] = hdf5.Dataset{Path: d.Path, DType: "int32", Shape: []int{}, Data: []byte{4, 0, 0, 0}}
			}
		}
		return ds
	})
	back, err := LoadKeras(bytes.NewReader(b32), int64(len(b32)))
	require.NoError(t, err)
	assert.Equal(t, int64(4), back.Optimizer().Iterations())
}

// TestKerasLearningRateFromFile: the file's learning_rate variable wins
// over the compile config's when they differ (a callback changed it in
// Keras, whose config then still holds the rate compile was given).
func TestKerasLearningRateFromFile(t *testing.T) {
	x, y := classData(20)
	m := compiledMLP(t, "adam")
	fitEpochs(t, m, x, y, 0, 1)
	var b bytes.Buffer
	require.NoError(t, m.SaveKeras(&b))
	lr := withWeightsH5(t, b.Bytes(), func(ds []hdf5.Dataset) []hdf5.Dataset {
		for i, d := range ds {
			if d.Path == "optimizer/vars/1" {
				ds[i] = hdf5.Float32Dataset(d.Path, []int{}, []float32{0.25})
			}
		}
		return ds
	})
	back, err := LoadKeras(bytes.NewReader(lr), int64(len(lr)))
	require.NoError(t, err)
	assert.Equal(t, 0.25, back.Optimizer().LearningRate())
	same, _ := kerasRoundTrip(t, m, true)
	assert.Equal(t, m.Optimizer().LearningRate(), same.Optimizer().LearningRate(), "the config's float64 rate is kept when the file's float32 is its rounding")
}

// TestKerasOptimizerH5pyLayout: h5py (the HDF5 C library) reads the
// optimizer's variables of our model.weights.h5 in Keras 3's layout:
// group optimizer/vars, datasets 0, 1, ... in optimizer.variables order —
// keras/src/optimizers/base_optimizer.py BaseOptimizer.__init__ (iteration,
// dtype "int" = int64 on TensorFlow; learning_rate, floatx float32),
// save_own_variables (store[str(i)] for each of self.variables), and each
// optimizer's build (keras/src/optimizers/adam.py, sgd.py, rmsprop.py,
// nadam.py in Keras 3.6): Adam interleaves momentum and velocity per
// variable, RMSprop keeps velocity, momentum and average_gradient in
// blocks, Nadam's u_product comes third. Values are the optimizer's state.
func TestKerasOptimizerH5pyLayout(t *testing.T) {
	py := h5pyForTest(t)
	x, y := classData(20)
	// The trained weights in model.trainable_variables order, with shapes.
	ws := []struct {
		name  string
		shape []int
	}{{"dense_kernel", []int{4, 6}}, {"dense_bias", []int{6}}, {"batch_normalization_gamma", []int{6}},
		{"batch_normalization_beta", []int{6}}, {"dense_1_kernel", []int{6, 3}}, {"dense_1_bias", []int{3}}}
	type v struct {
		name  string
		shape []int
	}
	interleave := func(kinds ...string) []v {
		var out []v
		for _, w := range ws {
			for _, k := range kinds {
				out = append(out, v{w.name + "_" + k, w.shape})
			}
		}
		return out
	}
	blocks := func(kinds ...string) []v {
		var out []v
		for _, k := range kinds {
			out = append(out, interleave(k)...)
		}
		return out
	}
	for _, c := range []struct {
		opt  any
		want []v
	}{
		{"adam", interleave("momentum", "velocity")},
		{map[string]any{"class_name": "Adam", "config": map[string]any{"amsgrad": true}}, append(interleave("momentum", "velocity"), interleave("velocity_hat")...)},
		{"sgd", nil},
		{map[string]any{"class_name": "SGD", "config": map[string]any{"momentum": 0.9, "nesterov": true}}, interleave("momentum")},
		{"rmsprop", interleave("velocity")},
		{map[string]any{"class_name": "RMSprop", "config": map[string]any{"momentum": 0.5, "centered": true}}, blocks("velocity", "momentum", "average_gradient")},
		{"nadam", append([]v{{"u_product", []int{}}}, interleave("momentum", "velocity")...)},
		{"adadelta", interleave("accumulated_grad", "accumulated_delta_var")},
		{"adamax", interleave("momentum", "norm")},
		{"adagrad", interleave("accumulator")},
	} {
		name, _ := json.Marshal(c.opt)
		t.Run(string(name), func(t *testing.T) {
			m := compiledMLP(t, c.opt)
			fitEpochs(t, m, x, y, 0, 1)
			var b bytes.Buffer
			require.NoError(t, m.SaveKeras(&b))
			path := filepath.Join(t.TempDir(), "model.weights.h5")
			require.NoError(t, os.WriteFile(path, kerasMember(t, b.Bytes(), kerasWeightsName), 0o644))
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
			assert.Contains(t, dump.Groups, "optimizer")
			assert.Contains(t, dump.Groups, "optimizer/vars")
			want := append([]v{{"iteration", []int{}}, {"learning_rate", []int{}}}, c.want...)
			n := 0
			for p := range dump.Datasets {
				if len(p) > 10 && p[:10] == "optimizer/" {
					n++
				}
			}
			require.Equal(t, len(want), n, "optimizer datasets")
			params, names := m.kerasOptimizerParams()
			vars, err := nn.KerasOptimizerVariables(m.Optimizer(), params, names)
			require.NoError(t, err)
			for i, w := range want {
				d := dump.Datasets[fmt.Sprintf("optimizer/vars/%d", i)]
				assert.Equal(t, w.shape, d.Shape, "%d %s", i, w.name)
				assert.Equal(t, w.name, vars[i].Name, i)
				if i == 0 {
					assert.Equal(t, "int64", d.Dtype)
					assert.Equal(t, []string{fmt.Sprintf("%d.0", m.Optimizer().Iterations())}, d.Values)
					continue
				}
				assert.Equal(t, "float32", d.Dtype, w.name)
				for j, s := range d.Values {
					f, err := strconv.ParseFloat(s, 64)
					require.NoError(t, err)
					require.Equal(t, vars[i].Values[j], float32(f), "%s[%d]", w.name, j)
				}
			}
			assert.Equal(t, []string{repr32(float32(m.Optimizer().LearningRate()))}, dump.Datasets["optimizer/vars/1"].Values)
		})
	}
}

// repr32 is Python's repr of a float32 widened to float64.
func repr32(f float32) string {
	return strconv.FormatFloat(float64(f), 'g', -1, 64)
}
