package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parallelTol is sequential's: float32 sums over a batch grouped by slice.
const parallelTol = 2e-5

// TestParallelDoorsEqualOneFit: two runtimes, each with a replica of the
// same model and weights, trained through the doors on 7 and 3 samples of
// every batch of 10, end with the same weights and logs as one runtime's
// fit on the whole batches (shuffle off); and the model is refused to
// changes while the run lasts.
func TestParallelDoorsEqualOneFit(t *testing.T) {
	const n, batch, epochs = 40, 10, 3
	x, y := binaryData(3, n, 100)
	rts, hs := threeReplicas(t, "rmsprop")
	hist, err := fit(t, rts[0], hs[0], x, y, `{"epochs": 3, "batch_size": 10, "shuffle": false, "verbose": 0}`, Extras{})
	require.NoError(t, err)

	r0, r1 := rts[1], rts[2]
	size, err := r0.ParallelBegin(hs[1], x, y, nil, batch, 0)
	require.NoError(t, err)
	_, err = r1.ParallelBegin(hs[2], x, y, nil, batch, 1)
	require.NoError(t, err)
	assert.Equal(t, 32*100+32+32+1, size)
	assert.ErrorContains(t, r0.Add(hs[1], `{"class_name": "Dense", "config": {"units": 1}}`), "the model is training")
	_, err = r0.ParallelBegin(hs[1], x, y, nil, batch, 0)
	assert.ErrorContains(t, err, "already training")

	sum := make([]float32, size)
	for epoch := range epochs {
		require.NoError(t, r0.ParallelEpochBegin(hs[1], epoch))
		require.NoError(t, r1.ParallelEpochBegin(hs[2], epoch))
		var logs map[string]float64 // after the epoch's last batch: the epoch's logs
		for b := 0; b < n; b += batch {
			var names []string
			logs, names = stepPair(t, r0, r1, hs[1], hs[2], sum, b, 7, batch)
			assert.Equal(t, []string{"loss", "accuracy"}, names)
		}
		for _, k := range []string{"loss", "accuracy"} {
			assert.InDelta(t, hist.History[k][epoch], logs[k], parallelTol, "epoch %d %s", epoch, k)
		}
	}
	_, _, _, err = r0.ParallelApply(hs[1], sum, 0, 0, nil)
	assert.ErrorContains(t, err, "fit: a batch of 0 samples")
	_, _, _, err = r0.ParallelApply(hs[1], sum[:5], 0, batch, nil)
	assert.ErrorContains(t, err, "fit: gradient buffer of 5 values")
	w0, err := r0.GetWeights(hs[1], -1)
	require.NoError(t, err)
	w1, err := r1.GetWeights(hs[2], -1)
	require.NoError(t, err)
	whole, err := rts[0].GetWeights(hs[0], -1)
	require.NoError(t, err)
	for i := range whole {
		assert.Equal(t, w0[i].Data, w1[i].Data, "replicas' weight %d", i)
		assert.InDeltaSlice(t, whole[i].Data, w0[i].Data, parallelTol, "weight %d", i)
	}
	require.NoError(t, r0.ParallelEnd(hs[1]))
	require.NoError(t, r0.ParallelEnd(hs[1]), "ending twice is harmless")
	_, _, _, err = r0.ParallelCompute(hs[1], []int{0}, batch, false)
	assert.ErrorContains(t, err, "no data-parallel fit is running")
	require.NoError(t, r0.Add(hs[1], `{"class_name": "Dense", "config": {"units": 1}}`), "usable again after the run")
	require.NoError(t, r1.ParallelEnd(hs[2]))
}

// threeReplicas makes three runtimes, each with the seeded binary model
// compiled with optimizer (binary crossentropy, accuracy) and runtime 0's
// weights: one for a whole fit, two for the replicas of a parallel run.
func threeReplicas(t *testing.T, optimizer string) ([]*Runtime, []int) {
	t.Helper()
	rts := []*Runtime{NewRuntime(), NewRuntime(), NewRuntime()}
	hs := make([]int, 3)
	for i, rt := range rts {
		hs[i] = seedBinaryModel(t, rt)
		require.NoError(t, rt.Compile(hs[i], `{"optimizer": "`+optimizer+`", "loss": "binary_crossentropy", "metrics": ["accuracy"]}`, nil))
	}
	ws, err := rts[0].GetWeights(hs[0], -1)
	require.NoError(t, err)
	for i := 1; i < 3; i++ {
		require.NoError(t, rts[i].SetWeights(hs[i], -1, ws))
	}
	return rts, hs
}

// stepPair trains one batch of samples b … b+batch−1 (in order) on two
// replicas through the doors, the first taking cut of them: both compute,
// the gradients are added into sum, and both apply it. It returns the
// first replica's logs and their names.
func stepPair(t *testing.T, r0, r1 *Runtime, h0, h1 int, sum []float32, b, cut, batch int) (map[string]float64, []string) {
	t.Helper()
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = b + i
	}
	g0, l0, _, err := r0.ParallelCompute(h0, idx[:cut], batch, false)
	require.NoError(t, err)
	copy(sum, g0)
	g1, l1, s1, err := r1.ParallelCompute(h1, idx[cut:], batch, true)
	require.NoError(t, err)
	for i := range sum {
		sum[i] += g1[i]
	}
	_, logs, names, err := r0.ParallelApply(h0, sum, l0+l1, batch, s1)
	require.NoError(t, err)
	_, _, _, err = r1.ParallelApply(h1, sum, l0+l1, batch, nil)
	require.NoError(t, err)
	return logs, names
}
