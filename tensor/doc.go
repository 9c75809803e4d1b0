// Package tensor holds keraswasm's float32 tensors and the kernels the layers
// are made of: GEMM, im2col convolution, pooling, reductions and the seeded
// random source.
//
// Conventions:
//   - Tensors are float32 (Keras's default floatx) and row-major; images are
//     channels_last, (batch, height, width, channels).
//   - A Tensor's Data may be shared with other tensors (Reshape returns a view).
//   - Kernels are destination-first (dst is the written slice) and allocate
//     nothing; they panic with a "tensor: " message when a precondition that
//     the caller had to ensure is broken (lengths, shapes). Anything a user can
//     get wrong is checked above this package and returned as an error there.
//   - Reductions accumulate in float64.
//   - There is no package-level randomness: every draw comes from an *RNG that
//     the caller owns and seeds.
//
// This package imports only the standard library and gonum/floats.
package tensor
