//go:build js && wasm && !nosimd

package tensor

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The element-wise SIMD kernels (simd_ew.go) against their Go loops, bit for
// bit, over lengths that hit every remainder of the vector width (0, 1, 3, 4,
// 5, 17, 1023) and at offsets of 0–3 floats, so that no vector is 16-byte
// aligned in some cases. NaN results of arithmetic may differ in payload
// only (wasm canonicalizes), so they count as equal; relu's NaNs are copies
// and must keep their bits.

var ewSizes = []int{0, 1, 3, 4, 5, 17, 1023}

func requireSIMD(t *testing.T) {
	t.Helper()
	if !simdOK {
		t.Skip("the host gave no SIMD element-wise kernels (KERASWASM_SIMD=js): the Go loops run")
	}
}

// ewValues returns n values at offset off of a fresh buffer: mostly normal
// values of both signs, with ±0, ±Inf, NaNs with payloads, denormals and
// values on either side of 0 mixed in when special is set.
func ewValues(r *rand.Rand, n, off int, special bool) []float32 {
	buf := make([]float32, n+off+3)
	edge := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.Float32frombits(0x7fc00001), math.Float32frombits(0xffa00000), 1e-45, -1e-45, 1e-38, -3}
	for i := range buf {
		buf[i] = float32(r.NormFloat64())
		if special && r.IntN(4) == 0 {
			buf[i] = edge[r.IntN(len(edge))]
		}
	}
	return buf[off : off+n]
}

func sameBits(a, b float32, keepNaN bool) bool {
	if !keepNaN && a != a && b != b {
		return true
	}
	return math.Float32bits(a) == math.Float32bits(b)
}

func assertSameBits(t *testing.T, name string, simd, golden []float32, keepNaN bool) {
	t.Helper()
	for i := range golden {
		if !sameBits(simd[i], golden[i], keepNaN) {
			t.Fatalf("%s: [%d] SIMD %v (%#08x) but Go %v (%#08x)", name, i,
				simd[i], math.Float32bits(simd[i]), golden[i], math.Float32bits(golden[i]))
		}
	}
}

// forSizes runs f for every size and offset, with a seeded source.
func forSizes(t *testing.T, f func(t *testing.T, r *rand.Rand, n, off int)) {
	requireSIMD(t)
	for _, n := range ewSizes {
		for off := range 4 {
			t.Run(fmt.Sprintf("n=%d/off=%d", n, off), func(t *testing.T) {
				f(t, rand.New(rand.NewPCG(uint64(n), uint64(off))), n, off)
			})
		}
	}
}

func TestReluSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		x := ewValues(r, n, off, true)
		want, got := make([]float32, n), ewValues(r, n, 3-off, false)
		reluGo(want, x)
		reluSIMD(got, x)
		assertSameBits(t, "relu", got, want, true)
		reluSIMD(x, x) // in place
		assertSameBits(t, "relu in place", x, want, true)
	})
}

func TestReluGradSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		y, dy := ewValues(r, n, off, true), ewValues(r, n, (off+1)%4, true)
		want, got := make([]float32, n), ewValues(r, n, (off+2)%4, false)
		reluGradGo(want, y, dy)
		reluGradSIMD(got, y, dy)
		assertSameBits(t, "relu_grad", got, want, true)
	})
}

func TestAddRowVectorSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []int{1, 3, 4, 5, 10, 17, 64} {
		for _, rows := range []int{1, 3, 17} {
			for off := range 4 {
				y, b := ewValues(r, rows*c, off, true), ewValues(r, c, 3-off, true)
				want := append([]float32(nil), y...)
				addRowVectorGo(want, b)
				addRowVectorSIMD(y, b)
				assertSameBits(t, fmt.Sprintf("add_rows (%d, %d) off %d", rows, c, off), y, want, false)
			}
		}
	}
}

func TestSumRowsSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, w := range []int{1, 3, 4, 5, 17, 64} {
		for _, rows := range []int{0, 1, 3, 17, 1023} {
			for _, pad := range []int{0, 1, 6} { // ldx = w + pad
				for off := range 4 {
					ldx := w + pad
					x := ewValues(r, max(0, (rows-1)*ldx+w), off, false)
					want, got := make([]float64, w), make([]float64, w)
					for j := range want {
						want[j] = r.NormFloat64()
						got[j] = want[j]
					}
					sumRowsBlockGo(want, x, rows, ldx)
					sumRowsFloat64SIMD(got, x, rows, ldx)
					for j := range want {
						if math.Float64bits(got[j]) != math.Float64bits(want[j]) {
							t.Fatalf("sum_rows_f64 (%d, %d) ldx %d off %d: [%d] SIMD %v but Go %v", rows, w, ldx, off, j, got[j], want[j])
						}
					}
				}
			}
		}
	}
}

func TestFirstNonFiniteSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		x := ewValues(r, n, off, false)
		if got, want := firstNonFiniteSIMD(x), firstNonFiniteGo(x); got != want || want != -1 {
			t.Fatalf("finite data: SIMD %d, Go %d, want -1", got, want)
		}
		for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
			for _, at := range []int{0, n / 2, n - 1} {
				if at < 0 || at >= n {
					continue
				}
				old := x[at]
				x[at] = bad
				if got, want := firstNonFiniteSIMD(x), firstNonFiniteGo(x); got != want || want != at {
					t.Fatalf("%v at %d: SIMD %d, Go %d", bad, at, got, want)
				}
				x[at] = old
			}
		}
	})
}

// optimizerCase gives gradients with a few zeros and large values, slots as
// a few steps would leave them (v ≥ 0), and the weights.
func optimizerCase(r *rand.Rand, n, off, slots int) (w, g []float32, s [][]float32) {
	w, g = ewValues(r, n, off, false), ewValues(r, n, (off+1)%4, false)
	for i := range g {
		switch r.IntN(8) {
		case 0:
			g[i] = 0
		case 1:
			g[i] *= 1e4
		}
	}
	for k := range slots {
		v := ewValues(r, n, (off+2+k)%4, false)
		for i := range v {
			if k > 0 || r.IntN(2) == 0 {
				v[i] = v[i] * v[i] * 1e-3 // squares: second moments stay ≥ 0
			}
		}
		s = append(s, v)
	}
	return w, g, s
}

func clone(s []float32) []float32 { return append([]float32(nil), s...) }

func TestSGDMomentumSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		for _, nesterov := range []bool{false, true} {
			w, g, s := optimizerCase(r, n, off, 1)
			w2, v2 := clone(w), clone(s[0])
			sgdMomentumGo(w, g, s[0], 0.01, 0.9, nesterov)
			sgdMomentumSIMD(w2, g, v2, 0.01, 0.9, nesterov)
			assertSameBits(t, "sgd w", w2, w, false)
			assertSameBits(t, "sgd v", v2, s[0], false)
		}
	})
}

func TestRMSpropSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		for _, flags := range []int{0, 1, 2, 3} { // momentum, centered
			w, g, s := optimizerCase(r, n, off, 3)
			var mom, avg []float32
			if flags&1 != 0 {
				mom = s[1]
			}
			if flags&2 != 0 {
				avg = s[2]
				for i := range avg {
					avg[i] = float32(math.Sqrt(float64(s[0][i]))) * 0.5 // centered: avg² ≤ v
				}
			}
			w2, v2, mom2, avg2 := clone(w), clone(s[0]), cloneOrNil(mom), cloneOrNil(avg)
			rmspropGo(w, g, s[0], mom, avg, 0.001, 0.9, 1e-7, 0.5)
			rmspropSIMD(w2, g, v2, mom2, avg2, 0.001, 0.9, 1e-7, 0.5)
			name := fmt.Sprintf("rmsprop flags %d", flags)
			assertSameBits(t, name+" w", w2, w, false)
			assertSameBits(t, name+" v", v2, s[0], false)
			assertSameBits(t, name+" mom", mom2, mom, false)
			assertSameBits(t, name+" avg", avg2, avg, false)
		}
	})
}

func TestAdamSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		for _, amsgrad := range []bool{false, true} {
			w, g, s := optimizerCase(r, n, off, 3)
			var vhat []float32
			if amsgrad {
				vhat = s[2]
			}
			w2, m2, v2, vhat2 := clone(w), clone(s[0]), clone(s[1]), cloneOrNil(vhat)
			adamGo(w, g, s[0], s[1], vhat, 0.9, 0.999, 1e-7, 0.00123)
			adamSIMD(w2, g, m2, v2, vhat2, 0.9, 0.999, 1e-7, 0.00123)
			name := fmt.Sprintf("adam amsgrad %v", amsgrad)
			assertSameBits(t, name+" w", w2, w, false)
			assertSameBits(t, name+" m", m2, s[0], false)
			assertSameBits(t, name+" v", v2, s[1], false)
			assertSameBits(t, name+" vhat", vhat2, vhat, false)
		}
	})
}

