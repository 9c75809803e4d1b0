package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// lcg is the data generator the JS tests share (js/test/helpers.mjs): a
// 32-bit linear congruential generator, so both sides make the same data.
type lcg uint32

func (g *lcg) next() float64 {
	*g = lcg(uint32(*g)*1664525 + 1013904223)
	return float64(uint32(*g)) / 4294967296
}

// binaryData makes n samples of d features in [0, 1) and a label that is 1
// when the first ten features sum to more than 5 (learnable, so loss falls).
func binaryData(seed uint32, n, d int) (x, y *tensor.Tensor) {
	g := lcg(seed)
	x, y = tensor.New(n, d), tensor.New(n, 1)
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < d; j++ {
			v := float32(g.next())
			x.Data[i*d+j] = v
			if j < 10 {
				s += float64(v)
			}
		}
		if s > 5 {
			y.Data[i] = 1
		}
	}
	return x, y
}

// seedBinaryModel is the user's binary example as the JS package sends it.
func seedBinaryModel(t *testing.T, rt *Runtime) int {
	t.Helper()
	h, err := rt.NewModel(`{"name": null}`)
	require.NoError(t, err)
	require.NoError(t, rt.Add(h, `{"class_name": "Dense", "config": {"units": 32, "activation": "relu", "input_dim": 100}}`))
	require.NoError(t, rt.Add(h, `{"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}`))
	return h
}

// meanPred is mean_pred(y_true, y_pred) = K.mean(y_pred) as JS computes it.
func meanPred(i int, yTrue, yPred *tensor.Tensor) ([]float32, error) {
	s := 0.0
	for _, v := range yPred.Data {
		s += float64(v)
	}
	return []float32{float32(s / float64(len(yPred.Data)))}, nil
}

func fit(t *testing.T, rt *Runtime, h int, x, y *tensor.Tensor, opts string, ex Extras) (*sequential.History, error) {
	t.Helper()
	run, err := rt.PrepareFit(h, x, y, opts, ex)
	if err != nil {
		return nil, err
	}
	return run()
}

func TestFitTrainsAndLogsLikeKeras(t *testing.T) {
	rt := NewRuntime()
	rt.SetRandomSeed(7)
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"optimizer": "rmsprop", "loss": "binary_crossentropy",
		"metrics": ["accuracy", {"__js_fn__": 0, "name": "mean_pred"}]}`, meanPred))
	x, y := binaryData(1, 256, 100)
	hist, err := fit(t, rt, h, x, y, `{"epochs": 5, "batch_size": 32, "verbose": 0, "validation_split": 0.25}`, Extras{})
	require.NoError(t, err)
	for _, k := range []string{"loss", "accuracy", "mean_pred", "val_loss", "val_accuracy", "val_mean_pred"} {
		assert.Len(t, hist.History[k], 5, k)
	}
	loss := hist.History["loss"]
	assert.Less(t, loss[4], loss[0], "loss falls: %v", loss)
	var info modelInfo
	s, err := rt.Info(h)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(s), &info))
	assert.Equal(t, []string{"loss", "accuracy", "mean_pred"}, info.MetricsNames)
	assert.Equal(t, []any{nil, 100.0}, info.InputShape)
	assert.Equal(t, []any{nil, 1.0}, info.OutputShape)
	require.Len(t, info.Layers, 2)
	assert.Equal(t, "dense_1", info.Layers[1].Name)
	assert.Equal(t, []int{100, 32}, info.Layers[0].Weights[0].Shape)
}

func TestSecondFitIsRefusedWhileTheFirstRuns(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"loss": "mse"}`, nil))
	x, y := binaryData(2, 64, 100)
	inHook, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	hook := func(cb int, name string, step, batch int, logs sequential.Logs, order []string, canWait bool) error {
		once.Do(func() { close(inHook); <-release })
		return nil
	}
	run, err := rt.PrepareFit(h, x, y, `{"epochs": 1, "verbose": 0}`, Extras{Callbacks: `[{"js": 0, "hooks": ["train_batch_end"]}]`, Hook: hook})
	require.NoError(t, err)
	done := make(chan error)
	go func() { _, err := run(); done <- err }()
	<-inHook
	_, err = rt.PrepareFit(h, x, y, `{"verbose": 0}`, Extras{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already training")
	for name, call := range map[string]func() error{
		"add":      func() error { return rt.Add(h, `{"class_name": "Dense", "config": {"units": 1}}`) },
		"compile":  func() error { return rt.Compile(h, `{"loss": "mse"}`, nil) },
		"evaluate": func() error { _, err := rt.Evaluate(h, x, y, `{}`, Extras{}); return err },
	} {
		err := call()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "is training", name)
	}
	_, err = rt.Predict(h, x, `{}`, Extras{})
	assert.NoError(t, err, "predict is allowed between batches, as in a Keras callback")
	close(release)
	require.NoError(t, <-done)
	_, err = fit(t, rt, h, x, y, `{"verbose": 0}`, Extras{})
	assert.NoError(t, err, "a fit after the first ends is fine")
}

