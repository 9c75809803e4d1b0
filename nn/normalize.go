package nn

import (
	"fmt"
	"math"
	"slices"

	"github.com/keraswasm/keraswasm/tensor"
)

// normPlan is how a normalization layer groups the values of its input:
// which values share a mean and variance (a statistics group) and which
// gamma/beta entry scales each value. BatchNormalization's groups are its
// channels, shared by every sample of the batch; LayerNormalization's are
// per sample (the values of one sample that differ only along the
// normalized axes).
//
// stat[j] and param[j] are the group and the gamma/beta index of value j of
// one sample (row-major over the input shape without the batch).
type normPlan struct {
	stat, param []int
	groups      int  // statistics groups of one sample (BN: the channels)
	perBatch    bool // BN: one set of groups for the whole batch
	params      int  // gamma/beta entries
	// last is the size of the last axis when gamma/beta run along it and
	// the statistics are by column (BN over the last axis) or by row (LN
	// over the last axis), 0 otherwise: the loops then go row by row
	// (normalize_rows.go) instead of through stat and param.
	last int
}

// newNormPlan plans for a sample of shape in: statAxes are the axes (of in)
// that pick a statistics group, paramAxes the axes that pick a gamma/beta
// entry, both sorted.
func newNormPlan(in tensor.Shape, statAxes, paramAxes []int, perBatch bool) normPlan {
	n := in.Size()
	p := normPlan{stat: make([]int, n), param: make([]int, n), perBatch: perBatch}
	p.groups, p.params = 1, 1
	for _, ax := range statAxes {
		p.groups *= in[ax]
	}
	for _, ax := range paramAxes {
		p.params *= in[ax]
	}
	if k := len(in) - 1; k >= 0 && len(paramAxes) == 1 && paramAxes[0] == k {
		if (perBatch && len(statAxes) == 1 && statAxes[0] == k) || (!perBatch && len(statAxes) == k && !slices.Contains(statAxes, k)) {
			p.last = in[k]
		}
	}
	idx := make([]int, len(in))
	for j := 0; j < n; j++ {
		s, q := 0, 0
		for ax, d := range in {
			if slices.Contains(statAxes, ax) {
				s = s*d + idx[ax]
			}
			if slices.Contains(paramAxes, ax) {
				q = q*d + idx[ax]
			}
		}
		p.stat[j], p.param[j] = s, q
		for ax := len(in) - 1; ax >= 0; ax-- { // next index, row-major
			if idx[ax]++; idx[ax] < in[ax] {
				break
			}
			idx[ax] = 0
		}
	}
	return p
}

// totalGroups is the number of statistics groups of a batch of n samples.
func (p *normPlan) totalGroups(n int) int {
	if p.perBatch {
		return p.groups
	}
	return n * p.groups
}

// group returns the statistics group of value j of sample b.
func (p *normPlan) group(b, j int) int {
	if p.perBatch {
		return p.stat[j]
	}
	return b*p.groups + p.stat[j]
}

// moments writes each group's mean and biased variance of x, a batch of n
// samples of len(p.stat) values, accumulating in float64. count[g] gets the
// number of values of group g.
func (p *normPlan) moments(x []float32, n int, mean, variance, count []float64) {
	if p.last > 0 {
		p.momentsRows(x, mean, variance, count)
		return
	}
	clear(mean)
	clear(variance)
	clear(count)
	per := len(p.stat)
	for b := 0; b < n; b++ {
		row := x[b*per : (b+1)*per]
		for j, v := range row {
			g := p.group(b, j)
			mean[g] += float64(v)
			count[g]++
		}
	}
	for g := range mean {
		if count[g] > 0 {
			mean[g] /= count[g]
		}
	}
	for b := 0; b < n; b++ {
		row := x[b*per : (b+1)*per]
		for j, v := range row {
			g := p.group(b, j)
			d := float64(v) - mean[g]
			variance[g] += d * d
		}
	}
	for g := range variance {
		if count[g] > 0 {
			variance[g] /= count[g]
		}
	}
}

