//go:build js && wasm && !nosimd

package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestLogSIMDEqualsMathLog: the SIMD module's port of Go's log returns
// math.Log's bits for special values, denormals, values around √2/2 and 1,
// the range log-sum-exp gives it ([1, n]) and random bit patterns.
func TestLogSIMDEqualsMathLog(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(31, 32))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, 2, 0.5, math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, 1e-310,
		math.SmallestNonzeroFloat64, 0x1p-1022, math.Nextafter(0x1p-1022, 0), math.MaxFloat64, math.Sqrt2 / 2,
		math.Nextafter(math.Sqrt2/2, 0), math.Nextafter(math.Sqrt2/2, 1), math.Nextafter(1, 0), math.Nextafter(1, 2)}
	for range 20000 {
		xs = append(xs, 1+r.Float64()*20, r.ExpFloat64(), math.Float64frombits(r.Uint64()), math.Float64frombits(r.Uint64()>>12))
	}
	got := make([]float64, len(xs))
	logSIMD(got, xs)
	for i, x := range xs {
		want := math.Log(x)
		if math.Float64bits(got[i]) != math.Float64bits(want) && !(got[i] != got[i] && want != want) {
			t.Fatalf("log(%v = %#016x): SIMD %v (%#016x) but math.Log %v (%#016x)", x, math.Float64bits(x),
				got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
		}
	}
}

func TestLogSumExpRowsSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(33, 34))
	sp := smoothSpecials()
	for _, n := range []int{1, 2, 3, 4, 5, 10, 17} {
		for _, rows := range []int{0, 1, 7} {
			for _, mode := range []string{"normal", "scaled", "specials"} {
				x := ewValues(r, rows*n, n%4, mode == "specials")
				for i := range x {
					switch {
					case mode == "scaled":
						x[i] *= 100
					case mode == "specials" && r.IntN(8) == 0:
						x[i] = sp[r.IntN(len(sp))]
					}
				}
				want, got := make([]float64, rows), make([]float64, rows)
				logSumExpRowsGo(want, x, n)
				logSumExpRowsSIMD(got, x, n)
				for i := range want {
					if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
						t.Fatalf("%s: row %d of %d (%v): SIMD %v (%#016x) but Go %v (%#016x)", fmt.Sprintf("n=%d %s", n, mode),
							i, rows, x[i*n:(i+1)*n], got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
					}
				}
			}
		}
	}
	// Rows where math.Max's order matters: ±0 together, +Inf beside NaN, all −Inf.
	negZero := float32(math.Copysign(0, -1))
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	x := []float32{negZero, 0, 0, negZero, negZero, negZero, nan, inf, inf, nan, -inf, -inf, nan, 1, 1, nan}
	want, got := make([]float64, len(x)/2), make([]float64, len(x)/2)
	logSumExpRowsGo(want, x, 2)
	logSumExpRowsSIMD(got, x, 2)
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
			t.Fatalf("row %v: SIMD %v but Go %v", x[2*i:2*i+2], got[i], want[i])
		}
	}
}

func TestSoftmaxCrossentropyGradSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(35, 36))
	for _, n := range []int{1, 2, 3, 4, 5, 10, 17} {
		for _, rows := range []int{0, 1, 7} {
			for _, smoothing := range []float64{0, 0.1} {
				x := ewValues(r, rows*n, n%4, smoothing == 0)
				for i := range x {
					x[i] *= 10
				}
				tg := ewValues(r, rows*n, 0, false)
				for i := range tg {
					tg[i] = float32(r.IntN(2))
				}
				lse := make([]float64, rows)
				logSumExpRowsGo(lse, x, n)
				a, b := 1-smoothing, smoothing/float64(n)
				for _, targets := range [][]float32{tg, nil} {
					want, got := make([]float32, len(x)), make([]float32, len(x))
					softmaxXentGradGo(want, x, targets, lse, n, a, b)
					softmaxXentGradSIMD(got, x, targets, lse, n, a, b)
					assertSameBits(t, fmt.Sprintf("n=%d rows=%d smoothing=%v targets=%v", n, rows, smoothing, targets != nil), got, want, false)
				}
			}
		}
	}
}
