package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMetricStatesMerge: every registered metric class and a function
// metric is a SummedMetric, and two copies updated on halves of a batch,
// merged by AddState, give the result of one copy updated on the whole
// batch (in another order of summation, hence the tolerance).
func TestMetricStatesMerge(t *testing.T) {
	yTrue := tensor.FromSlice([]float32{1, 0, 1, 1, 0, 0}, 6, 1)
	yPred := tensor.FromSlice([]float32{0.9, 0.3, 0.4, 0.8, 0.6, 0.1}, 6, 1)
	w := []float32{1, 2, 0.5, 1, 3, 1}
	names := append(MetricNames(), "mse", "binary_accuracy")
	merged := 0
	for _, name := range names {
		if name == "MeanMetricWrapper" {
			continue // needs its fn; "mse" below is one
		}
		t.Run(name, func(t *testing.T) {
			whole, a, b := mustMetric(t, name), mustMetric(t, name), mustMetric(t, name)
			sa, ok := a.(SummedMetric)
			require.True(t, ok, "%s does not merge", name)
			if err := whole.Update(yTrue, yPred, w); err != nil {
				t.Skipf("this batch does not fit %s: %v", name, err)
			}
			require.NoError(t, a.Update(yTrue.Rows(0, 2), yPred.Rows(0, 2), w[:2]))
			require.NoError(t, b.Update(yTrue.Rows(2, 6), yPred.Rows(2, 6), w[2:]))
			state := b.(SummedMetric).AppendState(nil)
			require.Len(t, state, sa.StateSize())
			sa.AddState(state)
			assert.InDelta(t, whole.Result(), a.Result(), metricTol)
			merged++
		})
	}
	assert.Greater(t, merged, 10, "too few metrics took the test batch")
	assert.Panics(t, func() { mustMetric(t, "mean").(SummedMetric).AddState([]float64{1}) })
}