// normalize writes xhat = (x − mean)·inv and y = xhat·gamma + beta (gamma
// nil: 1; beta nil: 0), where mean and inv are per group.
func (p *normPlan) normalize(y, xhat, x []float32, n int, mean, inv []float64, gamma, beta []float32) {
	if p.last > 0 {
		p.normalizeRows(y, xhat, x[:n*len(p.stat)], mean, inv, gamma, beta)
		return
	}
	per := len(p.stat)
	for b := 0; b < n; b++ {
		for j := 0; j < per; j++ {
			i := b*per + j
			g, q := p.group(b, j), p.param[j]
			h := float32((float64(x[i]) - mean[g]) * inv[g])
			xhat[i] = h
			if gamma != nil {
				h *= gamma[q]
			}
			if beta != nil {
				h += beta[q]
			}
			y[i] = h
		}
	}
}

// backward accumulates dgamma += Σ dy·xhat and dbeta += Σ dy (either nil
// to skip) and writes dx (nil to skip). With batchStats the mean and
// variance were the batch's own, so dx carries their gradient:
// dx = inv·(dxhat − mean_g(dxhat) − xhat·mean_g(dxhat·xhat)) with
// dxhat = dy·gamma; without, they were constants and dx = dxhat·inv.
// s1 and s2 are scratch of one entry per group.
func (p *normPlan) backward(dx, dy, xhat []float32, n int, inv, count []float64, gamma, dgamma, dbeta []float32, batchStats bool, s1, s2 []float64) {
	if p.last > 0 {
		p.backwardRows(dx, dy[:n*len(p.stat)], xhat, inv, count, gamma, dgamma, dbeta, batchStats, s1, s2)
		return
	}
	per := len(p.stat)
	for b := 0; b < n; b++ {
		for j := 0; j < per; j++ {
			i, q := b*per+j, p.param[j]
			if dgamma != nil {
				dgamma[q] += dy[i] * xhat[i]
			}
			if dbeta != nil {
				dbeta[q] += dy[i]
			}
		}
	}
	if dx == nil {
		return
	}
	dxhat := func(i, q int) float64 {
		if gamma != nil {
			return float64(dy[i]) * float64(gamma[q])
		}
		return float64(dy[i])
	}
	if batchStats {
		clear(s1)
		clear(s2)
		for b := 0; b < n; b++ {
			for j := 0; j < per; j++ {
				i, g := b*per+j, p.group(b, j)
				d := dxhat(i, p.param[j])
				s1[g] += d
				s2[g] += d * float64(xhat[i])
			}
		}
		for g := range s1 {
			if count[g] > 0 {
				s1[g] /= count[g]
				s2[g] /= count[g]
			}
		}
	}
	for b := 0; b < n; b++ {
		for j := 0; j < per; j++ {
			i, g := b*per+j, p.group(b, j)
			d := dxhat(i, p.param[j])
			if batchStats {
				d -= s1[g] + float64(xhat[i])*s2[g]
			}
			dx[i] = float32(d * inv[g])
		}
	}
}

// invStd writes inv[g] = 1/sqrt(variance[g] + epsilon).
func invStd(inv, variance []float64, epsilon float64) {
	for g, v := range variance {
		inv[g] = 1 / math.Sqrt(v+epsilon)
	}
}

// ensure64 returns s with length n, reusing its storage when it can.
func ensure64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// readEpsilon reads a normalization layer's epsilon (Keras's default 1e-3),
// which must be positive.
func readEpsilon(a *Args) float64 {
	e := a.Float("epsilon", 1e-3)
	if !(e > 0) {
		a.Fail("epsilon", e, "a positive number (added to the variance before its square root)")
	}
	return e
}

// readInitializer reads key as an initializer with Keras's default def (for
// the moving statistics, which take no regularizer or constraint).
func readInitializer(a *Args, key, def string) Initializer {
	var spec any = def
	if v, ok := a.Value(key); ok {
		spec = v
	}
	ini, err := GetInitializer(spec)
	if err != nil {
		a.Fail(key, spec, "an initializer such as \""+def+"\" ("+err.Error()+")")
		ini, _ = GetInitializer(def)
	}
	return ini
}

// initParam makes a weight of the given shape with its own flag trainable,
// initialized by ini.
func initParam(owner, name string, ini Initializer, rng *tensor.RNG, trainable bool, shape ...int) (*Param, error) {
	if err := checkWeightSize(owner, name, shape); err != nil {
		return nil, err
	}
	p := NewParam(name, shape...)
	p.Trainable = trainable
	if err := ini.Initialize(p.Value, rng); err != nil {
		return nil, fmt.Errorf("%s: cannot initialize %s of shape %v: %w", owner, name, p.Value.Shape, err)
	}
	return p, nil
}
