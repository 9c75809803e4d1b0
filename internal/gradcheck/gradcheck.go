// Package gradcheck compares analytic gradients with float64 central finite
// differences. The functions checked compute in float32, so tolerances are
// those of float32 arithmetic: a relative error under about 1e-2 with step
// 1e-3 is a pass; a wrong gradient is off by order 1.
package gradcheck

import (
	"math"
	"math/rand/v2"
)

// Numeric returns ∂f/∂x_i for every i by central differences,
// (f(x+h) − f(x−h)) / (x+h − (x−h)), perturbing x[i] in place and restoring it.
// The step actually taken is measured after rounding to float32.
func Numeric(f func() float64, x []float32, h float64) []float64 {
	g := make([]float64, len(x))
	for i := range x {
		orig := x[i]
		plus := float32(float64(orig) + h)
		minus := float32(float64(orig) - h)
		x[i] = plus
		fp := f()
		x[i] = minus
		fm := f()
		x[i] = orig
		g[i] = (fp - fm) / (float64(plus) - float64(minus))
	}
	return g
}

// MaxRelErr returns the largest |a−n| / max(|a|+|n|, floor) over all entries,
// and the index where it occurs. floor keeps near-zero gradients from
// dividing by nothing; 1e-3 suits float32 layers.
func MaxRelErr(analytic []float32, numeric []float64, floor float64) (float64, int) {
	worst, at := 0.0, -1
	for i := range numeric {
		a, n := float64(analytic[i]), numeric[i]
		e := math.Abs(a-n) / math.Max(math.Abs(a)+math.Abs(n), floor)
		if e > worst || at < 0 {
			worst, at = e, i
		}
	}
	return worst, at
}

// Dot returns Σ y_i·r_i in float64: the scalar loss used to check a layer,
// whose gradient with respect to y is r.
func Dot(y []float32, r []float32) float64 {
	var s float64
	for i := range y {
		s += float64(y[i]) * float64(r[i])
	}
	return s
}

// Random returns n values uniform in [lo, hi) from a source seeded with seed.
func Random(n int, lo, hi float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, seed+1))
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(lo + (hi-lo)*r.Float64())
	}
	return out
}
