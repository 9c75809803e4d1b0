package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
)

// TestTFJSDoorRoundTrip: artifacts out and back in through the runtime give
// a model whose artifacts are the same JSON and bytes; weights-only
// artifacts have no topology and load into another model; a damaged one is
// refused with the JS method's prefix and the runtime goes on.
func TestTFJSDoorRoundTrip(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"optimizer": "adam", "loss": "binary_crossentropy", "metrics": ["accuracy"]}`, nil))
	js, data, err := rt.SaveTFJS(h, true, false, "save")
	require.NoError(t, err)
	h2, err := rt.LoadTFJS(js, data, "load_model")
	require.NoError(t, err)
	js2, data2, err := rt.SaveTFJS(h2, true, false, "save")
	require.NoError(t, err)
	assert.JSONEq(t, js, js2)
	assert.Equal(t, data, data2)

	wjs, wdata, err := rt.SaveTFJS(h, true, true, "save_weights")
	require.NoError(t, err)
	var w map[string]any
	require.NoError(t, json.Unmarshal([]byte(wjs), &w))
	assert.Nil(t, w["modelTopology"])
	assert.Len(t, w["weightSpecs"], 4, "weights only: no optimizer state")
	require.NoError(t, rt.LoadTFJSWeights(h2, wjs, wdata, "load_weights"))

	_, err = rt.LoadTFJS(js, data[:len(data)-4], "load_model")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "load_model: the weight data holds")
	_, err = rt.LoadTFJS(`{"modelTopology": {}, "weightSpecs": [], "bogus": 1}`, nil, "load_model")
	assert.ErrorContains(t, err, `load_model: unknown key "bogus"`)
	err = rt.LoadTFJSWeights(h2, `{"weightSpecs": [{"name": "x", "shape": [2], "dtype": "float16"}]}`, make([]byte, 4), "load_weights")
	assert.ErrorContains(t, err, `load_weights: the weight dtype "float16"`)
	assert.Equal(t, nn.NotImplementedError, nn.ErrorClass(err))
	_, _, err = rt.SaveTFJS(h2, true, false, "save")
	assert.NoError(t, err, "the runtime and the model are usable after the errors")
}

// TestModelFromJSONDoorTakesTFJSAndKeras3: model_from_json takes TF.js's
// modelTopology (keras_version, backend) and a Keras 3 config.
func TestModelFromJSONDoorTakesTFJSAndKeras3(t *testing.T) {
	rt := NewRuntime()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "tfjs", "tfjs_adam", "model.json"))
	require.NoError(t, err)
	var mj map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(b, &mj))
	_, err = rt.FromConfig(string(mj["modelTopology"]))
	require.NoError(t, err)
	_, err = rt.FromConfig(`{"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": [{"module": "keras.layers", "class_name": "Dense", "config": {"units": 2}, "registered_name": null}]}, "registered_name": null, "build_config": {"input_shape": [null, 3]}, "compile_config": null}`)
	require.NoError(t, err)
}
