package nn

import "github.com/keraswasm/keraswasm/tensor"

// SGD is gradient descent, with optional momentum and Nesterov momentum.
// Keras: keras/src/optimizers/sgd.py (defaults learning_rate=0.01,
// momentum=0.0, nesterov=False) and, for lr and decay,
// keras/optimizers/optimizer_v2/gradient_descent.py.
//
// With lr the step's learning rate and g the (clipped) gradient:
//
//	momentum = 0:  w ← w − lr·g
//	momentum μ:    v ← μ·v − lr·g;  w ← w + v
//	nesterov:      v ← μ·v − lr·g;  w ← w + μ·v − lr·g
//
// Porting note: TF.js's tf.train.sgd has no momentum, nesterov or decay; its
// tf.train.momentum keeps v ← μ·v + g and steps w ← w − lr·v, which equals
// Keras's rule only while the learning rate stays constant. keraswasm
// follows Keras.
type SGD struct {
	optimizerBase
	momentum float64
	nesterov bool

	lr, mu float32 // this step's coefficients
}

// Keras 2.11+ (and Keras 3) positional order.
func init() {
	optimizers.add("SGD", []string{"learning_rate", "momentum", "nesterov"}, newSGD)
}

func newSGD(m map[string]any) (Optimizer, error) {
	a := NewArgs("SGD", m)
	o := &SGD{optimizerBase: parseOptimizerBase(a, "SGD", baseDefaults{name: "SGD", learningRate: 0.01})}
	o.momentum = a.Float("momentum", 0)
	checkRange(a, "momentum", o.momentum, 0, 1, false, "a number in [0, 1]")
	o.nesterov = a.Bool("nesterov", false)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return o, nil
}

// Apply performs one SGD step on the trainable params (see Optimizer).
func (o *SGD) Apply(params []*Param) { o.apply(params, o) }

// Config returns the Keras config of o.
func (o *SGD) Config() Config {
	m := o.baseConfig()
	m["momentum"] = o.momentum
	m["nesterov"] = o.nesterov
	return Config{ClassName: "SGD", Config: m}
}

func (o *SGD) newSlots(n int) [][]float32 {
	if o.momentum == 0 {
		return nil
	}
	return zeroSlots(1, n) // momentum (velocity)
}

func (o *SGD) prepare(lr float64, _ int64) {
	o.lr, o.mu = float32(lr), float32(o.momentum)
}

func (o *SGD) update(w, g []float32, slots [][]float32) {
	lr, mu := o.lr, o.mu
	if o.momentum == 0 {
		tensor.Axpy(w, -lr, g) // w −= lr·g
		return
	}
	tensor.SGDMomentum(w, g[:len(w)], slots[0][:len(w)], lr, mu, o.nesterov)
}
