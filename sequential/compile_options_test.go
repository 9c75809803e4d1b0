package sequential

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompileOptionsFromMap(t *testing.T) {
	o, err := CompileOptionsFromMap(decode(t, `{"optimizer": "adam", "loss": "mse", "metrics": ["mae"],
		"weighted_metrics": ["mae", "accuracy"], "run_eagerly": true, "steps_per_execution": 1, "jit_compile": "auto"}`))
	require.NoError(t, err)
	assert.Equal(t, CompileOptions{Optimizer: "adam", Loss: "mse", Metrics: []any{"mae"}, WeightedMetrics: []any{"mae", "accuracy"}}, o)

	o, err = CompileOptionsFromMap(decode(t, `{"metrics": "accuracy", "weighted_metrics": {"class_name": "MeanSquaredError", "config": {}}}`))
	require.NoError(t, err)
	assert.Equal(t, []any{"accuracy"}, o.Metrics, "a single metric stands for a list of one")
	assert.Len(t, o.WeightedMetrics, 1)

	o, err = CompileOptionsFromMap(nil)
	require.NoError(t, err)
	assert.Equal(t, CompileOptions{}, o, "nothing given: Compile's defaults (rmsprop, no loss)")

	for _, tc := range []struct{ name, json, want string }{
		{"loss_weights", `{"loss": "mse", "loss_weights": [1]}`, "not implemented"},
		{"steps_per_execution", `{"steps_per_execution": 4}`, "steps_per_execution"},
		{"jit_compile", `{"jit_compile": true}`, "XLA"},
		{"run_eagerly", `{"run_eagerly": "yes"}`, "run_eagerly"},
	} {
		_, err := CompileOptionsFromMap(decode(t, tc.json))
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), tc.want, tc.name)
	}
}

// TestCompileUnknownArgumentListsWhatCompileTakes: a typo is answered with
// the nearest argument and the list of what compile takes, without
// loss_weights, which it refuses.
func TestCompileUnknownArgumentListsWhatCompileTakes(t *testing.T) {
	_, err := CompileOptionsFromMap(decode(t, `{"loss": "mse", "weighted_metric": ["mae"]}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `compile: unknown argument "weighted_metric" (did you mean "weighted_metrics"?); `+
		`compile takes: jit_compile, loss, metrics, optimizer, run_eagerly, steps_per_execution, weighted_metrics`)
}

// TestWeightedMetricsFromCompileOptionsMatchKerasFormula: weighted_metrics
// given by name through the options map are weighted by sample_weight, as
// tf.keras's MeanMetricWrapper: sum(w·m)/sum(w); the plain metrics ignore
// the weights; the loss is sum(w·l)/n (SUM_OVER_BATCH_SIZE). A weighted
// metric whose name an unweighted one holds is logged as "weighted_<name>"
// (tf.keras compile_utils MetricsContainer._set_metric_names); one that
// clashes with nothing keeps its name.
func TestWeightedMetricsFromCompileOptionsMatchKerasFormula(t *testing.T) {
	x, y := randomData(10, 4, 3)
	m, err := NewWithLayers("", 7, dense(t, 1, map[string]any{"input_dim": 4, "activation": "sigmoid"}))
	require.NoError(t, err)
	o, err := CompileOptionsFromMap(decode(t, `{"optimizer": "sgd", "loss": "mse", "metrics": ["mae"], "weighted_metrics": ["mae", "accuracy"]}`))
	require.NoError(t, err)
	require.NoError(t, m.Compile(o))
	assert.Equal(t, []string{"loss", "mae", "weighted_mae", "accuracy"}, m.MetricsNames())

	w := []float32{1, 0, 2, 0.5, 3, 0, 1, 4, 0.25, 2}
	got, err := m.Evaluate(x, y, EvaluateOptions{SampleWeight: w, BatchSize: 10, Verbose: 0})
	require.NoError(t, err)

	p, err := m.Predict(x, 0)
	require.NoError(t, err)
	var sumW, wLoss, mae, wMAE, wAcc float64
	for i, pf := range p.Data {
		yi, pi, wi := float64(y.Data[i]), float64(pf), float64(w[i])
		d := math.Abs(yi - pi)
		hit := 0.0
		if (pi > 0.5) == (yi == 1) {
			hit = 1
		}
		sumW += wi
		wLoss += wi * d * d
		mae += d
		wMAE += wi * d
		wAcc += wi * hit
	}
	n := float64(len(w))
	const tol = 1e-6
	assert.InDelta(t, wLoss/n, got[0], tol, "loss: sum(w·l)/n")
	assert.InDelta(t, mae/n, got[1], tol, "mae: unweighted")
	assert.InDelta(t, wMAE/sumW, got[2], tol, "weighted_mae: sum(w·|y-p|)/sum(w)")
	assert.InDelta(t, wAcc/sumW, got[3], tol, "accuracy (weighted): sum(w·hit)/sum(w)")
	assert.NotEqual(t, got[1], got[2], "the weights change the weighted metric")

	scores, err := m.TestOnBatch(x, y, w)
	require.NoError(t, err)
	assert.InDeltaSlice(t, got, scores, tol, "test_on_batch weighs as evaluate does")
}
