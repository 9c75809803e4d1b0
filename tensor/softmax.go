package tensor

import (
	"fmt"
	"math"
)

// SoftmaxRows writes into y the softmax of each row of n values of x (y may
// be x), the last-axis softmax of Keras: with m the row's maximum, e_k =
// exp(x_k − m) in float64 and s their sum in k order, y_k = e_k/s, each e_k
// rounded to float32 and then scaled by 1/s. It panics unless len(y) ==
// len(x) and n divides it.
func SoftmaxRows(y, x []float32, n int) {
	if len(y) != len(x) || (n > 0 && len(x)%n != 0) || (n == 0 && len(x) != 0) {
		panic(fmt.Sprintf("tensor: SoftmaxRows of %d values into %d in rows of %d", len(x), len(y), n))
	}
	if n == 0 {
		return
	}
	if simdOK {
		softmaxRowsSIMD(y, x, n)
		return
	}
	softmaxRowsGo(y, x, n)
}

func softmaxRowsGo(y, x []float32, n int) {
	for o := 0; o+n <= len(x); o += n {
		m := x[o]
		for _, v := range x[o+1 : o+n] {
			if v > m {
				m = v
			}
		}
		mf := float64(m)
		var s float64
		for k := o; k < o+n; k++ {
			e := math.Exp(float64(x[k]) - mf)
			y[k] = float32(e)
			s += e
		}
		inv := 1 / s
		for k := o; k < o+n; k++ {
			y[k] = float32(float64(y[k]) * inv)
		}
	}
}
