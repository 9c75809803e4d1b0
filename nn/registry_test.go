package nn

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSnakeCase checks Keras 2's to_snake_case answers (tf_keras
// generic_utils, which TF.js copies), default layer names among them.
func TestSnakeCase(t *testing.T) {
	for _, tc := range []struct{ class, want string }{
		{"Dense", "dense"},
		{"Conv2D", "conv2d"},
		{"ReLU", "re_lu"},
		{"LeakyReLU", "leaky_re_lu"},
		{"GlobalAveragePooling2D", "global_average_pooling2d"},
		{"MaxPooling2D", "max_pooling2d"},
		{"Conv2DTranspose", "conv2d_transpose"},
		{"BatchNormalization", "batch_normalization"},
		{"SimpleRNN", "simple_rnn"},
		{"LSTM", "lstm"},
		{"GlorotUniform", "glorot_uniform"},
		{"L1L2", "l1_l2"},
		{"KLDivergence", "kl_divergence"},
		{"TopKCategoricalAccuracy", "top_k_categorical_accuracy"},
		{"ReduceLROnPlateau", "reduce_lr_on_plateau"},
		{"RMSprop", "rm_sprop"}, // Keras's own answer
		{"AUC", "auc"},
		{"_Private", "private__private"}, // a leading underscore gets "private"
	} {
		t.Run(tc.class, func(t *testing.T) { assert.Equal(t, tc.want, SnakeCase(tc.class)) })
	}
}

// errText is err's message, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// probeBase holds the arguments a class needs before it reads the others.
var probeBase = map[string]map[string]any{"MeanMetricWrapper": {"fn": "mse"}}

// withKey returns a copy of m with key set to v.
func withKey(m map[string]any, key string, v any) map[string]any {
	out := map[string]any{key: v}
	for k, x := range m {
		out[k] = x
	}
	return out
}

// blames reports whether err (or any error it joins) is an ArgError about key.
func blames(err error, key string) bool {
	if ae, ok := err.(*ArgError); ok && ae.Key == key {
		return true
	}
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range m.Unwrap() {
			if blames(e, key) {
				return true
			}
		}
	}
	if u := errors.Unwrap(err); u != nil {
		return blames(u, key)
	}
	return false
}

// checkSignatures checks that every class of r reads each argument of its
// signature: a config holding the argument as null (absent to Args, but a
// key that Err calls unknown unless it was read) must fail exactly as the
// config without it does, or blame that very argument.
func checkSignatures[T any](t *testing.T, r *registry[T]) {
	for _, e := range r.catalog() {
		require.NotNil(t, e.Args, "%s %s has no signature", r.kind, e.Name)
		seen := map[string]bool{}
		for _, a := range e.Args {
			assert.False(t, seen[a], "%s %s lists %s twice", r.kind, e.Name, a)
			seen[a] = true
		}
		if e.Function { // a function's arguments are its call arguments, not config keys
			continue
		}
		_, base := r.ctors[e.Name](probeBase[e.Name])
		for _, a := range e.Args {
			_, err := r.ctors[e.Name](withKey(probeBase[e.Name], a, nil))
			if !blames(err, a) {
				assert.Equal(t, errText(base), errText(err), "%s %s does not read its positional argument %s", r.kind, e.Name, a)
			}
		}
	}
}

func TestCatalogSignaturesAreReadByTheConstructors(t *testing.T) {
	checkSignatures(t, layers)
	checkSignatures(t, optimizers)
	checkSignatures(t, losses)
	checkSignatures(t, metrics)
	checkSignatures(t, activations)
	checkSignatures(t, initializers)
	checkSignatures(t, regularizers)
	checkSignatures(t, constraints)
}

// TestCheckSignaturesFails shows that the signature check catches an
// argument a constructor never reads.
func TestCheckSignaturesFails(t *testing.T) {
	r := newRegistry[int]("thing", "things")
	r.add("Thing", []string{"size", "colour"}, func(m map[string]any) (int, error) {
		a := NewArgs("Thing", m)
		return a.Int("size", 1), a.Err()
	})
	ft := &testing.T{}
	done := make(chan struct{})
	go func() { defer close(done); checkSignatures(ft, r) }()
	<-done
	assert.True(t, ft.Failed(), "colour is never read")
}

func TestCatalogEntries(t *testing.T) {
	byName := map[string]map[string]Entry{}
	for kind, entries := range Catalog() {
		byName[kind] = map[string]Entry{}
		for _, e := range entries {
			byName[kind][e.Name] = e
		}
	}
	assert.Equal(t, []string{"Convolution2D"}, byName[KindLayers]["Conv2D"].Aliases)
	assert.Equal(t, []string{"MaxPool2D"}, byName[KindLayers]["MaxPooling2D"].Aliases)
	assert.Equal(t, denseArgs, byName[KindLayers]["Dense"].Args)
	assert.ElementsMatch(t, []string{"mean_squared_error", "mse"}, byName[KindLosses]["MeanSquaredError"].Functions)
	assert.Equal(t, []string{"glorot_uniform"}, byName[KindInitializers]["GlorotUniform"].Functions)
	assert.Equal(t, []string{"l1_l2"}, byName[KindRegularizers]["L1L2"].Functions)
	assert.Equal(t, []string{"max_norm"}, byName[KindConstraints]["MaxNorm"].Functions)
	assert.True(t, byName[KindActivations]["relu"].Function)
	assert.True(t, byName[KindMetrics]["binary_accuracy"].Function)
	assert.False(t, byName[KindMetrics]["BinaryAccuracy"].Function)
	assert.Equal(t, []string{"learning_rate", "momentum", "nesterov"}, byName[KindOptimizers]["SGD"].Args)

	// No name is both offered and listed as not implemented.
	for kind, missing := range NotImplementedNames() {
		for _, m := range missing {
			for _, e := range byName[kind] {
				for _, n := range e.names() {
					assert.NotEqual(t, normalizeName(m), normalizeName(n), "%s %s", kind, m)
				}
			}
		}
	}
	assert.Contains(t, NotImplementedNames()[KindLayers], "ConvLSTM2D")
	assert.Contains(t, NotImplementedNames()[KindRegularizers], "orthogonal_regularizer")
}

