package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func modelName(t *testing.T, rt *Runtime, h int) string {
	t.Helper()
	s, err := rt.Info(h)
	require.NoError(t, err)
	var info struct{ Name string }
	require.NoError(t, json.Unmarshal([]byte(s), &info))
	return info.Name
}

// TestModelsAreNamedAsKerasNamesThem: sequential, sequential_1, ... per
// runtime; a chosen name does not count; ClearSession starts again.
func TestModelsAreNamedAsKerasNamesThem(t *testing.T) {
	rt := NewRuntime()
	var names []string
	for _, cfg := range []string{`{}`, `{"name": null}`, `{"name": "mine"}`, `{}`} {
		h, err := rt.NewModel(cfg)
		require.NoError(t, err)
		names = append(names, modelName(t, rt, h))
	}
	assert.Equal(t, []string{"sequential", "sequential_1", "mine", "sequential_2"}, names)
	other := NewRuntime()
	h, err := other.NewModel(`{}`)
	require.NoError(t, err)
	assert.Equal(t, "sequential", modelName(t, other, h), "each runtime counts its own")
	rt.ClearSession()
	h, err = rt.NewModel(`{}`)
	require.NoError(t, err)
	assert.Equal(t, "sequential", modelName(t, rt, h))
}
