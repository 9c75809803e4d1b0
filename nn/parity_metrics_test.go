package nn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/nn"
)

// metricFixture is testdata/parity/metrics.json: two batches per case and
// TF.js's metric over both together.
type metricFixture struct {
	parity.Header
	Cases []struct {
		Name, Metric, TFJS string
		Batches            []struct {
			YTrue parity.Tensor `json:"y_true"`
			YPred parity.Tensor `json:"y_pred"`
		}
		Value parity.Tensor
	}
}

// TestParityMetrics updates each Keras metric with the batches one by one
// and compares its Result with TF.js's value over all of them.
func TestParityMetrics(t *testing.T) {
	var f metricFixture
	parity.Load(t, "metrics", &f)
	require.NotEmpty(t, f.Cases)
	src, tally := f.Source(), parity.Tally{}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			m, err := nn.GetMetric(c.Metric)
			require.NoError(t, err)
			for _, b := range c.Batches {
				require.NoError(t, m.Update(b.YTrue.Tensor(), b.YPred.Tensor(), nil))
			}
			tally.Add("value", parity.Check(t, c.Name, src+" "+c.TFJS, []float32{float32(m.Result())}, c.Value, parity.Value))
		})
	}
	tally.Log(t, src)
}
