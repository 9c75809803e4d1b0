package nn

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestErrorClass(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("x"), ValueError},
		{"arg", &ArgError{Owner: "Dense", Key: "units", Value: 0, Want: "a positive integer"}, ValueError},
		{"unknown name", &UnknownNameError{Kind: "loss", Name: "msee"}, ValueError},
		{"not implemented", &NotImplemented{What: "the layer LSTM"}, NotImplementedError},
		{"wrapped", fmt.Errorf("compile: %w", &NotImplemented{What: "x"}), NotImplementedError},
		{"typed arg", &ArgError{Owner: "Dense", Key: "units", Class: TypeError}, TypeError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, ErrorClass(c.err)) })
	}
}

func TestArgsUnsupportedIsNotListedAsTaken(t *testing.T) {
	a := NewArgs("Dense", map[string]any{"units": 3.0, "lora_rank": 4.0, "bogus": 1.0})
	a.Int("units", 0)
	a.Unsupported("lora_rank", "null (LoRA fine-tuning)")
	a.Refuse("workers")
	err := a.Err()
	require.Error(t, err)
	assert.Equal(t, NotImplementedError, ErrorClass(err), "the first error is the unsupported key")
	assert.Contains(t, err.Error(), `unknown argument "bogus"; Dense takes: units`)
	assert.NotContains(t, err.Error(), "takes: lora_rank")
	assert.NotContains(t, err.Error(), "workers")

	b := NewArgs("Dense", map[string]any{"units": 3.0})
	b.Int("units", 0)
	b.Unsupported("lora_rank", "null")
	assert.NoError(t, b.Err(), "an absent unsupported key is fine")
}

// TestKerasFeaturesNotBuiltAreNotImplementedErrors: every argument that asks
// for a Keras feature keraswasm does not build is a NotImplementedError (JS
// err.name), not a ValueError, and its message carries no Go package prefix.
func TestKerasFeaturesNotBuiltAreNotImplementedErrors(t *testing.T) {
	cfg := func(class string, m map[string]any) Config { return Config{ClassName: class, Config: m} }
	layer := func(c Config) error { _, err := NewLayer(c); return err }
	loss := func(c Config) error { _, err := GetLoss(c); return err }
	opt := func(c Config) error { _, err := GetOptimizer(c); return err }
	metric := func(c Config) error { _, err := GetMetric(c); return err }
	softmax, err := NewSoftmax(map[string]any{"axis": []any{1, 3}})
	require.NoError(t, err)
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"lora_rank", layer(cfg("Dense", map[string]any{"units": 2.0, "lora_rank": 4.0})), "Dense: invalid argument lora_rank"},
		{"groups", layer(cfg("Conv2D", map[string]any{"filters": 2.0, "kernel_size": 3.0, "groups": 2.0})), "Received: groups=2"},
		{"dtype float64", layer(cfg("Dense", map[string]any{"units": 2.0, "dtype": "float64"})), `Received: dtype="float64"`},
		{"reduction", loss(cfg("MeanSquaredError", map[string]any{"reduction": "sum"})), `Received: reduction="sum"`},
		{"ignore_class", loss(cfg("SparseCategoricalCrossentropy", map[string]any{"ignore_class": 1.0})), "ignore_class"},
		{"axis", loss(cfg("CategoricalCrossentropy", map[string]any{"axis": 1.0})), "only the last axis"},
		{"use_ema", opt(cfg("Adam", map[string]any{"use_ema": true})), "use_ema"},
		{"gradient_accumulation_steps", opt(cfg("Adam", map[string]any{"gradient_accumulation_steps": 4.0})), "gradient accumulation"},
		{"schedule", opt(cfg("Adam", map[string]any{"learning_rate": map[string]any{"class_name": "ExponentialDecay"}})), "schedules"},
		{"multi_label", metric(cfg("AUC", map[string]any{"multi_label": true})), "multi_label"},
		{"label_weights", metric(cfg("AUC", map[string]any{"label_weights": []any{1.0}})), "label_weights"},
		{"several thresholds", metric(cfg("Precision", map[string]any{"thresholds": []any{0.3, 0.6}})), "thresholds"},
		{"non-adjacent softmax axes", softmax.Build(tensor.Shape{2, 3, 4}, nil), "non-adjacent axes [1 3]"},
		{"orthogonal_regularizer", func() error { _, err := GetRegularizer("orthogonal_regularizer"); return err }(), "regularizer orthogonal_regularizer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Error(t, c.err)
			assert.Equal(t, NotImplementedError, ErrorClass(c.err), c.err.Error())
			assert.Contains(t, c.err.Error(), c.want)
			assert.Contains(t, c.err.Error(), "not implemented")
			assert.NotContains(t, c.err.Error(), "nn: ")
		})
	}
	// A bad value of the same keys stays a ValueError.
	_, err = NewLayer(cfg("Dense", map[string]any{"units": 2.0, "dtype": "floaty"}))
	assert.Equal(t, ValueError, ErrorClass(err))
	_, err = GetMetric(cfg("Precision", map[string]any{"thresholds": []any{}}))
	assert.Equal(t, ValueError, ErrorClass(err))
}

// TestRefusedKeysAreNotListedAsTaken: the LoRA/DoRA keys of Dense and the
// refused keys of losses, optimizers and metrics are not among what an
// unknown-argument error says the object takes.
func TestRefusedKeysAreNotListedAsTaken(t *testing.T) {
	for _, c := range []struct {
		make    func() error
		refused []string
	}{
		{func() error {
			_, err := NewLayer(Config{ClassName: "Dense", Config: map[string]any{"units": 2.0, "bogus": 1.0}})
			return err
		},
			[]string{"lora_rank", "lora_alpha", "dora_rank", "dora_alpha"}},
		{func() error {
			_, err := GetLoss(Config{ClassName: "SparseCategoricalCrossentropy", Config: map[string]any{"bogus": 1.0}})
			return err
		}, []string{"ignore_class"}},
		{func() error {
			_, err := GetOptimizer(Config{ClassName: "Adam", Config: map[string]any{"bogus": 1.0}})
			return err
		},
			[]string{"gradient_accumulation_steps"}},
		{func() error {
			_, err := GetMetric(Config{ClassName: "AUC", Config: map[string]any{"bogus": 1.0}})
			return err
		},
			[]string{"num_labels", "label_weights"}},
	} {
		err := c.make()
		require.Error(t, err)
		assert.Contains(t, err.Error(), `unknown argument "bogus"`)
		assert.Contains(t, err.Error(), " takes: ")
		for _, k := range c.refused {
			assert.NotContains(t, err.Error(), k)
		}
	}
}
