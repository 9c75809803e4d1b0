package sequential

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, s string) map[string]any {
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m))
	return m
}

func TestFitOptionsFromMap(t *testing.T) {
	o, err := FitOptionsFromMap(nil)
	require.NoError(t, err)
	assert.Equal(t, DefaultFitOptions(), o)

	o, err = FitOptionsFromMap(decode(t, `{"epochs": 10, "batch_size": 64, "verbose": 2, "validation_split": 0.1,
		"shuffle": false, "class_weight": {"0": 1, "1": 5}, "sample_weight": [1, 2, 3], "initial_epoch": 2,
		"steps_per_epoch": 7, "validation_steps": 3, "validation_batch_size": 16, "validation_freq": 2}`))
	require.NoError(t, err)
	assert.Equal(t, FitOptions{Epochs: 10, BatchSize: 64, Verbose: 2, ValidationSplit: 0.1, Shuffle: false,
		ClassWeight: map[int]float64{0: 1, 1: 5}, SampleWeight: []float32{1, 2, 3}, InitialEpoch: 2,
		StepsPerEpoch: 7, ValidationSteps: 3, ValidationBatchSize: 16, ValidationFreq: 2}, o)

	o, err = FitOptionsFromMap(decode(t, `{"verbose": "auto", "batch_size": null}`))
	require.NoError(t, err)
	assert.Equal(t, 1, o.Verbose)
	assert.Equal(t, 32, o.BatchSize)

	for _, tc := range []struct {
		name, json, want string
	}{
		{"unknown", `{"epoch": 3}`, `unknown argument "epoch"`},
		{"batch_size 0", `{"batch_size": 0}`, "batch_size"},
		{"batch_size fraction", `{"batch_size": 1.5}`, "batch_size"},
		{"verbose", `{"verbose": 3}`, "verbose"},
		{"verbose string", `{"verbose": "loud"}`, "verbose"},
		{"validation_split", `{"validation_split": 1}`, "validation_split"},
		{"shuffle batch", `{"shuffle": "batch"}`, "not implemented"},
		{"class_weight", `{"class_weight": {"a": 1}}`, "class_weight"},
		{"sample_weight", `{"sample_weight": ["x"]}`, "sample_weight"},
		{"validation_data", `{"validation_data": [[1], [2]]}`, "validation_data"},
		{"workers", `{"workers": 4}`, "workers"},
		{"epochs", `{"epochs": -1}`, "epochs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FitOptionsFromMap(decode(t, tc.json))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestInitialEpochAndStepsPerEpoch: epochs run from initial_epoch; with
// steps_per_epoch, epochs take that many batches from an endless stream.
func TestInitialEpochAndStepsPerEpoch(t *testing.T) {
	x, y := randomClasses(50, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	o := quiet()
	o.Epochs, o.InitialEpoch = 4, 2
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, h.Epoch)

	var sizes []int
	o = quiet()
	o.Epochs, o.StepsPerEpoch, o.BatchSize = 3, 2, 20
	o.Callbacks = []Callback{&LambdaCallback{BatchBegin: func(_ int, l Logs) error {
		sizes = append(sizes, int(l["size"]))
		return nil
	}}}
	h, err = m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, []int{20, 20, 10, 20, 20, 10}, sizes, "passes of 50 samples: 20, 20, 10")
	assert.Equal(t, 2, h.Params["steps"])
	assert.NotContains(t, h.Params, "samples")
}

func TestValidationFreqAndSteps(t *testing.T) {
	x, y := randomClasses(50, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var valBatches int
	o := quiet()
	o.Epochs, o.ValidationSplit, o.ValidationFreq, o.ValidationSteps, o.ValidationBatchSize = 4, 0.4, 2, 1, 5
	o.Callbacks = []Callback{&LambdaCallback{TestBatchEnd: func(int, Logs) error { valBatches++; return nil }}}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Len(t, h.History["loss"], 4)
	assert.Len(t, h.History["val_loss"], 2, "validation after epochs 2 and 4")
	assert.Equal(t, 2, valBatches)
}

func TestEvaluateAndPredictOptionsFromMap(t *testing.T) {
	e, err := EvaluateOptionsFromMap(decode(t, `{"batch_size": 8, "verbose": 0, "sample_weight": [1, 2], "steps": 3}`))
	require.NoError(t, err)
	assert.Equal(t, EvaluateOptions{BatchSize: 8, SampleWeight: []float32{1, 2}, Steps: 3}, e)
	e, err = EvaluateOptionsFromMap(nil)
	require.NoError(t, err)
	assert.Equal(t, 1, e.Verbose, "Keras's evaluate default is verbose 'auto' = 1")
	p, err := PredictOptionsFromMap(decode(t, `{"batch_size": 8, "verbose": 0, "steps": 2}`))
	require.NoError(t, err)
	assert.Equal(t, PredictOptions{BatchSize: 8, Steps: 2}, p)
	for _, tc := range []struct{ name, json, want string }{
		{"unknown", `{"batchsize": 3}`, "batchsize"},
		{"return_dict", `{"return_dict": true}`, "return_dict"},
		{"batch_size", `{"batch_size": 0}`, "batch_size"},
		{"steps", `{"steps": -1}`, "steps"},
	} {
		_, err := EvaluateOptionsFromMap(decode(t, tc.json))
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want)
	}
	_, err = PredictOptionsFromMap(decode(t, `{"callbacks": []}`))
	require.Error(t, err)
	_, err = PredictOptionsFromMap(decode(t, `{"verbose": 2}`))
	require.Error(t, err)
}
