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
//   - Reductions (Sum, Mean, Dot, SumSquares, SumRows) accumulate in float64.
//     Gemm accumulates in float32, as BLAS sgemm and Keras's float32 matmul do.
//   - There is no package-level randomness: every draw comes from an *RNG that
//     the caller owns and seeds.
//
// Speed: everything is single-threaded plain Go, because the browser runs the
// wasm build on one thread and Go's wasm target has no SIMD. Gemm packs
// cache-sized blocks of its operands into contiguous panels and multiplies
// them with a register-blocked micro-kernel (gemmMicro, the one function to
// replace with a SIMD kernel); its inner loops are unrolled and free of
// bounds checks (verify with go build -gcflags=-d=ssa/check_bce/debug=1).
// Packing buffers come from a free list, so Gemm may be called from several
// goroutines natively; a caller that wants its own can use a GemmWorkspace.
// Benchmarks (go test -bench . ./tensor/, natively or with GOOS=js
// GOARCH=wasm) report GFLOP/s and allocations.
//
// This package imports only the standard library and gonum/floats.
package tensor
