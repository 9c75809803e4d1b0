//go:build js && wasm && !nosimd

package tensor

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGemmMacroSIMDChecksLengths(t *testing.T) {
	// The SIMD kernel trusts its offsets, so gemmMacro must refuse slices
	// too short for the block rather than let it read or write past them.
	var edge [gemmMR * gemmNR]float32
	ap, bp, c := make([]float32, 8*3), make([]float32, 8*3), make([]float32, 5*6)
	assert.NotPanics(t, func() { gemmMacro(5, 6, 3, 1, ap, bp, 0, c, 6, &edge) })
	assert.Panics(t, func() { gemmMacro(5, 6, 3, 1, ap[:23], bp, 0, c, 6, &edge) }, "short A panel")
	assert.Panics(t, func() { gemmMacro(5, 6, 3, 1, ap, bp[:23], 0, c, 6, &edge) }, "short B panel")
	assert.Panics(t, func() { gemmMacro(5, 6, 3, 1, ap, bp, 0, c[:29], 6, &edge) }, "short C")
	assert.Panics(t, func() { gemmMacro(5, 6, 3, 1, ap, bp, 0, c, 5, &edge) }, "ldc < nc")
}

// BenchmarkSIMDCall times one crossing from Go into the SIMD module through
// the host's trampoline (Go wasm → JS function → SIMD wasm export) with a
// single 4×8×1 tile of work, so ns/op is the cost a block pays per call.
func BenchmarkSIMDCall(b *testing.B) {
	var edge [gemmMR * gemmNR]float32
	ap, bp, c := make([]float32, gemmMR), make([]float32, gemmNR), make([]float32, gemmMR*gemmNR)
	gemmMacro(gemmMR, gemmNR, 1, 1, ap, bp, 0, c, gemmNR, &edge)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		gemmMacro(gemmMR, gemmNR, 1, 1, ap, bp, 0, c, gemmNR, &edge)
	}
}
