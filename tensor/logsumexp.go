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
