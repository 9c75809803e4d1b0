package nn

// Regularizer is a penalty on a weight (or a layer's output) added to the
// loss. Keras: keras/src/regularizers/regularizers.py.
type Regularizer interface {
	// Loss returns the penalty for values w.
	Loss(w []float32) float64
	// Grad ADDS the penalty's gradient with respect to w into dw.
	Grad(dw, w []float32)
	Config() Config
}

var regularizers = newRegistry[Regularizer]("regularizer")

// GetRegularizer returns the regularizer named or configured by v ("l2",
// {"class_name": "L2", "config": {"l2": 0.01}}, or a Regularizer); nil gives nil.
func GetRegularizer(v any) (Regularizer, error) {
	if v == nil {
		return nil, nil
	}
	return regularizers.get(v)
}
