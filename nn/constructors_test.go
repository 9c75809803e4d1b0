package nn

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoConstructorsMatchTheConfigDoor checks that every exported layer
// constructor, NewX(Keras's required positional arguments, opts), makes the
// layer that NewLayer makes from the config holding the same arguments: the
// two doors share one path (withArgs, then the registry's constructor), so
// their Config() is the same JSON.
func TestGoConstructorsMatchTheConfigDoor(t *testing.T) {
	tests := []struct {
		name   string
		make   func() (Layer, error)
		config Config
	}{
		{"Dense", func() (Layer, error) {
			return NewDense(32, map[string]any{"activation": "relu", "use_bias": false, "input_shape": []int{8}})
		}, Config{ClassName: "Dense", Config: map[string]any{"units": 32, "activation": "relu", "use_bias": false, "input_shape": []int{8}}}},
		{"Dense without options", func() (Layer, error) { return NewDense(4, nil) },
			Config{ClassName: "Dense", Config: map[string]any{"units": 4}}},
		{"Conv2D", func() (Layer, error) {
			return NewConv2D(8, []int{3, 3}, map[string]any{"strides": []int{2, 2}, "padding": "same", "activation": "relu"})
		}, Config{ClassName: "Conv2D", Config: map[string]any{"filters": 8, "kernel_size": []int{3, 3}, "strides": []int{2, 2}, "padding": "same", "activation": "relu"}}},
		{"Dropout", func() (Layer, error) { return NewDropout(0.25, map[string]any{"name": "drop"}) },
			Config{ClassName: "Dropout", Config: map[string]any{"rate": 0.25, "name": "drop"}}},
		{"Flatten", func() (Layer, error) { return NewFlatten(map[string]any{"data_format": "channels_first"}) },
			Config{ClassName: "Flatten", Config: map[string]any{"data_format": "channels_first"}}},
		{"MaxPooling2D", func() (Layer, error) {
			return NewMaxPooling2D(map[string]any{"pool_size": []int{3, 3}, "strides": 1})
		}, Config{ClassName: "MaxPooling2D", Config: map[string]any{"pool_size": []int{3, 3}, "strides": 1}}},
		{"Activation", func() (Layer, error) { return NewActivationLayer("tanh", map[string]any{"name": "act"}) },
			Config{ClassName: "Activation", Config: map[string]any{"activation": "tanh", "name": "act"}}},
		{"ReLU", func() (Layer, error) { return NewReLU(map[string]any{"max_value": 6.0, "negative_slope": 0.1}) },
			Config{ClassName: "ReLU", Config: map[string]any{"max_value": 6.0, "negative_slope": 0.1}}},
		{"ReLU without options", func() (Layer, error) { return NewReLU(nil) },
			Config{ClassName: "ReLU", Config: map[string]any{}}},
		{"LeakyReLU", func() (Layer, error) { return NewLeakyReLU(map[string]any{"alpha": 0.2}) },
			Config{ClassName: "LeakyReLU", Config: map[string]any{"alpha": 0.2}}},
		{"ELU", func() (Layer, error) { return NewELU(map[string]any{"alpha": 0.5}) },
			Config{ClassName: "ELU", Config: map[string]any{"alpha": 0.5}}},
		{"Softmax", func() (Layer, error) { return NewSoftmax(map[string]any{"axis": []int{1, 2}}) },
			Config{ClassName: "Softmax", Config: map[string]any{"axis": []int{1, 2}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			goDoor, err := tt.make()
			require.NoError(t, err)
			configDoor, err := NewLayer(tt.config)
			require.NoError(t, err)
			assert.JSONEq(t, configJSON(t, configDoor.Config()), configJSON(t, goDoor.Config()))
		})
	}
}

// TestGoConstructorsRefuseWhatTheConfigRefuses checks that the Go door
// validates through the config path: a bad option is the config's error,
// and a positional argument given again in opts is refused.
func TestGoConstructorsRefuseWhatTheConfigRefuses(t *testing.T) {
	_, goErr := NewReLU(map[string]any{"threshold": -1.0})
	_, configErr := NewLayer(Config{ClassName: "ReLU", Config: map[string]any{"threshold": -1.0}})
	require.Error(t, goErr)
	require.Error(t, configErr)
	assert.Equal(t, configErr.Error(), goErr.Error())

	_, err := NewSoftmax(map[string]any{"axes": 1})
	assert.ErrorContains(t, err, "axes")
	_, err = NewConv2D(4, []int{3, 3}, map[string]any{"filters": 8})
	assert.ErrorContains(t, err, "filters")
}

// TestNewMeanMatchesTheConfigDoor is the same check for the one exported
// metric constructor.
func TestNewMeanMatchesTheConfigDoor(t *testing.T) {
	goDoor, err := NewMean(map[string]any{"name": "loss"})
	require.NoError(t, err)
	configDoor, err := GetMetric(Config{ClassName: "Mean", Config: map[string]any{"name": "loss"}})
	require.NoError(t, err)
	assert.JSONEq(t, configJSON(t, configDoor.Config()), configJSON(t, goDoor.Config()))
	_, err = NewMean(map[string]any{"dtype": "float16"})
	assert.ErrorContains(t, err, "float16")
}

func configJSON(t *testing.T, c Config) string {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	return string(b)
}
