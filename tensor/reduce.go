package tensor

import "math"

// The reductions accumulate in float64 whatever the length, so a norm or a
// loss over a large batch loses nothing to float32 rounding. Each adds in
// index order into one accumulator, exactly as the plain loop
// `for _, v := range x { s += float64(v) }` does: the losses, metrics, norms
// and penalties in nn give the same bits through these kernels as through
// their own loops, and the order (hence the bits) is the same natively and
// in wasm. (Four partial sums would run faster but round differently; these
// reductions are not on the GEMM-bound hot path.)

// Sum returns Σ x[i].
func Sum(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return s
}

// Dot returns Σ x[i]·y[i], each product taken in float64. It panics if the
// lengths differ.
func Dot(x, y []float32) float64 {
	sameLen("Dot", len(x), len(y))
	y = y[:len(x)]
	var s float64
	for i, v := range x {
		s += float64(v) * float64(y[i])
	}
	return s
}

// SumSquares returns Σ x[i]², the squared L2 norm (for l2 regularization,
// clipnorm and l2 normalization).
func SumSquares(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// SumAbs returns Σ |x[i]|, the L1 norm (for l1 regularization).
func SumAbs(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += math.Abs(float64(v))
	}
	return s
}

// ArgMax returns the index of the largest value of x: the first one when
// several are equal, as numpy's and Keras's argmax do. NaN values are never
// chosen unless they come first. It panics if x is empty.
func ArgMax(x []float32) int {
	if len(x) == 0 {
		panic("tensor: ArgMax of an empty slice")
	}
	best := 0
	for i, v := range x {
		if v > x[best] {
			best = i
		}
	}
	return best
}
