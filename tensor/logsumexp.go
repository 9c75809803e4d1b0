package tensor

import (
	"fmt"
	"math"
)

// LogSumExpRows sets lse[r] = m + log(Σ_k exp(x_k − m)) in float64 for each
// row r of n values of x, m being the row's maximum by math.Max (+Inf
// before NaN, NaN before numbers) and the exps summed in k order: the
// log-sum-exp of the crossentropies from logits. It panics unless n > 0 and
// len(x) == len(lse)·n.
func LogSumExpRows(lse []float64, x []float32, n int) {
	if n <= 0 || len(x) != len(lse)*n {
		panic(fmt.Sprintf("tensor: LogSumExpRows of %d values into %d rows of %d", len(x), len(lse), n))
	}
	if simdOK {
		logSumExpRowsSIMD(lse, x, n)
		return
	}
	logSumExpRowsGo(lse, x, n)
}

func logSumExpRowsGo(lse []float64, x []float32, n int) {
	for r := range lse {
		z := x[r*n : (r+1)*n]
		m := float64(z[0])
		for _, v := range z[1:] {
			m = math.Max(m, float64(v))
		}
		var s float64
		for _, v := range z {
			s += math.Exp(float64(v) - m)
		}
		lse[r] = m + math.Log(s)
	}
}

// SoftmaxCrossentropyGrad writes the gradient of the softmax crossentropy
// with respect to its logits x, rows of n values whose log-sum-exps are lse
// (LogSumExpRows): with targets t, d_j = float32(T·exp(x_j − lse_r) −
// (t_j·a + b)) in float64, where t_j·a + b is the (smoothed) target and T
// their sum over the row in order; with t nil (sparse labels, whose caller
// subtracts the one-hot), d_j = float32(exp(x_j − lse_r)). It panics unless
// n > 0 and d, x (and t) hold len(lse)·n values.
func SoftmaxCrossentropyGrad(d, x, t []float32, lse []float64, n int, a, b float64) {
	if n <= 0 || len(x) != len(lse)*n || len(d) != len(x) || (t != nil && len(t) != len(x)) {
		panic(fmt.Sprintf("tensor: SoftmaxCrossentropyGrad of %d values (%d targets) into %d, %d rows of %d",
			len(x), len(t), len(d), len(lse), n))
	}
	if simdOK {
		softmaxXentGradSIMD(d, x, t, lse, n, a, b)
		return
	}
	softmaxXentGradGo(d, x, t, lse, n, a, b)
}

func softmaxXentGradGo(d, x, t []float32, lse []float64, n int, a, b float64) {
	for r, l := range lse {
		z, dr := x[r*n:(r+1)*n], d[r*n:(r+1)*n]
		if t == nil {
			for j, v := range z {
				dr[j] = float32(math.Exp(float64(v) - l))
			}
			continue
		}
		tr := t[r*n : (r+1)*n]
		var tSum float64
		for _, tv := range tr {
			tSum += float64(tv)*a + b
		}
		for j, v := range z {
			dr[j] = float32(tSum*math.Exp(float64(v)-l) - (float64(tr[j])*a + b))
		}
	}
}
