package nn

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// TestMetricConfigRoundTrip checks every metric class's config against
// Keras's keys, and that the config makes the same metric again.
func TestMetricConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"Accuracy", "Accuracy", `{"class_name": "Accuracy", "config": {"name": "accuracy", "dtype": "float32"}}`},
		{"BinaryAccuracy", metricCfg("BinaryAccuracy", map[string]any{"threshold": 0.7, "name": "acc7"}),
			`{"class_name": "BinaryAccuracy", "config": {"name": "acc7", "dtype": "float32", "threshold": 0.7}}`},
		{"CategoricalAccuracy", "CategoricalAccuracy", `{"class_name": "CategoricalAccuracy", "config": {"name": "categorical_accuracy", "dtype": "float32"}}`},
		{"SparseCategoricalAccuracy", "SparseCategoricalAccuracy", `{"class_name": "SparseCategoricalAccuracy", "config": {"name": "sparse_categorical_accuracy", "dtype": "float32"}}`},
		{"TopKCategoricalAccuracy", "TopKCategoricalAccuracy", `{"class_name": "TopKCategoricalAccuracy", "config": {"name": "top_k_categorical_accuracy", "dtype": "float32", "k": 5}}`},
		{"SparseTopKCategoricalAccuracy", metricCfg("SparseTopKCategoricalAccuracy", map[string]any{"k": 3.0}),
			`{"class_name": "SparseTopKCategoricalAccuracy", "config": {"name": "sparse_top_k_categorical_accuracy", "dtype": "float32", "k": 3}}`},
		{"MeanSquaredError", "MeanSquaredError", `{"class_name": "MeanSquaredError", "config": {"name": "mean_squared_error", "dtype": "float32"}}`},
		{"MeanAbsoluteError", "MeanAbsoluteError", `{"class_name": "MeanAbsoluteError", "config": {"name": "mean_absolute_error", "dtype": "float32"}}`},
		{"MeanAbsolutePercentageError", "MeanAbsolutePercentageError", `{"class_name": "MeanAbsolutePercentageError", "config": {"name": "mean_absolute_percentage_error", "dtype": "float32"}}`},
		{"MeanSquaredLogarithmicError", "MeanSquaredLogarithmicError", `{"class_name": "MeanSquaredLogarithmicError", "config": {"name": "mean_squared_logarithmic_error", "dtype": "float32"}}`},
		{"Hinge", "Hinge", `{"class_name": "Hinge", "config": {"name": "hinge", "dtype": "float32"}}`},
		{"SquaredHinge", "SquaredHinge", `{"class_name": "SquaredHinge", "config": {"name": "squared_hinge", "dtype": "float32"}}`},
		{"CategoricalHinge", "CategoricalHinge", `{"class_name": "CategoricalHinge", "config": {"name": "categorical_hinge", "dtype": "float32"}}`},
		{"Poisson", "Poisson", `{"class_name": "Poisson", "config": {"name": "poisson", "dtype": "float32"}}`},
		{"KLDivergence", "KLDivergence", `{"class_name": "KLDivergence", "config": {"name": "kullback_leibler_divergence", "dtype": "float32"}}`},
		{"LogCoshError", "LogCoshError", `{"class_name": "LogCoshError", "config": {"name": "logcosh", "dtype": "float32"}}`},
		{"CosineSimilarity", "CosineSimilarity", `{"class_name": "CosineSimilarity", "config": {"name": "cosine_similarity", "dtype": "float32", "axis": -1}}`},
		{"BinaryCrossentropy", metricCfg("BinaryCrossentropy", map[string]any{"from_logits": true, "label_smoothing": 0.1}),
			`{"class_name": "BinaryCrossentropy", "config": {"name": "binary_crossentropy", "dtype": "float32", "from_logits": true, "label_smoothing": 0.1}}`},
		{"CategoricalCrossentropy", "CategoricalCrossentropy",
			`{"class_name": "CategoricalCrossentropy", "config": {"name": "categorical_crossentropy", "dtype": "float32", "from_logits": false, "label_smoothing": 0, "axis": -1}}`},
		{"SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy",
			`{"class_name": "SparseCategoricalCrossentropy", "config": {"name": "sparse_categorical_crossentropy", "dtype": "float32", "from_logits": false, "ignore_class": null, "axis": -1}}`},
		{"Mean", "Mean", `{"class_name": "Mean", "config": {"name": "mean", "dtype": "float32"}}`},
		{"Precision", "Precision", `{"class_name": "Precision", "config": {"name": "precision", "dtype": "float32", "thresholds": null, "top_k": null, "class_id": null}}`},
		{"Recall", metricCfg("Recall", map[string]any{"thresholds": []any{0.3}, "top_k": 2.0, "class_id": 1.0}),
			`{"class_name": "Recall", "config": {"name": "recall", "dtype": "float32", "thresholds": [0.3], "top_k": 2, "class_id": 1}}`},
		{"AUC", "AUC", `{"class_name": "AUC", "config": {"name": "auc", "dtype": "float32", "num_thresholds": 200, "curve": "ROC",
			"summation_method": "interpolation", "multi_label": false, "num_labels": null, "label_weights": null, "from_logits": false}}`},
		{"AUC thresholds", metricCfg("AUC", map[string]any{"thresholds": []any{0.6, 0.2}, "curve": "pr", "summation_method": "majoring"}),
			`{"class_name": "AUC", "config": {"name": "auc", "dtype": "float32", "num_thresholds": 4, "curve": "PR", "thresholds": [0.2, 0.6],
			"summation_method": "majoring", "multi_label": false, "num_labels": null, "label_weights": null, "from_logits": false}}`},
		{"MeanMetricWrapper", "mse", `{"class_name": "MeanMetricWrapper", "config": {"name": "mse", "dtype": "float32", "fn": "mean_squared_error"}}`},
		{"MeanMetricWrapper kwargs", metricCfg("MeanMetricWrapper", map[string]any{"fn": "binary_accuracy", "name": "acc", "threshold": 0.3}),
			`{"class_name": "MeanMetricWrapper", "config": {"name": "acc", "dtype": "float32", "fn": "binary_accuracy", "threshold": 0.3}}`},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := GetMetric(tc.in)
			require.NoError(t, err)
			got := mustJSON(t, m.Config())
			assert.JSONEq(t, tc.want, string(got))
			c, err := ParseConfig(got)
			require.NoError(t, err)
			again, err := GetMetric(c)
			require.NoError(t, err)
			assert.JSONEq(t, string(got), string(mustJSON(t, again.Config())))
			assert.Equal(t, m.Name(), again.Name())
			seen[c.ClassName] = true
		})
	}
	for _, name := range MetricNames() {
		assert.True(t, seen[name], "no round trip test for metric class %s", name)
	}
}

