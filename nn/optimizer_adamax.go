package nn

import "math"

// Adamax is Adam with the infinity norm in place of the second moment.
// Keras: keras/src/optimizers/adamax.py (defaults learning_rate=0.001,
// beta_1=0.9, beta_2=0.999, epsilon=1e-7).
//
// With lr the step's learning rate, t the 1-based step and g the (clipped)
// gradient:
//
//	m ← β₁·m + (1−β₁)·g
//	u ← max(β₂·u, |g|)
//	w ← w − lr·m / ((1−β₁ᵗ)·(u + ε))
type Adamax struct {
	optimizerBase
	beta1, beta2, epsilon float64

	lr, correction float32 // this step's lr and 1−β₁ᵗ
}

// Keras 2.11+ (and Keras 3) positional order.
func init() {
	optimizers.add("Adamax", []string{"learning_rate", "beta_1", "beta_2", "epsilon"}, newAdamax)
}

func newAdamax(m map[string]any) (Optimizer, error) {
	a := NewArgs("Adamax", m)
	o := &Adamax{optimizerBase: parseOptimizerBase(a, "Adamax", baseDefaults{name: "adamax", learningRate: 0.001})}
	o.beta1, o.beta2, o.epsilon = parseBetas(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Apply performs one Adamax step on the trainable params (see Optimizer).
func (o *Adamax) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *Adamax) Config() Config {
	m := o.baseConfig()
	m["beta_1"] = o.beta1
	m["beta_2"] = o.beta2
	m["epsilon"] = o.epsilon
	return Config{ClassName: "Adamax", Config: m}
}

// newSlots returns the momentum m and the norm u.
func (o *Adamax) newSlots(n int) [][]float32 { return zeroSlots(2, n) }

func (o *Adamax) prepare(lr float64, t int64) {
	o.lr = float32(lr)
	o.correction = float32(1 - math.Pow(o.beta1, float64(t)))
}

func (o *Adamax) update(w, g []float32, slots [][]float32) {
	lr, c := o.lr, o.correction
	b1, b2, eps := float32(o.beta1), float32(o.beta2), float32(o.epsilon)
	m, u := slots[0][:len(w)], slots[1][:len(w)]
	g = g[:len(w)]
	for i := range w {
		gi := g[i]
		m[i] += (gi - m[i]) * (1 - b1)
		u[i] = max(b2*u[i], float32(math.Abs(float64(gi))))
		w[i] -= lr * m[i] / (c * (u[i] + eps))
	}
}
