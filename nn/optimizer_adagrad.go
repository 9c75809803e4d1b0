package nn

// Adagrad scales each weight's step by the root of the sum of its squared
// gradients. Keras: keras/src/optimizers/adagrad.py (defaults
// learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7).
//
// With lr the step's learning rate and g the (clipped) gradient, the
// accumulator starting at initial_accumulator_value:
//
//	a ← a + g²
//	w ← w − lr·g / √(a + ε)
//
// Porting note: tf.keras 2's legacy optimizer_v2 Adagrad puts ε outside the
// root (lr·g / (√a + ε)); Keras 3, tf.keras >= 2.11 and TF.js put it inside,
// as here.
type Adagrad struct {
	optimizerBase
	initialAccumulator, epsilon float64

	lr float32 // this step's learning rate
}

// Keras 2.11+ (and Keras 3) positional order.
func init() {
	optimizers.add("Adagrad", []string{"learning_rate", "initial_accumulator_value", "epsilon"}, newAdagrad)
}

func newAdagrad(m map[string]any) (Optimizer, error) {
	a := NewArgs("Adagrad", m)
	o := &Adagrad{optimizerBase: parseOptimizerBase(a, "Adagrad", baseDefaults{name: "adagrad", learningRate: 0.001})}
	o.initialAccumulator = a.Float("initial_accumulator_value", 0.1)
	if !(o.initialAccumulator >= 0) {
		a.Fail("initial_accumulator_value", o.initialAccumulator, "a number >= 0 such as 0.1")
	}
	o.epsilon = a.Float("epsilon", 1e-7)
	checkRange(a, "epsilon", o.epsilon, 0, 1, false, "a small number >= 0 such as 1e-7")
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Apply performs one Adagrad step on the trainable params (see Optimizer).
func (o *Adagrad) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *Adagrad) Config() Config {
	m := o.baseConfig()
	m["initial_accumulator_value"] = o.initialAccumulator
	m["epsilon"] = o.epsilon
	return Config{ClassName: "Adagrad", Config: m}
}

// newSlots returns the accumulator, filled with initial_accumulator_value.
func (o *Adagrad) newSlots(n int) [][]float32 {
	acc := make([]float32, n)
	for i := range acc {
		acc[i] = float32(o.initialAccumulator)
	}
	return [][]float32{acc}
}

func (o *Adagrad) prepare(lr float64, _ int64) { o.lr = float32(lr) }

func (o *Adagrad) update(w, g []float32, slots [][]float32) {
	lr, eps := o.lr, float32(o.epsilon)
	acc := slots[0][:len(w)]
	g = g[:len(w)]
	for i := range w {
		acc[i] += g[i] * g[i]
		w[i] -= lr * g[i] / sqrt32(acc[i]+eps)
	}
}
