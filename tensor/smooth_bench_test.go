package tensor

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkSmooth times the sigmoid and tanh kernels over 4096 values (an
// LSTM step's gates for a batch of 8 at 128 units): "go" is the Go loop,
// "kernel" the exported kernel (the SIMD module's under wasm with make
// simd's module, the same Go loop otherwise). It reports G elements/s.
//
//	GOOS=js GOARCH=wasm go test -run '^$' -bench Smooth -exec "$PWD/scripts/go_js_wasm_exec_simd" ./tensor/
func BenchmarkSmooth(b *testing.B) {
	const n = 4096
	r := rand.New(rand.NewPCG(1, 2))
	x, y, dy, dst := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], dy[i] = float32(r.NormFloat64()*3), float32(r.NormFloat64())
	}
	Sigmoid(y, x)
	fwd := []struct {
		name         string
		goLoop, kern func(dst, x []float32)
	}{{"sigmoid", sigmoidGo, Sigmoid}, {"tanh", tanhGo, Tanh}}
	bwd := []struct {
		name         string
		goLoop, kern func(dst, y, dy []float32)
	}{{"sigmoid_grad", sigmoidGradGo, SigmoidGrad}, {"tanh_grad", tanhGradGo, TanhGrad}}
	run := func(b *testing.B, f func()) {
		for b.Loop() {
			f()
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "Gelem/s")
	}
	for _, k := range fwd {
		b.Run(k.name+"/go", func(b *testing.B) { run(b, func() { k.goLoop(dst, x) }) })
		b.Run(k.name+"/kernel", func(b *testing.B) { run(b, func() { k.kern(dst, x) }) })
	}
	for _, k := range bwd {
		b.Run(k.name+"/go", func(b *testing.B) { run(b, func() { k.goLoop(dst, y, dy) }) })
		b.Run(k.name+"/kernel", func(b *testing.B) { run(b, func() { k.kern(dst, y, dy) }) })
	}
}
