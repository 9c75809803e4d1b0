//go:build !js || !wasm || nosimd

package tensor

// Natively and with -tags nosimd there is no SIMD module: every element-wise
// kernel runs its Go loop (simd_ew.go has the wasm build's).
const simdOK = false

func noSIMD() { panic("tensor: the SIMD element-wise kernels exist only in the js/wasm build") }

func reluSIMD(dst, x []float32)                                        { noSIMD() }
func reluGradSIMD(dst, y, dy []float32)                                { noSIMD() }
func addRowVectorSIMD(y, b []float32)                                  { noSIMD() }
func sumRowsFloat64SIMD(acc []float64, x []float32, rows, ldx int)     { noSIMD() }
func firstNonFiniteSIMD(x []float32) int                               { noSIMD(); return -1 }
func sgdMomentumSIMD(w, g, v []float32, lr, mu float32, nesterov bool) { noSIMD() }
func rmspropSIMD(w, g, v, mom, avg []float32, lr, rho, eps, mu float32) {
	noSIMD()
}
func adamSIMD(w, g, m, v, vhat []float32, b1, b2, eps, alpha float32)  { noSIMD() }
func windowsSIMD(m, x []float32, g ConvGeom, r0, r1 int, add bool)     { noSIMD() }
func axpySIMD(dst []float32, alpha float32, x []float32)               { noSIMD() }
func mulToSIMD(dst, s, t []float32)                                    { noSIMD() }
func maxPoolSIMD(y []float32, argmax []int32, x []float32, g ConvGeom) { noSIMD() }
func softmaxRowsSIMD(y, x []float32, n int)                            { noSIMD() }
func sigmoidSIMD(dst, x []float32)                                     { noSIMD() }
func sigmoidGradSIMD(dst, y, dy []float32)                             { noSIMD() }
func tanhSIMD(dst, x []float32)                                        { noSIMD() }
func tanhGradSIMD(dst, y, dy []float32)                                { noSIMD() }
func logSumExpRowsSIMD(lse []float64, x []float32, n int)              { noSIMD() }
func softmaxXentGradSIMD(d, x, t []float32, lse []float64, n int, a, b float64) {
	noSIMD()
}
