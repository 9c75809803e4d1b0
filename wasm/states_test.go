package main

import (
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestResetStatesDoor: reset_states of the model (-1) and of one layer;
// a layer without states gives TypeError with the method's prefix.
func TestResetStatesDoor(t *testing.T) {
	rt := NewRuntime()
	h, err := rt.NewModel("{}")
	require.NoError(t, err)
	require.NoError(t, rt.Add(h, `{"class_name": "LSTM", "config": {"units": 2, "stateful": true, "batch_input_shape": [1, 3, 2]}}`))
	require.NoError(t, rt.Add(h, `{"class_name": "Dense", "config": {"units": 1}}`))
	require.NoError(t, rt.ResetStates(h, -1))
	require.NoError(t, rt.ResetStates(h, 0))
	err = rt.ResetStates(h, 1)
	require.Error(t, err)
	assert.Equal(t, nn.TypeError, nn.ErrorClass(err))
	assert.Contains(t, err.Error(), "reset_states: ")
	assert.Contains(t, err.Error(), `layer "dense" (Dense) has no states to reset`)
	require.Error(t, rt.ResetStates(h, 7))
}
