//go:build js && wasm && !nosimd

package tensor

import "unsafe"

// The wasm build runs the element-wise kernels of a training step (relu and
// its gradient, bias add and bias gradient, the finite scan, the SGD,
// RMSprop and Adam updates, Add, Axpy and MulTo, max pooling, the last-axis softmax, sigmoid and tanh and their gradients (wasm/simd/smooth.wat), the im2col and col2im copies of unpadded
// convolutions) in the SIMD module beside the GEMM kernels
// (wasm/simd/elementwise.wat, wasm/simd/optimizers.wat), one crossing per
// whole tensor. Go compiles these loops to scalar wasm (0.2–1 G values/s);
// f32x4 does four values per instruction with the same IEEE operations in
// the same order, so the results are the Go kernels' bit for bit
// (simd_ew_test.go). Each exported kernel (Relu, AddRowVector, RMSprop, …)
// picks the SIMD or the Go loop in one place, on simdOK.

// simdOK reports whether the host gave the SIMD module's element-wise
// kernels: js/simd.mjs answers 0 when the engine has no wasm SIMD and its JS
// fallback serves GEMM only, and the Go loops run instead.
var simdOK = simdElementwise() != 0

//go:wasmimport keraswasm_simd elementwise
func simdElementwise() int32

// The imports below take byte offsets into Go's memory and counts; they
// read and write only the n values from each pointer, keep no pointer, and
// no Go code runs while they do. The Go wrappers check the lengths first.

//go:wasmimport keraswasm_simd relu
//go:noescape
func simdRelu(dst, x unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd relu_grad
//go:noescape
func simdReluGrad(dst, y, dy unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd add_rows
//go:noescape
func simdAddRows(y, b unsafe.Pointer, rows, c int32)

//go:wasmimport keraswasm_simd sum_rows_f64
//go:noescape
func simdSumRowsF64(acc, x unsafe.Pointer, rows, w, ldx int32)

//go:wasmimport keraswasm_simd first_nonfinite
//go:noescape
func simdFirstNonFinite(x unsafe.Pointer, n int32) int32

//go:wasmimport keraswasm_simd sgd_momentum
//go:noescape
func simdSGDMomentum(w, g, v unsafe.Pointer, n int32, lr, mu float32, nesterov int32)

//go:wasmimport keraswasm_simd rmsprop
//go:noescape
func simdRMSprop(w, g, v, mom, avg unsafe.Pointer, n int32, lr, rho, eps, mu float32, flags int32)

//go:wasmimport keraswasm_simd adam
//go:noescape
func simdAdam(w, g, m, v, vhat unsafe.Pointer, n int32, b1, b2, eps, alpha float32, amsgrad int32)

func ptr32(s []float32) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(s)) }

func reluSIMD(dst, x []float32) { simdRelu(ptr32(dst), ptr32(x), int32(len(dst))) }

func reluGradSIMD(dst, y, dy []float32) {
	simdReluGrad(ptr32(dst), ptr32(y), ptr32(dy), int32(len(dst)))
}

func addRowVectorSIMD(y, b []float32) {
	simdAddRows(ptr32(y), ptr32(b), int32(len(y)/len(b)), int32(len(b)))
}

// sumRowsFloat64SIMD adds the column sums of the (rows, w) block of x with
// leading dimension ldx into acc (w values).
func sumRowsFloat64SIMD(acc []float64, x []float32, rows, ldx int) {
	simdSumRowsF64(unsafe.Pointer(unsafe.SliceData(acc)), ptr32(x), int32(rows), int32(len(acc)), int32(ldx))
}

func firstNonFiniteSIMD(x []float32) int { return int(simdFirstNonFinite(ptr32(x), int32(len(x)))) }

func sgdMomentumSIMD(w, g, v []float32, lr, mu float32, nesterov bool) {
	simdSGDMomentum(ptr32(w), ptr32(g), ptr32(v), int32(len(w)), lr, mu, boolInt32(nesterov))
}

