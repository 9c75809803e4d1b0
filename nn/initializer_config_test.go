package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInitializerConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"zeros", "zeros", `{"class_name": "Zeros", "config": {}}`},
		{"zero", "zero", `{"class_name": "Zeros", "config": {}}`},
		{"ones", "ones", `{"class_name": "Ones", "config": {}}`},
		{"constant", Config{"Constant", map[string]any{"value": 0.3}}, `{"class_name": "Constant", "config": {"value": 0.3}}`},
		{"constant default", "constant", `{"class_name": "Constant", "config": {"value": 0}}`},
		{"identity", "identity", `{"class_name": "Identity", "config": {"gain": 1}}`},
		{"IdentityInitializer", Config{"IdentityInitializer", map[string]any{"gain": 3.0}}, `{"class_name": "Identity", "config": {"gain": 3}}`},
		{"random_normal", "random_normal", `{"class_name": "RandomNormal", "config": {"mean": 0, "stddev": 0.05, "seed": null}}`},
		{"normal alias", Config{"normal", map[string]any{"seed": 4.0}}, `{"class_name": "RandomNormal", "config": {"mean": 0, "stddev": 0.05, "seed": 4}}`},
		{"random_uniform", "random_uniform", `{"class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": null}}`},
		{"uniform alias", Config{"uniform", map[string]any{"minval": 0.0, "maxval": 1.0}}, `{"class_name": "RandomUniform", "config": {"minval": 0, "maxval": 1, "seed": null}}`},
		{"truncated_normal", Config{"TruncatedNormal", map[string]any{"mean": 1.0, "stddev": 0.5, "seed": 9.0}}, `{"class_name": "TruncatedNormal", "config": {"mean": 1, "stddev": 0.5, "seed": 9}}`},
		{"variance_scaling", "variance_scaling", `{"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_in", "distribution": "truncated_normal", "seed": null}}`},
		{"variance_scaling Keras 2 normal", Config{"VarianceScaling", map[string]any{"scale": 2.0, "mode": "fan_avg", "distribution": "normal", "seed": 1.0}},
			`{"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_avg", "distribution": "truncated_normal", "seed": 1}}`},
		{"variance_scaling TF.js spellings", Config{"VarianceScaling", map[string]any{"mode": "fanOut", "distribution": "uniform"}},
			`{"class_name": "VarianceScaling", "config": {"scale": 1, "mode": "fan_out", "distribution": "uniform", "seed": null}}`},
		{"glorot_uniform", "glorot_uniform", `{"class_name": "GlorotUniform", "config": {"seed": null}}`},
		{"GlorotUniform as TF.js writes it", Config{"GlorotUniform", map[string]any{"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": 2.0}},
			`{"class_name": "GlorotUniform", "config": {"seed": 2}}`},
		{"glorot_normal", "glorot_normal", `{"class_name": "GlorotNormal", "config": {"seed": null}}`},
		{"GlorotNormal TF.js normal", Config{"GlorotNormal", map[string]any{"distribution": "normal"}}, `{"class_name": "GlorotNormal", "config": {"seed": null}}`},
		{"he_normal", Config{"he_normal", map[string]any{"seed": 1.0}}, `{"class_name": "HeNormal", "config": {"seed": 1}}`},
		{"he_uniform", "he_uniform", `{"class_name": "HeUniform", "config": {"seed": null}}`},
		{"lecun_normal", "lecun_normal", `{"class_name": "LecunNormal", "config": {"seed": null}}`},
		{"lecun_uniform", "lecun_uniform", `{"class_name": "LecunUniform", "config": {"seed": null}}`},
		{"orthogonal", "orthogonal", `{"class_name": "Orthogonal", "config": {"gain": 1, "seed": null}}`},
		{"OrthogonalInitializer", Config{"OrthogonalInitializer", map[string]any{"gain": 0.5, "seed": 3.0}}, `{"class_name": "Orthogonal", "config": {"gain": 0.5, "seed": 3}}`},
		{"Keras 3 module form", map[string]any{"module": "keras.initializers", "class_name": "HeUniform", "config": map[string]any{"seed": nil}, "registered_name": nil},
			`{"class_name": "HeUniform", "config": {"seed": null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			init, err := GetInitializer(tc.in)
			require.NoError(t, err)
			assertObjectRoundTrip(t, tc.want, init.Config(), GetInitializer, Initializer.Config)
		})
	}
}

func TestInitializerErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"mode", Config{"VarianceScaling", map[string]any{"mode": "fan_x"}}, []string{"VarianceScaling", `Received: mode="fan_x"`, "fan_avg"}},
		{"scale zero", Config{"VarianceScaling", map[string]any{"scale": 0.0}}, []string{"a positive float", "Received: scale=0"}},
		{"scale negative", Config{"VarianceScaling", map[string]any{"scale": -2.0}}, []string{"Received: scale=-2"}},
		{"distribution", Config{"VarianceScaling", map[string]any{"distribution": "gaussian"}}, []string{`Received: distribution="gaussian"`, "untruncated_normal"}},
		{"preset with another mode", Config{"GlorotUniform", map[string]any{"mode": "fan_in"}}, []string{"GlorotUniform", `Received: mode="fan_in"`, "use VarianceScaling"}},
		{"preset with another scale", Config{"HeNormal", map[string]any{"scale": 1.0}}, []string{"HeNormal", "Received: scale=1"}},
		{"uniform bounds", Config{"RandomUniform", map[string]any{"minval": 1.0, "maxval": 0.0}}, []string{"no smaller than minval=1", "Received: maxval=0"}},
		{"stddev", Config{"RandomNormal", map[string]any{"stddev": -1.0}}, []string{"Received: stddev=-1"}},
		{"seed", Config{"GlorotUniform", map[string]any{"seed": 1.5}}, []string{"an integer", "Received: seed=1.5"}},
		{"constant list", Config{"Constant", map[string]any{"value": []any{1.0, 2.0}}}, []string{"a number", "Received: value=[1,2]"}},
		{"unknown argument", Config{"Zeros", map[string]any{"value": 1.0}}, []string{`unknown argument "value"`}},
		{"unknown name", "glorot", []string{`unknown initializer "glorot"`, "glorot_normal, glorot_uniform, he_normal", "orthogonal", "variance_scaling"}},
		{"unknown class name", "Glorot", []string{`unknown initializer "Glorot"`, "GlorotNormal, GlorotUniform, HeNormal", "Orthogonal", "VarianceScaling"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GetInitializer(tc.in)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
