package nn

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArgsReadsKerasForms(t *testing.T) {
	a := NewArgs("Conv2D", map[string]any{"filters": 32.0, "kernel_size": 3.0, "strides": []any{2.0, 1.0}, "padding": "same", "use_bias": false})
	assert.Equal(t, 32, a.Int("filters", 0))
	assert.Equal(t, []int{3, 3}, a.Ints("kernel_size", 2, nil))
	assert.Equal(t, []int{2, 1}, a.Ints("strides", 2, []int{1, 1}))
	assert.Equal(t, "same", a.Choice("padding", "valid", "valid", "same"))
	assert.False(t, a.Bool("use_bias", true))
	assert.Equal(t, []int{1, 1}, a.Ints("dilation_rate", 2, []int{1, 1}))
	require.NoError(t, a.Err())
}

func TestArgsRejectsUnknownAndWrongValues(t *testing.T) {
	a := NewArgs("Dense", map[string]any{"units": 1.5, "unitz": 3.0})
	a.Int("units", 0)
	err := a.Err()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Received: units=1.5")
	assert.Contains(t, err.Error(), `unknown argument "unitz"`)
	var ae *ArgError
	assert.True(t, errors.As(err, &ae))
}

func TestArgsAlias(t *testing.T) {
	a := NewArgs("SGD", map[string]any{"lr": 0.01})
	a.Alias("learning_rate", "lr")
	assert.InDelta(t, 0.01, a.Float("learning_rate", 0.01), 0)
	require.NoError(t, a.Err())

	b := NewArgs("SGD", map[string]any{"lr": 0.01, "learning_rate": 0.1})
	b.Alias("learning_rate", "lr")
	b.Float("learning_rate", 0.01)
	assert.ErrorContains(t, b.Err(), "either learning_rate or lr")
}

func TestParseBaseInputArguments(t *testing.T) {
	tests := []struct {
		name  string
		cfg   map[string]any
		input []int
		batch int
	}{
		{"input_shape", map[string]any{"input_shape": []any{784.0}}, []int{784}, 0},
		{"input_dim", map[string]any{"input_dim": 100.0}, []int{100}, 0},
		{"input_dim and length", map[string]any{"input_dim": 8.0, "input_length": 6.0}, []int{6, 8}, 0},
		{"batch_size", map[string]any{"input_shape": []any{6.0, 8.0}, "batch_size": 32.0}, []int{6, 8}, 32},
		{"batch_input_shape", map[string]any{"batch_input_shape": []any{nil, 28.0, 28.0, 1.0}}, []int{28, 28, 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := NewArgs("Dense", tc.cfg)
			b := ParseBase(a, "Dense")
			require.NoError(t, a.Err())
			assert.Equal(t, tc.input, []int(b.Input))
			assert.Equal(t, tc.batch, b.BatchSize)
		})
	}
}

func TestRegistryNamesAndErrors(t *testing.T) {
	init1, err := GetInitializer("glorot_uniform")
	require.NoError(t, err)
	init2, err := GetInitializer(map[string]any{"class_name": "GlorotUniform", "config": map[string]any{"seed": 3.0}})
	require.NoError(t, err)
	assert.Equal(t, "GlorotUniform", init1.Config().ClassName)
	assert.Equal(t, int64(3), init2.Config().Config["seed"])

	_, err = GetActivation("relux")
	var un *UnknownNameError
	require.ErrorAs(t, err, &un)
	assert.Contains(t, err.Error(), `"relux"`)
	assert.Contains(t, err.Error(), "relu")
}
