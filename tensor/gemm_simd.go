//go:build js && wasm && !nosimd

package tensor

import (
	"fmt"
	"unsafe"
)

// The wasm build packs and multiplies blocks with hand-written WebAssembly
// SIMD (f32x4) kernels, wasm/simd/gemm.wat, because Go's wasm target emits
// no SIMD. Measured under Node 20 (best of short runs on a shared 2-core
// machine): 128–256 square products ~44 GFLOP/s against ~6 for the Go
// kernel under wasm and ~9 natively (BenchmarkGemm, BenchmarkGemmDense).
// The micro-tile is 4 rows by 8 columns (two f32x4 vectors), so B is packed
// in 8-column panels. Results are the Go kernel's bit for bit
// (TestGemmSameBitsEverywhere).
//
// The kernels live in a second wasm module that shares Go's linear memory;
// the host supplies them as the imports keraswasm_simd.{gemm_macro, pack_a,
// pack_b} (js/simd.mjs: simdImports and attachSimd;
// scripts/go_js_wasm_exec_simd for go test). One call covers a whole block,
// so the crossing (~75 ns through the host's JS trampoline,
// BenchmarkSIMDCall) is paid once per up to 128×1024×512 multiply-adds.
// A host that cannot supply the imports can build with -tags nosimd to keep
// the Go kernel.
const (
	gemmMR = 4 // rows of a micro-tile (rows of op(A) per packed panel)
	gemmNR = 8 // columns of a micro-tile (columns of op(B) per packed panel)
)

// simdGemmMacro is the SIMD macro-kernel, called with byte offsets into Go's
// memory (pointer arguments are passed as i32 offsets): see the layouts at
// the top of wasm/simd/gemm.wat. It reads ap and bp, writes C (reading it
// only when beta is not 0) and uses t as scratch for edge tiles; it keeps
// no pointer after it returns, and no Go code runs while it does.
//
//go:wasmimport keraswasm_simd gemm_macro
//go:noescape
func simdGemmMacro(mc, nc, kc int32, alpha float32, ap, bp unsafe.Pointer, beta float32, c unsafe.Pointer, ldc int32, t unsafe.Pointer)

// gemmMacro multiplies a packed (mc, kc) block of op(A) by a packed (kc, nc)
// block of op(B) into C (mc, nc; leading dimension ldc): C = alpha·A·B +
// beta·C, with the SIMD kernel. The kernel does not check bounds, so the
// lengths are checked here, once per block, and a short slice panics
// instead of touching memory outside it.
func gemmMacro(mc, nc, kc int, alpha float32, ap, bp []float32, beta float32, c []float32, ldc int, t *[gemmMR * gemmNR]float32) {
	if mc <= 0 || nc <= 0 || kc <= 0 {
		return
	}
	if len(ap) < roundUp(mc, gemmMR)*kc || len(bp) < roundUp(nc, gemmNR)*kc || ldc < nc || len(c) < (mc-1)*ldc+nc {
		panic(fmt.Sprintf("tensor: gemmMacro (%d, %d, %d) with ldc %d given %d/%d/%d values for A/B/C",
			mc, nc, kc, ldc, len(ap), len(bp), len(c)))
	}
	simdGemmMacro(int32(mc), int32(nc), int32(kc), alpha,
		unsafe.Pointer(unsafe.SliceData(ap)), unsafe.Pointer(unsafe.SliceData(bp)), beta,
		unsafe.Pointer(unsafe.SliceData(c)), int32(ldc), unsafe.Pointer(t))
}

//go:wasmimport keraswasm_simd pack_a
//go:noescape
func simdPackA(ap, a unsafe.Pointer, lda, mc, kc, trans int32)

//go:wasmimport keraswasm_simd pack_b
//go:noescape
func simdPackB(bp, b unsafe.Pointer, ldb, kc, nc, trans int32)

// packBlockA packs the (mc, kc) block of op(A) at row ic, depth pc into dst
// as 4-row panels (packA's layout) with the SIMD module's pack_a, after
// checking that the block lies inside a and the panels inside dst.
func packBlockA(dst []float32, transA bool, a []float32, lda, ic, pc, mc, kc int) {
	off, extent := ic*lda+pc, (mc-1)*lda+kc // op(A)[i, p] = a[off + i·lda + p]
	if transA {
		off, extent = pc*lda+ic, (kc-1)*lda+mc // op(A)[i, p] = a[off + p·lda + i]
	}
	if mc <= 0 || kc <= 0 || off < 0 || off+extent > len(a) || roundUp(mc, gemmMR)*kc > len(dst) {
		panic(fmt.Sprintf("tensor: packBlockA (%d, %d) at (%d, %d) with lda %d outside %d values or panels of %d",
			mc, kc, ic, pc, lda, len(a), len(dst)))
	}
	simdPackA(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(&a[off]), int32(lda), int32(mc), int32(kc), boolInt32(transA))
}

// packBlockB packs the (kc, nc) block of op(B) at depth pc, column jc into
// dst as 8-column panels (packB's layout) with the SIMD module's pack_b,
// after the same checks as packBlockA.
func packBlockB(dst []float32, transB bool, b []float32, ldb, pc, jc, kc, nc int) {
	off, extent := pc*ldb+jc, (kc-1)*ldb+nc // op(B)[p, j] = b[off + p·ldb + j]
	if transB {
		off, extent = jc*ldb+pc, (nc-1)*ldb+kc // op(B)[p, j] = b[off + j·ldb + p]
	}
	if kc <= 0 || nc <= 0 || off < 0 || off+extent > len(b) || roundUp(nc, gemmNR)*kc > len(dst) {
		panic(fmt.Sprintf("tensor: packBlockB (%d, %d) at (%d, %d) with ldb %d outside %d values or panels of %d",
			kc, nc, pc, jc, ldb, len(b), len(dst)))
	}
	simdPackB(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(&b[off]), int32(ldb), int32(kc), int32(nc), boolInt32(transB))
}

func boolInt32(b bool) int32 {
	if b {
		return 1
	}
	return 0
}
