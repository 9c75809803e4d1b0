package nn

import "github.com/keraswasm/keraswasm/tensor"

// Loss is a Keras loss function. Keras: keras/src/losses/losses.py.
//
// yTrue and yPred have the model's output shape (batch, ...). A loss works
// per sample: Forward writes each sample's loss (Keras's loss function
// reduced over the last axis, then averaged over any inner positions), and
// the model reduces those the way Keras's "sum_over_batch_size" does:
// Σ_i w_i·loss_i / batch.
type Loss interface {
	// Name is the Keras function name ("categorical_crossentropy"); it names
	// the loss when used as a metric.
	Name() string
	// Forward writes the loss of each sample i into out[i] (len(out) is the
	// batch size).
	Forward(out []float64, yTrue, yPred *tensor.Tensor)
	// Backward writes into dPred (yPred's shape) the gradient of each
	// sample's loss with respect to its own row of yPred: row i holds
	// ∂loss_i/∂yPred_i. The caller scales rows by w_i/batch.
	Backward(dPred, yTrue, yPred *tensor.Tensor)
	Config() Config
}

var losses = newRegistry[Loss]("loss")

// GetLoss returns the loss named or configured by v ("mse",
// "categorical_crossentropy", {"class_name": "CategoricalCrossentropy",
// "config": {"from_logits": true}}, or a Loss).
func GetLoss(v any) (Loss, error) { return losses.get(v) }

// LossNames returns the registered loss class names, sorted.
func LossNames() []string { return losses.classNames() }
