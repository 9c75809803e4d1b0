package tensor

// The packing fast paths below are written for the 4×2 micro-tile; the
// gemmMR == 4 and gemmNR == 2 guards are constant, so they cost nothing, and
// a different tile falls back to the general loops.

// packA copies the (mc, kc) block of op(A) starting at row ic, depth pc
// into dst as gemmMR-row panels: panel r holds rows ic+r·gemmMR… in k order,
// dst[r·kc·gemmMR + p·gemmMR + i] = op(A)[ic+r·gemmMR+i, pc+p]. Rows past
// mc in the last panel are zero, so the micro-kernel never needs an edge case.
func packA(dst []float32, transA bool, a []float32, lda, ic, pc, mc, kc int) {
	for ir := 0; ir < mc; ir += gemmMR {
		mr := min(gemmMR, mc-ir)
		d := dst[ir*kc : ir*kc+kc*gemmMR]
		if transA {
			// op(A) = Aᵀ: A is (k, m), so the panel's rows at depth p are contiguous.
			for p := 0; p < kc; p++ {
				src := a[(pc+p)*lda+ic+ir:]
				dd := d[p*gemmMR : p*gemmMR+gemmMR]
				if gemmMR == 4 && mr == gemmMR {
					src = src[:4]
					dd[0], dd[1], dd[2], dd[3] = src[0], src[1], src[2], src[3]
				} else {
					copy(dd, src[:mr])
					clear(dd[mr:])
				}
			}
			continue
		}
		if gemmMR == 4 && mr == gemmMR {
			r := (ic + ir) * lda
			packRows4(d, a[r+pc:], a[r+lda+pc:], a[r+2*lda+pc:], a[r+3*lda+pc:], kc)
			continue
		}
		for i := 0; i < gemmMR; i++ {
			if i >= mr {
				for p := 0; p < kc; p++ {
					d[p*gemmMR+i] = 0
				}
				continue
			}
			row := a[(ic+ir+i)*lda+pc:]
			row = row[:kc]
			for p, v := range row {
				d[p*gemmMR+i] = v
			}
		}
	}
}

// packRows4 interleaves the first kc values of four rows into d, four at a
// time: d[4p+i] = ri[p]. It is packA's common case, a full panel of an
// untransposed A such as an im2col matrix.
func packRows4(d, r0, r1, r2, r3 []float32, kc int) {
	r0, r1, r2, r3 = r0[:kc], r1[:kc], r2[:kc], r3[:kc]
	d = d[:4*kc]
	for p, v := range r0 {
		_ = d[3]
		d[0], d[1], d[2], d[3] = v, r1[p], r2[p], r3[p]
		d = d[4:]
	}
}

// packB copies the (kc, nc) block of op(B) starting at depth pc, column jc
// into dst as gemmNR-column panels: dst[r·kc·gemmNR + p·gemmNR + j] =
// op(B)[pc+p, jc+r·gemmNR+j], zero past nc.
func packB(dst []float32, transB bool, b []float32, ldb, pc, jc, kc, nc int) {
	for jr := 0; jr < nc; jr += gemmNR {
		nr := min(gemmNR, nc-jr)
		d := dst[jr*kc : jr*kc+kc*gemmNR]
		if !transB {
			// op(B) = B: B is (k, n), the panel's columns at depth p are contiguous.
			for p := 0; p < kc; p++ {
				src := b[(pc+p)*ldb+jc+jr:]
				dd := d[p*gemmNR : p*gemmNR+gemmNR]
				if gemmNR == 2 && nr == gemmNR {
					src = src[:2]
					dd[0], dd[1] = src[0], src[1]
				} else {
					copy(dd, src[:nr])
					clear(dd[nr:])
				}
			}
			continue
		}
		if gemmNR == 2 && nr == gemmNR {
			r := (jc + jr) * ldb
			packRows2(d, b[r+pc:], b[r+ldb+pc:], kc)
			continue
		}
		for j := 0; j < gemmNR; j++ {
			if j >= nr {
				for p := 0; p < kc; p++ {
					d[p*gemmNR+j] = 0
				}
				continue
			}
			row := b[(jc+jr+j)*ldb+pc:]
			row = row[:kc]
			for p, v := range row {
				d[p*gemmNR+j] = v
			}
		}
	}
}

// packRows2 interleaves the first kc values of two rows into d:
// d[2p+j] = rj[p]. It is packB's common case for a transposed B (the
// weights in dy·Wᵀ).
func packRows2(d, r0, r1 []float32, kc int) {
	r0, r1 = r0[:kc], r1[:kc]
	d = d[:2*kc]
	for p, v := range r0 {
		_ = d[1]
		d[0], d[1] = v, r1[p]
		d = d[2:]
	}
}

// gemmDirect is Gemm without packing, for products with fewer rows than
// a micro-tile (one sample's Dense forward, for example), where packing
// would mostly multiply zeros. NN and TN add scaled rows of B into each
// row of C; NT takes dot products of contiguous rows; TT is strided.
func gemmDirect(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		if transB {
			for j := range crow {
				brow := b[j*ldb : j*ldb+k]
				var s float32
				if transA {
					for p, bv := range brow {
						s += a[p*lda+i] * bv
					}
				} else {
					s = dot32(a[i*lda:i*lda+k], brow)
				}
				if beta == 0 {
					crow[j] = alpha * s
				} else {
					crow[j] = alpha*s + beta*crow[j]
				}
			}
			continue
		}
		scaleMatrix(1, n, beta, crow, n)
		for p := 0; p < k; p++ {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			Axpy(crow, alpha*av, b[p*ldb:p*ldb+n])
		}
	}
}

// dot32 returns Σ x[i]·y[i] in float32 with four partial sums, for
// gemmDirect (len(y) >= len(x)).
func dot32(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	for len(x) >= 4 && len(y) >= 4 {
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
		x, y = x[4:], y[4:]
	}
	y = y[:len(x)]
	for i, v := range x {
		s0 += v * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}
