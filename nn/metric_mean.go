package nn

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// Mean-based metrics. Keras: tf_keras/metrics/base_metric.py (Reduce, Mean,
// MeanMetricWrapper).

// meanState is Keras's Mean: total = Σ w·v and count = Σ w (Reduction
// WEIGHTED_MEAN); the result is total / count, or 0 before any weight.
type meanState struct{ total, count float64 }

// addSamples adds one value per sample, weighted by w (nil: weight 1).
func (s *meanState) addSamples(values []float64, w []float32) {
	for i, v := range values {
		if w == nil {
			s.total += v
			s.count++
			continue
		}
		s.total += float64(w[i]) * v
		s.count += float64(w[i])
	}
}

func (s *meanState) result() float64 {
	if s.count == 0 {
		return 0
	}
	return s.total / s.count
}

// metricValues writes one value per sample into out (len = batch). It
// trusts its inputs: the wrapper checks y_true first.
type metricValues func(out []float64, yTrue, yPred *tensor.Tensor)

// metricFunc is a Keras metric function, fn(y_true, y_pred, **kwargs),
// reduced to one value per sample.
type metricFunc struct {
	name    string   // Keras's function name, e.g. "binary_accuracy"
	aliases []string // other names of the same function ("mse")
	sparse  bool     // y_true holds class indices
	// build reads the function's keyword arguments (threshold, k,
	// from_logits ...) and returns the computation and the arguments as
	// config values.
	build func(a *Args) (metricValues, map[string]any)
}

// metricFuncList holds every built-in metric function; metricFuncs indexes
// it by normalized name and alias.
var (
	metricFuncList []*metricFunc
	metricFuncs    = map[string]*metricFunc{}
)

func addMetricFunc(f *metricFunc) {
	metricFuncList = append(metricFuncList, f)
	for _, n := range append([]string{f.name}, f.aliases...) {
		metricFuncs[normalizeName(n)] = f
	}
}

// meanMetric is a MeanMetricWrapper: a metric function averaged over
// samples. The Keras classes built on it (BinaryAccuracy, MeanSquaredError,
// ...) are meanMetrics with their own class name.
type meanMetric struct {
	name   string
	class  string // "MeanMetricWrapper" or the Keras class
	fn     *metricFunc
	values metricValues
	kwargs map[string]any // the function's arguments, for Config
	state  meanState
	buf    []float64
}

func (m *meanMetric) Name() string    { return m.name }
func (m *meanMetric) Result() float64 { return m.state.result() }
func (m *meanMetric) Reset()          { m.state = meanState{} }

func (m *meanMetric) Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error {
	batch, _ := lossRows(yPred)
	if err := checkSampleWeight(m.name, sampleWeight, batch); err != nil {
		return err
	}
	var err error
	if m.fn.sparse {
		err = checkSparseTargets("metric", m.name, yTrue, yPred.Shape)
	} else {
		err = checkDenseTargets("metric", m.name, yTrue.Shape, yPred.Shape)
	}
	if err != nil {
		return err
	}
	if cap(m.buf) < batch {
		m.buf = make([]float64, batch)
	}
	m.buf = m.buf[:batch]
	m.values(m.buf, yTrue, yPred)
	m.state.addSamples(m.buf, sampleWeight)
	return nil
}

func (m *meanMetric) Config() Config {
	extra := map[string]any{}
	for k, v := range m.kwargs {
		extra[k] = v
	}
	if m.class == "MeanMetricWrapper" {
		extra["fn"] = m.fn.name
	}
	return metricConfig(m.class, m.name, extra)
}

// newWrapper makes a MeanMetricWrapper of f named name, with f's keyword
// arguments read from m.
func newWrapper(f *metricFunc, name string, m map[string]any) (Metric, error) {
	return buildWrapper(NewArgs("MeanMetricWrapper", m), f, name, m)
}

// buildWrapper reads f's keyword arguments from a; only the arguments given
// in m appear in the config, as Keras stores the kwargs it was passed.
func buildWrapper(a *Args, f *metricFunc, name string, m map[string]any) (Metric, error) {
	values, kwargs := f.build(a)
	for k := range kwargs {
		if _, given := m[k]; !given {
			delete(kwargs, k)
		}
	}
	return &meanMetric{name: name, class: "MeanMetricWrapper", fn: f, values: values, kwargs: kwargs}, a.Err()
}

// metricTail is the positional signature of most metric classes,
// BinaryAccuracy(name, dtype, threshold) aside: tf.keras puts name and dtype
// first.
var metricTail = []string{"name", "dtype"}

// addMeanMetricClass registers a Keras metric class that wraps function fn
// (named fnName) under the default name defaultName; args is its Keras
// positional signature (nil: name, dtype).
func addMeanMetricClass(class string, args []string, defaultName, fnName string) {
	if args == nil {
		args = metricTail
	}
	metrics.add(class, args, func(m map[string]any) (Metric, error) {
		f := metricFuncs[normalizeName(fnName)]
		a := NewArgs(class, m)
		name := parseMetricBase(a, defaultName)
		values, kwargs := f.build(a)
		return &meanMetric{name: name, class: class, fn: f, values: values, kwargs: kwargs}, a.Err()
	})
}