func rmspropSIMD(w, g, v, mom, avg []float32, lr, rho, eps, mu float32) {
	flags := int32(0)
	if mom != nil {
		flags |= 1
	}
	if avg != nil {
		flags |= 2
	}
	simdRMSprop(ptr32(w), ptr32(g), ptr32(v), ptr32(mom), ptr32(avg), int32(len(w)), lr, rho, eps, mu, flags)
}

func adamSIMD(w, g, m, v, vhat []float32, b1, b2, eps, alpha float32) {
	simdAdam(ptr32(w), ptr32(g), ptr32(m), ptr32(v), ptr32(vhat), int32(len(w)), b1, b2, eps, alpha, boolInt32(vhat != nil))
}

//go:wasmimport keraswasm_simd im2col_inside
//go:noescape
func simdIm2ColInside(dst, x unsafe.Pointer, rows, n, oh, ow, oH, oW, kH, run, img, shs, dhs, sws int32)

//go:wasmimport keraswasm_simd col2im_inside
//go:noescape
func simdCol2ImInside(dx, cols unsafe.Pointer, rows, n, oh, ow, oH, oW, kH, run, img, shs, dhs, sws int32)

// windowsSIMD is Im2ColRows (add false: rows ← image) or Col2ImRows (add
// true: image += rows) over rows [r0, r1) of m, for a geometry whose
// windows all lie inside the image with an undilated width; the caller has
// checked the lengths of m and x against g.
func windowsSIMD(m, x []float32, g ConvGeom, r0, r1 int, add bool) {
	n, oh, ow := g.rowPosition(r0)
	ld := g.W * g.C
	rows, run, img, shs, dhs, sws := int32(r1-r0), int32(g.KW*g.C), int32(g.H*ld), int32(g.SH*ld), int32(g.DH*ld), int32(g.SW*g.C)
	if add {
		simdCol2ImInside(ptr32(x), ptr32(m), rows, int32(n), int32(oh), int32(ow), int32(g.OH), int32(g.OW), int32(g.KH), run, img, shs, dhs, sws)
		return
	}
	simdIm2ColInside(ptr32(m), ptr32(x), rows, int32(n), int32(oh), int32(ow), int32(g.OH), int32(g.OW), int32(g.KH), run, img, shs, dhs, sws)
}

//go:wasmimport keraswasm_simd axpy
//go:noescape
func simdAxpy(dst, x unsafe.Pointer, n int32, alpha float32)

//go:wasmimport keraswasm_simd mul_to
//go:noescape
func simdMulTo(dst, s, t unsafe.Pointer, n int32)

func axpySIMD(dst []float32, alpha float32, x []float32) {
	simdAxpy(ptr32(dst), ptr32(x), int32(len(dst)), alpha)
}

func mulToSIMD(dst, s, t []float32) { simdMulTo(ptr32(dst), ptr32(s), ptr32(t), int32(len(dst))) }

//go:wasmimport keraswasm_simd maxpool
//go:noescape
func simdMaxPool(y, argmax, x, geom unsafe.Pointer)

// maxPoolSIMD is MaxPool in the SIMD module; the geometry goes as 16 int32s
// (N H W C OH OW KH KW SH SW DH DW PadTop PadLeft, then two unused).
func maxPoolSIMD(y []float32, argmax []int32, x []float32, g ConvGeom) {
	geom := [16]int32{int32(g.N), int32(g.H), int32(g.W), int32(g.C), int32(g.OH), int32(g.OW), int32(g.KH), int32(g.KW),
		int32(g.SH), int32(g.SW), int32(g.DH), int32(g.DW), int32(g.PadTop), int32(g.PadLeft)}
	simdMaxPool(ptr32(y), unsafe.Pointer(unsafe.SliceData(argmax)), ptr32(x), unsafe.Pointer(&geom))
}

//go:wasmimport keraswasm_simd softmax_rows
//go:noescape
func simdSoftmaxRows(y, x unsafe.Pointer, rows, n int32)

//go:wasmimport keraswasm_simd exp_f64
//go:noescape
func simdExpF64(dst, x unsafe.Pointer, n int32)

