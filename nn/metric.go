package nn

import "github.com/keraswasm/keraswasm/tensor"

// Metric is a stateful Keras metric: Update accumulates over batches, Result
// reads the value so far, Reset starts again (each epoch, each evaluate).
// Keras: keras/src/metrics/.
type Metric interface {
	// Name is what logs call it ("accuracy", "mean_pred"); validation
	// values are logged as "val_" + Name.
	Name() string
	// Update adds one batch. sampleWeight is nil or one weight per sample.
	// It returns an error only for user-defined metrics whose function failed.
	Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error
	Result() float64
	Reset()
	Config() Config
}

var metrics = newRegistry[Metric]("metric")

// MetricNames returns the registered metric class names, sorted.
func MetricNames() []string { return metrics.classNames() }