func cloneOrNil(s []float32) []float32 {
	if s == nil {
		return nil
	}
	return clone(s)
}

// TestElementwiseDispatchUsesSIMD: under the SIMD host, the exported
// kernels take the SIMD path (simdOK), so the tests above cover what nn runs.
func TestElementwiseDispatchUsesSIMD(t *testing.T) {
	requireSIMD(t)
	x := []float32{-1, 2, float32(math.NaN()), 0}
	y := make([]float32, 4)
	Relu(y, x)
	if y[0] != 0 || y[1] != 2 || y[2] == y[2] || y[3] != 0 {
		t.Fatalf("Relu(%v) = %v", x, y)
	}
}

// TestIm2ColCol2ImSIMDEqualsGo: the unpadded, width-undilated fast path of
// Im2ColRows and Col2ImRows (SIMD under wasm) against their Go loops, for
// one and many channels, strides, a dilated height, and tiles that start
// and end inside an image.
func TestIm2ColCol2ImSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []struct{ n, h, w, c, kh, kw, sh, sw, dh int }{
		{2, 7, 6, 1, 3, 3, 1, 1, 1}, {3, 9, 8, 3, 2, 3, 2, 1, 1}, {2, 6, 6, 32, 3, 3, 1, 1, 1},
		{1, 11, 7, 5, 3, 2, 1, 2, 2}, {2, 5, 5, 4, 1, 1, 1, 1, 1}, {1, 4, 4, 17, 4, 4, 1, 1, 1},
	} {
		g, err := NewConvGeom(tc.n, tc.h, tc.w, tc.c, tc.kh, tc.kw, tc.sh, tc.sw, tc.dh, 1, "valid")
		if err != nil {
			t.Fatal(err)
		}
		if !g.unpadded() {
			t.Fatalf("%+v: want an unpadded geometry", tc)
		}
		rows, k := g.ColRows(), g.ColCols()
		x := ewValues(r, tc.n*tc.h*tc.w*tc.c, 0, true)
		for _, span := range [][2]int{{0, rows}, {1, rows - 2}, {rows / 3, rows/3 + 5}, {rows - 1, rows}} {
			r0, r1 := span[0], min(span[1], rows)
			if r1 <= r0 {
				continue
			}
			name := fmt.Sprintf("%+v rows [%d, %d)", tc, r0, r1)
			want, got := make([]float32, (r1-r0)*k), ewValues(r, (r1-r0)*k, 0, false)
			im2colRowsGo(want, x, g, r0, r1)
			Im2ColRows(got, x, g, r0, r1)
			assertSameBits(t, "im2col "+name, got, want, true)
			dxWant := ewValues(r, len(x), 0, false)
			dxGot := clone(dxWant)
			col2imRowsGo(dxWant, want, g, r0, r1)
			Col2ImRows(dxGot, want, g, r0, r1)
			assertSameBits(t, "col2im "+name, dxGot, dxWant, false)
		}
	}
}

func TestAxpyAddMulToSIMDEqualsGo(t *testing.T) {
	forSizes(t, func(t *testing.T, r *rand.Rand, n, off int) {
		x, s := ewValues(r, n, off, true), ewValues(r, n, (off+1)%4, true)
		for _, alpha := range []float32{1, -0.01, 3} {
			want, got := clone(x), clone(x)
			axpyGo(want, alpha, s)
			axpySIMD(got, alpha, s)
			assertSameBits(t, fmt.Sprintf("axpy %v", alpha), got, want, false)
		}
		want, got := clone(x), clone(x)
		addRun(want, s)
		Add(got, s)
		assertSameBits(t, "add", got, want, false)
		mulToGo(want, x, s)
		mulToSIMD(got, x, s)
		assertSameBits(t, "mul_to", got, want, false)
		mulToSIMD(got, got, s) // in place
		mulToGo(want, want, s)
		assertSameBits(t, "mul_to in place", got, want, false)
	})
}

