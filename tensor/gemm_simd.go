//go:build js && wasm && !nosimd

package tensor

import (
	"fmt"
	"unsafe"
)

// The wasm build multiplies packed blocks with a WebAssembly SIMD (f32x4)
// macro-kernel, wasm/simd/gemm.wat, because Go's wasm target emits no SIMD:
// the scalar Go kernel reaches ~2.6 GFLOP/s under Node, the SIMD one
// several times that (numbers in BenchmarkGemm). Its micro-tile is 4 rows
// by 8 columns (two f32x4 vectors), so B is packed in 8-column panels.
//
// The kernel lives in a second wasm module that shares Go's linear memory;
// the host supplies it as the import keraswasm_simd.gemm_macro (js/simd.mjs:
// simdImports and attachSimd; scripts/go_js_wasm_exec_simd for go test).
// A host that cannot supply it can build with -tags nosimd to keep the Go
// kernel.
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
