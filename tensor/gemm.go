package tensor

import (
	"fmt"
	"sync"
)

// Blocking of the packed product (GotoBLAS/BLIS layout). A (gemmKC, gemmNC)
// block of op(B) is packed once per (jc, pc) step and stays in L2/L3 while
// (gemmMC, gemmKC) blocks of op(A) are packed and swept past it; inside the
// macro-kernel one gemmNR-wide B panel (gemmKC·gemmNR floats, a few KB)
// lives in L1 while gemmMR-row A panels stream from L2. A deep gemmKC
// matters most under wasm, where each micro-kernel call has a fixed cost
// (measured: KC 512 beat 128 and 256 natively and under Node; MC 64–512
// made little difference). The buffers then hold at most
// 128·512 + 512·1024 floats, about 2.3 MB.
const (
	gemmKC = 512  // depth of one packed block (k direction)
	gemmMC = 128  // rows of op(A) per packed block; a multiple of gemmMR
	gemmNC = 1024 // columns of op(B) per packed block; a multiple of gemmNR
)

// GemmWorkspace holds the packing buffers of the blocked Gemm so that
// repeated products allocate nothing. The zero value is ready to use; the
// buffers grow to at most gemmMC·gemmKC + gemmKC·gemmNC floats (about 2.3 MB).
// A workspace must not be used by two goroutines at once; use one per
// goroutine, or the package-level Gemm, which borrows one from a free list.
type GemmWorkspace struct {
	a, b []float32                // packed op(A) and op(B) panels
	edge [gemmMR * gemmNR]float32 // a micro-tile cut by the edge of C, on its way there
}

// gemmFree is the free list Gemm borrows workspaces from. Unlike a
// sync.Pool it is never emptied by the garbage collector, so a training
// loop that calls Gemm from one goroutine allocates its buffers once and
// never again; concurrent native callers each take their own workspace.
// It holds only scratch space, no results and no randomness.
var gemmFree struct {
	sync.Mutex
	list []*GemmWorkspace
}

func getWorkspace() *GemmWorkspace {
	gemmFree.Lock()
	defer gemmFree.Unlock()
	n := len(gemmFree.list)
	if n == 0 {
		return new(GemmWorkspace)
	}
	w := gemmFree.list[n-1]
	gemmFree.list = gemmFree.list[:n-1]
	return w
}

func putWorkspace(w *GemmWorkspace) {
	gemmFree.Lock()
	gemmFree.list = append(gemmFree.list, w)
	gemmFree.Unlock()
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// transA and transB say; op(A) is (m, k), op(B) is (k, n) and C is (m, n),
// all row-major with leading dimensions lda, ldb and ldc (the distance
// between rows, at least the number of stored columns).
//
// It is the one matrix product the layers use: Dense forward is x·W (NN),
// the kernel gradient is xᵀ·dy (TN) and the input gradient dy·Wᵀ (NT).
// When beta is 0, C is only written, never read, so it may hold garbage
// (NaN included); when alpha is 0 or k is 0, A and B are not read.
// Elements of C between n and ldc in each row are left untouched. C must
// not overlap A or B.
// Gemm is single-threaded and, once warm, allocates nothing: it borrows
// its packing buffers from a free list. It panics if a slice is too
// short for its dimensions or a dimension is negative.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	w := getWorkspace()
	w.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	putWorkspace(w)
}

// Gemm is the package-level Gemm using w's buffers instead of borrowed ones.
func (w *GemmWorkspace) Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	switch {
	case m == 0 || n == 0:
		return
	case k == 0 || alpha == 0:
		scaleMatrix(m, n, beta, c, ldc)
		return
	case m < gemmMR:
		// Fewer rows than a micro-tile: packing would mostly multiply the
		// zero padding (measured: direct wins for m = 1..3, packing wins
		// from 8×8×8 up, even for a single column).
		gemmDirect(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	w.gemmPacked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// gemmPacked is the blocked product for m, n, k > 0: pack a block of op(B),
// then for each block of op(A) pack it and run the macro-kernel.
func (w *GemmWorkspace) gemmPacked(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	// Blocks are balanced: k = 600 is done as 2×300, not 512 + 88, so no
	// block is left with a depth too short to repay the micro-kernel call.
	ncStep := blockStep(n, gemmNC, gemmNR)
	kcStep := blockStep(k, gemmKC, 1)
	mcStep := blockStep(m, gemmMC, gemmMR)
	w.grow(mcStep, ncStep, kcStep)
	for jc := 0; jc < n; jc += ncStep {
		nc := min(ncStep, n-jc)
		for pc := 0; pc < k; pc += kcStep {
			kc := min(kcStep, k-pc)
			packBlockB(w.b, transB, b, ldb, pc, jc, kc, nc)
			bt := beta // later depth blocks add to what the first one wrote
			if pc > 0 {
				bt = 1
			}
			for ic := 0; ic < m; ic += mcStep {
				mc := min(mcStep, m-ic)
				packBlockA(w.a, transA, a, lda, ic, pc, mc, kc)
				gemmMacro(mc, nc, kc, alpha, w.a, w.b, bt, c[ic*ldc+jc:], ldc, &w.edge)
			}
		}
	}
}

// blockStep splits a dimension of size d into the fewest blocks of at most
// limit and returns the (equal) block size, rounded up to a multiple of q.
func blockStep(d, limit, q int) int {
	blocks := (d + limit - 1) / limit
	return roundUp((d+blocks-1)/blocks, q)
}

// grow makes the packing buffers large enough for (mc, kc) blocks of op(A)
// and (kc, nc) blocks of op(B), mc and nc being multiples of the micro-tile.
func (w *GemmWorkspace) grow(mc, nc, kc int) {
	na := mc * kc
	nb := nc * kc
	if cap(w.a) < na {
		w.a = make([]float32, na)
	}
	if cap(w.b) < nb {
		w.b = make([]float32, nb)
	}
	w.a, w.b = w.a[:cap(w.a)], w.b[:cap(w.b)]
}

func roundUp(x, q int) int { return (x + q - 1) / q * q }

// scaleMatrix sets C = beta·C for an (m, n) C, writing zeros when beta is 0
// so that garbage in C does not survive.
func scaleMatrix(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
		} else if beta != 1 {
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

func checkGemm(transA, transB bool, m, n, k, la, lda, lb, ldb, lc, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("tensor: Gemm with negative dimension m=%d, n=%d, k=%d", m, n, k))
	}
	need := func(rows, cols, ld, l int, name string) {
		if rows == 0 || cols == 0 {
			return
		}
		if ld < cols || (rows-1)*ld+cols > l {
			panic(fmt.Sprintf("tensor: Gemm %s is %d values with ld %d, too short for (%d, %d)", name, l, ld, rows, cols))
		}
	}
	if transA {
		need(k, m, lda, la, "A")
	} else {
		need(m, k, lda, la, "A")
	}
	if transB {
		need(n, k, ldb, lb, "B")
	} else {
		need(k, n, ldb, lb, "B")
	}
	need(m, n, ldc, lc, "C")
}
