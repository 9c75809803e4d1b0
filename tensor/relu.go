package tensor

// Relu sets dst[i] = max(x[i], 0), keeping NaN as NaN (TF.js and Keras give
// NaN for relu(NaN), so a diverged model does not hide behind finite
// outputs) and giving +0 for −0. A kept value is copied bit for bit. dst
// may be x. It panics if the lengths differ.
func Relu(dst, x []float32) {
	sameLen("Relu", len(dst), len(x))
	if simdOK {
		reluSIMD(dst, x)
		return
	}
	reluGo(dst, x)
}

func reluGo(dst, x []float32) {
	dst = dst[:len(x)]
	for i, v := range x {
		if v > 0 || v != v {
			dst[i] = v
		} else {
			dst[i] = 0
		}
	}
}

// ReluGrad sets dst[i] = dy[i] where y[i] > 0, else 0: relu's backward,
// where y may be relu's input or its output (both are > 0 at the same
// places; the derivative at 0 is 0, as TensorFlow takes it). dst may be dy.
// It panics if the lengths differ.
func ReluGrad(dst, y, dy []float32) {
	sameLen("ReluGrad", len(dst), len(y), len(dy))
	if simdOK {
		reluGradSIMD(dst, y, dy)
		return
	}
	reluGradGo(dst, y, dy)
}

func reluGradGo(dst, y, dy []float32) {
	y, dy = y[:len(dst)], dy[:len(dst)]
	for i, v := range y {
		if v > 0 {
			dst[i] = dy[i]
		} else {
			dst[i] = 0
		}
	}
}
