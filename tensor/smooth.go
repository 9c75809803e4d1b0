package tensor

import "math"

// Sigmoid64 is 1/(1 + exp(−x)) without overflow: for x < 0 it is written
// exp(x)/(1 + exp(x)), so exp never sees a large positive argument. It is
// the scalar that Sigmoid applies per element.
func Sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// Sigmoid sets dst[i] = float32(Sigmoid64(float64(x[i]))): the sigmoid in
// float64 with Go's math.Exp, rounded once to float32. dst may be x. It
// panics if the lengths differ.
func Sigmoid(dst, x []float32) {
	sameLen("Sigmoid", len(dst), len(x))
	if simdOK {
		sigmoidSIMD(dst, x)
		return
	}
	sigmoidGo(dst, x)
}

func sigmoidGo(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = float32(Sigmoid64(float64(v)))
	}
}

// SigmoidGrad sets dst[i] = dy[i]·y[i]·(1 − y[i]) in float32, in that order,
// with y the sigmoid's output: sigmoid's backward. dst may be dy. It panics
// if the lengths differ.
func SigmoidGrad(dst, y, dy []float32) {
	sameLen("SigmoidGrad", len(dst), len(y), len(dy))
	if simdOK {
		sigmoidGradSIMD(dst, y, dy)
		return
	}
	sigmoidGradGo(dst, y, dy)
}

func sigmoidGradGo(dst, y, dy []float32) {
	y, dy = y[:len(dst)], dy[:len(dst)]
	for i, g := range dy {
		s := y[i]
		dst[i] = g * s * (1 - s)
	}
}

// Tanh sets dst[i] = float32(math.Tanh(float64(x[i]))). dst may be x. It
// panics if the lengths differ.
func Tanh(dst, x []float32) {
	sameLen("Tanh", len(dst), len(x))
	if simdOK {
		tanhSIMD(dst, x)
		return
	}
	tanhGo(dst, x)
}

func tanhGo(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = float32(math.Tanh(float64(v)))
	}
}

// TanhGrad sets dst[i] = float32(float64(dy[i])·(1 − y²)) with y =
// float64(y[i]) the tanh's output: tanh's backward, in float64. dst may be
// dy. It panics if the lengths differ.
func TanhGrad(dst, y, dy []float32) {
	sameLen("TanhGrad", len(dst), len(y), len(dy))
	if simdOK {
		tanhGradSIMD(dst, y, dy)
		return
	}
	tanhGradGo(dst, y, dy)
}

func tanhGradGo(dst, y, dy []float32) {
	y, dy = y[:len(dst)], dy[:len(dst)]
	for i, g := range dy {
		v := float64(y[i])
		dst[i] = float32(float64(g) * (1 - v*v))
	}
}
