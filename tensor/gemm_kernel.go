//go:build !js || !wasm || nosimd

package tensor

// The micro-tile of the packed product: gemmMicro computes a gemmMR×gemmNR
// block of C in local variables. Measured on plain scalar Go, small tiles
// with the k loop unrolled four times win both natively and under wasm:
// larger tiles (4×4, 4×8) need more live floats than the 15 scalar
// registers amd64 Go allocates (and the 16 f32 locals of Go's wasm
// backend), so they spill every iteration.
//
// What bounds the speed: natively, scalar SSE (Go does not vectorize, and
// with the default GOAMD64=v1 it does not fuse multiply-adds; GOAMD64=v3
// does). Under wasm, two quirks of Go's wasm backend: an f32 load cannot
// take a constant offset, so each a[i] costs an add and a wrap before the
// load, and jumps between basic blocks (every loop back-edge) go through
// the function's br_table dispatch, which the 4× unrolling amortizes.
const (
	gemmMR = 4 // rows of a micro-tile (rows of op(A) per packed panel)
	gemmNR = 2 // columns of a micro-tile (columns of op(B) per packed panel)
)

// packBlockA and packBlockB pack the blocks of op(A) and op(B) for
// gemmMacro: here the Go packers of gemm_pack.go; the wasm build has SIMD
// ones (gemm_simd.go).
func packBlockA(dst []float32, transA bool, a []float32, lda, ic, pc, mc, kc int) {
	packA(dst, transA, a, lda, ic, pc, mc, kc)
}

func packBlockB(dst []float32, transB bool, b []float32, ldb, pc, jc, kc, nc int) {
	packB(dst, transB, b, ldb, pc, jc, kc, nc)
}

// gemmMacro multiplies a packed (mc, kc) block of op(A) by a packed (kc, nc)
// block of op(B) into C (mc, nc; leading dimension ldc) one micro-tile at a
// time: C = alpha·tile + beta·C. Full tiles are updated in place by the
// micro-kernel; tiles cut by the block's edge go through the scratch tile t.
// This is the Go macro-kernel; the wasm build has a SIMD one (gemm_simd.go).
func gemmMacro(mc, nc, kc int, alpha float32, ap, bp []float32, beta float32, c []float32, ldc int, t *[gemmMR * gemmNR]float32) {
	for jr := 0; jr < nc; jr += gemmNR {
		nr := min(gemmNR, nc-jr)
		bpan := bp[jr*kc : jr*kc+kc*gemmNR]
		for ir := 0; ir < mc; ir += gemmMR {
			mr := min(gemmMR, mc-ir)
			apan := ap[ir*kc : ir*kc+kc*gemmMR]
			if mr == gemmMR && nr == gemmNR {
				gemmMicro(kc, apan, bpan, alpha, beta, c[ir*ldc+jr:], ldc)
				continue
			}
			gemmMicro(kc, apan, bpan, 1, 0, t[:], gemmNR)
			storeTile(c[ir*ldc+jr:], ldc, mr, nr, alpha, beta, t)
		}
	}
}

// storeTile writes the (mr, nr) corner of the micro-tile t into C:
// C = alpha·t + beta·C, never reading C when beta is 0.
func storeTile(c []float32, ldc, mr, nr int, alpha, beta float32, t *[gemmMR * gemmNR]float32) {
	for i := 0; i < mr; i++ {
		row := c[i*ldc : i*ldc+nr]
		tr := t[i*gemmNR : i*gemmNR+nr]
		if beta == 0 {
			for j, v := range tr {
				row[j] = alpha * v
			}
		} else {
			for j, v := range tr {
				row[j] = alpha*v + beta*row[j]
			}
		}
	}
}

// gemmMicro updates one gemmMR×gemmNR tile of C (rows ldc apart) with the
// product of one packed A panel and one packed B panel:
// C[i, j] = alpha·Σ_p a[p·gemmMR+i]·b[p·gemmNR+j] + beta·C[i, j], p < kc,
// never reading C when beta is 0. a holds kc·gemmMR values, b kc·gemmNR,
// both in k order. Updating C here, as BLIS micro-kernels do, rather than
// returning the tile saves a round trip through memory per tile, which
// matters when kc is small (a 3×3 convolution over one channel has kc = 9).
//
// The loops slice a and b down as they go, so the compiler proves every index in range and emits
// no bounds checks inside them (check with -gcflags=-d=ssa/check_bce).
func gemmMicro(kc int, a, b []float32, alpha, beta float32, c []float32, ldc int) {
	a = a[:kc*gemmMR]
	b = b[:kc*gemmNR]
	var c00, c01, c10, c11, c20, c21, c30, c31 float32
	for len(a) >= 4*gemmMR && len(b) >= 4*gemmNR {
		c00 += a[0] * b[0]
		c01 += a[0] * b[1]
		c10 += a[1] * b[0]
		c11 += a[1] * b[1]
		c20 += a[2] * b[0]
		c21 += a[2] * b[1]
		c30 += a[3] * b[0]
		c31 += a[3] * b[1]

		c00 += a[4] * b[2]
		c01 += a[4] * b[3]
		c10 += a[5] * b[2]
		c11 += a[5] * b[3]
		c20 += a[6] * b[2]
		c21 += a[6] * b[3]
		c30 += a[7] * b[2]
		c31 += a[7] * b[3]

		c00 += a[8] * b[4]
		c01 += a[8] * b[5]
		c10 += a[9] * b[4]
		c11 += a[9] * b[5]
		c20 += a[10] * b[4]
		c21 += a[10] * b[5]
		c30 += a[11] * b[4]
		c31 += a[11] * b[5]

		c00 += a[12] * b[6]
		c01 += a[12] * b[7]
		c10 += a[13] * b[6]
		c11 += a[13] * b[7]
		c20 += a[14] * b[6]
		c21 += a[14] * b[7]
		c30 += a[15] * b[6]
		c31 += a[15] * b[7]

		a = a[4*gemmMR:]
		b = b[4*gemmNR:]
	}
	for len(a) >= gemmMR && len(b) >= gemmNR {
		c00 += a[0] * b[0]
		c01 += a[0] * b[1]
		c10 += a[1] * b[0]
		c11 += a[1] * b[1]
		c20 += a[2] * b[0]
		c21 += a[2] * b[1]
		c30 += a[3] * b[0]
		c31 += a[3] * b[1]
		a = a[gemmMR:]
		b = b[gemmNR:]
	}
	r0, r1, r2, r3 := c[:2], c[ldc:ldc+2], c[2*ldc:2*ldc+2], c[3*ldc:3*ldc+2]
	if beta == 0 {
		r0[0], r0[1] = alpha*c00, alpha*c01
		r1[0], r1[1] = alpha*c10, alpha*c11
		r2[0], r2[1] = alpha*c20, alpha*c21
		r3[0], r3[1] = alpha*c30, alpha*c31
		return
	}
	r0[0], r0[1] = alpha*c00+beta*r0[0], alpha*c01+beta*r0[1]
	r1[0], r1[1] = alpha*c10+beta*r1[0], alpha*c11+beta*r1[1]
	r2[0], r2[1] = alpha*c20+beta*r2[0], alpha*c21+beta*r2[1]
	r3[0], r3[1] = alpha*c30+beta*r3[0], alpha*c31+beta*r3[1]
}
