package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// softmax and log_softmax over one axis, with the maximum subtracted so that
// large logits do not overflow. Keras: keras/src/activations/activations.py
// (softmax, log_softmax) and keras/src/layers/activations/softmax.py.
//
// The kernels see a tensor as (outer, n, inner): n is the axis normalized
// over, inner the product of the dimensions after it (1 for the last axis).

// softmax is exp(x) / Σ exp(x) over the last axis.
type softmax struct{}

func (softmax) Name() string { return "softmax" }
func (softmax) Forward(y, x *tensor.Tensor) {
	n := x.Dim(-1)
	softmaxForward(y.Data, x.Data, n, 1)
}

// Backward uses dx_i = y_i·(dy_i − Σ_j dy_j·y_j) along the axis.
func (softmax) Backward(dx, x, y, dy *tensor.Tensor) {
	softmaxBackward(dx.Data, y.Data, dy.Data, y.Dim(-1), 1)
}

// logSoftmax is x − log Σ exp(x) over the last axis.
type logSoftmax struct{}

func (logSoftmax) Name() string { return "log_softmax" }
func (logSoftmax) Forward(y, x *tensor.Tensor) {
	logSoftmaxForward(y.Data, x.Data, x.Dim(-1), 1)
}

// Backward uses dx_i = dy_i − softmax_i·Σ_j dy_j, with softmax = exp(y).
func (logSoftmax) Backward(dx, x, y, dy *tensor.Tensor) {
	logSoftmaxBackward(dx.Data, y.Data, dy.Data, y.Dim(-1), 1)
}

// axisMax returns the largest of x[base + k·inner] for k < n.
func axisMax(x []float32, base, n, inner int) float32 {
	m := x[base]
	for k := 1; k < n; k++ {
		if v := x[base+k*inner]; v > m {
			m = v
		}
	}
	return m
}

// softmaxForward writes into y the softmax of x along the axis of length n
// with stride inner. y may be x.
func softmaxForward(y, x []float32, n, inner int) {
	if n == 0 || inner == 0 { // nothing to do; a zero block would never advance
		return
	}
	if inner == 1 && len(x)%n == 0 && len(y) == len(x) { // the last axis: one kernel call (SIMD in the browser)
		tensor.SoftmaxRows(y, x, n)
		return
	}
	block := n * inner
	for o := 0; o+block <= len(x); o += block {
		for j := 0; j < inner; j++ {
			base := o + j
			m := float64(axisMax(x, base, n, inner))
			var s float64
			for k := 0; k < n; k++ {
				e := math.Exp(float64(x[base+k*inner]) - m)
				y[base+k*inner] = float32(e)
				s += e
			}
			inv := 1 / s
			for k := 0; k < n; k++ {
				y[base+k*inner] = float32(float64(y[base+k*inner]) * inv)
			}
		}
	}
}

// softmaxBackward writes dx_i = y_i·(dy_i − Σ_j dy_j·y_j) along the axis.
// dx may be dy.
func softmaxBackward(dx, y, dy []float32, n, inner int) {
	block := n * inner
	for o := 0; block > 0 && o+block <= len(y); o += block {
		for j := 0; j < inner; j++ {
			base := o + j
			var dot float64
			for k := 0; k < n; k++ {
				i := base + k*inner
				dot += float64(y[i]) * float64(dy[i])
			}
			for k := 0; k < n; k++ {
				i := base + k*inner
				dx[i] = float32(float64(y[i]) * (float64(dy[i]) - dot))
			}
		}
	}
}

// logSoftmaxForward writes x − m − log Σ exp(x − m), m the maximum, along
// the axis. y may be x.
func logSoftmaxForward(y, x []float32, n, inner int) {
	block := n * inner
	for o := 0; block > 0 && o+block <= len(x); o += block {
		for j := 0; j < inner; j++ {
			base := o + j
			m := float64(axisMax(x, base, n, inner))
			var s float64
			for k := 0; k < n; k++ {
				s += math.Exp(float64(x[base+k*inner]) - m)
			}
			lse := m + math.Log(s)
			for k := 0; k < n; k++ {
				i := base + k*inner
				y[i] = float32(float64(x[i]) - lse)
			}
		}
	}
}

// logSoftmaxBackward writes dx_i = dy_i − exp(y_i)·Σ_j dy_j along the axis.
// dx may be dy.
func logSoftmaxBackward(dx, y, dy []float32, n, inner int) {
	block := n * inner
	for o := 0; block > 0 && o+block <= len(y); o += block {
		for j := 0; j < inner; j++ {
			base := o + j
			var sum float64
			for k := 0; k < n; k++ {
				sum += float64(dy[base+k*inner])
			}
			for k := 0; k < n; k++ {
				i := base + k*inner
				dx[i] = float32(float64(dy[i]) - math.Exp(float64(y[i]))*sum)
			}
		}
	}
}
