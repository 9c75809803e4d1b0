package nn

import "github.com/keraswasm/keraswasm/tensor"

// ActivityRegularization passes its input through and adds the penalty
// l1·Σ|y| + l2·Σy² (divided by the batch size, as every activity
// regularizer) to the loss. Keras:
// keras/src/layers/regularization/activity_regularization.py (its config
// holds l1 and l2, not the activity_regularizer it makes from them).
type ActivityRegularization struct {
	LayerBase
	L1, L2 float64

	act activity
	y   *tensor.Tensor
}

func init() {
	layers.add("ActivityRegularization", []string{"l1", "l2"}, func(m map[string]any) (Layer, error) {
		a := NewArgs("ActivityRegularization", m)
		l := &ActivityRegularization{LayerBase: ParseBase(a, "ActivityRegularization")}
		if l.ActivityRegularizer != nil {
			v, _ := a.Value("activity_regularizer")
			a.Fail("activity_regularizer", v, "no activity_regularizer: ActivityRegularization makes its own from l1 and l2")
		}
		l.L1, l.L2 = penalty(a, "l1", 0), penalty(a, "l2", 0)
		if err := a.Err(); err != nil {
			return nil, err
		}
		l.ActivityRegularizer = &l1l2{class: "L1L2", l1: l.L1, l2: l.L2}
		return l, nil
	})
}

// OutputShape returns in.
func (l *ActivityRegularization) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	return in.Clone(), nil
}

// Build has nothing to make.
func (l *ActivityRegularization) Build(in tensor.Shape, _ *tensor.RNG) error {
	l.Built = true
	return nil
}

// Params returns nil: the layer has no weights.
func (l *ActivityRegularization) Params() []*Param { return nil }

// Forward returns x, recording the penalty on it.
func (l *ActivityRegularization) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.y = x
	l.act.forward(&l.LayerBase, x)
	return x
}

// Backward returns dy plus the penalty's gradient.
func (l *ActivityRegularization) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	return l.act.backward(&l.LayerBase, l.y, dy)
}

// Config returns Keras's config: l1 and l2, without activity_regularizer.
func (l *ActivityRegularization) Config() Config {
	m := l.BaseConfig(map[string]any{"l1": l.L1, "l2": l.L2})
	delete(m, "activity_regularizer")
	return Config{ClassName: "ActivityRegularization", Config: m}
}
