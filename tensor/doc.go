// Package tensor holds keraswasm's float32 tensors and the kernels the layers
// are made of: GEMM, im2col convolution, pooling, element-wise operations,
// reductions and the seeded random source.
//
// Conventions:
//   - Tensors are float32 (Keras's default floatx) and row-major; images are
//     channels_last, (batch, height, width, channels). Matrices passed to
//     Gemm carry a leading dimension (the distance between rows), so a
//     sub-matrix or a padded row is a valid operand.
//   - A Tensor's Data may be shared with other tensors (Reshape returns a view).
//   - Kernels are destination-first (dst is the written slice) and allocate
//     nothing once warm; they panic with a "tensor: " message when a
//     precondition that the caller had to ensure is broken (lengths, shapes).
//     Anything a user can get wrong is checked above this package and
//     returned as an error there. Functions that add into their destination
//     (Col2Im, MaxPoolBackward, SumRows, Add, Axpy) say so.
//   - Reductions (Sum, Dot, SumSquares, SumAbs, SumRows) accumulate in float64,
//     in index order, so they give the bits of the plain loop they replace.
//     Gemm accumulates in float32, as BLAS sgemm and Keras's float32 matmul do.
//   - There is no package-level randomness: every draw comes from an *RNG that
//     the caller owns and seeds.
//
// Speed: everything is single-threaded, because the browser runs the wasm
// build on one thread. Gemm packs cache-sized blocks of its operands into
// contiguous panels and multiplies them with a register-blocked macro-kernel
// (gemmMacro). Natively that is plain Go (gemm_kernel.go, a 4×2 micro-tile,
// loops unrolled and free of bounds checks: verify with go build
// -gcflags=-d=ssa/check_bce/debug=1). Go's wasm target emits no SIMD, so
// the js/wasm build calls a hand-written WebAssembly SIMD kernel instead
// (gemm_simd.go, wasm/simd/gemm.wat, a 4×8 micro-tile), imported from a
// second module that shares Go's memory: a host must supply the import
// keraswasm_simd.gemm_macro (js/simd.mjs; scripts/go_js_wasm_exec_simd for
// go test), or build with -tags nosimd to keep the Go kernel. The
// element-wise kernels of a training step (Relu, ReluGrad, AddRowVector,
// SumRows, Add, Axpy, MulTo, MaxPool, SoftmaxRows, unpadded
// Im2ColRows/Col2ImRows, FirstNonFinite, SGDMomentum, RMSprop, Adam) call
// the same module (simd_ew.go, wasm/simd/elementwise.wat, optimizers.wat,
// softmax.wat), one call per
// tensor, when the host's keraswasm_simd.elementwise() answers 1; their Go
// loops run otherwise, and give the same bits (simd_ew_test.go).
// Packing buffers come from a free list, so Gemm may be called from several
// goroutines natively; a caller that wants its own can use a GemmWorkspace.
// Benchmarks (go test -bench . ./tensor/, natively or with GOOS=js
// GOARCH=wasm and -exec scripts/go_js_wasm_exec_simd) report GFLOP/s and
// allocations.
//
// This package imports only the standard library. scripts/arrows.sh fails
// on any import from the rest of this module or from a third party other
// than gonum/floats.
package tensor
