package sequential

import "github.com/keraswasm/keraswasm/nn"

// CompileOptionsFromMap reads compile's keyword arguments as decoded JSON
// carries them: optimizer, loss, metrics and weighted_metrics (names,
// configs, or values CompileOptions takes, such as a MetricFunc that the
// caller put in the map), run_eagerly, steps_per_execution (1) and
// jit_compile (false or "auto"). loss_weights is not implemented (a
// Sequential model has one output; weigh samples with sample_weight).
// Unknown keys are rejected. Keras: Model.compile (tf.keras 2 and Keras 3
// take the same arguments).
func CompileOptionsFromMap(m map[string]any) (CompileOptions, error) {
	a := nn.NewArgs("compile", m)
	var o CompileOptions
	o.Optimizer, _ = a.Value("optimizer")
	o.Loss, _ = a.Value("loss")
	o.Metrics = readMetricList(a, "metrics")
	o.WeightedMetrics = readMetricList(a, "weighted_metrics")
	a.Unsupported("loss_weights", "no loss_weights (not implemented: a Sequential model has one output; weigh samples with sample_weight instead)")
	// Porting note: there is no graph to compile here; every step runs
	// eagerly, with the same results, so run_eagerly is taken either way.
	a.Bool("run_eagerly", false)
	if n := a.Int("steps_per_execution", 1); n != 1 {
		a.Fail("steps_per_execution", n, "1 (running several steps per call is not implemented)")
	}
	if v, ok := a.Value("jit_compile"); ok && v != false && v != "auto" {
		a.Fail("jit_compile", v, `false or "auto" (there is no XLA here)`)
	}
	return o, a.Err()
}

// readMetricList reads metrics or weighted_metrics: a list of metrics, or a
// single one (a name or a config), which Keras 2 also takes.
func readMetricList(a *nn.Args, key string) []any {
	v, ok := a.Value(key)
	if !ok {
		return nil
	}
	switch list := v.(type) {
	case []any:
		return list
	case []string:
		out := make([]any, len(list))
		for i, s := range list {
			out[i] = s
		}
		return out
	}
	return []any{v}
}