func softmaxRowsSIMD(y, x []float32, n int) {
	simdSoftmaxRows(ptr32(y), ptr32(x), int32(len(x)/n), int32(n))
}

// expSIMD sets dst[i] = math.Exp(x[i]) with the SIMD module's port of Go's
// exp (wasm/simd/softmax.wat), for the test that they agree.
func expSIMD(dst, x []float64) {
	simdExpF64(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(x)), int32(len(x)))
}

//go:wasmimport keraswasm_simd sigmoid
//go:noescape
func simdSigmoid(dst, x unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd sigmoid_grad
//go:noescape
func simdSigmoidGrad(dst, y, dy unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd tanh
//go:noescape
func simdTanh(dst, x unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd tanh_grad
//go:noescape
func simdTanhGrad(dst, y, dy unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd exp2_f64
//go:noescape
func simdExp2F64(dst, x unsafe.Pointer, n int32)

func sigmoidSIMD(dst, x []float32) { simdSigmoid(ptr32(dst), ptr32(x), int32(len(dst))) }

func sigmoidGradSIMD(dst, y, dy []float32) {
	simdSigmoidGrad(ptr32(dst), ptr32(y), ptr32(dy), int32(len(dst)))
}

func tanhSIMD(dst, x []float32) { simdTanh(ptr32(dst), ptr32(x), int32(len(dst))) }

func tanhGradSIMD(dst, y, dy []float32) {
	simdTanhGrad(ptr32(dst), ptr32(y), ptr32(dy), int32(len(dst)))
}

//go:wasmimport keraswasm_simd tanh2_f64
//go:noescape
func simdTanh2F64(dst, x unsafe.Pointer, n int32)

//go:wasmimport keraswasm_simd sigmoid2_f64
//go:noescape
func simdSigmoid2F64(dst, x unsafe.Pointer, n int32)

// map2SIMD is dst[i] = f(x[i]) in float64 for f one of the SIMD module's
// two-lane functions ("exp": math.Exp, "tanh": math.Tanh, "sigmoid":
// Sigmoid64), for the tests that they agree with Go's; len(x) must be even.
func map2SIMD(f string, dst, x []float64) {
	d, s, n := unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(x)), int32(len(x))
	switch f {
	case "exp":
		simdExp2F64(d, s, n)
	case "tanh":
		simdTanh2F64(d, s, n)
	case "sigmoid":
		simdSigmoid2F64(d, s, n)
	default:
		panic("tensor: map2SIMD of " + f)
	}
}

//go:wasmimport keraswasm_simd logsumexp_rows
//go:noescape
func simdLogSumExpRows(lse, x unsafe.Pointer, rows, n int32)

//go:wasmimport keraswasm_simd log_f64
//go:noescape
func simdLogF64(dst, x unsafe.Pointer, n int32)

func logSumExpRowsSIMD(lse []float64, x []float32, n int) {
	simdLogSumExpRows(unsafe.Pointer(unsafe.SliceData(lse)), ptr32(x), int32(len(lse)), int32(n))
}

// logSIMD sets dst[i] = math.Log(x[i]) with the SIMD module's port of Go's
// log (wasm/simd/logsumexp.wat), for the test that they agree.
func logSIMD(dst, x []float64) {
	simdLogF64(unsafe.Pointer(unsafe.SliceData(dst)), unsafe.Pointer(unsafe.SliceData(x)), int32(len(x)))
}

//go:wasmimport keraswasm_simd softmax_xent_grad
//go:noescape
func simdSoftmaxXentGrad(d, x, t, lse unsafe.Pointer, rows, n int32, a, b float64)

func softmaxXentGradSIMD(d, x, t []float32, lse []float64, n int, a, b float64) {
	tp := unsafe.Pointer(nil)
	if t != nil {
		tp = ptr32(t)
	}
	simdSoftmaxXentGrad(ptr32(d), ptr32(x), tp, unsafe.Pointer(unsafe.SliceData(lse)), int32(len(lse)), int32(n), a, b)
}
