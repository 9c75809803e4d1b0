package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/sequential"
)

// TestMemoryLimitsFollowTheWasmMemory: the default limit is the 4 GiB of
// wasm32 less what is in use and a margin; Go's soft limit sits above the
// budget and below the 4 GiB.
func TestMemoryLimitsFollowTheWasmMemory(t *testing.T) {
	limit, ceiling := memoryLimits(100 << 20)
	assert.Equal(t, int64(4<<30-100<<20-640<<20), limit)
	assert.Equal(t, int64(4<<30-100<<20-256<<20), ceiling)
	assert.Greater(t, goMemoryLimit(limit), limit)
	assert.Less(t, goMemoryLimit(ceiling), int64(4<<30))
}

// TestRuntimeModelsShareOneBudget: every model of a runtime reserves from
// its one budget; dispose gives a model's memory back, and memory_info
// names who holds what.
func TestRuntimeModelsShareOneBudget(t *testing.T) {
	rt := NewRuntimeWith(sequential.NewBudget(3<<20+200<<10, 4<<20))
	dense := `{"class_name": "Dense", "config": {"units": 256, "input_dim": 256}}`
	var hs []int
	for _, name := range []string{"a", "b"} {
		h, err := rt.NewModel(`{"name": "` + name + `"}`)
		require.NoError(t, err)
		require.NoError(t, rt.Add(h, dense))
		require.NoError(t, rt.Compile(h, `{"optimizer": "adam", "loss": "mse"}`, nil))
		hs = append(hs, h)
	}
	h, err := rt.NewModel(`{"name": "c"}`)
	require.NoError(t, err)
	require.NoError(t, rt.Add(h, dense))
	err = rt.Compile(h, `{"optimizer": "adam", "loss": "mse"}`, nil)
	require.Error(t, err)
	assert.Equal(t, "ResourceExhaustedError", errorName(err))
	assert.Regexp(t, `^compile: out of memory: model "c" would need about 771.0 KiB more .*model "a" 1.3 MiB, model "b" 1.3 MiB`, err.Error())

	var info struct {
		Limit, Current int64
		Holders        []struct{ Name string }
	}
	s, err := rt.MemoryInfo()
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(s), &info))
	assert.Equal(t, int64(3<<20+200<<10), info.Limit)
	assert.Len(t, info.Holders, 3)

	require.NoError(t, rt.Dispose(hs[0]))
	require.NoError(t, rt.Compile(h, `{"optimizer": "adam", "loss": "mse"}`, nil), "after a dispose it fits")

	assert.Error(t, rt.SetMemoryLimit(5<<20), "above the ceiling")
	assert.Error(t, rt.SetMemoryLimit(0.5))
	require.NoError(t, rt.SetMemoryLimit(4<<20))
	assert.Equal(t, int64(4<<20), rt.Budget().Limit())
}

// TestCopiesOfWeightsReserve: get_weights and the saves copy every weight;
// the copies are refused when they would not fit, and released after.
func TestCopiesOfWeightsReserve(t *testing.T) {
	rt := NewRuntimeWith(sequential.NewBudget(1<<20, 0))
	h, err := rt.NewModel(`{}`)
	require.NoError(t, err)
	require.NoError(t, rt.Add(h, `{"class_name": "Dense", "config": {"units": 256, "input_dim": 256}}`))
	_, err = rt.GetWeights(h, -1)
	require.NoError(t, err, "514 KiB of weights and gradients, and a 257 KiB copy fit in 1 MiB")
	_, err = rt.SaveKeras(h, true, "saveKerasBytes")
	require.Error(t, err)
	assert.Equal(t, "ResourceExhaustedError", errorName(err))
	assert.Contains(t, err.Error(), `a copy of the 65792 weights of model "sequential"`)
	_, err = rt.GetWeights(h, -1)
	assert.NoError(t, err, "the refused copy holds nothing")
}
