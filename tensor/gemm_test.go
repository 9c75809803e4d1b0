package tensor

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gemmCase is one product to check: sizes, transposes, scalars and the
// padding added to each leading dimension (strided operands).
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	padA, padB     int
	padC           int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%g beta=%g pad=%d/%d/%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.padA, tc.padB, tc.padC)
}

// operands makes A, B and C with the case's layout, filled from rng; C's
// row padding holds a sentinel that Gemm must leave alone.
func (tc gemmCase) operands(rng *RNG) (a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb, ldc = ac+tc.padA, bc+tc.padB, tc.n+tc.padC
	a = make([]float32, ar*lda)
	b = make([]float32, br*ldb)
	c = make([]float32, tc.m*ldc)
	rng.Uniform(a, -1, 1)
	rng.Uniform(b, -1, 1)
	rng.Uniform(c, -1, 1)
	for i := 0; i < tc.m; i++ {
		for j := tc.n; j < ldc; j++ {
			c[i*ldc+j] = gemmSentinel
		}
	}
	return a, lda, b, ldb, c, ldc
}

const gemmSentinel = 12345

// gemmBound is the float32 rounding budget of one element of C: both the
// fast and the naive product sum k products in float32 (error ≤ k·ε·Σ|a||b|
// each, in any order), so they may differ by twice that, plus beta·C's rounding.
func gemmBound(tc gemmCase, a []float32, lda int, b []float32, ldb int, c0 []float32, ldc, i, j int) float64 {
	var s float64
	for p := 0; p < tc.k; p++ {
		var av, bv float32
		if tc.transA {
			av = a[p*lda+i]
		} else {
			av = a[i*lda+p]
		}
		if tc.transB {
			bv = b[j*ldb+p]
		} else {
			bv = b[p*ldb+j]
		}
		s += math.Abs(float64(av) * float64(bv))
	}
	eps := float64(math.Nextafter32(1, 2) - 1)
	return 2*float64(tc.k+2)*eps*(math.Abs(float64(tc.alpha))*s+math.Abs(float64(tc.beta*c0[i*ldc+j]))) + 1e-30
}

// checkGemmCase runs Gemm and gemmNaive on the same operands and compares
// every element of C within the rounding bound, and the padding exactly.
func checkGemmCase(t *testing.T, tc gemmCase, rng *RNG) {
	t.Helper()
	a, lda, b, ldb, c, ldc := tc.operands(rng)
	want := append([]float32(nil), c...)
	c0 := append([]float32(nil), c...)
	gemmNaive(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc; j++ {
			got, exp := c[i*ldc+j], want[i*ldc+j]
			if j >= tc.n {
				require.Equal(t, float32(gemmSentinel), got, "%v: padding C[%d,%d] was written", tc, i, j)
				continue
			}
			bound := gemmBound(tc, a, lda, b, ldb, c0, ldc, i, j)
			require.InDelta(t, exp, got, bound, "%v: C[%d,%d] fast %g, naive %g", tc, i, j, got, exp)
		}
	}
}

var gemmScalars = []struct{ alpha, beta float32 }{{1, 0}, {1, 1}, {0.5, 0}, {-2, 0.75}, {0, 0.5}, {0, 0}}

func TestGemmRandomSizesAllTransposes(t *testing.T) {
	rng := NewRNG(1)
	for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
		t.Run(fmt.Sprintf("tA=%v,tB=%v", tr[0], tr[1]), func(t *testing.T) {
			for trial := 0; trial < 60; trial++ {
				s := gemmScalars[trial%len(gemmScalars)]
				tc := gemmCase{transA: tr[0], transB: tr[1],
					m: 1 + rng.IntN(70), n: 1 + rng.IntN(70), k: 1 + rng.IntN(70),
					alpha: s.alpha, beta: s.beta}
				if trial%3 == 1 {
					tc.padA, tc.padB, tc.padC = 1+rng.IntN(5), 1+rng.IntN(5), 1+rng.IntN(5)
				}
				checkGemmCase(t, tc, rng)
			}
		})
	}
}

