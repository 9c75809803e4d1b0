package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParallelValidationAndProgressEqualOneFit: two replicas trained
// through the doors, the first validating (ParallelValidation) and
// printing (ParallelProgress, verbose 2), end each epoch with the logs of
// one runtime's fit with validation_data and verbose 2 (val_ values
// included, validation_freq 2 honoured by the caller), and print the same
// lines once the times are masked.
func TestParallelValidationAndProgressEqualOneFit(t *testing.T) {
	const n, batch, epochs = 40, 10, 4
	x, y := binaryData(3, n, 100)
	xv, yv := binaryData(4, 15, 100)
	rts, hs := threeReplicas(t, "adam")
	var want, got []string
	hist, err := fit(t, rts[0], hs[0], x, y, `{"epochs": 4, "batch_size": 10, "shuffle": false, "verbose": 2, "validation_freq": 2, "validation_batch_size": 4}`,
		Extras{ValidationX: xv, ValidationY: yv, Print: func(s string) { want = append(want, s) }})
	require.NoError(t, err)

	r0, r1 := rts[1], rts[2]
	size, err := r0.ParallelBegin(hs[1], x, y, nil, batch, 0)
	require.NoError(t, err)
	_, err = r1.ParallelBegin(hs[2], x, y, nil, batch, 1)
	require.NoError(t, err)
	require.NoError(t, r0.ParallelValidation(hs[1], xv, yv, nil, 4))
	assert.ErrorContains(t, r0.ParallelValidation(hs[1], xv, y, nil, 4), "fit: ")
	require.NoError(t, r0.ParallelProgress(hs[1], 2, epochs, func(s string) { got = append(got, s) }))
	sum := make([]float32, size)
	for epoch := range epochs {
		require.NoError(t, r0.ParallelEpochBegin(hs[1], epoch))
		require.NoError(t, r1.ParallelEpochBegin(hs[2], epoch))
		for b := 0; b < n; b += batch {
			stepPair(t, r0, r1, hs[1], hs[2], sum, b, 6, batch)
		}
		validate := (epoch+1)%2 == 0
		logs, names, err := r0.ParallelEpochEnd(hs[1], epoch, validate)
		require.NoError(t, err)
		keys := []string{"loss", "accuracy"}
		if validate {
			keys = append(keys, "val_loss", "val_accuracy")
		}
		assert.Equal(t, keys, names)
		for _, k := range keys {
			h := hist.History[k]
			if strings.HasPrefix(k, "val_") {
				h = []float64{hist.History[k][epoch/2]} // validation_freq 2: epochs 2 and 4
				assert.InDelta(t, h[0], logs[k], parallelTol, "epoch %d %s", epoch, k)
				continue
			}
			assert.InDelta(t, h[epoch], logs[k], parallelTol, "epoch %d %s", epoch, k)
		}
	}
	require.NoError(t, r0.ParallelEnd(hs[1]))
	require.NoError(t, r1.ParallelEnd(hs[2]))
	times := regexp.MustCompile(` - \d+s`)
	mask := func(lines []string) []string {
		out := make([]string, len(lines))
		for i, l := range lines {
			// The values' last digits may differ by the summation order; the layout may not.
			out[i] = regexp.MustCompile(`\d\.\d{4}`).ReplaceAllString(times.ReplaceAllString(l, " - T"), "D.DDDD")
		}
		return out
	}
	assert.Len(t, want, 1+2*epochs)
	assert.Equal(t, mask(want), mask(got))
}
