package nn

import (
	"github.com/keraswasm/keraswasm/tensor"
)

// Loss functions used as metrics. Keras: tf_keras/metrics/__init__.py (the
// loss functions and their metric aliases), regression_metrics.py,
// probabilistic_metrics.py and hinge_metrics.py (the classes).
//
// A metric's value per sample is the loss's per-sample value, computed by the
// same code as the loss. The one exception is cosine_similarity, which as a
// metric is +Σ t̂·p̂ (tf_keras/metrics/regression_metrics.py), the negative
// of the loss.

// lossMetricValues returns the per-sample values of loss l.
func lossMetricValues(l Loss) metricValues {
	return func(out []float64, yTrue, yPred *tensor.Tensor) { l.Forward(out, yTrue, yPred) }
}

// addPlainLossMetric registers the metric function of a loss class that has
// no arguments, under the loss's function name and aliases.
func addPlainLossMetric(lossClass, name string, aliases ...string) {
	addMetricFunc(&metricFunc{name: name, aliases: aliases, build: func(a *Args) (metricValues, map[string]any) {
		l, err := GetLoss(lossClass)
		if err != nil {
			panic("nn: loss class " + lossClass + " is not registered") // a programming error
		}
		return lossMetricValues(l), map[string]any{}
	}})
}

// metricLossBase is the base of a loss made for a metric.
var metricLossBase = lossBase{reduction: "sum_over_batch_size"}

func init() {
	addPlainLossMetric("MeanSquaredError", "mean_squared_error", "mse")
	addPlainLossMetric("MeanAbsoluteError", "mean_absolute_error", "mae")
	addPlainLossMetric("MeanAbsolutePercentageError", "mean_absolute_percentage_error", "mape")
	addPlainLossMetric("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", "msle")
	addPlainLossMetric("Hinge", "hinge")
	addPlainLossMetric("SquaredHinge", "squared_hinge")
	addPlainLossMetric("CategoricalHinge", "categorical_hinge")
	addPlainLossMetric("Poisson", "poisson")
	addPlainLossMetric("KLDivergence", "kl_divergence", "kld", "kullback_leibler_divergence")
	addPlainLossMetric("LogCosh", "log_cosh", "logcosh")

	addMetricFunc(&metricFunc{name: "huber", build: func(a *Args) (metricValues, map[string]any) {
		delta := a.Float("delta", 1)
		if delta < 0 {
			a.Fail("delta", delta, "a non-negative number")
		}
		return lossMetricValues(newHuber(metricLossBase, delta)), map[string]any{"delta": delta}
	}})
	// cosine_similarity as a metric: +Σ t̂·p̂ per lane, averaged over lanes.
	addMetricFunc(&metricFunc{name: "cosine_similarity", aliases: []string{"cosine_proximity"}, build: func(a *Args) (metricValues, map[string]any) {
		axis := readLastAxis(a)
		return func(out []float64, yTrue, yPred *tensor.Tensor) {
			laneForward(out, yTrue, yPred, yPred.Dim(-1), cosineSimilarity)
		}, map[string]any{"axis": axis}
	}})
	addMetricFunc(&metricFunc{name: "binary_crossentropy", aliases: []string{"bce"}, build: func(a *Args) (metricValues, map[string]any) {
		l := &binaryCrossentropy{lossBase: metricLossBase, fromLogits: a.Bool("from_logits", false), smoothing: readLabelSmoothing(a)}
		readLastAxis(a)
		return lossMetricValues(l), map[string]any{"from_logits": l.fromLogits, "label_smoothing": l.smoothing}
	}})
	addMetricFunc(&metricFunc{name: "categorical_crossentropy", build: func(a *Args) (metricValues, map[string]any) {
		l := &categoricalCrossentropy{lossBase: metricLossBase, fromLogits: a.Bool("from_logits", false), smoothing: readLabelSmoothing(a)}
		axis := readLastAxis(a)
		return lossMetricValues(l), map[string]any{"from_logits": l.fromLogits, "label_smoothing": l.smoothing, "axis": axis}
	}})
	addMetricFunc(&metricFunc{name: "sparse_categorical_crossentropy", sparse: true, build: func(a *Args) (metricValues, map[string]any) {
		l := &sparseCategoricalCrossentropy{lossBase: metricLossBase, fromLogits: a.Bool("from_logits", false)}
		readIgnoreClass(a)
		axis := readLastAxis(a)
		return lossMetricValues(l), map[string]any{"from_logits": l.fromLogits, "ignore_class": nil, "axis": axis}
	}})

	addMeanMetricClass("MeanSquaredError", nil, "mean_squared_error", "mean_squared_error")
	addMeanMetricClass("MeanAbsoluteError", nil, "mean_absolute_error", "mean_absolute_error")
	addMeanMetricClass("MeanAbsolutePercentageError", nil, "mean_absolute_percentage_error", "mean_absolute_percentage_error")
	addMeanMetricClass("MeanSquaredLogarithmicError", nil, "mean_squared_logarithmic_error", "mean_squared_logarithmic_error")
	addMeanMetricClass("Hinge", nil, "hinge", "hinge")
	addMeanMetricClass("SquaredHinge", nil, "squared_hinge", "squared_hinge")
	addMeanMetricClass("CategoricalHinge", nil, "categorical_hinge", "categorical_hinge")
	addMeanMetricClass("Poisson", nil, "poisson", "poisson")
	addMeanMetricClass("KLDivergence", nil, "kullback_leibler_divergence", "kl_divergence")
	addMeanMetricClass("LogCoshError", nil, "logcosh", "log_cosh")
	addMeanMetricClass("CosineSimilarity", []string{"name", "dtype", "axis"}, "cosine_similarity", "cosine_similarity")
	addMeanMetricClass("BinaryCrossentropy", []string{"name", "dtype", "from_logits", "label_smoothing"}, "binary_crossentropy", "binary_crossentropy")
	addMeanMetricClass("CategoricalCrossentropy", []string{"name", "dtype", "from_logits", "label_smoothing", "axis"}, "categorical_crossentropy", "categorical_crossentropy")
	addMeanMetricClass("SparseCategoricalCrossentropy", []string{"name", "dtype", "from_logits", "ignore_class", "axis"}, "sparse_categorical_crossentropy", "sparse_categorical_crossentropy")
}
