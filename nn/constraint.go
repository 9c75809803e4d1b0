package nn

import "github.com/keraswasm/keraswasm/tensor"

// Constraint projects a weight back into an allowed set after each optimizer
// update. Keras: keras/src/constraints/constraints.py.
type Constraint interface {
	// Apply replaces w's values by their constrained ones, in place.
	Apply(w *tensor.Tensor)
	Config() Config
}

var constraints = newRegistry[Constraint]("constraint")

// GetConstraint returns the constraint named or configured by v
// ("non_neg", {"class_name": "MaxNorm", "config": {"max_value": 2}}, or a
// Constraint); nil gives nil.
func GetConstraint(v any) (Constraint, error) {
	if v == nil {
		return nil, nil
	}
	return constraints.get(v)
}
