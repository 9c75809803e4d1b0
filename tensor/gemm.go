package tensor

import "fmt"

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ as
// transA and transB say; op(A) is (m, k), op(B) is (k, n) and C is (m, n),
// all row-major with leading dimensions lda, ldb and ldc.
//
// It is the one matrix product the layers use: Dense forward is x·W,
// its backward products are dyᵀ... (Aᵀ·B for dW, A·Bᵀ for dx).
// It panics if a slice is too short for its dimensions.
func Gemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkGemm(transA, transB, m, n, k, len(a), lda, len(b), ldb, len(c), ldc)
	gemmNaive(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

func checkGemm(transA, transB bool, m, n, k, la, lda, lb, ldb, lc, ldc int) {
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

// gemmNaive is the reference product: plain loops, float32 accumulation in
// k order. Tests compare the fast kernels against it.
func gemmNaive(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float32
			for p := 0; p < k; p++ {
				var av, bv float32
				if transA {
					av = a[p*lda+i]
				} else {
					av = a[i*lda+p]
				}
				if transB {
					bv = b[j*ldb+p]
				} else {
					bv = b[p*ldb+j]
				}
				s += av * bv
			}
			if beta == 0 {
				c[i*ldc+j] = alpha * s
			} else {
				c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
			}
		}
	}
}
