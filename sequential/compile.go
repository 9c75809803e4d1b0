package sequential

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// CompileOptions are the arguments of Keras's model.compile.
// Keras: keras/src/trainers/trainer.py compile.
type CompileOptions struct {
	// Optimizer is a name ("rmsprop"), an nn.Config, a decoded JSON dict or
	// an nn.Optimizer; nil means Keras's default, "rmsprop".
	Optimizer any
	// Loss is a name ("categorical_crossentropy"), a config, an nn.Loss or a
	// LossFunc. nil compiles without a loss: Fit and Evaluate then fail.
	Loss any
	// Metrics are names ("accuracy"/"acc" and "crossentropy"/"ce" are
	// resolved the Keras way at the first batch, from the shapes of y_true
	// and y_pred), configs, nn.Metrics or MetricFuncs. They are computed
	// without sample weights, as Keras's metrics.
	Metrics []any
	// WeightedMetrics are like Metrics but weighted by the sample weights
	// (and class weights); a name that clashes with a metric's is logged
	// with "weighted_" in front, as Keras does.
	WeightedMetrics []any
}

// MetricFunc is a user-defined metric (Keras: a function of y_true and
// y_pred). Fn returns one value per sample, or a single value for the batch
// (like K.mean(y_pred)); Keras averages them as its MeanMetricWrapper, so a
// single value counts once per batch. It is logged under Name.
type MetricFunc struct {
	Name string
	Fn   func(yTrue, yPred *tensor.Tensor) ([]float32, error)
}

// compiled is what Compile sets up.
type compiled struct {
	opts CompileOptions // as given, for the training config a saved model carries
	opt  nn.Optimizer
	loss lossFn // nil: compiled without a loss

	specs    []metricSpec
	metrics  []nn.Metric // resolved, in order; nil until the first batch
	names    []string    // the metrics' log names, in order
	valNames []string    // the same with "val_" in front
}

// metricSpec is one entry of compile's metrics, resolved (metric set) or to
// be resolved from the shapes at the first batch.
type metricSpec struct {
	value    any
	name     string
	weighted bool
	metric   nn.Metric // nil until resolved
	deferred bool      // "accuracy" & co.: resolved again when the output changes
}

// Compile configures the model for training. Keras: Model.compile.
// It can be called again to change the optimizer, loss or metrics; a model
// compiled again with a new optimizer name starts that optimizer afresh.
func (m *Model) Compile(o CompileOptions) (err error) {
	defer recoverInto(&err, "Compile")
	c := &compiled{opts: o}
	optSpec := o.Optimizer
	if optSpec == nil {
		optSpec = "rmsprop"
	}
	if c.opt, err = nn.GetOptimizer(optSpec); err != nil {
		return fmt.Errorf("optimizer: %w", err)
	}
	if o.Loss != nil {
		if c.loss, err = newLossFn(o.Loss); err != nil {
			return fmt.Errorf("loss: %w", err)
		}
	}
	if err := c.addMetrics(o.Metrics, false); err != nil {
		return err
	}
	if err := c.addMetrics(o.WeightedMetrics, true); err != nil {
		return err
	}
	if err := m.reserveCompiled(c); err != nil {
		return err
	}
	m.c = c
	// The trainable flags as they are now are what training obeys until the
	// next compile, as in Keras (see nn.LayerBase.Frozen).
	for _, l := range m.layers {
		l.Base().Frozen = !l.Base().Trainable
	}
	return nil
}

