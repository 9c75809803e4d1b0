package nn

// Optimizer updates weights from their gradients with a Keras update rule.
// Keras: keras/src/optimizers/.
//
// The optimizers are SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax
// and Nadam, with Keras's arguments and defaults. Every one takes Keras 3's
// common arguments (name, weight_decay, clipnorm, clipvalue, global_clipnorm,
// use_ema=False, ema_momentum, ema_overwrite_frequency, loss_scale_factor,
// gradient_accumulation_steps=None) and Keras 2's `lr` and `decay`
// (learning_rate / (1 + decay·iterations)). use_ema=True and
// gradient_accumulation_steps are not implemented and are rejected.
//
// Porting notes (keraswasm follows Keras; each optimizer's doc says more):
// TF.js 4.22 places ε differently in centered RMSprop (√(v − (ḡ² + ε)),
// NaN for small gradients) and in Adam (after bias correction); its
// RMSprop calls ρ `decay`; its SGD has no momentum, nesterov or decay.
// tf.keras 2's legacy optimizer_v2 puts ε outside the root in Adagrad and in
// RMSprop without momentum, and its Nadam used schedule_decay=0.004 in the
// momentum schedule where Keras 3 uses none (Nadam accepts schedule_decay).
type Optimizer interface {
	// Apply performs one update of every param with Trainable=true from its
	// Grad (clipping by clipnorm, clipvalue or global_clipnorm first, then
	// the decoupled weight decay, then the update rule), then counts one
	// iteration. With no trainable param it does nothing, as Keras.
	//
	// Apply does not zero the gradients and does not apply constraints: the
	// model does both, constraints right after Apply. Per-param state
	// (moments) is kept by the optimizer, keyed by *Param and created on the
	// first Apply that sees the param; a step in steady state allocates
	// nothing. An optimizer serves one model.
	Apply(params []*Param)
	// Iterations is the number of Apply calls so far (Keras's iterations).
	Iterations() int64
	// LearningRate is the base learning rate, before the legacy decay.
	LearningRate() float64
	// SetLearningRate changes the base rate from the next step on
	// (ReduceLROnPlateau and LearningRateScheduler use it).
	SetLearningRate(lr float64)
	Config() Config
}

var optimizers = newRegistry[Optimizer]("optimizer", "optimizers")

// GetOptimizer returns the optimizer named or configured by v ("rmsprop" gives
// Keras's defaults; {"class_name": "SGD", "config": {"lr": 0.01, "momentum":
// 0.9}}; or an Optimizer). Names match class names without regard to case or
// underscores, so "sgd", "adam" and "RMSprop" all work.
func GetOptimizer(v any) (Optimizer, error) { return optimizers.get(v) }

// OptimizerNames returns the registered optimizer class names, sorted.
func OptimizerNames() []string { return optimizers.classNames() }
