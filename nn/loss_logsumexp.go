package nn

import "github.com/keraswasm/keraswasm/tensor"

// laneLSE holds the log-sum-exp of every lane (the n values along the last
// axis) of a batch of logits, computed in one tensor.LogSumExpRows call
// (the SIMD module's in the browser build) for the softmax crossentropies
// from logits, which then read them lane by lane in order. Its buffer is
// reused from batch to batch.
type laneLSE struct {
	buf []float64
	at  int
}

// of computes the lanes' log-sum-exps of logits and returns l, positioned
// at the first lane. Logits with an empty last axis have no lanes.
func (l *laneLSE) of(logits *tensor.Tensor) *laneLSE {
	l.at = 0
	n := logits.Dim(-1)
	if n == 0 {
		l.buf = l.buf[:0]
		return l
	}
	k := len(logits.Data) / n
	if cap(l.buf) < k {
		l.buf = make([]float64, k)
	}
	l.buf = l.buf[:k]
	tensor.LogSumExpRows(l.buf, logits.Data, n)
	return l
}

// next returns the next lane's log-sum-exp.
func (l *laneLSE) next() float64 {
	v := l.buf[l.at]
	l.at++
	return v
}

// scaleLanes divides d, the gradient of yPred, by the lanes per sample: the
// mean over lanes of laneForward (as laneBackward does).
func scaleLanes(d []float32, yPred *tensor.Tensor) {
	_, per := lossRows(yPred)
	n := yPred.Dim(-1)
	if n == 0 || per/n <= 1 {
		return
	}
	inv := float32(1 / float64(per/n))
	for j := range d {
		d[j] *= inv
	}
}
