package sequential

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// keras.Sequential([keras.Input(shape=(4,)), Dense(2)]): the InputLayer
// fixes the input, and the config starts with it, as tf.keras writes it
// (an unnamed keras.Input is "input_1"; the Dense carries no input shape).
func TestInputLayerFirst(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.AddConfig(nn.Config{ClassName: "InputLayer", Config: map[string]any{"shape": []any{4}}}))
	require.NoError(t, m.Add(dense(t, 2, nil)))
	assert.Equal(t, tensor.Shape{-1, 2}, append(tensor.Shape{-1}, m.OutputShape()...))
	c := m.GetConfig()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var doc struct {
		Config struct {
			Layers []nn.Config
		}
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.Len(t, doc.Config.Layers, 2)
	assert.Equal(t, "InputLayer", doc.Config.Layers[0].ClassName)
	assert.Equal(t, "input_1", doc.Config.Layers[0].Config["name"])
	assert.Equal(t, []any{nil, 4.0}, doc.Config.Layers[0].Config["batch_input_shape"])
	assert.NotContains(t, doc.Config.Layers[1].Config, "batch_input_shape")

	again, err := FromConfig(c, 1)
	require.NoError(t, err)
	b2, err := json.Marshal(again.GetConfig())
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))

	named := New("", 1)
	require.NoError(t, named.AddConfig(nn.Config{ClassName: "InputLayer", Config: map[string]any{"shape": []any{4}, "batch_size": 8, "name": "pixels"}}))
	cfg := named.GetConfig().Config["layers"].([]nn.Config)[0].Config
	assert.Equal(t, "pixels", cfg["name"])
	assert.Equal(t, []any{8, 4}, cfg["batch_input_shape"])
}

// model.build((None, 5)): the config records build_input_shape, as Keras's.
func TestBuildRecordsBuildInputShape(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 2, nil)))
	require.NoError(t, m.Build(tensor.Shape{-1, 5}))
	assert.Equal(t, 12, m.CountParams())
	assert.Equal(t, []any{nil, 5}, m.GetConfig().Config["build_input_shape"])
	err := m.Build(tensor.Shape{-1, 6})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already has the input shape")
}
