package sequential

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

func mlp(t testing.TB, seed uint64) *Model {
	t.Helper()
	m, err := NewWithLayers("", seed,
		dense(t, 32, map[string]any{"input_shape": []int{784}, "activation": "relu"}),
		dropout(t, 0.2),
		dense(t, 10, map[string]any{"activation": "softmax"}),
	)
	require.NoError(t, err)
	return m
}

// tfKerasMLP is the JSON tf.keras 2.12 writes (model.to_json()) for
// Sequential([Dense(32, input_shape=(784,), activation='relu'), Dropout(0.2),
// Dense(10, activation='softmax')]).
const tfKerasMLP = `{"class_name": "Sequential", "config": {"name": "sequential", "layers": [
 {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 784], "dtype": "float32", "sparse": false, "ragged": false, "name": "dense_input"}},
 {"class_name": "Dense", "config": {"name": "dense", "trainable": true, "batch_input_shape": [null, 784], "dtype": "float32", "units": 32, "activation": "relu", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}},
 {"class_name": "Dropout", "config": {"name": "dropout", "trainable": true, "dtype": "float32", "rate": 0.2, "noise_shape": null, "seed": null}},
 {"class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": "float32", "units": 10, "activation": "softmax", "use_bias": true, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null, "kernel_constraint": null, "bias_constraint": null}}
]}, "keras_version": "2.12.0", "backend": "tensorflow"}`

// keras3MLP is the same model as Keras 3 writes it.
const keras3MLP = `{"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
 "layers": [
 {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 784], "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 32, "activation": "relu", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 784]}},
 {"module": "keras.layers", "class_name": "Dropout", "config": {"name": "dropout", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "rate": 0.2, "seed": null, "noise_shape": null}, "registered_name": null, "build_config": {"input_shape": [null, 32]}},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 10, "activation": "softmax", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 32]}}
 ]}, "registered_name": null, "build_config": {"input_shape": [null, 784]}}`

func TestToJSONIsTFKerasForm(t *testing.T) {
	js, err := mlp(t, 1).ToJSON()
	require.NoError(t, err)
	var got, want map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &got))
	require.NoError(t, json.Unmarshal([]byte(tfKerasMLP), &want))
	delete(want, "keras_version")
	delete(want, "backend")
	assert.Equal(t, want, got)
}

func TestFromJSON(t *testing.T) {
	for _, tc := range []struct{ name, json string }{
		{"tf.keras", tfKerasMLP},
		{"keras3", keras3MLP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := FromJSON(tc.json, 7)
			require.NoError(t, err)
			assert.Equal(t, []string{"dense", "dropout", "dense_1"}, layerNames(m))
			assert.Equal(t, tensor.Shape{784}, m.InputShape())
			assert.Equal(t, 784*32+32+330, m.CountParams())
			// The model writes it back in tf.keras's form.
			js, err := m.ToJSON()
			require.NoError(t, err)
			m2, err := FromJSON(js, 7)
			require.NoError(t, err)
			js2, err := m2.ToJSON()
			require.NoError(t, err)
			assert.JSONEq(t, js, js2)
			// Same seed, same weights.
			assert.Equal(t, m.GetWeights(), m2.GetWeights())
		})
	}
}

func TestConfigRoundTripKeepsInputSource(t *testing.T) {
	// Built from data: the config carries build_input_shape, no InputLayer.
	m := New("net", 3)
	require.NoError(t, m.Add(dense(t, 4, nil)))
	require.NoError(t, m.Build(tensor.Shape{-1, 6}))
	c := m.GetConfig()
	assert.Equal(t, []any{nil, 6}, c.Config["build_input_shape"])
	layers := c.Config["layers"].([]nn.Config)
	require.Len(t, layers, 1)
	assert.Equal(t, "Dense", layers[0].ClassName)
	m2, err := FromConfig(c, 3)
	require.NoError(t, err)
	assert.Equal(t, "net", m2.Name())
	assert.Equal(t, tensor.Shape{6}, m2.InputShape())
	assert.Equal(t, m.GetWeights(), m2.GetWeights())

	// Not built: a config without any shape, which builds later.
	m3 := New("", 3)
	require.NoError(t, m3.Add(dense(t, 4, nil)))
	m4, err := FromConfig(m3.GetConfig(), 3)
	require.NoError(t, err)
	assert.False(t, m4.Built())
}

func TestFromConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		json string
		want string
	}{
		{"not sequential", `{"class_name": "Functional", "config": {}}`, "Sequential"},
		{"unknown key", `{"class_name": "Sequential", "config": {"name": "s", "layerz": []}}`, "layerz"},
		{"unknown top key", `{"class_name": "Sequential", "config": {}, "weights": 1}`, "weights"},
		{"unknown layer", `{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dens", "config": {"units": 1}}]}}`, "Dense"},
		{"bad layer arg", `{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 0}}]}}`, "units"},
		{"late input layer", `{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 1}}, {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3]}}]}}`, "InputLayer"},
		{"not json", `{"class_name": `, "JSON"},
		{"float64", `{"class_name": "Sequential", "config": {"dtype": "float64"}}`, "float32"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromJSON(tc.json, 1)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestStudyNoteCNNConfigRoundTrip: the study note's CNN goes to JSON and
// back to an equal model (same config, same summary, same weights from the
// same seed).
func TestStudyNoteCNNConfigRoundTrip(t *testing.T) {
	m := studyNoteCNN(t, 100, 100, 4)
	js, err := m.ToJSON()
	require.NoError(t, err)
	m2, err := FromJSON(js, 4)
	require.NoError(t, err)
	js2, err := m2.ToJSON()
	require.NoError(t, err)
	assert.JSONEq(t, js, js2)
	assert.Equal(t, m.Summary(), m2.Summary())
	assert.Equal(t, m.GetWeights(), m2.GetWeights())
}
