package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The weight penalties L1, L2 and L1L2.
// Keras: keras/src/regularizers/regularizers.py (and tf_keras/regularizers.py
// for Keras 2's spelling "l" of the factor).

func init() {
	regularizers.add("L1", []string{"l1"}, func(m map[string]any) (Regularizer, error) {
		a := NewArgs("L1", m)
		a.Alias("l1", "l") // Keras 2's backward-compatible spelling
		r := &l1l2{class: "L1", l1: penalty(a, "l1", 0.01)}
		return r, a.Err()
	})
	regularizers.add("L2", []string{"l2"}, func(m map[string]any) (Regularizer, error) {
		a := NewArgs("L2", m)
		a.Alias("l2", "l")
		r := &l1l2{class: "L2", l2: penalty(a, "l2", 0.01)}
		return r, a.Err()
	})
	regularizers.add("L1L2", []string{"l1", "l2"}, func(m map[string]any) (Regularizer, error) {
		a := NewArgs("L1L2", m)
		r := &l1l2{class: "L1L2", l1: penalty(a, "l1", 0), l2: penalty(a, "l2", 0)}
		return r, a.Err()
	})
	regularizers.notImplemented("a regularizer here sees a weight's values, not its rows and columns; use L1, L2 or L1L2",
		"OrthogonalRegularizer")
}

// penalty reads a regularization factor: a finite number ≥ 0, as Keras 3's
// validate_float_arg requires. None means the default.
func penalty(a *Args, key string, def float64) float64 {
	v := a.Float(key, def)
	if v < 0 || math.IsInf(v, 0) {
		a.Fail(key, v, "a non-negative float")
		return def
	}
	return v
}

// l1l2 is l1·Σ|w| + l2·Σw². Its class (L1, L2 or L1L2) decides which factors
// its config lists.
type l1l2 struct {
	class  string
	l1, l2 float64
}

// Loss sums in float64. A zero factor's term is left out, as Keras's
// L1L2.__call__ does (so an infinite weight gives +Inf, not 0·Inf = NaN).
func (r *l1l2) Loss(w []float32) float64 {
	var loss float64
	if r.l1 != 0 {
		loss += r.l1 * tensor.SumAbs(w)
	}
	if r.l2 != 0 {
		loss += r.l2 * tensor.SumSquares(w)
	}
	return loss
}

// Grad adds l1·sign(w) + 2·l2·w into dw; sign(0) is 0, as TensorFlow's
// gradient of abs has it.
func (r *l1l2) Grad(dw, w []float32) {
	l1, l2 := float32(r.l1), float32(2*r.l2)
	dw = dw[:len(w)]
	for i, v := range w {
		g := l2 * v
		switch {
		case v > 0:
			g += l1
		case v < 0:
			g -= l1
		}
		dw[i] += g
	}
}

func (r *l1l2) Config() Config {
	m := map[string]any{}
	switch r.class {
	case "L1":
		m["l1"] = r.l1
	case "L2":
		m["l2"] = r.l2
	default:
		m["l1"], m["l2"] = r.l1, r.l2
	}
	return Config{ClassName: r.class, Config: m}
}
