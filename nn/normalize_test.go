package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// The row-by-row loops of a last-axis plan give what the general loops
// give, for BatchNormalization's plan (groups by column) and
// LayerNormalization's (groups by row).
func TestNormalizeRowsMatchTheGeneralLoops(t *testing.T) {
	in := tensor.Shape{3, 4}
	for name, plan := range map[string]normPlan{
		"batch": newNormPlan(in, []int{1}, []int{1}, true),
		"layer": newNormPlan(in, []int{0}, []int{1}, false),
	} {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, 4, plan.last)
			general := plan
			general.last = 0
			const n = 2
			x, dy, gamma, beta := tensor.New(n, 3, 4), tensor.New(n, 3, 4), make([]float32, 4), make([]float32, 4)
			rng := tensor.NewRNG(1)
			rng.Uniform(x.Data, -2, 2)
			rng.Uniform(dy.Data, -1, 1)
			rng.Uniform(gamma, -1, 1)
			rng.Uniform(beta, -1, 1)
			run := func(p normPlan) (y, dx, dg, db []float32, mean []float64) {
				g := p.totalGroups(n)
				mean, variance, inv, count := make([]float64, g), make([]float64, g), make([]float64, g), make([]float64, g)
				p.moments(x.Data, n, mean, variance, count)
				invStd(inv, variance, 1e-3)
				y, xhat := make([]float32, len(x.Data)), make([]float32, len(x.Data))
				p.normalize(y, xhat, x.Data, n, mean, inv, gamma, beta)
				dx, dg, db = make([]float32, len(x.Data)), make([]float32, 4), make([]float32, 4)
				p.backward(dx, dy.Data, xhat, n, inv, count, gamma, dg, db, true, make([]float64, g), make([]float64, g))
				return
			}
			y1, dx1, dg1, db1, m1 := run(plan)
			y2, dx2, dg2, db2, m2 := run(general)
			assert.InDeltaSlice(t, m2, m1, 1e-9)
			assert.InDeltaSlice(t, toFloat64(y2), toFloat64(y1), 1e-6)
			assert.InDeltaSlice(t, toFloat64(dx2), toFloat64(dx1), 1e-6)
			assert.InDeltaSlice(t, toFloat64(dg2), toFloat64(dg1), 1e-5)
			assert.InDeltaSlice(t, toFloat64(db2), toFloat64(db1), 1e-5)
		})
	}
}