// addMetrics reads compile's metrics (or weighted_metrics) and names them.
func (c *compiled) addMetrics(list []any, weighted bool) error {
	for i, v := range list {
		s := metricSpec{value: v, weighted: weighted}
		switch x := v.(type) {
		case nil:
			return fmt.Errorf("metrics[%d] is nil: expected a name such as \"accuracy\", a config, an nn.Metric or a MetricFunc", i)
		case MetricFunc:
			mf, err := newMetricFunc(x)
			if err != nil {
				return err
			}
			s.metric = mf
		case *MetricFunc:
			mf, err := newMetricFunc(*x)
			if err != nil {
				return err
			}
			s.metric = mf
		case string:
			if shapeResolved(x) {
				s.deferred, s.name = true, x
				break
			}
			mt, err := nn.GetMetric(x)
			if err != nil {
				return fmt.Errorf("metrics[%d]: %w", i, err)
			}
			s.metric = mt
		default:
			mt, err := nn.GetMetric(x)
			if err != nil {
				return fmt.Errorf("metrics[%d]: %w", i, err)
			}
			s.metric = mt
		}
		if s.metric != nil {
			s.name = s.metric.Name()
		}
		if err := c.addName(&s); err != nil {
			return err
		}
		c.specs = append(c.specs, s)
	}
	return nil
}

// addName checks that the metric's log name is new; a weighted metric whose
// name is taken gets "weighted_" in front (Keras's compile_utils does so).
func (c *compiled) addName(s *metricSpec) error {
	taken := func(n string) bool {
		if n == "loss" {
			return true
		}
		for _, have := range c.names {
			if have == n {
				return true
			}
		}
		return false
	}
	if s.weighted && taken(s.name) {
		s.name = "weighted_" + s.name
	}
	if taken(s.name) {
		return fmt.Errorf("found two metrics with the same name: %q. All the metrics added to the model need to have unique names (and none may be called \"loss\")", s.name)
	}
	c.names = append(c.names, s.name)
	c.valNames = append(c.valNames, "val_"+s.name)
	return nil
}

// shapeResolved reports whether a metric name is one Keras resolves from
// the shapes of y_true and y_pred.
func shapeResolved(name string) bool {
	switch strings.ToLower(name) {
	case "accuracy", "acc", "crossentropy", "ce":
		return true
	}
	return false
}

func newMetricFunc(f MetricFunc) (nn.Metric, error) {
	if f.Name == "" || f.Fn == nil {
		return nil, fmt.Errorf("a MetricFunc needs a Name (how logs call it, e.g. \"mean_pred\") and a Fn")
	}
	return nn.NewFuncMetric(f.Name, f.Fn), nil
}

// resolveMetrics makes the metrics that depend on the shapes ("accuracy")
// from the first batch's y_true and y_pred, once.
func (c *compiled) resolveMetrics(yTrue, yPred tensor.Shape) error {
	if c.metrics != nil {
		return nil
	}
	ms := make([]nn.Metric, len(c.specs))
	for i := range c.specs {
		s := &c.specs[i]
		if !s.deferred {
			ms[i] = s.metric
			continue
		}
		mt, err := nn.ResolveMetric(s.value, yTrue, yPred)
		if err != nil {
			return fmt.Errorf("metric %q: %w", s.name, err)
		}
		ms[i] = mt
	}
	c.metrics = ms
	return nil
}

// outputChanged forgets the metrics resolved from the output's shape.
func (c *compiled) outputChanged() { c.metrics = nil }

// resetMetrics starts every metric again.
func (c *compiled) resetMetrics() {
	for _, mt := range c.metrics {
		mt.Reset()
	}
}

// MetricsNames returns the names of the values Evaluate returns and logs
// carry: "loss", then each metric's ("accuracy", "mean_pred").
func (m *Model) MetricsNames() []string {
	if m.c == nil {
		return nil
	}
	return append([]string{"loss"}, m.c.names...)
}

// Optimizer returns the compiled optimizer, or nil before Compile.
func (m *Model) Optimizer() nn.Optimizer {
	if m.c == nil {
		return nil
	}
	return m.c.opt
}

// Loss returns the compiled loss's name, or "" when there is none.
func (m *Model) Loss() string {
	if m.c == nil || m.c.loss == nil {
		return ""
	}
	return m.c.loss.name()
}

// logNames returns the names logs carry, in order: "loss", the metrics,
// and with validation "val_loss" and the metrics' val_ twins.
func (m *Model) logNames(val bool) []string {
	names := m.MetricsNames()
	if val {
		names = append(names, "val_loss")
		names = append(names, m.c.valNames...)
	}
	return names
}
