package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The rectifier family: relu, relu6, leaky_relu, elu, selu, and the relu
// with arguments behind the ReLU layer.
// Keras: keras/src/activations/activations.py (relu, ReLU.static_call,
// leaky_relu, relu6, elu, selu).

// SELU's constants, as Keras (and Klambauer et al., 2017) fix them.
const (
	seluAlpha = 1.67326324235437728481704299167
	seluScale = 1.05070098735548049341933498529
)

var (
	relu6 = &elementwise{
		name: "relu6",
		f:    func(x float64) float64 { return math.Min(math.Max(x, 0), 6) },
		df:   func(x, _ float64) float64 { return boolTo(x > 0 && x < 6) },
	}
	// leakyReLU02 is the function leaky_relu with Keras 3's default
	// negative_slope=0.2 (the LeakyReLU layer's default is 0.3).
	leakyReLU02 = newLeakyReLU(0.2)
	elu1        = newELU(1)
	seluAct     = &elementwise{
		name: "selu",
		f: func(x float64) float64 {
			if x > 0 {
				return seluScale * x
			}
			return seluScale * seluAlpha * math.Expm1(x)
		},
		df: func(x, _ float64) float64 {
			if x > 0 {
				return seluScale
			}
			return seluScale * seluAlpha * math.Exp(x)
		},
	}
)

func boolTo(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// relu is max(x, 0). Its derivative at 0 is taken as 0, as TensorFlow does.
// NaN stays NaN (max(NaN, 0) is NaN in TF.js and Keras), so a diverged model
// does not hide behind finite outputs.
type relu struct{}

func (relu) Name() string                { return "relu" }
func (relu) Forward(y, x *tensor.Tensor) { tensor.Relu(y.Data[:len(x.Data)], x.Data) }
func (relu) Backward(dx, x, y, dy *tensor.Tensor) {
	n := len(dy.Data)
	tensor.ReluGrad(dx.Data[:n], x.Data[:n], dy.Data)
}

// newLeakyReLU returns x for x ≥ 0 and slope·x below, Keras's leaky_relu.
// The derivative at 0 is slope, as TensorFlow's LeakyReluGrad has it.
func newLeakyReLU(slope float64) Activation {
	return &elementwise{
		name: "leaky_relu",
		f: func(x float64) float64 {
			if x >= 0 {
				return x
			}
			return slope * x
		},
		df: func(x, _ float64) float64 {
			if x > 0 {
				return 1
			}
			return slope
		},
	}
}

// newELU returns x for x > 0 and alpha·(exp(x) − 1) otherwise, Keras's elu.
func newELU(alpha float64) Activation {
	return &elementwise{
		name: "elu",
		f: func(x float64) float64 {
			if x > 0 {
				return x
			}
			return alpha * math.Expm1(x)
		},
		df: func(x, _ float64) float64 {
			if x > 0 {
				return 1
			}
			return alpha * math.Exp(x)
		},
	}
}

// newReLUFunc returns Keras's relu with its arguments, the function of the
// ReLU layer:
//
//	f(x) = min(x, max_value)                for x > threshold
//	f(x) = negative_slope·(x − threshold)   otherwise
//
// (with threshold 0, values in (0, threshold] do not occur). hasMax false
// means max_value=None. It follows ReLU.static_call: the positive part is
// x·[x > threshold] clipped to [0, max_value], minus
// negative_slope·relu(threshold − x).
func newReLUFunc(maxValue float64, hasMax bool, slope, threshold float64) Activation {
	return &elementwise{
		name: "relu",
		f: func(x float64) float64 {
			pos := 0.0
			if x > threshold {
				pos = math.Max(x, 0)
				if hasMax {
					pos = math.Min(pos, maxValue)
				}
			}
			return pos - slope*math.Max(threshold-x, 0)
		},
		df: func(x, _ float64) float64 {
			switch {
			case x > threshold:
				return boolTo(x > 0 && (!hasMax || x < maxValue))
			case x < threshold:
				return slope
			}
			return 0
		},
	}
}
