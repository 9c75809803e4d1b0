package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuildAndSetTrainable(t *testing.T) {
	rt := NewRuntime()
	h, err := rt.NewModel(`{"name": null}`)
	require.NoError(t, err)
	require.NoError(t, rt.Add(h, `{"class_name": "Dense", "config": {"units": 2}}`))
	err = rt.Build(h, `{}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "build: ")
	assert.Contains(t, err.Error(), "build([null, 784])")
	err = rt.Build(h, `{"input_shape": [null, 0]}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "input_shape")
	require.NoError(t, rt.Build(h, `{"input_shape": [null, 5]}`))
	require.NoError(t, rt.Build(h, `{}`), "built already: nothing to do")
	n, err := rt.CountParams(h)
	require.NoError(t, err)
	assert.Equal(t, 12, n)

	require.NoError(t, rt.SetTrainable(h, 0, false))
	s, err := rt.Info(h)
	require.NoError(t, err)
	var info modelInfo
	require.NoError(t, json.Unmarshal([]byte(s), &info))
	assert.False(t, info.Layers[0].Trainable)
	assert.False(t, info.Layers[0].Weights[0].Trainable, "a frozen layer's weights are non-trainable")
	err = rt.SetTrainable(h, 3, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no layer 3")
}
