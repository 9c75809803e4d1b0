package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTFJSStateDoor: a model's own artifacts with the optimizer restore into
// another compiled model of the same config through the door, giving the
// same artifacts back; a short weight data is refused with the caller's
// prefix and the runtime goes on.
func TestTFJSStateDoor(t *testing.T) {
	rt := NewRuntime()
	compile := `{"optimizer": "adam", "loss": "binary_crossentropy"}`
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, compile, nil))
	js, data, err := rt.SaveTFJS(h, true, false, "BackupAndRestore")
	require.NoError(t, err)
	h2 := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h2, compile, nil))
	_, before, err := rt.SaveTFJS(h2, true, false, "BackupAndRestore")
	require.NoError(t, err)
	require.NotEqual(t, data, before, "another model: other weights")
	require.NoError(t, rt.LoadTFJSState(h2, js, data, "BackupAndRestore"))
	_, data2, err := rt.SaveTFJS(h2, true, false, "BackupAndRestore")
	require.NoError(t, err)
	assert.Equal(t, data, data2)
	err = rt.LoadTFJSState(h2, js, data[:len(data)-4], "BackupAndRestore")
	assert.ErrorContains(t, err, "BackupAndRestore: ")
	_, _, err = rt.SaveTFJS(h2, true, false, "save")
	assert.NoError(t, err)
}
