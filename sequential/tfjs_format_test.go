package sequential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tfjsMLPConfig is a small classifier with trainable and non-trainable
// weights (BatchNormalization's moving statistics) and no randomness in
// training (no dropout), so runs can be compared to the bit.
const tfjsMLPConfig = `{"class_name": "Sequential", "config": {"name": "mlp", "layers": [
 {"class_name": "Dense", "config": {"name": "dense", "units": 6, "activation": "relu", "batch_input_shape": [null, 4]}},
 {"class_name": "BatchNormalization", "config": {"name": "batch_normalization"}},
 {"class_name": "Dense", "config": {"name": "dense_1", "units": 3, "activation": "softmax"}}]}}`

// classData is a fixed 3-class problem of n samples with 4 features.
func classData(n int) (*tensor.Tensor, *tensor.Tensor) {
	x := input(n, 4)
	y := tensor.New(n, 3)
	for i := 0; i < n; i++ {
		c := 0
		if x.Data[4*i]+x.Data[4*i+1] > 0 {
			c = 1
		}
		if x.Data[4*i+2] > 0.5 {
			c = 2
		}
		y.Data[3*i+c] = 1
	}
	return x, y
}

func compiledMLP(t *testing.T, opt any) *Model {
	m, err := FromJSON(tfjsMLPConfig, 7)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: opt, Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}))
	return m
}

func fitEpochs(t *testing.T, m *Model, x, y *tensor.Tensor, from, to int) *History {
	h, err := m.Fit(x, y, FitOptions{Epochs: to, InitialEpoch: from, BatchSize: 5, Shuffle: false})
	require.NoError(t, err)
	return h
}

// tfjsRoundTrip saves m as TF.js artifacts and loads them back.
func tfjsRoundTrip(t *testing.T, m *Model, includeOptimizer bool) (*Model, *TFJSArtifacts) {
	a, err := m.TFJSArtifacts(includeOptimizer)
	require.NoError(t, err)
	js, err := json.Marshal(a)
	require.NoError(t, err)
	var back TFJSArtifacts
	require.NoError(t, json.Unmarshal(js, &back))
	back.WeightData = append([]byte(nil), a.WeightData...)
	m2, err := FromTFJSArtifacts(&back, 1)
	require.NoError(t, err)
	return m2, a
}

// TestTFJSArtifactsLayout: weight specs in get_weights order with TF.js's
// names, float32 data of exactly their size, the topology TF.js writes
// (class_name, config, keras_version, backend), and with the optimizer the
// training config and TF.js's optimizer weights ("iter", then each slot of
// every trained weight).
func TestTFJSArtifactsLayout(t *testing.T) {
	m := compiledMLP(t, "adam")
	x, y := classData(20)
	fitEpochs(t, m, x, y, 0, 1)
	a, err := m.TFJSArtifacts(true)
	require.NoError(t, err)
	var names []string
	for _, s := range a.WeightSpecs {
		names = append(names, s.Name)
	}
	assert.Equal(t, []string{"dense/kernel", "dense/bias",
		"batch_normalization/gamma", "batch_normalization/beta", "batch_normalization/moving_mean", "batch_normalization/moving_variance",
		"dense_1/kernel", "dense_1/bias",
		"iter",
		"dense/kernel/m", "dense/bias/m", "batch_normalization/gamma/m", "batch_normalization/beta/m", "dense_1/kernel/m", "dense_1/bias/m",
		"dense/kernel/v", "dense/bias/v", "batch_normalization/gamma/v", "batch_normalization/beta/v", "dense_1/kernel/v", "dense_1/bias/v"}, names)
	assert.Equal(t, "int32", a.WeightSpecs[8].Dtype)
	assert.Equal(t, "optimizer", a.WeightSpecs[8].Group)
	params := 4*6 + 6 + 4*6 + 6*3 + 3
	trainedN := params - 12
	assert.Len(t, a.WeightData, 4*(params+1+2*trainedN))
	assert.Equal(t, uint32(4), uint32(a.WeightData[4*params])|uint32(a.WeightData[4*params+1])<<8, "iter after 20/5 = 4 steps")
	var topo map[string]any
	require.NoError(t, json.Unmarshal(a.ModelTopology, &topo))
	assert.Equal(t, "Sequential", topo["class_name"])
	assert.Equal(t, "tfjs-layers 4.22.0", topo["keras_version"])
	assert.Equal(t, "tensor_flow.js", topo["backend"])
	var tc map[string]any
	require.NoError(t, json.Unmarshal(a.TrainingConfig, &tc))
	assert.Equal(t, "categorical_crossentropy", tc["loss"])
	assert.Equal(t, []any{"accuracy"}, tc["metrics"])
	assert.Equal(t, "Adam", tc["optimizer_config"].(map[string]any)["class_name"])

	plain, err := m.TFJSArtifacts(false)
	require.NoError(t, err)
	assert.Len(t, plain.WeightSpecs, 8)
	assert.Nil(t, plain.TrainingConfig)
}

