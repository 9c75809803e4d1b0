package nn

import (
	"github.com/keraswasm/keraswasm/tensor"
)

// Activation is an element-wise (or, for softmax and log_softmax, last-axis)
// function with its derivative. Keras: keras/src/activations/activations.py.
//
// Every function computes in float64 per element and stores float32, so the
// numerically delicate ones (softplus, sigmoid, softmax, log_softmax) use
// their stable forms.
//
// Porting note: hard_sigmoid follows Keras 2 and TF.js (0.2x + 0.5, clipped);
// Keras 3 changed it to x/6 + 0.5. hard_silu (alias hard_swish), which exists
// only in Keras 3, is x·(x/6 + 0.5) clipped, as Keras 3 defines it.
// leaky_relu as a function has Keras 3's negative_slope 0.2 (the LeakyReLU
// layer has 0.3).
type Activation interface {
	// Name is the Keras name ("relu"); it is what configs store.
	Name() string
	// Forward writes f(x) into y (same shape as x; y may be x, but then
	// Backward cannot follow, since it reads x).
	Forward(y, x *tensor.Tensor)
	// Backward writes into dx the gradient dy·∂y/∂x, given the x and y of
	// the matching Forward (both are read, so the Forward must not have run
	// in place). It overwrites dx (dx may be dy).
	Backward(dx, x, y, dy *tensor.Tensor)
}

// activations is the registry of activation functions by Keras name. An
// activation has no arguments in a layer config (Keras stores its name); the
// ctor receives an empty map.
var activations = newRegistry[Activation]("activation", "activations")

// GetActivation returns the activation named by v: a name such as "relu",
// nil or "" for linear, or an Activation.
func GetActivation(v any) (Activation, error) {
	if v == nil || v == "" {
		return linear{}, nil
	}
	return activations.get(v)
}

// ActivationNames returns the registered activation names, sorted.
func ActivationNames() []string { return activations.classNames() }

func simpleActivation(a Activation) func(map[string]any) (Activation, error) {
	return func(m map[string]any) (Activation, error) {
		if err := NewArgs(a.Name(), m).Err(); err != nil {
			return nil, err
		}
		return a, nil
	}
}

func init() {
	for _, a := range []Activation{
		linear{}, relu{}, relu6, leakyReLU02, elu1, seluAct,
		gelu, sigmoid{}, hardSigmoid, hardSilu, tanhAct,
		softmax{}, logSoftmax{}, softplus, softsign, swish, mish, exponential,
	} {
		activations.add(a.Name(), []string{"x"}, simpleActivation(a), activationAliases[a.Name()]...)
	}
}

// activationAliases are the other names Keras accepts for an activation.
var activationAliases = map[string][]string{
	"swish":     {"silu"},       // Keras 3 exports silu with swish as its alias
	"hard_silu": {"hard_swish"}, // Keras 3
}

// elementwise is an activation given by a scalar function and its
// derivative, both in float64. It serves the less common activations; the
// hot ones (relu, sigmoid, tanh, softmax) call tensor's kernels. It is used through
// a pointer so that activations stay comparable with ==.
type elementwise struct {
	name string
	f    func(x float64) float64
	// df is f'(x); y = f(x) is passed too, for derivatives that reuse it.
	df func(x, y float64) float64
}

func (e *elementwise) Name() string { return e.name }

func (e *elementwise) Forward(y, x *tensor.Tensor) {
	yd := y.Data[:len(x.Data)]
	for i, v := range x.Data {
		yd[i] = float32(e.f(float64(v)))
	}
}

func (e *elementwise) Backward(dx, x, y, dy *tensor.Tensor) {
	n := len(dy.Data)
	dd, xd, yd := dx.Data[:n], x.Data[:n], y.Data[:n]
	for i, g := range dy.Data {
		dd[i] = float32(float64(g) * e.df(float64(xd[i]), float64(yd[i])))
	}
}

// linear is the identity, Keras's default activation (activation=None).
type linear struct{}

func (linear) Name() string { return "linear" }
func (linear) Forward(y, x *tensor.Tensor) {
	if y != x {
		copy(y.Data, x.Data)
	}
}
func (linear) Backward(dx, x, y, dy *tensor.Tensor) {
	if dx != dy {
		copy(dx.Data, dy.Data)
	}
}
