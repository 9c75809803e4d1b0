package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The sigmoid-like and smooth activations: sigmoid, hard_sigmoid, hard_silu,
// tanh, softplus, softsign, swish (silu), mish, gelu, exponential.
// Keras: keras/src/activations/activations.py; hard_sigmoid from Keras 2
// (tf_keras/backend.py hard_sigmoid) and TF.js (tfjs-layers activations.ts).

// sigmoid64 is 1 / (1 + exp(−x)) without overflow (tensor.Sigmoid64, the
// scalar of the sigmoid kernel), for the activations built on it.
func sigmoid64(x float64) float64 { return tensor.Sigmoid64(x) }

// softplus64 is log(1 + exp(x)) written as max(x, 0) + log1p(exp(−|x|)),
// which neither overflows for large x nor loses precision for very negative x.
func softplus64(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}

var (
	// hardSigmoid is Keras 2's and TF.js's clip(0.2·x + 0.5, 0, 1).
	// Porting note: Keras 3 uses x/6 + 0.5 under the same name; we follow
	// Keras 2, the dialect of the user's study note (testdata/studynote/) and
	// of TF.js model files.
	hardSigmoid = &elementwise{
		name: "hard_sigmoid",
		f:    func(x float64) float64 { return math.Min(math.Max(0.2*x+0.5, 0), 1) },
		df:   func(x, _ float64) float64 { return 0.2 * boolTo(x > -2.5 && x < 2.5) },
	}
	// hardSilu is Keras 3's hard_silu (hard_swish): x·clip(x/6 + 0.5, 0, 1),
	// that is 0 below −3, x above 3 and x·(x + 3)/6 between.
	hardSilu = &elementwise{
		name: "hard_silu",
		f:    func(x float64) float64 { return x * math.Min(math.Max(x/6+0.5, 0), 1) },
		df: func(x, _ float64) float64 {
			switch {
			case x < -3:
				return 0
			case x > 3:
				return 1
			}
			return (2*x + 3) / 6
		},
	}
	softplus = &elementwise{
		name: "softplus",
		f:    softplus64,
		df:   func(x, _ float64) float64 { return sigmoid64(x) },
	}
	softsign = &elementwise{
		name: "softsign",
		f:    func(x float64) float64 { return x / (1 + math.Abs(x)) },
		df: func(x, _ float64) float64 {
			d := 1 + math.Abs(x)
			return 1 / (d * d)
		},
	}
	// swish is x·sigmoid(x); Keras 3 calls it silu and keeps swish as an
	// alias. Configs store "swish", the Keras 2 and TF.js name.
	swish = &elementwise{
		name: "swish",
		f:    func(x float64) float64 { return x * sigmoid64(x) },
		df: func(x, _ float64) float64 {
			s := sigmoid64(x)
			return s + x*s*(1-s)
		},
	}
	// mish is x·tanh(softplus(x)); its derivative is
	// tanh(sp) + x·(1 − tanh²(sp))·sigmoid(x), since sp' = sigmoid.
	mish = &elementwise{
		name: "mish",
		f:    func(x float64) float64 { return x * math.Tanh(softplus64(x)) },
		df: func(x, _ float64) float64 {
			t := math.Tanh(softplus64(x))
			return t + x*(1-t*t)*sigmoid64(x)
		},
	}
	// gelu is Keras's default exact form x·Φ(x) = 0.5·x·(1 + erf(x/√2))
	// (approximate=False in both Keras 3 and tf.keras 2); its derivative is
	// Φ(x) + x·φ(x).
	gelu = &elementwise{
		name: "gelu",
		f:    func(x float64) float64 { return 0.5 * x * (1 + math.Erf(x/math.Sqrt2)) },
		df: func(x, _ float64) float64 {
			cdf := 0.5 * (1 + math.Erf(x/math.Sqrt2))
			pdf := math.Exp(-0.5*x*x) / math.Sqrt(2*math.Pi)
			return cdf + x*pdf
		},
	}
	exponential = &elementwise{
		name: "exponential",
		f:    math.Exp,
		df:   func(_, y float64) float64 { return y },
	}
)

// sigmoid is 1 / (1 + exp(−x)) in float64, computed without overflow for
// large |x|, stored as float32: tensor.Sigmoid, one kernel call per tensor
// (the SIMD module's in the browser build).
type sigmoid struct{}

func (sigmoid) Name() string { return "sigmoid" }
func (sigmoid) Forward(y, x *tensor.Tensor) {
	tensor.Sigmoid(y.Data[:len(x.Data)], x.Data)
}

// Backward is dy·s·(1 − s) in float32 with s the Forward's output
// (tensor.SigmoidGrad).
func (sigmoid) Backward(dx, x, y, dy *tensor.Tensor) {
	n := len(dy.Data)
	tensor.SigmoidGrad(dx.Data[:n], y.Data[:n], dy.Data)
}

// tanhActivation is math.Tanh in float64 stored as float32 (tensor.Tanh);
// its backward is dy·(1 − y²) in float64 from the output y
// (tensor.TanhGrad).
type tanhActivation struct{}

var tanhAct = tanhActivation{}

func (tanhActivation) Name() string { return "tanh" }
func (tanhActivation) Forward(y, x *tensor.Tensor) {
	tensor.Tanh(y.Data[:len(x.Data)], x.Data)
}
func (tanhActivation) Backward(dx, x, y, dy *tensor.Tensor) {
	n := len(dy.Data)
	tensor.TanhGrad(dx.Data[:n], y.Data[:n], dy.Data)
}
