package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Activation is an element-wise (or, for softmax and log_softmax, last-axis)
// function with its derivative.
//
// Porting note: hard_sigmoid follows Keras 2 and TF.js (0.2x + 0.5, clipped);
// Keras 3 changed it to x/6 + 0.5.
type Activation interface {
	// Name is the Keras name ("relu"); it is what configs store.
	Name() string
	// Forward writes f(x) into y (same shape as x; y may be x).
	Forward(y, x *tensor.Tensor)
	// Backward writes into dx the gradient dy·∂y/∂x, given the x and y of
	// the matching Forward. It overwrites dx (dx may be dy).
	Backward(dx, x, y, dy *tensor.Tensor)
}

// activations is the registry of activation functions by Keras name. An
// activation has no arguments in a layer config (Keras stores its name); the
// ctor receives an empty map.
var activations = newRegistry[Activation]("activation")

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
	activations.add("linear", simpleActivation(linear{}))
	activations.add("relu", simpleActivation(relu{}))
	activations.add("sigmoid", simpleActivation(sigmoid{}))
	activations.add("softmax", simpleActivation(softmax{}))
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

// relu is max(x, 0). Its derivative at 0 is taken as 0, as TensorFlow does.
type relu struct{}

func (relu) Name() string { return "relu" }
func (relu) Forward(y, x *tensor.Tensor) {
	yd := y.Data[:len(x.Data)]
	for i, v := range x.Data {
		if v > 0 {
			yd[i] = v
		} else {
			yd[i] = 0
		}
	}
}
func (relu) Backward(dx, x, y, dy *tensor.Tensor) {
	dd := dx.Data[:len(dy.Data)]
	yd := y.Data[:len(dy.Data)]
	for i, g := range dy.Data {
		if yd[i] > 0 {
			dd[i] = g
		} else {
			dd[i] = 0
		}
	}
}

// sigmoid is 1 / (1 + exp(-x)).
type sigmoid struct{}

func (sigmoid) Name() string { return "sigmoid" }
func (sigmoid) Forward(y, x *tensor.Tensor) {
	for i, v := range x.Data {
		y.Data[i] = float32(1 / (1 + math.Exp(-float64(v))))
	}
}
func (sigmoid) Backward(dx, x, y, dy *tensor.Tensor) {
	for i, g := range dy.Data {
		s := y.Data[i]
		dx.Data[i] = g * s * (1 - s)
	}
}

// softmax is exp(x) / sum(exp(x)) over the last axis, computed with the
// maximum subtracted so large logits do not overflow.
type softmax struct{}

func (softmax) Name() string { return "softmax" }
func (softmax) Forward(y, x *tensor.Tensor) {
	n := x.Dim(-1)
	for r := 0; r+n <= len(x.Data); r += n {
		xs, ys := x.Data[r:r+n], y.Data[r:r+n]
		m := xs[0]
		for _, v := range xs[1:] {
			if v > m {
				m = v
			}
		}
		var s float64
		for i, v := range xs {
			e := math.Exp(float64(v - m))
			ys[i] = float32(e)
			s += e
		}
		inv := float32(1 / s)
		for i := range ys {
			ys[i] *= inv
		}
	}
}

// Backward uses dx_i = y_i·(dy_i − Σ_j dy_j·y_j) for each row.
func (softmax) Backward(dx, x, y, dy *tensor.Tensor) {
	n := y.Dim(-1)
	for r := 0; r+n <= len(y.Data); r += n {
		ys, gs, ds := y.Data[r:r+n], dy.Data[r:r+n], dx.Data[r:r+n]
		var dot float64
		for i, v := range ys {
			dot += float64(v) * float64(gs[i])
		}
		for i, v := range ys {
			ds[i] = v * (gs[i] - float32(dot))
		}
	}
}
