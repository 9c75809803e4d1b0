package sequential

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHugeBatchSizeAndSteps: a batch_size or steps near the largest int
// means "all the data", as a batch_size above the number of samples does;
// the step counts ⌈n/batch_size⌉ once overflowed, so fit ran no batch and
// logged a loss of 0, and evaluate returned 0.
func TestHugeBatchSizeAndSteps(t *testing.T) {
	x, y := randomClasses(5, 3, 2, 1)
	mk := func() *Model {
		m, err := NewWithLayers("", 1, dense(t, 2, map[string]any{"input_dim": 3}))
		require.NoError(t, err)
		require.NoError(t, m.Compile(CompileOptions{Loss: "mse", Optimizer: "sgd"}))
		return m
	}
	huge, whole := mk(), mk()
	for _, o := range []struct {
		m  *Model
		bs int
	}{{huge, math.MaxInt}, {whole, 5}} {
		h, err := o.m.Fit(x, y, FitOptions{Epochs: 2, BatchSize: o.bs, ValidationSplit: 0.4, ValidationBatchSize: o.bs})
		require.NoError(t, err)
		assert.Greater(t, h.History["loss"][0], 0.0)
		assert.Greater(t, h.History["val_loss"][0], 0.0)
	}
	assert.Equal(t, whole.History().History, huge.History().History)
	a, err := huge.Evaluate(x, y, EvaluateOptions{BatchSize: math.MaxInt})
	require.NoError(t, err)
	b, err := whole.Evaluate(x, y, EvaluateOptions{BatchSize: 5})
	require.NoError(t, err)
	assert.Equal(t, b, a)
	p, err := huge.PredictWith(x, PredictOptions{BatchSize: 2, Steps: math.MaxInt/2 + 1})
	require.NoError(t, err)
	assert.Equal(t, 5, p.Shape[0], "steps beyond the data predict all of it")
}