func TestDispose(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Dispose(h))
	require.NoError(t, rt.Dispose(h), "disposing twice is harmless")
	assert.Equal(t, 0, rt.Models())
	_, err := rt.Summary(h)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disposed")
	err = rt.Add(12345, `{"class_name": "Dense", "config": {"units": 1}}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no model has handle 12345")
}

func TestDisposeDuringFitStopsItAndRejects(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"loss": "mse"}`, nil))
	x, y := binaryData(3, 64, 100)
	batches := 0
	hook := func(cb int, name string, step, batch int, logs sequential.Logs, order []string, canWait bool) error {
		batches++
		if batches == 1 {
			require.NoError(t, rt.Dispose(h))
		}
		return nil
	}
	_, err := fit(t, rt, h, x, y, `{"epochs": 50, "verbose": 0}`, Extras{Callbacks: `[{"js": 0, "hooks": ["train_batch_end"]}]`, Hook: hook})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "disposed during fit")
	assert.Equal(t, 1, batches, "fit stopped after the batch that disposed it")
	assert.Equal(t, 0, rt.Models())
}

func TestUserErrorsAreErrorsAndTheRuntimeGoesOn(t *testing.T) {
	rt := NewRuntime()
	x, y := binaryData(4, 32, 100)
	tests := []struct {
		name string
		run  func(h int) error
		want []string
	}{
		{"unknown layer", func(h int) error { return rt.Add(h, `{"class_name": "Dense2", "config": {}}`) }, []string{"add:", "Dense2", "Dense"}},
		{"bad argument", func(h int) error { return rt.Add(h, `{"class_name": "Dense", "config": {"units": "NaN"}}`) }, []string{"units", `"NaN"`}},
		{"unknown optimizer", func(h int) error { return rt.Compile(h, `{"optimizer": "sgdd", "loss": "mse"}`, nil) }, []string{"sgdd", "SGD"}},
		{"unknown loss", func(h int) error { return rt.Compile(h, `{"loss": "msee"}`, nil) }, []string{"msee"}},
		{"loss_weights", func(h int) error { return rt.Compile(h, `{"loss": "mse", "loss_weights": [1]}`, nil) }, []string{"loss_weights", "not implemented"}},
		{"fit before compile", func(h int) error { _, err := fit(t, rt, h, x, y, `{"verbose": 0}`, Extras{}); return err }, []string{"fit:", "compile"}},
		{"unknown fit option", func(h int) error {
			_, err := fit(t, rt, h, x, y, `{"epoch": 3}`, Extras{})
			return err
		}, []string{"epoch"}},
		{"bad yield_every", func(h int) error {
			_, err := fit(t, rt, h, x, y, `{}`, Extras{YieldEvery: "often"})
			return err
		}, []string{"yield_every", "often"}},
		{"unknown callback", func(h int) error {
			_, err := fit(t, rt, h, x, y, `{}`, Extras{Callbacks: `[{"config": {"class_name": "EarlyStop", "config": {}}}]`})
			return err
		}, []string{"EarlyStop", "EarlyStopping"}},
		{"predict verbose", func(h int) error { _, err := rt.Predict(h, x, `{"verbose": 3}`, Extras{}); return err }, []string{"verbose", "Received: verbose=3"}},
		{"set_weights count", func(h int) error { return rt.SetWeights(h, -1, []*tensor.Tensor{tensor.New(2)}) }, []string{"length 1", "expecting 4"}},
		{"layer set_weights shape", func(h int) error { return rt.SetWeights(h, 0, []*tensor.Tensor{tensor.New(2), tensor.New(32)}) }, []string{"shape (100, 32)", "(2,)"}},
		{"learning rate before compile", func(h int) error { _, err := rt.LearningRate(h); return err }, []string{"compile first"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := seedBinaryModel(t, rt)
			err := tt.run(h)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	h := seedBinaryModel(t, rt)
	require.NoError(t, rt.Compile(h, `{"loss": "binary_crossentropy"}`, nil))
	hist, err := fit(t, rt, h, x, y, `{"epochs": 2, "verbose": 0}`, Extras{})
	require.NoError(t, err, "the same runtime trains a fresh model after all those errors")
	assert.Len(t, hist.History["loss"], 2)
}

func TestGuardTurnsAPanicIntoAnError(t *testing.T) {
	var stack strings.Builder
	panicOut = &stack
	defer func() { panicOut = os.Stderr }()
	f := func() (err error) {
		defer guard("op", &err)
		var m map[string]int
		m["x"] = 1
		return nil
	}
	err := f()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "op: internal error")
	assert.Contains(t, err.Error(), "please report")
	assert.Contains(t, stack.String(), "goroutine", "the stack goes to the console for the bug report")
}

func TestUserFunctionErrorsStopFit(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	failing := func(i int, yTrue, yPred *tensor.Tensor) ([]float32, error) {
		return nil, errors.New("custom metric mean_pred threw: boom")
	}
	require.NoError(t, rt.Compile(h, `{"loss": "mse", "metrics": [{"__js_fn__": 0, "name": "mean_pred"}]}`, failing))
	x, y := binaryData(5, 32, 100)
	_, err := fit(t, rt, h, x, y, `{"verbose": 0}`, Extras{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mean_pred threw: boom")
}
