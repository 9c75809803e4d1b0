package nn

import (
	"fmt"
	"sort"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// Metric is a stateful Keras metric: Update accumulates over batches, Result
// reads the value so far, Reset starts again (each epoch, each evaluate).
// Keras: keras/src/metrics/; the semantics follow tf.keras
// (tf_keras/metrics/), the dialect of the user's study note
// (testdata/studynote/).
//
// Most metrics are Keras's Mean-based ones (MeanMetricWrapper): a function
// gives one value per sample and Result is their weighted mean over every
// sample seen, Σ w_i·v_i / Σ w_i — not the mean of batch means.
type Metric interface {
	// Name is what logs call it ("accuracy", "mean_pred"); validation
	// values are logged as "val_" + Name.
	Name() string
	// Update adds one batch. sampleWeight is nil or one weight per sample.
	// It returns an error when y_true does not fit y_pred (shape, labels,
	// probabilities out of [0, 1] for the confusion metrics) or when a
	// user-defined metric function failed; the state is then unchanged.
	//
	// Note that tf.keras passes sample weights only to weighted_metrics;
	// the metrics of compile(metrics=...) are updated without them.
	Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error
	Result() float64
	Reset()
	Config() Config
}

var metrics = newRegistry[Metric]("metric", "metrics")

// MetricNames returns the registered metric class names, sorted.
func MetricNames() []string { return metrics.classNames() }

// MetricFunctionNames returns the Keras metric function names that GetMetric
// accepts as strings ("binary_accuracy", "mse", ...), sorted.
func MetricFunctionNames() []string {
	var s []string
	for _, f := range metricFuncList {
		s = append(s, f.name)
		s = append(s, f.aliases...)
	}
	sort.Strings(s)
	return s
}

// GetMetric returns the metric named or configured by v, as Keras's
// metrics.get and compile do:
//
//   - a class name ("BinaryAccuracy", "AUC") makes that class with its
//     defaults and default name ("binary_accuracy", "auc");
//   - a function name ("binary_accuracy", "mse", "categorical_crossentropy")
//     makes a MeanMetricWrapper of the function, logged under the name as
//     written ("mse");
//   - other spellings of a class ("auc", "precision", "mean") make the class;
//   - a config {"class_name": ..., "config": {...}} (Config or decoded JSON)
//     makes the class from its config;
//   - a Metric is returned as is.
//
// "accuracy" and "acc" give Keras's plain accuracy function (y_true ==
// y_pred); compile turns them into binary, categorical or sparse accuracy
// from the shapes: see ResolveMetric.
func GetMetric(v any) (Metric, error) {
	s, ok := v.(string)
	if !ok {
		return metrics.get(v)
	}
	if _, isClass := metrics.ctors[s]; isClass {
		return metrics.fromConfig(Config{ClassName: s})
	}
	if f := metricFuncs[normalizeName(s)]; f != nil {
		return newWrapper(f, s, map[string]any{})
	}
	if _, err := metrics.lookup(s); err == nil {
		return metrics.fromConfig(Config{ClassName: s})
	} else if _, missing := err.(*NotImplemented); missing {
		return nil, err
	}
	if l := strings.ToLower(s); l == "crossentropy" || l == "ce" {
		return nil, fmt.Errorf("metric %q is chosen from the shapes of y_true and y_pred (binary, categorical or sparse crossentropy): use ResolveMetric, as compile does", s)
	}
	return nil, metrics.unknown(s, metricFunctionEntries()...)
}

// ResolveMetric turns what a user passes in compile(metrics=[...]) into a
// Metric, exactly as tf.keras's compile_utils.MetricsContainer does
// (Keras: tf_keras/engine/compile_utils.py _get_metric_object):
// "accuracy"/"acc" (any case) become binary_accuracy,
// sparse_categorical_accuracy or categorical_accuracy, and
// "crossentropy"/"ce" binary, sparse or categorical crossentropy, chosen from
// the shapes of y_true and y_pred:
//
//	binary  when y_pred's last dimension is 1;
//	sparse  when y_true has lower rank than y_pred, or y_true's last
//	        dimension is 1 and y_pred's is not;
//	categorical otherwise.
//
// The metric keeps the name the user wrote ("acc" logs as "acc"). Any other
// value goes to GetMetric.
//
// Porting note: TF.js (tfjs-layers training.ts) decides from the output's
// last dimension and the loss function instead (binary_crossentropy gives
// binary accuracy even for a (n, 2) output; sparse_categorical_crossentropy
// gives sparse accuracy); we follow Keras and look only at the shapes.
func ResolveMetric(v any, yTrueShape, yPredShape tensor.Shape) (Metric, error) {
	s, ok := v.(string)
	if !ok {
		return GetMetric(v)
	}
	l := strings.ToLower(s)
	if l != "accuracy" && l != "acc" && l != "crossentropy" && l != "ce" {
		return GetMetric(s)
	}
	if len(yTrueShape) == 0 || len(yPredShape) == 0 {
		return nil, fmt.Errorf("metric %q: y_true has shape %v and y_pred %v: expected tensors of rank >= 1", s, yTrueShape, yPredShape)
	}
	yPredLast := yPredShape[len(yPredShape)-1]
	isBinary := yPredLast == 1
	isSparse := len(yTrueShape) < len(yPredShape) || yTrueShape[len(yTrueShape)-1] == 1 && yPredLast > 1
	var fn string
	switch {
	case isBinary:
		fn = "binary_"
	case isSparse:
		fn = "sparse_categorical_"
	default:
		fn = "categorical_"
	}
	if l == "accuracy" || l == "acc" {
		fn += "accuracy"
	} else {
		fn += "crossentropy"
	}
	return newWrapper(metricFuncs[normalizeName(fn)], s, map[string]any{})
}

// parseMetricBase reads the name and dtype every Keras metric takes.
func parseMetricBase(a *Args, defaultName string) string {
	name := a.String("name", defaultName)
	if v, ok := a.Value("dtype"); ok && v != "float32" {
		a.Fail("dtype", v, `"float32" or null (metrics accumulate in float64 and report float32)`)
	}
	return name
}

// metricConfig returns a metric's Keras config: name, dtype and extra.
func metricConfig(class, name string, extra map[string]any) Config {
	m := map[string]any{"name": name, "dtype": "float32"}
	for k, v := range extra {
		m[k] = v
	}
	return Config{ClassName: class, Config: m}
}

// checkSampleWeight checks that there is one weight per sample.
func checkSampleWeight(name string, w []float32, batch int) error {
	if w != nil && len(w) != batch {
		return fmt.Errorf("metric %s: %d sample weights for a batch of %d: expected one weight per sample", name, len(w), batch)
	}
	return nil
}
