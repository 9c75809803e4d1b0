package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// The door's option handling is sequential's (its ...OptionsFromMap): these
// tests check that each door passes the JSON through, and that what Keras
// takes works from the door.

// TestDoorWeightedMetrics: compile's weighted_metrics (a name and a JS
// function) are weighted by the sample weights evaluate and the on-batch
// calls receive beside the JSON; the clashing name gets "weighted_".
func TestDoorWeightedMetrics(t *testing.T) {
	rt := NewRuntime()
	rt.SetRandomSeed(3)
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"loss": "binary_crossentropy", "metrics": ["mae"],
		"weighted_metrics": ["mae", {"__js_fn__": 0, "name": "pred"}]}`, predPerSample))
	x, y := binaryData(5, 16, 100)
	sw := tensor.New(16)
	for i := range sw.Data {
		sw.Data[i] = float32(i % 3)
	}
	got, err := rt.Evaluate(h, x, y, `{"verbose": 0}`, Extras{SampleWeight: sw})
	require.NoError(t, err)
	info := modelInfoOf(t, rt, h)
	assert.Equal(t, []string{"loss", "mae", "weighted_mae", "pred"}, info.MetricsNames)

	p, err := rt.Predict(h, x, `{}`, Extras{})
	require.NoError(t, err)
	var sumW, mae, wMAE, wMean float64
	for i, pf := range p.Data {
		d, w := math.Abs(float64(y.Data[i])-float64(pf)), float64(sw.Data[i])
		sumW += w
		mae += d
		wMAE += w * d
		wMean += w * float64(pf)
	}
	assert.InDelta(t, mae/16, got[1], 1e-6, "mae is unweighted")
	assert.InDelta(t, wMAE/sumW, got[2], 1e-6, "weighted_mae = sum(w·|y-p|)/sum(w)")
	assert.InDelta(t, wMean/sumW, got[3], 1e-6, "a JS weighted metric is weighted too: sum(w·p)/sum(w)")

	batch, err := rt.TestOnBatch(h, x, y, "", Extras{SampleWeight: sw})
	require.NoError(t, err)
	assert.InDeltaSlice(t, got, batch, 1e-6)
}

// predPerSample is pred(y_true, y_pred) = y_pred, one value per sample, as
// a JS metric function would return it.
func predPerSample(i int, yTrue, yPred *tensor.Tensor) ([]float32, error) {
	return append([]float32(nil), yPred.Data...), nil
}

// TestDoorPredictVerbose: predict's verbose 1 prints the progress bar
// through the print function, as evaluate's; the default prints nothing.
func TestDoorPredictVerbose(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	x, _ := binaryData(5, 40, 100)
	var lines []string
	ex := Extras{Print: func(s string) { lines = append(lines, s) }}
	_, err := rt.Predict(h, x, `{"verbose": 1}`, ex)
	require.NoError(t, err)
	require.NotEmpty(t, lines)
	assert.Regexp(t, `^40/40 \[=+\] - \d+s \d+(u|m)?s/step$`, lines[len(lines)-1], strings.Join(lines, "\n"))

	lines = nil
	_, err = rt.Predict(h, x, `{"batch_size": 8}`, ex)
	require.NoError(t, err)
	assert.Empty(t, lines, "Keras 2's predict is silent by default")
}

// TestDoorUnknownOptionsListWhatTheCallTakes: each door reports an unknown
// key once, named after the call, with what the call takes and no refused key.
func TestDoorUnknownOptionsListWhatTheCallTakes(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"loss": "binary_crossentropy"}`, nil))
	x, y := binaryData(5, 8, 100)
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"fit", func() error { _, err := rt.PrepareFit(h, x, y, `{"epocs": 2}`, Extras{}); return err },
			`fit: unknown argument "epocs" (did you mean "epochs"?); fit takes: batch_size, callbacks,`},
		{"evaluate", func() error { _, err := rt.Evaluate(h, x, y, `{"steps_": 1}`, Extras{}); return err },
			`evaluate: unknown argument "steps_" (did you mean "steps"?); evaluate takes: batch_size, callbacks, return_dict, sample_weight, steps, verbose`},
		{"predict", func() error { _, err := rt.Predict(h, x, `{"batch": 1}`, Extras{}); return err },
			`predict: unknown argument "batch"; predict takes: batch_size, callbacks, steps, verbose`},
		{"train_on_batch", func() error { _, err := rt.TrainOnBatch(h, x, y, `{"reset": true}`, Extras{}); return err },
			`train_on_batch: unknown argument "reset"; train_on_batch takes: reset_metrics, return_dict, sample_weight`},
		{"compile", func() error { return rt.Compile(h, `{"los": "mse"}`, nil) },
			`compile: unknown argument "los" (did you mean "loss"?); compile takes: jit_compile, loss, metrics, optimizer, run_eagerly, steps_per_execution, weighted_metrics`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), tc.name+": "+tc.name+": ", "one prefix")
			assert.NotContains(t, err.Error(), "workers")
		})
	}
}

// modelInfoOf reads the model's info as JS does.
func modelInfoOf(t *testing.T, rt *Runtime, h int) modelInfo {
	t.Helper()
	s, err := rt.Info(h)
	require.NoError(t, err)
	var info modelInfo
	require.NoError(t, json.Unmarshal([]byte(s), &info))
	return info
}
