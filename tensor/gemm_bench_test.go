package tensor

import (
	"fmt"
	"testing"
)

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
				Gemm(tr.transA, tr.transB, size, size, size, 1, x, size, y, size, 0, c, size)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					Gemm(tr.transA, tr.transB, size, size, size, 1, x, size, y, size, 0, c, size)
				}
				reportGflops(b, 2*float64(size)*float64(size)*float64(size))
			})
		}
	}
}
