package nn

import "strings"

// Regularizer is a penalty on a weight (or a layer's output) added to the
// loss. Keras: keras/src/regularizers/regularizers.py.
type Regularizer interface {
	// Loss returns the penalty for values w.
	Loss(w []float32) float64
	// Grad ADDS the penalty's gradient with respect to w into dw.
	Grad(dw, w []float32)
	Config() Config
}

var regularizers = newRegistry[Regularizer]("regularizer", "regularizers").withSnakeAliases()

// GetRegularizer returns the regularizer named or configured by v ("l2",
// {"class_name": "L2", "config": {"l2": 0.01}}, or a Regularizer); nil gives nil.
//
// The name "l1_l2" gives L1L2(l1=0.01, l2=0.01), the defaults of Keras's
// l1_l2 function, while the class L1L2 defaults to l1=0, l2=0; Keras 2's
// regularizers.deserialize makes the same exception
// (tf_keras/regularizers.py).
func GetRegularizer(v any) (Regularizer, error) {
	if v == nil {
		return nil, nil
	}
	if s, ok := v.(string); ok && strings.EqualFold(s, "l1_l2") {
		return &l1l2{class: "L1L2", l1: 0.01, l2: 0.01}, nil
	}
	return regularizers.get(v)
}
