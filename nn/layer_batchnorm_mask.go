package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// maskEpsilon is Keras's backend.epsilon(), added to the count of unmasked
// values in BatchNormalization's masked moments.
const maskEpsilon = 1e-7

// SetMask gives the next Forward its input's mask: one entry per (row, step),
// true where the step is real. In training the batch's mean and variance are
// then taken over the real steps only, as Keras 3's
// BatchNormalization._moments does: mean = Σ_real x / (n_real + ε),
// variance = Σ_real (x − mean)² / (n_real + ε), ε = 1e-7; every value,
// masked or not, is normalized with them, and the moving statistics move
// toward them. At inference the mask changes nothing. The mask is passed on.
// Keras: keras/src/layers/normalization/batch_normalization.py (_moments).
//
// Porting note: TF.js 4.22's BatchNormalization ignores the mask (its
// moments take every step); keraswasm follows Keras 3.
func (l *BatchNormalization) SetMask(mask []bool) { l.mask = mask }

// maskStride returns how many values of x each mask entry covers (the size
// of the last axis) and records it for Backward. It panics if the mask does
// not have one entry per position of x's other axes.
func (l *BatchNormalization) maskStride(x *tensor.Tensor) int {
	k := x.Shape[len(x.Shape)-1]
	if k == 0 || len(l.mask)*k != x.Size() {
		panic(fmt.Sprintf("nn: BatchNormalization.Forward: a mask of %d entries for input %v", len(l.mask), x.Shape))
	}
	l.stride = k
	return k
}

// maskedMoments writes each group's mean and variance over the values whose
// mask entry (keep[i/stride], i the value's index in x) is true, divided by
// the count of those values plus maskEpsilon, which goes to count[g].
func (p *normPlan) maskedMoments(x []float32, n int, keep []bool, stride int, mean, variance, count []float64) {
	clear(mean)
	clear(variance)
	clear(count)
	per := len(p.stat)
	for i, v := range x[:n*per] {
		if keep[i/stride] {
			g := p.group(i/per, i%per)
			mean[g] += float64(v)
			count[g]++
		}
	}
	for g := range mean {
		count[g] += maskEpsilon
		mean[g] /= count[g]
	}
	for i, v := range x[:n*per] {
		if keep[i/stride] {
			g := p.group(i/per, i%per)
			d := float64(v) - mean[g]
			variance[g] += d * d
		}
	}
	for g := range variance {
		variance[g] /= count[g]
	}
}

// maskedBackward is backward's batch-statistics case for maskedMoments'
// statistics. With w_i = keep[i/stride], W = count[g] (Σ w + ε), S1 = Σ
// dxhat and S2 = Σ dxhat·xhat over the whole group (every value was
// normalized), the gradient of the mean and variance reaches only the real
// values:
//
//	dx_i = inv·dxhat_i − w_i·inv·(S1 + xhat_i·S2)/W + w_i·inv²·S2·mean·ε/W²
//
// the last term from the variance's dependence on the mean, which the ε in W
// leaves (Σ w·(x − mean) = mean·ε).
func (p *normPlan) maskedBackward(dx, dy, xhat []float32, n int, keep []bool, stride int, mean, inv, count []float64,
	gamma, dgamma, dbeta []float32, s1, s2 []float64) {
	per := len(p.stat)
	for i := range dy[:n*per] {
		q := p.param[i%per]
		if dgamma != nil {
			dgamma[q] += dy[i] * xhat[i]
		}
		if dbeta != nil {
			dbeta[q] += dy[i]
		}
	}
	if dx == nil {
		return
	}
	dxhat := func(i int) float64 {
		if gamma != nil {
			return float64(dy[i]) * float64(gamma[p.param[i%per]])
		}
		return float64(dy[i])
	}
	clear(s1)
	clear(s2)
	for i := range dy[:n*per] {
		g, d := p.group(i/per, i%per), dxhat(i)
		s1[g] += d
		s2[g] += d * float64(xhat[i])
	}
	for i := range dy[:n*per] {
		g := p.group(i/per, i%per)
		d := dxhat(i) * inv[g]
		if keep[i/stride] {
			W := count[g]
			d += -inv[g]*(s1[g]+float64(xhat[i])*s2[g])/W + inv[g]*inv[g]*s2[g]*mean[g]*maskEpsilon/(W*W)
		}
		dx[i] = float32(d)
	}
}
