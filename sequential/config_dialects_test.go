package sequential

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keras3Compiled is Keras 3's model.to_json() for a model built from
// build_config alone (Sequential([Dense(4), Dense(2)]) then build((None, 3)))
// and compiled: module/registered_name on every object, dtype policies,
// build_config and compile_config.
const keras3Compiled = `{"module": "keras", "class_name": "Sequential", "config": {"name": "sequential", "trainable": true,
 "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null},
 "layers": [
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 4, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 3]}},
 {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}, "units": 2, "activation": "linear", "use_bias": true, "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform", "config": {"seed": null}, "registered_name": null}, "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {}, "registered_name": null}, "kernel_regularizer": null, "bias_regularizer": null, "kernel_constraint": null, "bias_constraint": null}, "registered_name": null, "build_config": {"input_shape": [null, 4]}}
 ], "build_input_shape": [null, 3]}, "registered_name": null, "build_config": {"input_shape": [null, 3]},
 "compile_config": {"optimizer": {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.002, "weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": null, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}, "registered_name": null},
  "loss": "mean_squared_error", "loss_weights": null, "metrics": ["mae"], "weighted_metrics": null, "run_eagerly": false, "steps_per_execution": 1, "jit_compile": false}}`

// TestModelJSONDialects: the model JSON of tf.keras 2, Keras 3 (with
// build_config and compile_config), TF.js 4.22 (its modelTopology, layer
// names such as dense_Dense1) and a functional-style layer list (entry
// names, inbound_nodes) make the model they describe.
func TestModelJSONDialects(t *testing.T) {
	t.Run("keras3 compiled", func(t *testing.T) {
		m, err := FromJSON(keras3Compiled, 1)
		require.NoError(t, err)
		assert.True(t, m.Built())
		assert.Equal(t, []int{2}, []int(m.OutputShape()))
		require.NotNil(t, m.Optimizer())
		assert.Equal(t, "Adam", m.Optimizer().Config().ClassName)
		assert.InDelta(t, 0.002, m.Optimizer().LearningRate(), 1e-12)
		assert.Equal(t, "mean_squared_error", m.Loss())
	})
	t.Run("tfjs", func(t *testing.T) {
		var mj map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(readFile(t, filepath.Join("..", "testdata", "tfjs", "tfjs_adam", "model.json"))), &mj))
		m, err := FromJSON(string(mj["modelTopology"]), 1)
		require.NoError(t, err)
		var names []string
		for _, l := range m.Layers() {
			names = append(names, l.Base().Name)
		}
		assert.Equal(t, []string{"dense_Dense1", "batch_normalization_BatchNormalization1", "dense_Dense2"}, names)
		assert.Equal(t, []int{4}, []int(m.InputShape()))
		assert.Equal(t, 5*4+5+4*5+5*3+3, m.CountParams())
	})
	t.Run("functional entries", func(t *testing.T) {
		m, err := FromJSON(`{"class_name": "Sequential", "config": {"name": "s", "layers": [
		 {"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [], "config": {"batch_shape": [null, 3], "name": "input_1"}},
		 {"class_name": "Dense", "name": "d", "inbound_nodes": [[["input_1", 0, 0, {}]]], "config": {"name": "d", "units": 2}}]}}`, 1)
		require.NoError(t, err)
		assert.Equal(t, 3*2+2, m.CountParams())
	})
}

// TestModelJSONRefusals: what would change the model is refused by name:
// another model class, a float16 policy, sparse or ragged inputs.
func TestModelJSONRefusals(t *testing.T) {
	for _, c := range []struct{ name, json, want, class string }{
		{"functional", `{"class_name": "Functional", "config": {"layers": []}}`, `class_name "Functional"`, nn.ValueError},
		{"mixed policy", `{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 2, "batch_input_shape": [null, 3], "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "mixed_float16"}, "registered_name": null}}}]}}`, "mixed_float16", ""},
		{"sparse", `{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "sparse": true}}]}}`, "sparse", nn.NotImplementedError},
		{"model dtype", `{"class_name": "Sequential", "config": {"dtype": "float64", "layers": []}}`, "float64", ""},
		{"bad compile_config", `{"class_name": "Sequential", "config": {"layers": []}, "compile_config": {"loss_weights": [1]}}`, "loss_weights", ""},
		{"bad build_config", `{"class_name": "Sequential", "config": {"layers": []}, "build_config": [3]}`, "build_config must be an object", nn.ValueError},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromJSON(c.json, 1)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			if c.class != "" {
				assert.Equal(t, c.class, nn.ErrorClass(err))
			}
		})
	}
}
