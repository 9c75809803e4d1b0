package nn

// Adadelta scales each step by the ratio of running roots of past updates
// and past gradients. Keras: keras/src/optimizers/adadelta.py (defaults
// learning_rate=0.001, rho=0.95, epsilon=1e-7).
//
// With lr the step's learning rate and g the (clipped) gradient, both
// accumulators starting at zero:
//
//	E[g²] ← ρ·E[g²] + (1−ρ)·g²
//	Δ = −√(E[Δ²] + ε) / √(E[g²] + ε) · g
//	E[Δ²] ← ρ·E[Δ²] + (1−ρ)·Δ²
//	w ← w + lr·Δ
//
// The paper's form has lr = 1.0; Keras's default 0.001 makes steps tiny.
type Adadelta struct {
	optimizerBase
	rho, epsilon float64

	lr float32 // this step's learning rate
}

// Keras 2.11+ (and Keras 3) positional order.
func init() {
	optimizers.add("Adadelta", []string{"learning_rate", "rho", "epsilon"}, newAdadelta)
}

func newAdadelta(m map[string]any) (Optimizer, error) {
	a := NewArgs("Adadelta", m)
	o := &Adadelta{optimizerBase: parseOptimizerBase(a, "Adadelta", baseDefaults{name: "adadelta", learningRate: 0.001})}
	o.rho = a.Float("rho", 0.95)
	checkRange(a, "rho", o.rho, 0, 1, false, "a number in [0, 1] such as 0.95")
	o.epsilon = a.Float("epsilon", 1e-7)
	checkRange(a, "epsilon", o.epsilon, 0, 1, false, "a small number >= 0 such as 1e-7")
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Apply performs one Adadelta step on the trainable params (see Optimizer).
func (o *Adadelta) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *Adadelta) Config() Config {
	m := o.baseConfig()
	m["rho"] = o.rho
	m["epsilon"] = o.epsilon
	return Config{ClassName: "Adadelta", Config: m}
}

// newSlots returns the accumulated squared gradients and squared updates.
func (o *Adadelta) newSlots(n int) [][]float32 { return zeroSlots(2, n) }

func (o *Adadelta) prepare(lr float64, _ int64) { o.lr = float32(lr) }

func (o *Adadelta) update(w, g []float32, slots [][]float32) {
	lr, rho, eps := o.lr, float32(o.rho), float32(o.epsilon)
	accGrad, accDelta := slots[0][:len(w)], slots[1][:len(w)]
	g = g[:len(w)]
	for i := range w {
		gi := g[i]
		accGrad[i] = rho*accGrad[i] + (1-rho)*gi*gi
		delta := -(sqrt32(accDelta[i]+eps) * gi) / sqrt32(accGrad[i]+eps)
		accDelta[i] = rho*accDelta[i] + (1-rho)*delta*delta
		w[i] += lr * delta
	}
}