func TestUnknownNamesListTheSpellingFamily(t *testing.T) {
	for _, tc := range []struct {
		name       string
		get        func() error
		suggestion string
		family     string
		has, lacks []string
	}{
		{"loss function", func() error { _, err := GetLoss("msee"); return err }, "mse", "loss functions",
			[]string{"mse", "mean_squared_error", "categorical_crossentropy"}, []string{"MeanSquaredError"}},
		{"loss class", func() error { _, err := GetLoss("MeanSquaredEror"); return err }, "MeanSquaredError", "loss classes",
			[]string{"MeanSquaredError", "CategoricalCrossentropy"}, []string{"mse", "categorical_crossentropy"}},
		{"optimizer", func() error { _, err := GetOptimizer("adamm"); return err }, "adam", "optimizers",
			[]string{"Adam", "SGD", "RMSprop"}, nil},
		{"optimizer class", func() error { _, err := GetOptimizer("Adamm"); return err }, "Adam", "optimizers",
			[]string{"Adam", "SGD", "RMSprop"}, nil},
		{"layer", func() error { _, err := NewLayer(Config{ClassName: "Dence"}); return err }, "Dense", "layers",
			[]string{"Dense", "Conv2D"}, []string{"ConvLSTM2D"}},
		{"activation", func() error { _, err := GetActivation("relux"); return err }, "relu", "activations",
			[]string{"relu", "softmax"}, nil},
		{"metric function", func() error { _, err := GetMetric("acuracy"); return err }, "accuracy", "metric functions",
			[]string{"binary_accuracy", "mse"}, []string{"BinaryAccuracy"}},
		{"initializer", func() error { _, err := GetInitializer("glorot_unifrom"); return err }, "glorot_uniform", "initializer functions",
			[]string{"he_normal", "zeros"}, []string{"GlorotUniform"}},
		{"far from everything", func() error { _, err := GetLoss("zzzzzzzzzzzz"); return err }, "", "loss functions",
			[]string{"mse"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.get()
			var un *UnknownNameError
			require.ErrorAs(t, err, &un)
			assert.Equal(t, tc.suggestion, un.Suggestion)
			assert.Equal(t, tc.family, un.Family)
			for _, h := range tc.has {
				assert.Contains(t, un.Valid, h)
			}
			for _, l := range tc.lacks {
				assert.NotContains(t, un.Valid, l)
			}
			msg := err.Error()
			assert.False(t, strings.HasPrefix(msg, "nn: "), msg)
			if tc.suggestion != "" {
				assert.Contains(t, msg, `did you mean "`+tc.suggestion+`"?`)
			} else {
				assert.NotContains(t, msg, "did you mean")
			}
			assert.Equal(t, ValueError, ErrorClass(err))
		})
	}
}

func TestNotImplementedClasses(t *testing.T) {
	for _, tc := range []struct {
		name string
		get  func() error
		what string
	}{
		{"ConvLSTM2D config", func() error {
			_, err := NewLayer(Config{ClassName: "ConvLSTM2D", Config: map[string]any{"units": 4.0}})
			return err
		}, "the layer ConvLSTM2D"},
		{"ConvLSTM2D name", func() error { _, err := GetLayer("ConvLSTM2D"); return err }, "the layer ConvLSTM2D"},
		{"convlstm2d, any case", func() error { _, err := GetLayer("convlstm2d"); return err }, "the layer ConvLSTM2D"},
		{"config dict", func() error { _, err := GetLayer(map[string]any{"class_name": "AveragePooling3D"}); return err }, "the layer AveragePooling3D"},
		{"Keras 2 alias", func() error { _, err := GetLayer("AvgPool3D"); return err }, "the layer AvgPool3D"},
		{"loss function", func() error { _, err := GetLoss("binary_focal_crossentropy"); return err }, "the loss binary_focal_crossentropy"},
		{"optimizer", func() error { _, err := GetOptimizer("Ftrl"); return err }, "the optimizer Ftrl"},
		{"metric", func() error { _, err := GetMetric("F1Score"); return err }, "the metric F1Score"},
		{"regularizer", func() error { _, err := GetRegularizer("orthogonal_regularizer"); return err }, "the regularizer orthogonal_regularizer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.get()
			var ni *NotImplemented
			require.True(t, errors.As(err, &ni), "%v", err)
			assert.Equal(t, tc.what, ni.What)
			assert.Contains(t, err.Error(), tc.what+" is not implemented in keraswasm")
			assert.Equal(t, NotImplementedError, ErrorClass(err))
		})
	}
	_, err := GetLayer("ConvLSTM2D")
	assert.Contains(t, err.Error(), "Dense", "the hint lists the layers there are")
}

func TestNearestNormalizedName(t *testing.T) {
	names := []string{"mse", "mae", "mean_squared_error", "hinge"}
	assert.Equal(t, "mse", nearest("msee", names))
	assert.Equal(t, "mean_squared_error", nearest("Mean_Squared_Eror", names))
	assert.Equal(t, "", nearest("poisson", names))
}