func TestGemmBlockEdges(t *testing.T) {
	// Sizes that cross the cache blocks (gemmMC, gemmKC, gemmNC) and the
	// micro-tile (gemmMR, gemmNR) by one, and thin shapes from the layers.
	tests := []struct {
		name    string
		m, n, k int
	}{
		{"k crosses KC", 9, 7, gemmKC + 1},
		{"m crosses MC", gemmMC + 3, 5, 17},
		{"n crosses NC", 3, gemmNC + 1, 3},
		{"all blocks", gemmMC + 1, 70, 2*gemmKC + 3},
		{"one column", 130, 1, 300},
		{"one row", 1, 130, 300},
		{"three rows (direct path)", gemmMR - 1, 70, 33},
		{"k one", 100, 33, 1},
		{"conv1 like", 300, 32, 9},
	}
	rng := NewRNG(2)
	for _, tt := range tests {
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			for _, s := range gemmScalars[:4] {
				tc := gemmCase{transA: tr[0], transB: tr[1], m: tt.m, n: tt.n, k: tt.k,
					alpha: s.alpha, beta: s.beta, padA: 2, padB: 1, padC: 3}
				t.Run(tt.name+"/"+tc.String(), func(t *testing.T) { checkGemmCase(t, tc, rng) })
			}
		}
	}
}

func TestGemmBetaZeroIgnoresGarbage(t *testing.T) {
	for _, size := range []int{gemmMR - 1, 40} { // direct and packed paths
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			rng := NewRNG(3)
			a := make([]float32, size*size)
			b := make([]float32, size*size)
			rng.Uniform(a, -1, 1)
			rng.Uniform(b, -1, 1)
			c := make([]float32, size*size)
			for i := range c {
				c[i] = float32(math.NaN())
			}
			Gemm(tr[0], tr[1], size, size, size, 1, a, size, b, size, 0, c, size)
			for i, v := range c {
				require.False(t, math.IsNaN(float64(v)), "size %d %v: C[%d] is NaN", size, tr, i)
			}
		}
	}
}

func TestGemmDegenerate(t *testing.T) {
	c := []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 0, 1, nil, 0, nil, 2, 3, c, 2)
	assert.Equal(t, []float32{3, 6, 9, 12}, c, "k=0 scales C by beta")
	Gemm(false, false, 2, 2, 0, 1, nil, 0, nil, 2, 0, c, 2)
	assert.Equal(t, []float32{0, 0, 0, 0}, c, "k=0 with beta=0 zeroes C")
	nan := float32(math.NaN())
	c = []float32{5, 5}
	Gemm(false, false, 1, 2, 1, 0, []float32{nan}, 1, []float32{nan, nan}, 2, 1, c, 2)
	assert.Equal(t, []float32{5, 5}, c, "alpha=0 does not read A or B")
	assert.NotPanics(t, func() { Gemm(false, false, 0, 5, 5, 1, nil, 5, make([]float32, 25), 5, 0, nil, 5) })
	assert.NotPanics(t, func() { Gemm(true, true, 5, 0, 5, 1, make([]float32, 25), 5, nil, 5, 0, nil, 0) })
}

func TestGemmPanicsOnShortSlices(t *testing.T) {
	a, b, c := make([]float32, 6), make([]float32, 6), make([]float32, 4)
	assert.PanicsWithValue(t, "tensor: Gemm A is 5 values with ld 3, too short for (2, 3)",
		func() { Gemm(false, false, 2, 2, 3, 1, a[:5], 3, b, 2, 0, c, 2) })
	assert.Panics(t, func() { Gemm(false, true, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2) }, "ldb < k")
	assert.Panics(t, func() { Gemm(false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c[:3], 2) })
	assert.Panics(t, func() { Gemm(false, false, -1, 2, 3, 1, a, 3, b, 2, 0, c, 2) })
}

func TestGemmAllocatesNothing(t *testing.T) {
	const m, n, k = 64, 48, 80
	a, b, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	var w GemmWorkspace
	w.Gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
	allocs := testing.AllocsPerRun(20, func() { w.Gemm(true, false, m, n, k, 1, a, m, b, n, 1, c, n) })
	assert.Zero(t, allocs, "GemmWorkspace.Gemm allocates once warm")
}

// TestGemmConcurrentCallers runs products from several goroutines at once:
// each must borrow its own packing buffers (run with -race to check).
func TestGemmConcurrentCallers(t *testing.T) {
	const m, n, k, workers = 37, 29, 41, 4
	rng := NewRNG(9)
	a, b := make([]float32, m*k), make([]float32, k*n)
	rng.Uniform(a, -1, 1)
	rng.Uniform(b, -1, 1)
	want := make([]float32, m*n)
	Gemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
	got := make([][]float32, workers)
	done := make(chan int)
	for w := range got {
		got[w] = make([]float32, m*n)
		go func() {
			for rep := 0; rep < 20; rep++ {
				Gemm(false, false, m, n, k, 1, a, k, b, n, 0, got[w], n)
			}
			done <- w
		}()
	}
	for range got {
		<-done
	}
	for w := range got {
		assert.Equal(t, want, got[w], "worker %d", w)
	}
}
