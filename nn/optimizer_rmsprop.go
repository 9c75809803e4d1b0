package nn

import "github.com/keraswasm/keraswasm/tensor"

// RMSprop divides the gradient by a running root mean square of recent
// gradients. Keras: keras/src/optimizers/rmsprop.py (defaults
// learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False).
//
// With lr the step's learning rate and g the (clipped) gradient:
//
//	v ← ρ·v + (1−ρ)·g²
//	centered:  ḡ ← ρ·ḡ + (1−ρ)·g;  d = v − ḡ² + ε
//	otherwise: d = v + ε
//	Δ = lr·g / √d
//	momentum μ > 0:  m ← μ·m + Δ;  w ← w − m
//	otherwise:       w ← w − Δ
//
// Porting note: TF.js 4.22's centered RMSprop divides by √(v − (ḡ² + ε)),
// which is NaN when ḡ² ≈ v (small gradients on the first step); Keras divides
// by √(v − ḡ² + ε), and keraswasm follows Keras.
//
// Porting note: TF.js's tf.train.rmsprop calls ρ `decay`; in Keras (and
// here) `decay` is the legacy learning-rate decay and ρ is `rho`.
//
// Porting note: tf.keras 2's legacy optimizer_v2 RMSprop without momentum
// puts ε outside the root (lr·g / (√v + ε)); Keras 3 and tf.keras >= 2.11
// put it inside in every case, as here.
type RMSprop struct {
	optimizerBase
	rho, momentum, epsilon float64
	centered               bool

	lr float32 // this step's learning rate
}

// Keras 2.11+ (and Keras 3) positional order.
func init() {
	optimizers.add("RMSprop", []string{"learning_rate", "rho", "momentum", "epsilon", "centered"}, newRMSprop)
}

func newRMSprop(m map[string]any) (Optimizer, error) {
	a := NewArgs("RMSprop", m)
	o := &RMSprop{optimizerBase: parseOptimizerBase(a, "RMSprop", baseDefaults{name: "rmsprop", learningRate: 0.001})}
	o.rho = a.Float("rho", 0.9)
	checkRange(a, "rho", o.rho, 0, 1, false, "a number in [0, 1]")
	o.momentum = a.Float("momentum", 0)
	checkRange(a, "momentum", o.momentum, 0, 1, false, "a number in [0, 1]")
	o.epsilon = a.Float("epsilon", 1e-7)
	checkRange(a, "epsilon", o.epsilon, 0, 1, false, "a small number >= 0 such as 1e-7")
	o.centered = a.Bool("centered", false)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Apply performs one RMSprop step on the trainable params (see Optimizer).
func (o *RMSprop) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *RMSprop) Config() Config {
	m := o.baseConfig()
	m["rho"] = o.rho
	m["momentum"] = o.momentum
	m["epsilon"] = o.epsilon
	m["centered"] = o.centered
	return Config{ClassName: "RMSprop", Config: m}
}

// newSlots returns velocity, momentum (nil without momentum) and the
// average gradient (nil unless centered).
func (o *RMSprop) newSlots(n int) [][]float32 {
	s := [][]float32{make([]float32, n), nil, nil}
	if o.momentum > 0 {
		s[1] = make([]float32, n)
	}
	if o.centered {
		s[2] = make([]float32, n)
	}
	return s
}

func (o *RMSprop) prepare(lr float64, _ int64) { o.lr = float32(lr) }

func (o *RMSprop) update(w, g []float32, slots [][]float32) {
	lr, rho, eps, mu := o.lr, float32(o.rho), float32(o.epsilon), float32(o.momentum)
	tensor.RMSprop(w, g[:len(w)], slots[0][:len(w)], slots[1], slots[2], lr, rho, eps, mu)
}