// TestMaxPoolSIMDEqualsGo: MaxPool's SIMD kernel against its Go loop, values
// and argmax, with ties (the first maximum wins), NaN and ±0, over channel
// counts around the vector width, 'valid' and 'same' padding, strides and
// dilations, including windows with no tap in the image.
func TestMaxPoolSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(7, 8))
	for _, tc := range []struct {
		h, w, k, s, d int
		pad           string
	}{{6, 6, 2, 2, 1, "valid"}, {7, 5, 3, 1, 1, "same"}, {9, 8, 3, 2, 2, "same"}, {3, 3, 2, 1, 4, "same"}, {5, 7, 2, 3, 1, "valid"}} {
		for _, c := range []int{1, 3, 4, 5, 17, 32} {
			g, err := NewConvGeom(2, tc.h, tc.w, c, tc.k, tc.k, tc.s, tc.s, tc.d, tc.d, tc.pad)
			if err != nil {
				t.Fatal(err)
			}
			x := ewValues(r, 2*tc.h*tc.w*c, c%4, true)
			for i := range x {
				if r.IntN(2) == 0 {
					x[i] = float32(r.IntN(3) - 1) // ties
				}
			}
			out := g.N * g.OH * g.OW * c
			wantY, gotY := make([]float32, out), ewValues(r, out, 0, false)
			wantA, gotA := make([]int32, out), make([]int32, out)
			maxPoolGo(wantY, wantA, x, g)
			MaxPool(gotY, gotA, x, g)
			name := fmt.Sprintf("maxpool %+v c=%d", tc, c)
			assertSameBits(t, name, gotY, wantY, true)
			for i := range wantA {
				if gotA[i] != wantA[i] {
					t.Fatalf("%s: argmax[%d] SIMD %d but Go %d", name, i, gotA[i], wantA[i])
				}
			}
		}
	}
}

// TestExpSIMDEqualsMathExp: the SIMD module's port of Go's exp returns
// math.Exp's bits, over the reduction's whole range, the boundaries of
// every special case, denormal results and random bit patterns.
func TestExpSIMDEqualsMathExp(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(9, 10))
	xs := []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(),
		7.09782712893383973096e+02, math.Nextafter(7.09782712893383973096e+02, 1000), -7.45133219101941108420e+02,
		math.Nextafter(-7.45133219101941108420e+02, -1000), 1.0 / (1 << 28), -1.0 / (1 << 28), 3.7e-9, -3.7e-9,
		-708.39, -708.4, -709, -720, -744.44, -745.1, 709.7, 0.5, -0.5, 1e-300, 5e-324}
	for range 20000 {
		xs = append(xs, r.Float64()*1600-800, r.NormFloat64()*3, -r.ExpFloat64()*40, math.Float64frombits(r.Uint64()))
	}
	got := make([]float64, len(xs))
	expSIMD(got, xs)
	for i, x := range xs {
		want := math.Exp(x)
		if math.Float64bits(got[i]) != math.Float64bits(want) && !(got[i] != got[i] && want != want) {
			t.Fatalf("exp(%v = %#016x): SIMD %v (%#016x) but math.Exp %v (%#016x)", x, math.Float64bits(x),
				got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
		}
	}
}

func TestSoftmaxRowsSIMDEqualsGo(t *testing.T) {
	requireSIMD(t)
	r := rand.New(rand.NewPCG(11, 12))
	for _, n := range []int{1, 3, 4, 5, 10, 17} {
		for _, rows := range []int{0, 1, 7} {
			for _, scale := range []float64{1, 30, 1e4} {
				x := ewValues(r, rows*n, n%4, scale == 1)
				for i := range x {
					if x[i] == x[i] && !math.IsInf(float64(x[i]), 0) {
						x[i] *= float32(scale)
					}
				}
				want, got := make([]float32, len(x)), make([]float32, len(x))
				softmaxRowsGo(want, x, n)
				softmaxRowsSIMD(got, x, n)
				name := fmt.Sprintf("softmax rows %d of %d scale %v", rows, n, scale)
				assertSameBits(t, name, got, want, false)
				inPlace := clone(x)
				softmaxRowsSIMD(inPlace, inPlace, n)
				assertSameBits(t, name+" in place", inPlace, want, false)
			}
		}
	}
}
