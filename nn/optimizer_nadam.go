package nn

import "math"

// Nadam is Adam with Nesterov momentum. Keras: keras/src/optimizers/nadam.py
// (defaults learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7).
//
// With lr the step's learning rate, t the 1-based step and g the (clipped)
// gradient, the momentum schedule uₜ = β₁·(1 − ½·0.96ᵗ) and its running
// product Πₜ = u₁·…·uₜ (one per optimizer, updated once a step):
//
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g²
//	m̂ = uₜ₊₁·m / (1 − Πₜ·uₜ₊₁) + (1−uₜ)·g / (1 − Πₜ)
//	v̂ = v / (1 − β₂ᵗ)
//	w ← w − lr·m̂ / (√v̂ + ε)
//
// Porting note: Keras 2's Nadam (standalone Keras 2.x and tf.keras's legacy
// optimizer_v2) took schedule_decay=0.004 and used 0.96^(0.004·t) in uₜ;
// Keras 3 and tf.keras >= 2.11 use 0.96ᵗ. keraswasm follows Keras 3, and
// accepts schedule_decay=s to get Keras 2's 0.96^(s·t). tf.keras's legacy
// Nadam also read its `decay` argument as that schedule decay and did not
// decay the learning rate; here `decay` is the legacy learning-rate decay,
// as for every other optimizer.
type Nadam struct {
	optimizerBase
	beta1, beta2, epsilon float64
	scheduleDecay         *float64 // nil: Keras 3's schedule (exponent t)

	product float64 // Πₜ, the running product of the momentum schedule

	lr, ut, utNext, oneMinusProduct, oneMinusProductNext, oneMinusB2t float32
}

// Keras 2.11+ (and Keras 3) positional order.
func init() {
	optimizers.add("Nadam", []string{"learning_rate", "beta_1", "beta_2", "epsilon"}, newNadam)
}

func newNadam(m map[string]any) (Optimizer, error) {
	a := NewArgs("Nadam", m)
	o := &Nadam{optimizerBase: parseOptimizerBase(a, "Nadam", baseDefaults{name: "nadam", learningRate: 0.001}), product: 1}
	o.beta1, o.beta2, o.epsilon = parseBetas(a)
	o.scheduleDecay = optionalFloat(a, "schedule_decay", "a positive number such as 0.004 (Keras 2), or null for Keras 3's schedule", true)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Apply performs one Nadam step on the trainable params (see Optimizer).
func (o *Nadam) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *Nadam) Config() Config {
	m := o.baseConfig()
	m["beta_1"] = o.beta1
	m["beta_2"] = o.beta2
	m["epsilon"] = o.epsilon
	if o.scheduleDecay != nil {
		m["schedule_decay"] = *o.scheduleDecay
	}
	return Config{ClassName: "Nadam", Config: m}
}

// newSlots returns the momentum m and the velocity v.
func (o *Nadam) newSlots(n int) [][]float32 { return zeroSlots(2, n) }

// momentumAt is uₜ, the momentum schedule at step t.
func (o *Nadam) momentumAt(t int64) float64 {
	exp := float64(t)
	if o.scheduleDecay != nil {
		exp *= *o.scheduleDecay
	}
	return o.beta1 * (1 - 0.5*math.Pow(0.96, exp))
}

func (o *Nadam) prepare(lr float64, t int64) {
	ut, utNext := o.momentumAt(t), o.momentumAt(t+1)
	o.product *= ut
	o.lr, o.ut, o.utNext = float32(lr), float32(ut), float32(utNext)
	o.oneMinusProduct = float32(1 - o.product)
	o.oneMinusProductNext = float32(1 - o.product*utNext)
	o.oneMinusB2t = float32(1 - math.Pow(o.beta2, float64(t)))
}

func (o *Nadam) update(w, g []float32, slots [][]float32) {
	b1, b2, eps := float32(o.beta1), float32(o.beta2), float32(o.epsilon)
	lr, ut, utNext := o.lr, o.ut, o.utNext
	pNow, pNext, b2t := o.oneMinusProduct, o.oneMinusProductNext, o.oneMinusB2t
	m, v := slots[0][:len(w)], slots[1][:len(w)]
	g = g[:len(w)]
	for i := range w {
		gi := g[i]
		m[i] += (gi - m[i]) * (1 - b1)
		v[i] += (gi*gi - v[i]) * (1 - b2)
		mhat := utNext*m[i]/pNext + (1-ut)*gi/pNow
		vhat := v[i] / b2t
		w[i] -= mhat * lr / (sqrt32(vhat) + eps)
	}
}
