package tensor

import (
	"fmt"
	"testing"
)

// warmUp runs op once before the timer starts, then resets the timer and
// turns on allocation reporting: the first call grows Gemm's workspace and,
// under wasm, runs in V8's baseline tier before the optimizing compiler has
// seen the code, so timing it would measure neither steady state.
func warmUp(b *testing.B, op func()) {
	b.Helper()
	op()
	b.ReportAllocs()
	b.ResetTimer()
}

// reportGflops adds the rate of flops floating-point operations per
// iteration to the benchmark's output.
func reportGflops(b *testing.B, flops float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemm times square products in the three layouts the layers use:
// NN (Dense forward x·W), TN (kernel gradient xᵀ·dy), NT (input gradient dy·Wᵀ).
func BenchmarkGemm(b *testing.B) {
	for _, tr := range []struct {
		name           string
		transA, transB bool
	}{{"NN", false, false}, {"TN", true, false}, {"NT", false, true}} {
		for _, size := range []int{128, 256, 512} {
			b.Run(fmt.Sprintf("%s/%d", tr.name, size), func(b *testing.B) {
				rng := NewRNG(1)
				x, y, c := make([]float32, size*size), make([]float32, size*size), make([]float32, size*size)
				rng.Uniform(x, -1, 1)
				rng.Uniform(y, -1, 1)
				warmUp(b, func() { Gemm(tr.transA, tr.transB, size, size, size, 1, x, size, y, size, 0, c, size) })
				for i := 0; i < b.N; i++ {
					Gemm(tr.transA, tr.transB, size, size, size, 1, x, size, y, size, 0, c, size)
				}
				reportGflops(b, 2*float64(size)*float64(size)*float64(size))
			})
		}
	}
}

// BenchmarkGemmDense times the three products of the first Dense layer of
// the mnist-mlp workload (W1: batch 128, 784 inputs, 128 units):
// forward x·W, kernel gradient xᵀ·dy and input gradient dy·Wᵀ.
func BenchmarkGemmDense(b *testing.B) {
	const batch, in, units = 128, 784, 128
	rng := NewRNG(3)
	x, w, dy := make([]float32, batch*in), make([]float32, in*units), make([]float32, batch*units)
	rng.Uniform(x, -1, 1)
	rng.Uniform(w, -1, 1)
	rng.Uniform(dy, -1, 1)
	y, dw, dx := make([]float32, batch*units), make([]float32, in*units), make([]float32, batch*in)
	flops := 2 * float64(batch) * in * units
	for _, p := range []struct {
		name string
		run  func()
	}{
		{"forward_NN", func() { Gemm(false, false, batch, units, in, 1, x, in, w, units, 0, y, units) }},
		{"dW_TN", func() { Gemm(true, false, in, units, batch, 1, x, in, dy, units, 0, dw, units) }},
		{"dx_NT", func() { Gemm(false, true, batch, in, units, 1, dy, units, w, units, 0, dx, in) }},
	} {
		b.Run("mnist-mlp_784x128/"+p.name, func(b *testing.B) {
			warmUp(b, p.run)
			for i := 0; i < b.N; i++ {
				p.run()
			}
			reportGflops(b, flops)
		})
	}
}