// TestTFJSRoundTripSameBits: loaded artifacts predict to the bit, and saving
// the loaded model gives the same JSON and the same bytes.
func TestTFJSRoundTripSameBits(t *testing.T) {
	m := compiledMLP(t, "rmsprop")
	x, y := classData(20)
	fitEpochs(t, m, x, y, 0, 2)
	m2, a := tfjsRoundTrip(t, m, true)
	p1, err := m.Predict(x, 0)
	require.NoError(t, err)
	p2, err := m2.Predict(x, 0)
	require.NoError(t, err)
	assert.Equal(t, p1.Data, p2.Data)
	a2, err := m2.TFJSArtifacts(true)
	require.NoError(t, err)
	j1, _ := json.Marshal(a)
	j2, _ := json.Marshal(a2)
	assert.Equal(t, string(j1), string(j2))
	assert.Equal(t, a.WeightData, a2.WeightData)
}

// TestTFJSResumeSameHistory: training 2 epochs, saving with the optimizer,
// loading and training 2 more gives the History of 4 uninterrupted epochs to
// the bit, for every optimizer and its slot variants.
func TestTFJSResumeSameHistory(t *testing.T) {
	for _, opt := range []map[string]any{
		{"class_name": "SGD", "config": map[string]any{"learning_rate": 0.05}},
		{"class_name": "SGD", "config": map[string]any{"momentum": 0.9, "nesterov": true, "decay": 0.01}},
		{"class_name": "Adam", "config": map[string]any{"learning_rate": 0.01}},
		{"class_name": "Adam", "config": map[string]any{"amsgrad": true}},
		{"class_name": "AdamW", "config": map[string]any{}},
		{"class_name": "RMSprop", "config": map[string]any{}},
		{"class_name": "RMSprop", "config": map[string]any{"momentum": 0.5, "centered": true}},
		{"class_name": "Adagrad", "config": map[string]any{}},
		{"class_name": "Adadelta", "config": map[string]any{"learning_rate": 1.0}},
		{"class_name": "Adamax", "config": map[string]any{}},
		{"class_name": "Nadam", "config": map[string]any{}},
	} {
		name, _ := json.Marshal(opt)
		t.Run(string(name), func(t *testing.T) {
			x, y := classData(20)
			whole := compiledMLP(t, opt)
			hw := fitEpochs(t, whole, x, y, 0, 4)

			first := compiledMLP(t, opt)
			h1 := fitEpochs(t, first, x, y, 0, 2)
			resumed, _ := tfjsRoundTrip(t, first, true)
			h2 := fitEpochs(t, resumed, x, y, 2, 4)
			for _, k := range []string{"loss", "accuracy"} {
				got := append(append([]float64{}, h1.History[k]...), h2.History[k]...)
				assert.Equal(t, hw.History[k], got, k)
			}
			assert.Equal(t, whole.Optimizer().Iterations(), resumed.Optimizer().Iterations())
		})
	}
}

// TestTFJSWithoutOptimizerStartsFresh: without include_optimizer the loaded
// model is not compiled (TF.js's default), so the resumed run differs.
func TestTFJSWithoutOptimizerStartsFresh(t *testing.T) {
	m := compiledMLP(t, "adam")
	x, y := classData(20)
	fitEpochs(t, m, x, y, 0, 1)
	m2, _ := tfjsRoundTrip(t, m, false)
	assert.Nil(t, m2.Optimizer())
}

