package nn

import "github.com/keraswasm/keraswasm/tensor"

// Constraint projects a weight back into an allowed set after each optimizer
// update. Keras: keras/src/constraints/constraints.py.
type Constraint interface {
	// Apply replaces w's values by their constrained ones, in place. It
	// panics if the constraint cannot take w's shape (an axis beyond its
	// rank); CheckConstraint reports that as an error beforehand.
	Apply(w *tensor.Tensor)
	Config() Config
}

var constraints = newRegistry[Constraint]("constraint", "constraints").withSnakeAliases()

// GetConstraint returns the constraint named or configured by v
// ("non_neg", {"class_name": "MaxNorm", "config": {"max_value": 2}}, or a
// Constraint); nil gives nil.
func GetConstraint(v any) (Constraint, error) {
	if v == nil {
		return nil, nil
	}
	return constraints.get(v)
}

// shapeChecker is implemented by constraints that take only some shapes
// (the norm constraints need their axes to exist).
type shapeChecker interface {
	checkShape(shape tensor.Shape) error
}

// CheckConstraint reports whether c can be applied to a weight of the given
// shape; a layer calls it in Build for each constrained weight, so that a bad
// axis is an error at build time rather than a panic in the first update.
// A nil c is fine.
func CheckConstraint(c Constraint, shape tensor.Shape) error {
	if sc, ok := c.(shapeChecker); ok {
		return sc.checkShape(shape)
	}
	return nil
}
