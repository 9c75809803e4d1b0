package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
)

func TestNamesIsTheCatalog(t *testing.T) {
	s, err := Names()
	require.NoError(t, err)
	var got sequential.NameTable
	require.NoError(t, json.Unmarshal([]byte(s), &got))
	want := sequential.Catalog()
	for kind, entries := range want.Kinds {
		if kind == sequential.KindCallbacks {
			continue
		}
		assert.Equal(t, entries, got.Kinds[kind], kind)
	}
	var callbacks []string
	for _, e := range got.Kinds[sequential.KindCallbacks] {
		callbacks = append(callbacks, e.Name)
	}
	assert.Contains(t, callbacks, "EarlyStopping")
	assert.NotContains(t, callbacks, "CSVLogger", "the wasm runtime cannot write files")
	assert.Equal(t, want.NotImplemented, got.NotImplemented)
}

func TestGet(t *testing.T) {
	s, err := Get(nn.KindLayers, `{"class_name": "Dense", "config": {"units": 3}}`)
	require.NoError(t, err)
	var c nn.Config
	require.NoError(t, json.Unmarshal([]byte(s), &c))
	assert.Equal(t, "Dense", c.ClassName)
	assert.Equal(t, 3.0, c.Config["units"])
	assert.Equal(t, "linear", c.Config["activation"])

	s, err = Get(nn.KindActivations, `"relu"`)
	require.NoError(t, err)
	assert.JSONEq(t, `{"function": "relu"}`, s)
	s, err = Get(nn.KindRegularizers, `null`)
	require.NoError(t, err)
	assert.Equal(t, "null", s)

	_, err = Get(nn.KindLayers, `"ConvLSTM2D"`)
	require.Error(t, err)
	assert.Equal(t, nn.NotImplementedError, nn.ErrorClass(err))
	assert.Contains(t, err.Error(), "layers.get: the layer ConvLSTM2D is not implemented in keraswasm")
	_, err = Get(nn.KindLosses, `"msee"`)
	assert.Contains(t, errText(err), `losses.get: unknown loss "msee": did you mean "mse"?`)
	_, err = Get(nn.KindLosses, `{`)
	assert.Contains(t, errText(err), "losses.get: expected a name or a config dict")
	_, err = Get("callbacks", `"EarlyStopping"`)
	assert.Error(t, err)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