// TestTFJSLoadsTFJSFile: the model.json + weights that TF.js 4.22 wrote
// (testdata/tfjs/gen.mjs: trained with adam, saved with includeOptimizer)
// loads with TF.js's predictions, compiled as TF.js had it, its Adam state
// restored, and trains on.
func TestTFJSLoadsTFJSFile(t *testing.T) {
	m, err := Load(filepath.Join("..", "testdata", "tfjs", "tfjs_adam"))
	require.NoError(t, err)
	var want struct {
		X           [][]float64 `json:"x"`
		Y           [][]float64 `json:"y"`
		Predictions [][]float64 `json:"predictions"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, filepath.Join("..", "testdata", "tfjs", "tfjs_adam", "expected.json"))), &want))
	x, y := tensor.New(len(want.X), 4), tensor.New(len(want.Y), 3)
	for i := range want.X {
		for j := range want.X[i] {
			x.Data[4*i+j] = float32(want.X[i][j])
		}
		for j := range want.Y[i] {
			y.Data[3*i+j] = float32(want.Y[i][j])
		}
	}
	p, err := m.Predict(x, 0)
	require.NoError(t, err)
	for i := range want.Predictions {
		for j, v := range want.Predictions[i] {
			assert.InDelta(t, v, p.Data[3*i+j], 1e-6, "sample %d class %d", i, j)
		}
	}
	require.NotNil(t, m.Optimizer())
	assert.Equal(t, "Adam", m.Optimizer().Config().ClassName)
	assert.InDelta(t, 0.01, m.Optimizer().LearningRate(), 1e-12)
	assert.Equal(t, int64(12), m.Optimizer().Iterations(), "3 epochs of 4 batches")
	h, err := m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: 4})
	require.NoError(t, err)
	assert.Len(t, h.History["loss"], 2)
	assert.Equal(t, int64(20), m.Optimizer().Iterations())
}

// TestSaveLoadFiles: Save picks the format from the path (a directory of
// model.json + group1-shardNofM.bin shards of 4 MiB, a .keras file, a
// .weights.h5 file) and Load / LoadWeights read each back.
func TestSaveLoadFiles(t *testing.T) {
	dir := t.TempDir()
	m, err := FromJSON(`{"class_name": "Sequential", "config": {"layers": [
	 {"class_name": "Dense", "config": {"units": 512, "activation": "relu", "batch_input_shape": [null, 784]}},
	 {"class_name": "Dense", "config": {"units": 512, "activation": "relu"}},
	 {"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}]}}`, 3)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy"}))
	x := input(8, 784)
	want, err := m.Predict(x, 0)
	require.NoError(t, err)

	sizes := map[string]int64{}
	for _, p := range []string{"mlp_tfjs", "mlp.keras", "mlp.weights.h5"} {
		require.NoError(t, m.Save(filepath.Join(dir, p)))
	}
	require.NoError(t, m.SaveWith(filepath.Join(dir, "mlp_noopt"), false))
	entries, err := os.ReadDir(filepath.Join(dir, "mlp_tfjs"))
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		files = append(files, e.Name())
		st, _ := os.Stat(filepath.Join(dir, "mlp_tfjs", e.Name()))
		sizes["tfjs/"+e.Name()] = st.Size()
	}
	// 669,706 weights + Adam's 2 slots (never stepped: zeros) + iter = 8,036,476 bytes.
	assert.Equal(t, []string{"group1-shard1of2.bin", "group1-shard2of2.bin", "model.json"}, files)
	assert.Equal(t, int64(TFJSShardBytes), sizes["tfjs/group1-shard1of2.bin"])
	assert.Equal(t, int64(4*(3*669706+1)-TFJSShardBytes), sizes["tfjs/group1-shard2of2.bin"])
	for _, p := range []string{"mlp.keras", "mlp.weights.h5", "mlp_noopt/group1-shard1of1.bin", "mlp_noopt/model.json"} {
		st, err := os.Stat(filepath.Join(dir, p))
		require.NoError(t, err)
		sizes[p] = st.Size()
	}
	t.Logf("MNIST MLP 784-512-512-10 saved sizes (bytes): %v", sizes)

	for _, p := range []string{"mlp_tfjs", "mlp_tfjs/model.json", "mlp.keras", "mlp_noopt"} {
		got, err := Load(filepath.Join(dir, p))
		require.NoError(t, err, p)
		pred, err := got.Predict(x, 0)
		require.NoError(t, err)
		assert.Equal(t, want.Data, pred.Data, p)
	}
	for _, p := range []string{"mlp.weights.h5", "mlp_tfjs"} {
		fresh, err := FromJSON(mustJSON(t, m), 99)
		require.NoError(t, err)
		require.NoError(t, fresh.LoadWeights(filepath.Join(dir, p)))
		pred, err := fresh.Predict(x, 0)
		require.NoError(t, err)
		assert.Equal(t, want.Data, pred.Data, p)
	}
	_, err = Load(filepath.Join(dir, "mlp.weights.h5"))
	assert.ErrorContains(t, err, "weights only")
}

func mustJSON(t *testing.T, m *Model) string {
	s, err := m.ToJSON()
	require.NoError(t, err)
	return s
}

// TestTFJSErrors: every damaged or unsupported file is refused, with a
// message naming what is wrong and the Keras class, before anything is made.
func TestTFJSErrors(t *testing.T) {
	m := compiledMLP(t, "adam")
	good, err := m.TFJSArtifacts(true)
	require.NoError(t, err)
	edit := func(f func(a *TFJSArtifacts)) *TFJSArtifacts {
		a := *good
		a.WeightSpecs = append([]TFJSWeightSpec(nil), good.WeightSpecs...)
		a.WeightData = append([]byte(nil), good.WeightData...)
		f(&a)
		return &a
	}
	for _, c := range []struct {
		name, want, class string
		a                 *TFJSArtifacts
	}{
		{"short data", "a weight shard is missing or short", nn.ValueError, edit(func(a *TFJSArtifacts) { a.WeightData = a.WeightData[:len(a.WeightData)-4] })},
		{"long data", "do not belong to this manifest", nn.ValueError, edit(func(a *TFJSArtifacts) { a.WeightData = append(a.WeightData, 0, 0, 0, 0) })},
		{"float16", `the weight dtype "float16" (weight "dense/kernel")`, nn.NotImplementedError, edit(func(a *TFJSArtifacts) { a.WeightSpecs[0].Dtype = "float16" })},
		{"quantized", `quantized weights (weight "dense/bias")`, nn.NotImplementedError, edit(func(a *TFJSArtifacts) {
			a.WeightSpecs[1].Quantization = json.RawMessage(`{"dtype":"uint8","scale":1,"min":0}`)
		})},
		{"huge shape", "expected non-negative dimensions", nn.ValueError, edit(func(a *TFJSArtifacts) { a.WeightSpecs[0].Shape = []int{1 << 20, 1 << 20} })},
		{"negative shape", "expected non-negative dimensions", nn.ValueError, edit(func(a *TFJSArtifacts) { a.WeightSpecs[0].Shape = []int{-4, -6} })},
		{"wrong shape", `weight "dense/kernel" has shape (6, 4) in the manifest; layer "dense" expects (4, 6)`, nn.ValueError, edit(func(a *TFJSArtifacts) { a.WeightSpecs[0].Shape = []int{6, 4} })},
		{"missing weight", `weight "bias" of layer "dense_1" is missing`, nn.ValueError, edit(func(a *TFJSArtifacts) { a.WeightSpecs[7].Name = "other/bias" })},
		{"graph model", `format "graph-model"`, nn.NotImplementedError, edit(func(a *TFJSArtifacts) { a.Format = "graph-model" })},
		{"unknown layer", `LSTMx`, nn.ValueError, edit(func(a *TFJSArtifacts) {
			a.ModelTopology = json.RawMessage(`{"class_name": "Sequential", "config": {"layers": [{"class_name": "LSTMx", "config": {"units": 2, "batch_input_shape": [null, 3, 4]}}]}}`)
		})},
		{"loss weights", "loss_weights", nn.NotImplementedError, edit(func(a *TFJSArtifacts) {
			a.TrainingConfig = json.RawMessage(`{"loss": "mse", "loss_weights": [1.0], "optimizer_config": {"class_name": "Adam", "config": {}}}`)
		})},
		{"optimizer runs", "not a whole number of runs", nn.ValueError, edit(func(a *TFJSArtifacts) {
			n := len(a.WeightSpecs)
			a.WeightSpecs = a.WeightSpecs[:n-1]
			a.WeightData = a.WeightData[:len(a.WeightData)-4*3]
		})},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromTFJSArtifacts(c.a, 0)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, c.class, nn.ErrorClass(err))
		})
	}
}

