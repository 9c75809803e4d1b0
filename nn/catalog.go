package nn

// The kinds of the catalog, as the JS namespace names them.
const (
	KindLayers       = "layers"
	KindOptimizers   = "optimizers"
	KindLosses       = "losses"
	KindMetrics      = "metrics"
	KindActivations  = "activations"
	KindInitializers = "initializers"
	KindRegularizers = "regularizers"
	KindConstraints  = "constraints"
)

// Catalog returns, by kind, every class and function nn makes from a name
// or a config, with its aliases and Keras positional signature. It is the
// one table of names: the JS namespace (keras.layers.*, keras.losses.*, ...)
// is built from it and offers nothing else.
func Catalog() map[string][]Entry {
	return map[string][]Entry{
		KindLayers:       layers.catalog(),
		KindOptimizers:   optimizers.catalog(),
		KindLosses:       losses.catalog(),
		KindMetrics:      append(metrics.catalog(), metricFunctionEntries()...),
		KindActivations:  activations.catalog(),
		KindInitializers: initializers.catalog(),
		KindRegularizers: regularizers.catalog(),
		KindConstraints:  constraints.catalog(),
	}
}

// NotImplementedNames returns, by kind, the Keras names that nn knows but
// does not build: making one is a *NotImplemented error.
func NotImplementedNames() map[string][]string {
	return map[string][]string{
		KindLayers:       layers.missingNames(),
		KindOptimizers:   optimizers.missingNames(),
		KindLosses:       losses.missingNames(),
		KindMetrics:      metrics.missingNames(),
		KindActivations:  activations.missingNames(),
		KindInitializers: initializers.missingNames(),
		KindRegularizers: regularizers.missingNames(),
		KindConstraints:  constraints.missingNames(),
	}
}

// metricFunctionEntries lists the metric functions (binary_accuracy, mse,
// ...), which are not classes of the metric registry: a name makes a
// MeanMetricWrapper of the function.
func metricFunctionEntries() []Entry {
	out := make([]Entry, len(metricFuncList))
	for i, f := range metricFuncList {
		out[i] = Entry{Name: f.name, Function: true, Args: []string{"y_true", "y_pred"}, Functions: f.aliases}
	}
	return out
}
