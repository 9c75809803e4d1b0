package tensor

import "testing"

// The convolutions of the mnist-cnn workload (W3 in
// /work/shared/bench/workloads.json) at batch 128, channels_last, 'valid'.
var benchConvs = []struct {
	name                 string
	n, h, w, c, k, filts int
}{
	{"mnist-cnn/conv1_28x28x1_32f", 128, 28, 28, 1, 3, 32},
	{"mnist-cnn/conv2_26x26x32_64f", 128, 26, 26, 32, 3, 64},
}

// BenchmarkConv times a Conv2D step built from these kernels, the way the
// layer computes it: forward is Im2Col then cols·W (NN); backward is
// dW = colsᵀ·dy (TN), dcols = dy·Wᵀ (NT) and Col2Im(dcols) into dx.
// GFLOP/s counts only the products (2·rows·KH·KW·C·filters each), so the
// im2col/col2im time shows up as a lower rate.
func BenchmarkConv(b *testing.B) {
	for _, bc := range benchConvs {
		g, err := NewConvGeom(bc.n, bc.h, bc.w, bc.c, bc.k, bc.k, 1, 1, 1, 1, "valid")
		if err != nil {
			b.Fatal(err)
		}
		rows, kkc := g.ColRows(), g.ColCols()
		rng := NewRNG(7)
		x := make([]float32, g.N*g.H*g.W*g.C)
		w := make([]float32, kkc*bc.filts)
		dy := make([]float32, rows*bc.filts)
		rng.Uniform(x, -1, 1)
		rng.Uniform(w, -1, 1)
		rng.Uniform(dy, -1, 1)
		cols := make([]float32, rows*kkc)
		y := make([]float32, rows*bc.filts)
		flops := 2 * float64(rows) * float64(kkc) * float64(bc.filts)

		forward := func() {
			Im2Col(cols, x, g)
			Gemm(false, false, rows, bc.filts, kkc, 1, cols, kkc, w, bc.filts, 0, y, bc.filts)
		}
		b.Run(bc.name+"/forward", func(b *testing.B) {
			warmUp(b, forward)
			for i := 0; i < b.N; i++ {
				forward()
			}
			reportGflops(b, flops)
		})
		b.Run(bc.name+"/backward", func(b *testing.B) {
			dw := make([]float32, len(w))
			dcols := make([]float32, len(cols))
			dx := make([]float32, len(x))
			Im2Col(cols, x, g)
			backward := func() {
				Gemm(true, false, kkc, bc.filts, rows, 1, cols, kkc, dy, bc.filts, 1, dw, bc.filts)
				Gemm(false, true, rows, kkc, bc.filts, 1, dy, bc.filts, w, bc.filts, 0, dcols, kkc)
				clear(dx)
				Col2Im(dx, dcols, g)
			}
			warmUp(b, backward)
			for i := 0; i < b.N; i++ {
				backward()
			}
			reportGflops(b, 2*flops)
		})
		b.Run(bc.name+"/im2col", func(b *testing.B) {
			warmUp(b, func() { Im2Col(cols, x, g) })
			for i := 0; i < b.N; i++ {
				Im2Col(cols, x, g)
			}
		})
		b.Run(bc.name+"/col2im", func(b *testing.B) {
			dx := make([]float32, len(x))
			warmUp(b, func() { Col2Im(dx, cols, g) })
			for i := 0; i < b.N; i++ {
				Col2Im(dx, cols, g)
			}
		})
	}
}

// BenchmarkMaxPool times the 2×2 pooling of the mnist-cnn workload:
// (128, 24, 24, 64) to (128, 12, 12, 64), forward and backward.
func BenchmarkMaxPool(b *testing.B) {
	g, err := NewConvGeom(128, 24, 24, 64, 2, 2, 2, 2, 1, 1, "valid")
	if err != nil {
		b.Fatal(err)
	}
	x := make([]float32, g.N*g.H*g.W*g.C)
	NewRNG(8).Uniform(x, -1, 1)
	y := make([]float32, g.N*g.OH*g.OW*g.C)
	arg := make([]int32, len(y))
	b.Run("forward", func(b *testing.B) {
		warmUp(b, func() { MaxPool(y, arg, x, g) })
		for i := 0; i < b.N; i++ {
			MaxPool(y, arg, x, g)
		}
	})
	b.Run("backward", func(b *testing.B) {
		dx := make([]float32, len(x))
		warmUp(b, func() { MaxPoolBackward(dx, y, arg) })
		for i := 0; i < b.N; i++ {
			clear(dx)
			MaxPoolBackward(dx, y, arg)
		}
	})
}