// TestTFJSFileErrors: a missing or short shard, a shard outside the model's
// directory and a model.json key that is not understood are named.
func TestTFJSFileErrors(t *testing.T) {
	dir := t.TempDir()
	m := compiledMLP(t, "adam")
	require.NoError(t, m.Save(filepath.Join(dir, "a")))
	shard := filepath.Join(dir, "a", "group1-shard1of1.bin")
	b, err := os.ReadFile(shard)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(shard, b[:len(b)-1], 0o644))
	_, err = Load(filepath.Join(dir, "a"))
	assert.ErrorContains(t, err, "a weight shard is missing or short")
	require.NoError(t, os.Remove(shard))
	_, err = Load(filepath.Join(dir, "a"))
	assert.ErrorContains(t, err, "the weight shard group1-shard1of1.bin listed in")
	assert.ErrorContains(t, err, "is missing")

	mj := readFile(t, filepath.Join(dir, "a", "model.json"))
	var top map[string]any
	require.NoError(t, json.Unmarshal([]byte(mj), &top))
	top["weightsManifest"].([]any)[0].(map[string]any)["paths"] = []any{"../../etc/passwd"}
	b, _ = json.Marshal(top)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a", "model.json"), b, 0o644))
	_, err = Load(filepath.Join(dir, "a"))
	assert.ErrorContains(t, err, "a shard must be a file beside model.json")

	delete(top, "weightsManifest")
	top["signature"] = map[string]any{}
	b, _ = json.Marshal(top)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a", "model.json"), b, 0o644))
	_, err = Load(filepath.Join(dir, "a"))
	assert.ErrorContains(t, err, "signature")
	assert.Equal(t, nn.NotImplementedError, nn.ErrorClass(err))
}

