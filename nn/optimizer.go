package nn

// Optimizer updates weights from their gradients with a Keras update rule.
// Keras: keras/src/optimizers/.
type Optimizer interface {
	// Apply performs one update of every trainable param from its Grad
	// (clipping by clipnorm, clipvalue or global_clipnorm first), then counts
	// one iteration. Per-param state (moments) is kept by the optimizer,
	// created on the first Apply; a step in steady state allocates nothing.
	Apply(params []*Param)
	// Iterations is the number of Apply calls so far (Keras's iterations).
	Iterations() int64
	// LearningRate is the base learning rate, before the legacy decay.
	LearningRate() float64
	// SetLearningRate changes the base rate (ReduceLROnPlateau and
	// LearningRateScheduler use it).
	SetLearningRate(lr float64)
	Config() Config
}

var optimizers = newRegistry[Optimizer]("optimizer")

// GetOptimizer returns the optimizer named or configured by v ("rmsprop" gives
// Keras's defaults; {"class_name": "SGD", "config": {"lr": 0.01, "momentum":
// 0.9}}; or an Optimizer).
func GetOptimizer(v any) (Optimizer, error) { return optimizers.get(v) }

// OptimizerNames returns the registered optimizer class names, sorted.
func OptimizerNames() []string { return optimizers.classNames() }
