package tensor

import (
	"fmt"
	"math"
)

// The reductions accumulate in float64 whatever the length, so a mean over
// a large batch loses nothing to float32 rounding. Four partial sums keep
// the additions independent, which both CPUs and wasm engines run faster.

// Sum returns Σ x[i].
func Sum(x []float32) float64 {
	var s0, s1, s2, s3 float64
	for len(x) >= 4 {
		s0 += float64(x[0])
		s1 += float64(x[1])
		s2 += float64(x[2])
		s3 += float64(x[3])
		x = x[4:]
	}
	for _, v := range x {
		s0 += float64(v)
	}
	return (s0 + s1) + (s2 + s3)
}

// Mean returns Σ x[i] / len(x); it is NaN for an empty x, as numpy's mean is.
func Mean(x []float32) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	return Sum(x) / float64(len(x))
}

// Dot returns Σ x[i]·y[i]. It panics if the lengths differ.
func Dot(x, y []float32) float64 {
	sameLen("Dot", len(x), len(y))
	y = y[:len(x)]
	var s0, s1, s2, s3 float64
	for len(x) >= 4 && len(y) >= 4 {
		s0 += float64(x[0]) * float64(y[0])
		s1 += float64(x[1]) * float64(y[1])
		s2 += float64(x[2]) * float64(y[2])
		s3 += float64(x[3]) * float64(y[3])
		x, y = x[4:], y[4:]
	}
	y = y[:len(x)]
	for i, v := range x {
		s0 += float64(v) * float64(y[i])
	}
	return (s0 + s1) + (s2 + s3)
}

// SumSquares returns Σ x[i]², the squared L2 norm (for l2 regularization
// and clipnorm).
func SumSquares(x []float32) float64 {
	var s0, s1, s2, s3 float64
	for len(x) >= 4 {
		a, b, c, d := float64(x[0]), float64(x[1]), float64(x[2]), float64(x[3])
		s0 += a * a
		s1 += b * b
		s2 += c * c
		s3 += d * d
		x = x[4:]
	}
	for _, v := range x {
		s0 += float64(v) * float64(v)
	}
	return (s0 + s1) + (s2 + s3)
}

// SumAbs returns Σ |x[i]|, the L1 norm (for l1 regularization).
func SumAbs(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += math.Abs(float64(v))
	}
	return s
}

// MaxAbs returns max |x[i]|, 0 for an empty x. A NaN in x is returned as
// NaN, so a caller checking for divergence sees it.
func MaxAbs(x []float32) float32 {
	var m float32
	for _, v := range x {
		if v < 0 {
			v = -v
		}
		if v > m {
			m = v
		} else if v != v {
			return v
		}
	}
	return m
}

// ArgMax sets dst[i] to the column of the largest value in row i of x
// (len(dst), c): the first one when several are equal, as numpy's and
// Keras's argmax do. NaN values are never chosen unless they come first.
// It panics unless len(x) is a positive multiple of len(dst).
func ArgMax(dst []int, x []float32) {
	if len(dst) == 0 {
		if len(x) != 0 {
			panic(fmt.Sprintf("tensor: ArgMax of %d values into 0 rows", len(x)))
		}
		return
	}
	c := len(x) / len(dst)
	if c == 0 || c*len(dst) != len(x) {
		panic(fmt.Sprintf("tensor: ArgMax of %d values into %d rows", len(x), len(dst)))
	}
	for i := range dst {
		row := x[i*c : i*c+c]
		best, bi := row[0], 0
		for j, v := range row {
			if v > best {
				best, bi = v, j
			}
		}
		dst[i] = bi
	}
}
