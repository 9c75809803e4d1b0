package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Accuracy metrics. Keras: tf_keras/metrics/accuracy_metrics.py and
// tf_keras/utils/metrics_utils.py (binary_matches,
// sparse_categorical_matches, sparse_top_k_categorical_matches).

// inTopK reports whether class y is among the k largest of p, as
// tf.math.in_top_k: classes tied with the k-th value all count as in the top
// k, and a non-finite prediction for y never is.
func inTopK(p []float32, y, k int) bool {
	py := float64(p[y])
	if math.IsNaN(py) || math.IsInf(py, 0) {
		return false
	}
	above := 0
	for _, v := range p {
		if v > p[y] {
			above++
		}
	}
	return above < k
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// readK reads top-k's k, a positive integer.
func readK(a *Args) int {
	k := a.Int("k", 5)
	if k < 1 {
		a.Fail("k", k, "a positive integer")
		return 5
	}
	return k
}

func init() {
	// accuracy: mean(y_true == y_pred) per sample.
	addMetricFunc(&metricFunc{name: "accuracy", aliases: []string{"acc"}, build: func(a *Args) (metricValues, map[string]any) {
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			elementForward(out, yTrue, yPred, func(t, p float64) float64 { return boolValue(t == p) })
		}, map[string]any{}
	}})
	// binary_accuracy: mean(y_true == (y_pred > threshold)) per sample.
	addMetricFunc(&metricFunc{name: "binary_accuracy", build: func(a *Args) (metricValues, map[string]any) {
		threshold := a.Float("threshold", 0.5)
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			elementForward(out, yTrue, yPred, func(t, p float64) float64 {
				return boolValue(t == boolValue(p > threshold))
			})
		}, map[string]any{"threshold": threshold}
	}})
	// categorical_accuracy: argmax(y_true) == argmax(y_pred) per position.
	addMetricFunc(&metricFunc{name: "categorical_accuracy", build: func(a *Args) (metricValues, map[string]any) {
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			laneForward(out, yTrue, yPred, yPred.Dim(-1), func(t, p []float32) float64 {
				return boolValue(tensor.ArgMax(t) == tensor.ArgMax(p))
			})
		}, map[string]any{}
	}})
	// sparse_categorical_accuracy: y_true == argmax(y_pred) per position.
	addMetricFunc(&metricFunc{name: "sparse_categorical_accuracy", sparse: true, build: func(a *Args) (metricValues, map[string]any) {
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			laneForward(out, yTrue, yPred, 1, func(t, p []float32) float64 {
				return boolValue(int(t[0]) == tensor.ArgMax(p))
			})
		}, map[string]any{}
	}})
	// top_k_categorical_accuracy: in_top_k(y_pred, argmax(y_true), k).
	addMetricFunc(&metricFunc{name: "top_k_categorical_accuracy", build: func(a *Args) (metricValues, map[string]any) {
		k := readK(a)
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			laneForward(out, yTrue, yPred, yPred.Dim(-1), func(t, p []float32) float64 {
				return boolValue(inTopK(p, tensor.ArgMax(t), k))
			})
		}, map[string]any{"k": k}
	}})
	// sparse_top_k_categorical_accuracy: in_top_k(y_pred, y_true, k).
	addMetricFunc(&metricFunc{name: "sparse_top_k_categorical_accuracy", sparse: true, build: func(a *Args) (metricValues, map[string]any) {
		k := readK(a)
		if a.Bool("from_sorted_ids", false) {
			a.Unimplemented("from_sorted_ids", true, "false (from_sorted_ids is not implemented)")
		}
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			laneForward(out, yTrue, yPred, 1, func(t, p []float32) float64 {
				return boolValue(inTopK(p, int(t[0]), k))
			})
		}, map[string]any{"k": k}
	}})

	addMeanMetricClass("Accuracy", nil, "accuracy", "accuracy")
	addMeanMetricClass("BinaryAccuracy", []string{"name", "dtype", "threshold"}, "binary_accuracy", "binary_accuracy")
	addMeanMetricClass("CategoricalAccuracy", nil, "categorical_accuracy", "categorical_accuracy")
	addMeanMetricClass("SparseCategoricalAccuracy", nil, "sparse_categorical_accuracy", "sparse_categorical_accuracy")
	addMeanMetricClass("TopKCategoricalAccuracy", []string{"k", "name", "dtype"}, "top_k_categorical_accuracy", "top_k_categorical_accuracy")
	addMeanMetricClass("SparseTopKCategoricalAccuracy", []string{"k", "name", "dtype"}, "sparse_top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy")
}
