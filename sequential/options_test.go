package sequential

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
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
	for _, tc := range []struct {
		json string
		want int
	}{{`{}`, 0}, {`{"verbose": 1}`, 1}, {`{"verbose": 2}`, 2}, {`{"verbose": "auto"}`, 1}, {`{"verbose": null}`, 0}} {
		p, err := PredictOptionsFromMap(decode(t, tc.json))
		require.NoError(t, err, tc.json)
		assert.Equal(t, tc.want, p.Verbose, "predict %s: Keras 2's default 0; \"auto\" is 1", tc.json)
	}
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
	_, err = PredictOptionsFromMap(decode(t, `{"verbose": 3}`))
	require.Error(t, err)
}

// TestUnknownArgumentListsOnlyWhatTheCallTakes: for each call, a typo gets
// the nearest argument and the list of what the call takes, in which the
// refused keys (the data x and y, the Python generator arguments, and
// train_on_batch's unimplemented class_weight) never appear.
func TestUnknownArgumentListsOnlyWhatTheCallTakes(t *testing.T) {
	onBatch := func(op string) func(map[string]any) error {
		return func(m map[string]any) error { _, err := OnBatchOptionsFromMap(op, m); return err }
	}
	for _, tc := range []struct {
		name  string
		read  func(map[string]any) error
		typo  string
		want  string
		takes string
	}{
		{"fit", func(m map[string]any) error { _, err := FitOptionsFromMap(m); return err }, "epocs", "epochs",
			"fit takes: batch_size, callbacks, class_weight, epochs, initial_epoch, sample_weight, shuffle, steps_per_epoch, " +
				"validation_batch_size, validation_data, validation_freq, validation_split, validation_steps, verbose"},
		{"evaluate", func(m map[string]any) error { _, err := EvaluateOptionsFromMap(m); return err }, "batchsize", "batch_size",
			"evaluate takes: batch_size, callbacks, return_dict, sample_weight, steps, verbose"},
		{"predict", func(m map[string]any) error { _, err := PredictOptionsFromMap(m); return err }, "verbos", "verbose",
			"predict takes: batch_size, callbacks, steps, verbose"},
		{"train_on_batch", onBatch("train_on_batch"), "sample_weights", "sample_weight",
			"train_on_batch takes: reset_metrics, return_dict, sample_weight"},
		{"test_on_batch", onBatch("test_on_batch"), "reset_metric", "reset_metrics",
			"test_on_batch takes: reset_metrics, return_dict, sample_weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.read(map[string]any{tc.typo: 1.0})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.name+`: unknown argument "`+tc.typo+`" (did you mean "`+tc.want+`"?); `+tc.takes)
			for _, refused := range []string{"workers", "use_multiprocessing", "max_queue_size", " x,", " y,", "class_weight"} {
				if tc.name == "fit" && refused == "class_weight" {
					continue
				}
				assert.NotContains(t, err.Error(), refused)
			}
		})
	}
}

// TestRefusedKeysSayWhy: the refused keys are errors of their own, naming
// the key, never "unknown".
func TestRefusedKeysSayWhy(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"fit x", `{"x": [[1]]}`, "positional argument"},
		{"fit workers", `{"workers": 4}`, "Python generators"},
		{"evaluate y", `{"y": [1]}`, "positional argument"},
		{"predict use_multiprocessing", `{"use_multiprocessing": true}`, "Python generators"},
	} {
		var err error
		switch tc.name[:strings.IndexByte(tc.name, ' ')] {
		case "fit":
			_, err = FitOptionsFromMap(decode(t, tc.json))
		case "evaluate":
			_, err = EvaluateOptionsFromMap(decode(t, tc.json))
		default:
			_, err = PredictOptionsFromMap(decode(t, tc.json))
		}
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
		assert.NotContains(t, err.Error(), "unknown argument", tc.name)
	}
}

func TestOnBatchOptionsFromMap(t *testing.T) {
	o, err := OnBatchOptionsFromMap("train_on_batch", decode(t, `{"sample_weight": [1, 0.5], "reset_metrics": true, "return_dict": false}`))
	require.NoError(t, err)
	assert.Equal(t, OnBatchOptions{SampleWeight: []float32{1, 0.5}}, o)
	o, err = OnBatchOptionsFromMap("test_on_batch", nil)
	require.NoError(t, err)
	assert.Equal(t, OnBatchOptions{}, o)

	_, err = OnBatchOptionsFromMap("train_on_batch", decode(t, `{"class_weight": {"0": 1}}`))
	require.Error(t, err)
	assert.Equal(t, nn.NotImplementedError, nn.ErrorClass(err))
	_, err = OnBatchOptionsFromMap("test_on_batch", decode(t, `{"class_weight": {"0": 1}}`))
	assert.ErrorContains(t, err, `unknown argument "class_weight"`, "Keras's test_on_batch has no class_weight")
	_, err = OnBatchOptionsFromMap("test_on_batch", decode(t, `{"reset_metrics": false}`))
	assert.ErrorContains(t, err, "reset_metrics")
	_, err = OnBatchOptionsFromMap("train_on_batch", decode(t, `{"return_dict": true}`))
	assert.ErrorContains(t, err, "return_dict")
	assert.Panics(t, func() { _, _ = OnBatchOptionsFromMap("fit", nil) })
}

// TestPredictVerbose: predict's verbose 1 prints the progress bar over the
// samples, as evaluate does (Keras 2's predict shows the bar alone); verbose
// 2 its last line; 0 nothing.
func TestPredictVerbose(t *testing.T) {
	x, _ := randomClasses(100, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var out bytes.Buffer
	_, err := m.PredictWith(x, PredictOptions{Verbose: 1, Out: &out})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`(?s)^.*
100/100 \[={30}\] - \d+s \d+(u|m)?s/step
$`), out.String())
	assert.NotContains(t, out.String(), "loss")

	out.Reset()
	_, err = m.PredictWith(x, PredictOptions{Verbose: 2, Out: &out, BatchSize: 10})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^ - \d+s
$`), out.String())

	out.Reset()
	_, err = m.PredictWith(x, PredictOptions{Out: &out})
	require.NoError(t, err)
	assert.Empty(t, out.String())

	_, err = m.PredictWith(x, PredictOptions{Verbose: 3})
	assert.ErrorContains(t, err, "verbose")
}

// TestPredictVerboseDuringFit: a predict with its own progress bar inside a
// fit (a JS fit yields, and the page may predict) leaves fit's output where
// fit sends it.
func TestPredictVerboseDuringFit(t *testing.T) {
	x, y := randomClasses(40, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var fitOut, predOut bytes.Buffer
	o := DefaultFitOptions()
	o.Epochs, o.Out = 2, &fitOut
	o.Callbacks = []Callback{&LambdaCallback{EpochEnd: func(int, Logs) error {
		_, err := m.PredictWith(x, PredictOptions{Verbose: 1, Out: &predOut})
		return err
	}}}
	_, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Contains(t, fitOut.String(), "Epoch 2/2")
	assert.Regexp(t, `40/40 \[={30}\] - \d+s`, fitOut.String())
	for _, line := range strings.Split(fitOut.String(), "\n") {
		if strings.HasPrefix(line, "40/40 [") {
			assert.Contains(t, line, "loss", "fit's bar, never predict's: %q", line)
		}
	}
	assert.Equal(t, 2, strings.Count(predOut.String(), "40/40 ["), "one bar per predict")
}
