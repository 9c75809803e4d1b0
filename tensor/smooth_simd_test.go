//go:build js && wasm && !nosimd

package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The sigmoid and tanh kernels of the SIMD module (wasm/simd/smooth.wat)
// against their Go loops, bit for bit (NaN payloads aside), over the sizes
// and offsets of forSizes and over smoothSpecials; and its two-lane exp
// against math.Exp.

func smoothCase(r *rand.Rand, n, off int) []float32 {
	sp := smoothSpecials()
	x := ewValues(r, n, off, true)
	for i := range x {
		switch r.IntN(3) {
		case 0:
			x[i] = sp[r.IntN(len(sp))]
		case 1:
			x[i] *= 30
		}
	}
	return x
}

func TestSigmoidTanhSIMDEqualsGo(t *testing.T) {
	for _, k := range []struct {
		name      string
		simd, go_ func(dst, x []float32)
	}{{"sigmoid", sigmoidSIMD, sigmoidGo}, {"tanh", tanhSIMD, tanhGo}} {
		forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
			x := smoothCase(r, n, off)
			want, got := make([]float32, n), make([]float32, n)
			k.go_(want, x)
			k.simd(got, x)
			assertSameBits(t, k.name, got, want, false)
			inPlace := clone(x)
			k.simd(inPlace, inPlace)
			assertSameBits(t, k.name+" in place", inPlace, want, false)
		})
		x := smoothSpecials()
		want, got := make([]float32, len(x)), make([]float32, len(x))
		k.go_(want, x)
		k.simd(got, x)
		assertSameBits(t, k.name+" specials", got, want, false)
	}
}

func TestSigmoidTanhGradSIMDEqualsGo(t *testing.T) {
	for _, k := range []struct {
		name      string
		fwd       func(dst, x []float32)
		simd, go_ func(dst, y, dy []float32)
	}{{"sigmoid_grad", sigmoidGo, sigmoidGradSIMD, sigmoidGradGo}, {"tanh_grad", tanhGo, tanhGradSIMD, tanhGradGo}} {
		forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
			y := smoothCase(r, n, off)
			if r.IntN(2) == 0 {
				k.fwd(y, y) // outputs as the forward gives them, and raw values
			}
			dy := ewValues(r, n, 3-off, true)
			want, got := make([]float32, n), make([]float32, n)
			k.go_(want, y, dy)
			k.simd(got, y, dy)
			assertSameBits(t, k.name, got, want, false)
			inPlace := clone(dy)
			k.simd(inPlace, y, inPlace)
			assertSameBits(t, k.name+" in place", inPlace, want, false)
		})
	}
}

// TestTwoLaneSIMDEqualsGoFloat64: the module's two-lane exp, tanh and
// sigmoid return math.Exp's, math.Tanh's and Sigmoid64's float64 bits (where
// a wrong branch, cut or constant shows before the rounding to float32 can
// hide it) on TestExpSIMDEqualsMathExp's inputs, tanh's cuts at 0.625 and
// 44.01 and float32 values, each value in both lanes.
func TestTwoLaneSIMDEqualsGoFloat64(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(25, 26))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(),
		7.09782712893383973096e+02, math.Nextafter(7.09782712893383973096e+02, 1000), -7.45133219101941108420e+02,
		math.Nextafter(-7.45133219101941108420e+02, -1000), 1.0 / (1 << 28), -1.0 / (1 << 28),
		math.Nextafter(1.0/(1<<28), 0), math.Nextafter(-1.0/(1<<28), 0), 3.7e-9, -3.7e-9,
		-708.39, -708.4, -709, -720, -744.44, -745.1, -745.13, 709.7, 709.78, 0.5, -0.5, 1e-300, 5e-324}
	for _, c := range []float64{0.625, 0.5 * 8.8029691931113054295988e+01} {
		xs = append(xs, c, -c, math.Nextafter(c, 0), -math.Nextafter(c, 0), math.Nextafter(c, 100), -math.Nextafter(c, 100))
	}
	for _, v := range smoothSpecials() {
		xs = append(xs, float64(v))
	}
	for range 20000 {
		xs = append(xs, r.Float64()*1600-800, r.NormFloat64()*3, -r.ExpFloat64()*40, math.Float64frombits(r.Uint64()),
			-745.13321910194110842+r.Float64()*40, 709.782712893384-r.Float64()*2, r.Float64()*1.25-0.625+r.Float64()*0.1)
	}
	for _, f := range []struct {
		name string
		want func(float64) float64
	}{{"exp", math.Exp}, {"tanh", math.Tanh}, {"sigmoid", Sigmoid64}} {
		for _, shift := range []int{0, 1} {
			in := append(make([]float64, shift), xs...)
			if len(in)%2 == 1 {
				in = append(in, 0)
			}
			got := make([]float64, len(in))
			map2SIMD(f.name, got, in)
			for i, x := range in {
				want := f.want(x)
				if math.Float64bits(got[i]) != math.Float64bits(want) && !(got[i] != got[i] && want != want) {
					t.Fatalf("%s(%v = %#016x) in lane %d: SIMD %v (%#016x) but Go %v (%#016x)", f.name, x,
						math.Float64bits(x), i%2, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
				}
			}
		}
	}
}
