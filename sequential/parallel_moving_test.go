package sequential

import (
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParallelBatchNormIsPerReplica: with momentum 0 a BatchNormalization
// in front keeps the last batch statistics it saw. Two replicas computing
// halves of a batch of 8 hold their halves' statistics; their average is
// MirroredStrategy's read of the moving statistics: the whole batch's mean
// (equal halves), and the mean of the halves' (biased) variances, written
// here from the data. SetMovingStatistics puts the average back.
func TestParallelBatchNormIsPerReplica(t *testing.T) {
	x, y := randomClasses(8, 3, 2, 5)
	replica := func(r int) (*Model, *Parallel) {
		bn, err := nn.NewBatchNormalization(map[string]any{"momentum": 0.0, "input_shape": []any{3.0}})
		require.NoError(t, err)
		m, err := NewWithLayers("", 1, bn, dense(t, 2, map[string]any{"activation": "softmax"}))
		require.NoError(t, err)
		require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
		p, err := m.BeginParallel(x, y, nil, 8, r)
		require.NoError(t, err)
		return m, p
	}
	m0, p0 := replica(0)
	defer p0.End()
	_, p1 := replica(1)
	defer p1.End()
	assert.Len(t, p0.MovingStatistics(nil), 6, "moving_mean and moving_variance of 3 features")
	g := make([]float32, p0.GradientSize())
	_, err := p0.Compute(g, []int{0, 1, 2, 3}, 8)
	require.NoError(t, err)
	_, err = p1.Compute(g, []int{4, 5, 6, 7}, 8)
	require.NoError(t, err)
	a, b := p0.MovingStatistics(nil), p1.MovingStatistics(nil)
	avg := make([]float32, len(a))
	for i := range a {
		avg[i] = float32((float64(a[i]) + float64(b[i])) / 2)
	}
	stats := func(rows []int, f int) (mean, variance float64) {
		for _, r := range rows {
			mean += float64(x.Data[r*3+f])
		}
		mean /= float64(len(rows))
		for _, r := range rows {
			d := float64(x.Data[r*3+f]) - mean
			variance += d * d
		}
		return mean, variance / float64(len(rows))
	}
	for f := range 3 {
		whole, _ := stats([]int{0, 1, 2, 3, 4, 5, 6, 7}, f)
		_, v0 := stats([]int{0, 1, 2, 3}, f)
		_, v1 := stats([]int{4, 5, 6, 7}, f)
		assert.InDelta(t, whole, avg[f], 1e-6, "moving_mean[%d]", f)
		assert.InDelta(t, (v0+v1)/2, avg[3+f], 1e-6, "moving_variance[%d]", f)
	}
	require.NoError(t, p0.SetMovingStatistics(avg))
	w := m0.GetWeights()
	assert.Equal(t, avg[:3], w[2].Data, "moving_mean in get_weights order")
	assert.Equal(t, avg[3:], w[3].Data)
	assert.ErrorContains(t, p0.SetMovingStatistics(avg[:2]), "moving statistics of 2 values: expected 6")
}