func init() {
	metrics.add("MeanMetricWrapper", []string{"fn", "name", "dtype"}, func(m map[string]any) (Metric, error) {
		a := NewArgs("MeanMetricWrapper", m)
		fnName := a.String("fn", "")
		f := metricFuncs[normalizeName(fnName)]
		if f == nil {
			a.Fail("fn", fnName, "the name of a built-in metric function ("+strings.Join(MetricFunctionNames(), ", ")+
				"); a user-defined function cannot be rebuilt from a config")
			return nil, a.Err()
		}
		return buildWrapper(a, f, parseMetricBase(a, f.name), m)
	})
	metrics.add("Mean", metricTail, func(m map[string]any) (Metric, error) {
		a := NewArgs("Mean", m)
		return &Mean{name: parseMetricBase(a, "mean")}, a.Err()
	})
}

// Mean is Keras's metrics.Mean: the weighted mean of values given with
// UpdateValue or UpdateValues. A model tracks its logged loss with one, as
// Keras does: UpdateValue(batchLoss, batchSize) per batch.
type Mean struct {
	name  string
	state meanState
}

// NewMean returns an empty Mean. Keras's Mean has no required argument;
// opts holds its Keras arguments by config key ("name", default "mean";
// "dtype"). It is made by the registry's constructor for a
// {"class_name": "Mean"} config, so the two cannot disagree.
func NewMean(opts map[string]any) (*Mean, error) {
	m, err := withArgs("Mean", opts)
	if err != nil {
		return nil, err
	}
	metric, err := metrics.fromConfig(Config{ClassName: "Mean", Config: m})
	if err != nil {
		return nil, err
	}
	return metric.(*Mean), nil
}

func (m *Mean) Name() string    { return m.name }
func (m *Mean) Result() float64 { return m.state.result() }
func (m *Mean) Reset()          { m.state = meanState{} }

// UpdateValue adds one value with the given weight.
func (m *Mean) UpdateValue(v, weight float64) {
	m.state.total += v * weight
	m.state.count += weight
}

// UpdateValues adds values, weighted by weights (nil: weight 1 each).
func (m *Mean) UpdateValues(values []float64, weights []float32) error {
	if err := checkSampleWeight(m.name, weights, len(values)); err != nil {
		return err
	}
	m.state.addSamples(values, weights)
	return nil
}

// Update returns an error: Mean averages values, not (y_true, y_pred) pairs.
// (Keras would read y_true as the values and y_pred as their weights.)
func (m *Mean) Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error {
	return fmt.Errorf("metric %s: Mean averages values given to UpdateValue, not (y_true, y_pred): use a metric function such as \"mse\", or a MeanMetricWrapper", m.name)
}

func (m *Mean) Config() Config { return metricConfig("Mean", m.name, nil) }

// funcMetric wraps a user-defined metric function with Keras's
// MeanMetricWrapper semantics.
type funcMetric struct {
	name  string
	fn    func(yTrue, yPred *tensor.Tensor) ([]float32, error)
	state meanState
}

// NewFuncMetric wraps fn, a user-defined metric such as Keras's
//
//	def mean_pred(y_true, y_pred): return K.mean(y_pred)
//
// as Keras's MeanMetricWrapper does, logged under name. fn returns either
// one value per sample (or per sample and position: any multiple of the
// batch size, averaged per sample), which are averaged over every sample
// seen and weighted by sample_weight; or a single value for the batch.
//
// A single value counts once per batch, however large the batch: tf.keras's
// Reduce.update_state adds Σ values and tf.size(values) = 1 to the count.
// With sample weights w it broadcasts the scalar against w, so the batch
// counts Σw times: total += v·Σw, count += Σw. (The epoch's mean_pred is
// thus the mean of the batch means, the last short batch counting fully.)
//
// An error from fn is returned by Update, which then leaves the state as it
// was.
func NewFuncMetric(name string, fn func(yTrue, yPred *tensor.Tensor) ([]float32, error)) Metric {
	return &funcMetric{name: name, fn: fn}
}

func (m *funcMetric) Name() string    { return m.name }
func (m *funcMetric) Result() float64 { return m.state.result() }
func (m *funcMetric) Reset()          { m.state = meanState{} }

func (m *funcMetric) Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error {
	batch, _ := lossRows(yPred)
	if err := checkSampleWeight(m.name, sampleWeight, batch); err != nil {
		return err
	}
	vals, err := m.fn(yTrue, yPred)
	if err != nil {
		return fmt.Errorf("metric %s: %w", m.name, err)
	}
	switch {
	case len(vals) == 1:
		w := 1.0
		if sampleWeight != nil {
			w = tensor.Sum(sampleWeight)
		}
		m.state.total += float64(vals[0]) * w
		m.state.count += w
	case batch > 0 && len(vals)%batch == 0:
		k := len(vals) / batch
		for i := 0; i < batch; i++ {
			s := tensor.Sum(vals[i*k : (i+1)*k])
			w := 1.0
			if sampleWeight != nil {
				w = float64(sampleWeight[i])
			}
			m.state.total += w * s / float64(k)
			m.state.count += w
		}
	default:
		return fmt.Errorf("metric %s: the function returned %d values for a batch of %d: expected one value per sample (or per sample and position), or a single value for the batch",
			m.name, len(vals), batch)
	}
	return nil
}

// Config is a MeanMetricWrapper's; making a metric from it fails, since the
// function is the user's.
func (m *funcMetric) Config() Config {
	return metricConfig("MeanMetricWrapper", m.name, map[string]any{"fn": m.name})
}
