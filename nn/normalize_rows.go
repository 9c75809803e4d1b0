package nn

// The row-by-row loops of normPlan for a last-axis normalization (p.last
// > 0): the values are rows of p.last, gamma and beta run along each row,
// and the statistics group of value c of row r is c (BatchNormalization:
// by column, shared by the batch) or r (LayerNormalization: by row). They
// compute what the general loops of normalize.go compute, without the
// per-value index lookups.

// rowGroup returns the group of value c of row r.
func (p *normPlan) rowGroup(r, c int) int {
	if p.perBatch {
		return c
	}
	return r
}

func (p *normPlan) momentsRows(x []float32, mean, variance, count []float64) {
	clear(mean)
	clear(variance)
	clear(count)
	k := p.last
	rows := len(x) / k
	for r := 0; r < rows; r++ {
		row := x[r*k : (r+1)*k]
		if p.perBatch {
			for c, v := range row {
				mean[c] += float64(v)
			}
			continue
		}
		var s float64
		for _, v := range row {
			s += float64(v)
		}
		mean[r] = s
	}
	for g := range mean {
		count[g] = float64(k)
		if p.perBatch {
			count[g] = float64(rows)
		}
		if count[g] > 0 {
			mean[g] /= count[g]
		}
	}
	for r := 0; r < rows; r++ {
		row := x[r*k : (r+1)*k]
		for c, v := range row {
			g := p.rowGroup(r, c)
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

func (p *normPlan) normalizeRows(y, xhat, x []float32, mean, inv []float64, gamma, beta []float32) {
	k := p.last
	for r := 0; r < len(x)/k; r++ {
		o := r * k
		for c, v := range x[o : o+k] {
			g := p.rowGroup(r, c)
			h := float32((float64(v) - mean[g]) * inv[g])
			xhat[o+c] = h
			if gamma != nil {
				h *= gamma[c]
			}
			if beta != nil {
				h += beta[c]
			}
			y[o+c] = h
		}
	}
}

func (p *normPlan) backwardRows(dx, dy, xhat []float32, inv, count []float64, gamma, dgamma, dbeta []float32, batchStats bool, s1, s2 []float64) {
	k := p.last
	rows := len(dy) / k
	for r := 0; r < rows; r++ {
		o := r * k
		for c, d := range dy[o : o+k] {
			if dgamma != nil {
				dgamma[c] += d * xhat[o+c]
			}
			if dbeta != nil {
				dbeta[c] += d
			}
		}
	}
	if dx == nil {
		return
	}
	dxhat := func(i, c int) float64 {
		if gamma != nil {
			return float64(dy[i]) * float64(gamma[c])
		}
		return float64(dy[i])
	}
	if batchStats {
		clear(s1)
		clear(s2)
		for r := 0; r < rows; r++ {
			for c := 0; c < k; c++ {
				i, g := r*k+c, p.rowGroup(r, c)
				d := dxhat(i, c)
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
	for r := 0; r < rows; r++ {
		for c := 0; c < k; c++ {
			i, g := r*k+c, p.rowGroup(r, c)
			d := dxhat(i, c)
			if batchStats {
				d -= s1[g] + float64(xhat[i])*s2[g]
			}
			dx[i] = float32(d * inv[g])
		}
	}
}
