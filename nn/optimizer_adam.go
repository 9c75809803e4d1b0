package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Adam keeps running averages of the gradient and its square, with bias
// correction. Keras: keras/src/optimizers/adam.py (defaults
// learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
// amsgrad=False).
//
// With lr the step's learning rate, t the 1-based step and g the (clipped)
// gradient:
//
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g²
//	amsgrad: v̂ ← max(v̂, v) and v̂ stands for v below
//	α = lr·√(1−β₂ᵗ) / (1−β₁ᵗ)
//	w ← w − α·m / (√v + ε)
//
// Porting note: TF.js 4.22 adds ε to √v̂ after bias correction
// (lr·m̂ / (√v̂ + ε)); Keras adds ε to √v and folds the bias correction into
// the step size α, as here. The two differ slightly in the first steps.
type Adam struct {
	optimizerBase
	beta1, beta2, epsilon float64
	amsgrad               bool

	alpha float32 // this step's α
}

func init() {
	// Keras 2.11+ (and Keras 3) positional order.
	optimizers.add("Adam", []string{"learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad"}, newAdam)
	optimizers.add("AdamW", []string{"learning_rate", "weight_decay", "beta_1", "beta_2", "epsilon", "amsgrad"}, newAdamW)
}

func newAdam(m map[string]any) (Optimizer, error) {
	return parseAdam("Adam", m, baseDefaults{name: "adam", learningRate: 0.001})
}

// AdamW is Adam with decoupled weight decay on by default
// (weight_decay=0.004): w ← w − w·weight_decay·lr before each Adam step.
// Keras: keras/src/optimizers/adamw.py.
type AdamW struct{ Adam }

func newAdamW(m map[string]any) (Optimizer, error) {
	if v, present := m["weight_decay"]; present && v == nil {
		return nil, &ArgError{Owner: "AdamW", Key: "weight_decay", Value: nil,
			Want: "a number >= 0 (AdamW always decays the weights; use Adam for none)"}
	}
	wd := 0.004
	o, err := parseAdam("AdamW", m, baseDefaults{name: "adamw", learningRate: 0.001, weightDecay: &wd})
	if err != nil {
		return nil, err
	}
	return &AdamW{Adam: *o}, nil
}

func parseAdam(className string, m map[string]any, d baseDefaults) (*Adam, error) {
	a := NewArgs(className, m)
	o := &Adam{optimizerBase: parseOptimizerBase(a, className, d)}
	o.beta1, o.beta2, o.epsilon = parseBetas(a)
	o.amsgrad = a.Bool("amsgrad", false)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// parseBetas reads beta_1, beta_2 and epsilon with the Adam family's
// defaults (0.9, 0.999, 1e-7). A beta of 1 would divide by zero in the bias
// correction, so each must be in [0, 1).
func parseBetas(a *Args) (beta1, beta2, epsilon float64) {
	beta1 = a.Float("beta_1", 0.9)
	checkRange(a, "beta_1", beta1, 0, 1, true, "a number in [0, 1) such as 0.9")
	beta2 = a.Float("beta_2", 0.999)
	checkRange(a, "beta_2", beta2, 0, 1, true, "a number in [0, 1) such as 0.999")
	epsilon = a.Float("epsilon", 1e-7)
	checkRange(a, "epsilon", epsilon, 0, 1, false, "a small number >= 0 such as 1e-7")
	return beta1, beta2, epsilon
}

// Apply performs one Adam step on the trainable params (see Optimizer).
func (o *Adam) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *Adam) Config() Config {
	m := o.baseConfig()
	m["beta_1"] = o.beta1
	m["beta_2"] = o.beta2
	m["epsilon"] = o.epsilon
	m["amsgrad"] = o.amsgrad
	return Config{ClassName: o.className, Config: m}
}

// newSlots returns momentum, velocity and, with amsgrad, velocity_hat.
func (o *Adam) newSlots(n int) [][]float32 {
	if o.amsgrad {
		return zeroSlots(3, n)
	}
	return zeroSlots(2, n)
}

func (o *Adam) prepare(lr float64, t int64) {
	b1t := math.Pow(o.beta1, float64(t))
	b2t := math.Pow(o.beta2, float64(t))
	o.alpha = float32(lr * math.Sqrt(1-b2t) / (1 - b1t))
}

func (o *Adam) update(w, g []float32, slots [][]float32) {
	b1, b2, eps, alpha := float32(o.beta1), float32(o.beta2), float32(o.epsilon), o.alpha
	var vhat []float32
	if o.amsgrad {
		vhat = slots[2][:len(w)]
	}
	tensor.Adam(w, g[:len(w)], slots[0][:len(w)], slots[1][:len(w)], vhat, b1, b2, eps, alpha)
}
