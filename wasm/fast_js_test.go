//go:build js && wasm

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFastPredictOnBatchSaysWhatIsMissing: with no x staged, the fast
// path's error says so in words (it printed "x: <nil>"), and a staged x
// predicts.
func TestFastPredictOnBatchSaysWhatIsMissing(t *testing.T) {
	rt := NewRuntime()
	prev := fastRT
	fastRT = rt
	defer func() { fastRT = prev }()
	h := seedBinaryModel(t, rt)

	kwSetRank(0, -1)
	require.Equal(t, int32(-1), kwPredictOnBatch(int32(h)))
	require.Error(t, fastErr)
	assert.Equal(t, "predict_on_batch: x is missing: pass the batch of inputs, model.predict_on_batch(x)", fastErr.Error())
	assert.NotContains(t, fastErr.Error(), "<nil>")

	kwStage(0, 2*100)
	stageShape[0], stageShape[1] = 2, 100
	kwSetRank(0, 2)
	require.Equal(t, int32(2), kwPredictOnBatch(int32(h)), fastErr)
	assert.Equal(t, []int32{2, 1}, stageShape[:2], "the output's shape: (2, 1)")
}
