package sequential

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
)

// TestCallbackSignaturesAreRead checks that NewCallback reads every
// positional argument of each Go callback: a config with the argument null
// fails exactly as the config without it (an unread key would be unknown).
func TestCallbackSignaturesAreRead(t *testing.T) {
	base := map[string]map[string]any{"CSVLogger": {"filename": "log.csv"}}
	for _, e := range callbackEntries {
		require.NotNil(t, e.Args, e.Name)
		if e.Host {
			continue
		}
		_, want := NewCallback(nn.Config{ClassName: e.Name, Config: base[e.Name]})
		for _, a := range e.Args {
			cfg := map[string]any{a: nil}
			for k, v := range base[e.Name] {
				cfg[k] = v
			}
			_, err := NewCallback(nn.Config{ClassName: e.Name, Config: cfg})
			assert.Equal(t, errString(want), errString(err), "%s does not read %s", e.Name, a)
		}
	}
}

// TestInputLayerSignatureIsRead does the same for the InputLayer the model reads.
func TestInputLayerSignatureIsRead(t *testing.T) {
	base := map[string]any{"input_shape": []any{3.0}}
	for _, a := range inputLayerEntry.Args {
		cfg := map[string]any{a: nil}
		for k, v := range base {
			if k != a {
				cfg[k] = v
			}
		}
		_, want := parseInputLayer(withoutKey(cfg, a))
		_, err := parseInputLayer(cfg)
		assert.Equal(t, errString(want), errString(err), "InputLayer does not read %s", a)
	}
}

func withoutKey(m map[string]any, key string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != key {
			out[k] = v
		}
	}
	return out
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestCatalogHasEveryKind(t *testing.T) {
	c := Catalog()
	for _, k := range []string{nn.KindLayers, nn.KindOptimizers, nn.KindLosses, nn.KindMetrics, nn.KindActivations,
		nn.KindInitializers, nn.KindRegularizers, nn.KindConstraints, KindCallbacks} {
		assert.NotEmpty(t, c.Kinds[k], k)
	}
	names := func(kind string) []string {
		var s []string
		for _, e := range c.Kinds[kind] {
			s = append(s, e.Name)
		}
		return s
	}
	assert.Contains(t, names(nn.KindLayers), "InputLayer")
	assert.Contains(t, names(nn.KindLayers), "Dense")
	assert.Contains(t, names(KindCallbacks), "EarlyStopping")
	assert.Contains(t, c.NotImplemented[KindCallbacks], "TensorBoard")
	assert.NotContains(t, c.NotImplemented[KindCallbacks], "BackupAndRestore")
	assert.Contains(t, c.NotImplemented[nn.KindLayers], "ConvLSTM2D")
	host := map[string]bool{}
	for _, e := range c.Kinds[KindCallbacks] {
		host[e.Name] = e.Host
	}
	assert.Equal(t, map[string]bool{"BackupAndRestore": true, "Callback": true, "CSVLogger": false, "EarlyStopping": false, "History": true,
		"LambdaCallback": true, "LearningRateScheduler": true, "ModelCheckpoint": true, "ProgbarLogger": false, "ReduceLROnPlateau": false,
		"TerminateOnNaN": false}, host)
}

func TestCallbackNameErrors(t *testing.T) {
	_, err := NewCallback(nn.Config{ClassName: "EarlyStoping"})
	var un *nn.UnknownNameError
	require.ErrorAs(t, err, &un)
	assert.Contains(t, err.Error(), `did you mean "EarlyStopping"?`)
	assert.Contains(t, un.Valid, "ReduceLROnPlateau")

	_, err = NewCallback(nn.Config{ClassName: "TensorBoard"})
	var ni *nn.NotImplemented
	require.True(t, errors.As(err, &ni), "%v", err)
	assert.Equal(t, nn.NotImplementedError, nn.ErrorClass(err))
	assert.Contains(t, err.Error(), "the callback TensorBoard is not implemented in keraswasm")
}

// TestDefaultLayerNamesFollowKeras: a model names its layers with Keras's
// snake_case (ReLU → re_lu, Conv2D → conv2d).
func TestDefaultLayerNamesFollowKeras(t *testing.T) {
	m := New("", 1)
	for _, c := range []string{`{"class_name": "Dense", "config": {"units": 2, "input_shape": [3]}}`,
		`{"class_name": "ReLU", "config": {}}`, `{"class_name": "LeakyReLU", "config": {}}`, `{"class_name": "Dense", "config": {"units": 2}}`} {
		cfg, err := nn.ParseConfig([]byte(c))
		require.NoError(t, err)
		require.NoError(t, m.AddConfig(cfg))
	}
	assert.Equal(t, []string{"dense", "re_lu", "leaky_re_lu", "dense_1"}, layerNames(m))
}
