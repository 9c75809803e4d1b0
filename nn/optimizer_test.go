package nn

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// kerasCommon is the part of every Keras 3 optimizer config that
// BaseOptimizer.get_config writes, with its defaults.
const kerasCommon = `"weight_decay": null, "clipnorm": null, "global_clipnorm": null, "clipvalue": null,
	"use_ema": false, "ema_momentum": 0.99, "ema_overwrite_frequency": null,
	"loss_scale_factor": null, "gradient_accumulation_steps": null`

func TestOptimizerNamesGiveKerasDefaults(t *testing.T) {
	tests := []struct {
		name string
		want string // the config Keras 3 writes for the default optimizer
	}{
		{"sgd", `{"class_name": "SGD", "config": {"name": "SGD", "learning_rate": 0.01, ` + kerasCommon + `,
			"momentum": 0, "nesterov": false}}`},
		{"rmsprop", `{"class_name": "RMSprop", "config": {"name": "rmsprop", "learning_rate": 0.001, ` + kerasCommon + `,
			"rho": 0.9, "momentum": 0, "epsilon": 1e-7, "centered": false}}`},
		{"adam", `{"class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.001, ` + kerasCommon + `,
			"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": false}}`},
		{"adamw", `{"class_name": "AdamW", "config": {"name": "adamw", "learning_rate": 0.001, "weight_decay": 0.004,
			"clipnorm": null, "global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99,
			"ema_overwrite_frequency": null, "loss_scale_factor": null, "gradient_accumulation_steps": null,
			"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": false}}`},
		{"adagrad", `{"class_name": "Adagrad", "config": {"name": "adagrad", "learning_rate": 0.001, ` + kerasCommon + `,
			"initial_accumulator_value": 0.1, "epsilon": 1e-7}}`},
		{"adadelta", `{"class_name": "Adadelta", "config": {"name": "adadelta", "learning_rate": 0.001, ` + kerasCommon + `,
			"rho": 0.95, "epsilon": 1e-7}}`},
		{"adamax", `{"class_name": "Adamax", "config": {"name": "adamax", "learning_rate": 0.001, ` + kerasCommon + `,
			"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}}`},
		{"nadam", `{"class_name": "Nadam", "config": {"name": "nadam", "learning_rate": 0.001, ` + kerasCommon + `,
			"beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt, err := GetOptimizer(tc.name)
			require.NoError(t, err)
			got, err := json.Marshal(opt.Config())
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(got))
			assert.Equal(t, int64(0), opt.Iterations())
		})
	}
	assert.Equal(t, []string{"Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "SGD"}, OptimizerNames())
}

func TestOptimizerConfigRoundTrip(t *testing.T) {
	specs := append([]Config{
		{ClassName: "SGD", Config: map[string]any{"lr": 0.1, "decay": 1e-6, "momentum": 0.9, "nesterov": true}},
		{ClassName: "RMSprop", Config: map[string]any{"global_clipnorm": 5.0, "ema_overwrite_frequency": 10.0}},
	}, allOptimizerSpecs...)
	for _, spec := range specs {
		t.Run(spec.ClassName, func(t *testing.T) {
			opt, err := GetOptimizer(spec)
			require.NoError(t, err)
			first, err := json.Marshal(opt.Config())
			require.NoError(t, err)
			c, err := ParseConfig(first)
			require.NoError(t, err)
			again, err := GetOptimizer(c)
			require.NoError(t, err)
			second, err := json.Marshal(again.Config())
			require.NoError(t, err)
			assert.JSONEq(t, string(first), string(second))
			// Every argument given comes back (lr as learning_rate).
			var m map[string]any
			require.NoError(t, json.Unmarshal(first, &m))
			cfg := m["config"].(map[string]any)
			for k, v := range spec.Config {
				if k == "lr" {
					k = "learning_rate"
				}
				assert.Equal(t, fmt.Sprint(v), fmt.Sprint(cfg[k]), k)
			}
		})
	}
}

func TestOptimizerReadsKeras2Configs(t *testing.T) {
	tests := []struct {
		name, json string
		lr         float64
	}{
		// tf.keras 2 legacy optimizer_v2 RMSprop.get_config.
		{"optimizer_v2", `{"class_name": "RMSprop", "config": {"name": "RMSprop", "learning_rate": 0.001, "decay": 0.0,
			"rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": false}}`, 0.001},
		// tf.keras 2.11+ Adam.get_config.
		{"tf.keras 2.11", `{"class_name": "Adam", "config": {"name": "Adam", "weight_decay": null, "clipnorm": null,
			"global_clipnorm": null, "clipvalue": null, "use_ema": false, "ema_momentum": 0.99,
			"ema_overwrite_frequency": null, "jit_compile": true, "is_legacy_optimizer": false,
			"learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": false}}`, 0.002},
		// Keras 2.2 Adam: lr, and epsilon=None for the backend epsilon.
		{"keras 2.2", `{"class_name": "Adam", "config": {"lr": 0.01, "beta_1": 0.9, "beta_2": 0.999, "decay": 0.0,
			"epsilon": null, "amsgrad": false}}`, 0.01},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(tc.json))
			require.NoError(t, err)
			opt, err := GetOptimizer(c)
			require.NoError(t, err)
			assert.InDelta(t, tc.lr, opt.LearningRate(), 0)
		})
	}
}

func TestOptimizerArgumentErrors(t *testing.T) {
	tests := []struct {
		name  string
		class string
		cfg   map[string]any
		want  []string // parts of the message
	}{
		{"negative learning_rate", "SGD", map[string]any{"learning_rate": -1.0},
			[]string{"SGD", "learning_rate", "a positive number", "Received: learning_rate=-1"}},
		{"zero lr spelling", "Adam", map[string]any{"lr": 0.0}, []string{"Received: learning_rate=0"}},
		{"both lr and learning_rate", "Adam", map[string]any{"lr": 0.1, "learning_rate": 0.1}, []string{"either learning_rate or lr"}},
		{"learning rate schedule", "Adam", map[string]any{"learning_rate": map[string]any{"class_name": "ExponentialDecay"}},
			[]string{"learning rate schedules are not implemented"}},
		{"clipnorm and clipvalue", "SGD", map[string]any{"clipnorm": 1.0, "clipvalue": 0.5},
			[]string{"only one of clipnorm, clipvalue and global_clipnorm", "clipnorm=1", "clipvalue=0.5", "global_clipnorm=None"}},
		{"all three clips", "RMSprop", map[string]any{"clipnorm": 1.0, "clipvalue": 0.5, "global_clipnorm": 2.0},
			[]string{"only one of", "global_clipnorm=2"}},
		{"zero clipnorm", "SGD", map[string]any{"clipnorm": 0.0}, []string{"Received: clipnorm=0", "a positive number"}},
		{"unknown argument", "Adam", map[string]any{"beta1": 0.9},
			[]string{`unknown argument "beta1"`, "beta_1", "amsgrad"}},
		{"use_ema", "Adam", map[string]any{"use_ema": true}, []string{"use_ema=True", "not implemented", "Received: use_ema=true"}},
		{"gradient_accumulation_steps", "SGD", map[string]any{"gradient_accumulation_steps": 4.0},
			[]string{"gradient accumulation is not implemented", "Received: gradient_accumulation_steps=4"}},
		{"momentum above 1", "SGD", map[string]any{"momentum": 1.5}, []string{"a number in [0, 1]", "Received: momentum=1.5"}},
		{"momentum negative", "RMSprop", map[string]any{"momentum": -0.1}, []string{"Received: momentum=-0.1"}},
		{"nesterov not bool", "SGD", map[string]any{"nesterov": "yes"}, []string{`Received: nesterov="yes"`}},
		{"negative decay", "SGD", map[string]any{"decay": -1e-6}, []string{"Received: decay=-0.000001"}},
		{"negative weight_decay", "Adam", map[string]any{"weight_decay": -0.1}, []string{"Received: weight_decay=-0.1"}},
		{"AdamW weight_decay None", "AdamW", map[string]any{"weight_decay": nil}, []string{"AdamW", "Received: weight_decay=None"}},
		{"beta_1 of 1", "Adam", map[string]any{"beta_1": 1.0}, []string{"[0, 1)", "Received: beta_1=1"}},
		{"beta_2 negative", "Nadam", map[string]any{"beta_2": -0.5}, []string{"Received: beta_2=-0.5"}},
		{"rho above 1", "Adadelta", map[string]any{"rho": 2.0}, []string{"Received: rho=2"}},
		{"negative epsilon", "Adamax", map[string]any{"epsilon": -1e-7}, []string{"Received: epsilon=-1e-7"}},
		{"negative accumulator", "Adagrad", map[string]any{"initial_accumulator_value": -0.1},
			[]string{"Received: initial_accumulator_value=-0.1"}},
		{"loss_scale_factor zero", "SGD", map[string]any{"loss_scale_factor": 0.0}, []string{"Received: loss_scale_factor=0"}},
		{"amsgrad on SGD", "SGD", map[string]any{"amsgrad": true}, []string{`unknown argument "amsgrad"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GetOptimizer(Config{ClassName: tc.class, Config: tc.cfg})
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestOptimizerUnknownNameListsValid(t *testing.T) {
	_, err := GetOptimizer("adamm")
	var un *UnknownNameError
	require.ErrorAs(t, err, &un)
	assert.Contains(t, err.Error(), `"adamm"`)
	for _, n := range []string{"Adam", "AdamW", "RMSprop", "SGD", "Nadam"} {
		assert.Contains(t, err.Error(), n)
	}
}

func ExampleGetOptimizer() {
	// The Keras 2 spelling of the study note (testdata/studynote/keras_sequential_note.md, line 253):
	// SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True).
	opt, err := GetOptimizer(Config{ClassName: "SGD", Config: map[string]any{
		"lr": 0.01, "decay": 1e-6, "momentum": 0.9, "nesterov": true}})
	if err != nil {
		fmt.Println(err)
		return
	}
	w := NewParam("kernel", 2)
	copy(w.Grad.Data, []float32{1, -2})
	opt.Apply([]*Param{w}) // v = 0.9·0 − 0.01·g; w = w + 0.9·v − 0.01·g
	fmt.Println(w.Value.Data, opt.Iterations())
	_, err = GetOptimizer(Config{ClassName: "Adam", Config: map[string]any{"learning_rate": -1}})
	fmt.Println(err)
	// Output:
	// [-0.019 0.038] 1
	// Adam: invalid argument learning_rate: expected a positive number such as 0.001. Received: learning_rate=-1
}