// TestGetMetricNames checks how strings become metrics: class names give the
// class and its default name; function names a MeanMetricWrapper logged under
// the name as written.
func TestGetMetricNames(t *testing.T) {
	tests := []struct {
		in, class, name string
	}{
		{"mse", "MeanMetricWrapper", "mse"},
		{"MSE", "MeanMetricWrapper", "MSE"},
		{"mean_squared_error", "MeanMetricWrapper", "mean_squared_error"},
		{"MeanSquaredError", "MeanSquaredError", "mean_squared_error"},
		{"binary_accuracy", "MeanMetricWrapper", "binary_accuracy"},
		{"kld", "MeanMetricWrapper", "kld"},
		{"logcosh", "MeanMetricWrapper", "logcosh"},
		{"cosine_proximity", "MeanMetricWrapper", "cosine_proximity"},
		{"AUC", "AUC", "auc"},
		{"auc", "AUC", "auc"},
		{"precision", "Precision", "precision"},
		{"Recall", "Recall", "recall"},
		{"acc", "MeanMetricWrapper", "acc"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			m := mustMetric(t, tc.in)
			assert.Equal(t, tc.class, m.Config().ClassName)
			assert.Equal(t, tc.name, m.Name())
		})
	}
}

// TestMetricErrors checks unknown names (listing the valid ones) and bad
// arguments.
func TestMetricErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"unknown", "acuracy", []string{`unknown metric "acuracy": did you mean "accuracy"?`, "Valid metric functions:", "binary_accuracy", "mse"}},
		{"unknown class", "BinaryAcuracy", []string{`unknown metric "BinaryAcuracy": did you mean "BinaryAccuracy"?`, "Valid metric classes:", "AUC", "BinaryAccuracy"}},
		{"crossentropy without shapes", "crossentropy", []string{"ResolveMetric"}},
		{"label_smoothing 2", metricCfg("BinaryCrossentropy", map[string]any{"label_smoothing": 2.0}), []string{"Received: label_smoothing=2"}},
		{"k 0", metricCfg("TopKCategoricalAccuracy", map[string]any{"k": 0.0}), []string{"Received: k=0"}},
		{"several thresholds", metricCfg("Precision", map[string]any{"thresholds": []any{0.3, 0.6}}), []string{"not implemented", "Received: thresholds=[0.3,0.6]"}},
		{"threshold 2", metricCfg("Recall", map[string]any{"thresholds": 2.0}), []string{"Received: thresholds=2"}},
		{"top_k 0", metricCfg("Precision", map[string]any{"top_k": 0.0}), []string{"Received: top_k=0"}},
		{"num_thresholds 1", metricCfg("AUC", map[string]any{"num_thresholds": 1.0}), []string{"an integer > 1", "Received: num_thresholds=1"}},
		{"curve", metricCfg("AUC", map[string]any{"curve": "DET"}), []string{`Received: curve="DET"`}},
		{"multi_label", metricCfg("AUC", map[string]any{"multi_label": true}), []string{"multi_label AUC is not implemented"}},
		{"label_weights", metricCfg("AUC", map[string]any{"label_weights": []any{1.0, 2.0}}), []string{"label_weights is not implemented"}},
		{"dtype", metricCfg("Mean", map[string]any{"dtype": "float64"}), []string{`Received: dtype="float64"`}},
		{"unknown argument", metricCfg("BinaryAccuracy", map[string]any{"treshold": 0.3}), []string{`unknown argument "treshold"`, "threshold"}},
		{"user function config", metricCfg("MeanMetricWrapper", map[string]any{"fn": "mean_pred", "name": "mean_pred"}),
			[]string{`Received: fn="mean_pred"`, "user-defined function cannot be rebuilt"}},
		{"ignore_class", metricCfg("SparseCategoricalCrossentropy", map[string]any{"ignore_class": 0.0}), []string{"ignore_class is not implemented"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GetMetric(tc.in)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