// TestTFJSConverterModelTopology: tensorflowjs_converter's model.json (a
// tf.keras 2 model: modelTopology holds model_config and training_config,
// with "Custom>Adam", is_legacy_optimizer and per-output metric lists) loads
// compiled.
func TestTFJSConverterModelTopology(t *testing.T) {
	m := compiledMLP(t, "adam")
	plain, err := m.TFJSArtifacts(false)
	require.NoError(t, err)
	var topo map[string]any
	require.NoError(t, json.Unmarshal(plain.ModelTopology, &topo))
	conv, _ := json.Marshal(map[string]any{"format": "layers-model", "generatedBy": "keras v2.15.0", "convertedBy": "TensorFlow.js Converter v4.22.0",
		"modelTopology": map[string]any{"keras_version": "2.15.0", "backend": "tensorflow", "model_config": topo,
			"training_config": map[string]any{"loss": "categorical_crossentropy", "metrics": []any{[]any{"accuracy"}}, "weighted_metrics": nil, "loss_weights": nil,
				"optimizer_config": map[string]any{"class_name": "Custom>Adam", "config": map[string]any{"name": "Adam", "learning_rate": 0.005, "is_legacy_optimizer": false}}}},
		"weightsManifest": []any{map[string]any{"paths": []any{"group1-shard1of1.bin"}, "weights": plain.WeightSpecs}}})
	a, groups, err := ParseTFJSModelJSON(conv)
	require.NoError(t, err)
	assert.Equal(t, []string{"group1-shard1of1.bin"}, groups[0].Paths)
	a.WeightData = plain.WeightData
	got, err := FromTFJSArtifacts(a, 1)
	require.NoError(t, err)
	require.NotNil(t, got.Optimizer())
	assert.InDelta(t, 0.005, got.Optimizer().LearningRate(), 1e-12)
	assert.Equal(t, []string{"loss", "accuracy"}, got.MetricsNames())
}

// TestKerasFileKeepsCompile: a compiled model's .keras holds Keras 3's
// compile_config, and the loaded model is compiled the same way.
func TestKerasFileKeepsCompile(t *testing.T) {
	m := compiledMLP(t, map[string]any{"class_name": "Adam", "config": map[string]any{"learning_rate": 0.003}})
	path := filepath.Join(t.TempDir(), "m.keras")
	require.NoError(t, m.Save(path))
	got, err := Load(path)
	require.NoError(t, err)
	require.NotNil(t, got.Optimizer())
	assert.Equal(t, "Adam", got.Optimizer().Config().ClassName)
	assert.InDelta(t, 0.003, got.Optimizer().LearningRate(), 1e-12)
	assert.Equal(t, "categorical_crossentropy", got.Loss())
	assert.Equal(t, []string{"loss", "accuracy"}, got.MetricsNames())
}
