package sequential

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// script returns a callback that writes values[epoch] into logs[key] at
// the end of each epoch, so that the callbacks after it watch a scripted
// value; and it records the weights at each epoch's end.
func script(m **Model, key string, values []float64, weights *[][]*tensor.Tensor) Callback {
	return &LambdaCallback{EpochEnd: func(e int, logs Logs) error {
		logs[key] = values[e]
		if weights != nil {
			*weights = append(*weights, (*m).GetWeights())
		}
		return nil
	}}
}

func TestEarlyStoppingRestoresBestWeights(t *testing.T) {
	x, y := randomClasses(64, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var weights [][]*tensor.Tensor
	es, err := NewEarlyStopping(map[string]any{"monitor": "score", "patience": 2, "restore_best_weights": true, "verbose": 1})
	require.NoError(t, err)
	var out bytes.Buffer
	o := quiet()
	o.Epochs, o.Out = 10, &out
	o.Callbacks = []Callback{script(&m, "score", []float64{1, 0.5, 0.7, 0.8, 0.9, 1, 1, 1, 1, 1}, &weights), es}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2, 3}, h.Epoch, "no improvement for 2 epochs after epoch 1")
	assert.Equal(t, 3, es.StoppedEpoch())
	assert.Equal(t, 1, es.BestEpoch())
	assert.Equal(t, weights[1], m.GetWeights(), "the weights of the best epoch are back")
	assert.NotEqual(t, weights[3], m.GetWeights())
	assert.Equal(t, "Epoch 4: early stopping\nRestoring model weights from the end of the best epoch: 2.\n", out.String())
}

func TestEarlyStoppingModes(t *testing.T) {
	for _, tc := range []struct {
		name    string
		es      EarlyStopping
		values  []float64
		stopped int // epochs run
	}{
		{"auto min for loss", EarlyStopping{Monitor: "val_loss"}, []float64{1, 2, 3, 4}, 2},
		{"auto max for accuracy", EarlyStopping{Monitor: "val_accuracy"}, []float64{1, 2, 3, 2, 1}, 4},
		{"max", EarlyStopping{Monitor: "x", Mode: "max", Patience: 1}, []float64{1, 2, 3, 3, 3}, 4},
		{"min_delta", EarlyStopping{Monitor: "x", Mode: "min", MinDelta: 0.5, Patience: 1}, []float64{1, 0.8, 0.6, 0.4, 0.2}, 2},
		{"baseline never beaten", EarlyStopping{Monitor: "x", Mode: "min", Patience: 2, Baseline: ptr(0.1)}, []float64{1, 1, 1, 0.7, 0.6}, 2},
		{"start_from_epoch", EarlyStopping{Monitor: "x", Mode: "min", StartFromEpoch: 3}, []float64{1, 2, 3, 4, 5, 6}, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := randomClasses(16, 8, 3, 1)
			m := smallNet(t, 8, 3, 0, 1)
			es := tc.es
			o := quiet()
			o.Epochs = len(tc.values)
			o.Callbacks = []Callback{script(&m, tc.es.Monitor, tc.values, nil), &es}
			h, err := m.Fit(x, y, o)
			require.NoError(t, err)
			assert.Len(t, h.Epoch, tc.stopped)
		})
	}
	bad := &EarlyStopping{Mode: "maximum"}
	x, y := randomClasses(16, 8, 3, 1)
	o := quiet()
	o.Callbacks = []Callback{bad}
	_, err := smallNet(t, 8, 3, 0, 1).Fit(x, y, o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"auto", "min" or "max"`)
}

func ptr(f float64) *float64 { return &f }

func TestReduceLROnPlateau(t *testing.T) {
	x, y := randomClasses(16, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	r, err := NewReduceLROnPlateau(map[string]any{"monitor": "score", "patience": 2, "factor": 0.5, "verbose": 1})
	require.NoError(t, err)
	var out bytes.Buffer
	o := quiet()
	o.Epochs, o.Out = 6, &out
	o.Callbacks = []Callback{script(&m, "score", []float64{1, 1, 1, 1, 1, 1}, nil), r}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	f := func(v float64) float64 { return float64(float32(v)) }
	assert.Equal(t, []float64{f(0.001), f(0.001), f(0.001), f(0.0005), f(0.0005), f(0.00025)}, h.History["lr"])
	assert.Equal(t, f(f(f(0.001)*0.5)*0.5), m.Optimizer().LearningRate())
	assert.Contains(t, out.String(), "\nEpoch 3: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257.\n")

	// min_lr is a floor. Keras counts the cooldown down before it checks it,
	// so cooldown=1 waits no epoch.
	m = smallNet(t, 8, 3, 0, 1)
	r = &ReduceLROnPlateau{Monitor: "score", Factor: 0.5, Patience: 1, MinLR: 0.0004, Cooldown: 1}
	o.Callbacks = []Callback{script(&m, "score", []float64{1, 1, 1, 1, 1, 1}, nil), r}
	h, err = m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, []float64{f(0.001), f(0.001), f(0.0005), f(0.0004), f(0.0004), f(0.0004)}, h.History["lr"])

	_, err = NewCallback(nn.Config{ClassName: "ReduceLROnPlateau", Config: map[string]any{"factor": 1.0}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "factor >= 1.0")
}

func TestLearningRateScheduler(t *testing.T) {
	x, y := randomClasses(16, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var seen []float64
	s, err := NewLearningRateScheduler(func(epoch int, lr float64) (float64, error) {
		if epoch == 0 {
			return lr, nil
		}
		return lr / 2, nil
	}, nil)
	require.NoError(t, err)
	spy := &LambdaCallback{BatchBegin: func(b int, _ Logs) error {
		if b == 0 {
			seen = append(seen, m.Optimizer().LearningRate())
		}
		return nil
	}}
	o := quiet()
	o.Epochs, o.Callbacks = 3, []Callback{s, spy}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	f := func(v float64) float64 { return float64(float32(v)) }
	assert.Equal(t, []float64{f(0.001), f(f(0.001) / 2), f(f(f(0.001)/2) / 2)}, seen)
	assert.Len(t, h.History["lr"], 3)

	s.Schedule = func(int, float64) (float64, error) { return 0, fmt.Errorf("no schedule today") }
	_, err = m.Fit(x, y, o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no schedule today")
	assert.Contains(t, err.Error(), "on_epoch_begin")
}

func TestTerminateOnNaN(t *testing.T) {
	x, y := randomData(64, 4, 3)
	calls := 0
	nanAfter := func(yTrue, yPred *tensor.Tensor) ([]float32, error) {
		calls++
		out := make([]float32, yTrue.Shape[0])
		for i := range out {
			d := yTrue.Data[i] - yPred.Data[i]
			out[i] = d * d
			if calls > 3 {
				out[i] = float32(nan())
			}
		}
		return out, nil
	}
	m, err := NewWithLayers("", 1, dense(t, 1, map[string]any{"input_dim": 4}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: LossFunc{Name: "nan_after_3", Fn: nanAfter,
		Grad: func(d, _, _ *tensor.Tensor) error { d.Zero(); return nil }}}))
	batches := 0
	var out bytes.Buffer
	o := quiet()
	o.Epochs, o.BatchSize, o.Out = 5, 8, &out
	o.Callbacks = []Callback{&LambdaCallback{BatchEnd: func(int, Logs) error { batches++; return nil }}, &TerminateOnNaN{}}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, 4, batches)
	assert.Equal(t, []int{0}, h.Epoch)
	assert.Equal(t, "Batch 3: Invalid loss, terminating training\n", out.String())
}

func TestCSVLogger(t *testing.T) {
	x, y := randomClasses(16, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var buf bytes.Buffer
	o := quiet()
	o.Epochs, o.ValidationSplit = 2, 0.25
	csv, err := NewCSVLogger(&buf, map[string]any{"separator": ";"})
	require.NoError(t, err)
	o.Callbacks = []Callback{csv}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	var want strings.Builder
	want.WriteString("epoch;accuracy;loss;val_accuracy;val_loss\r\n")
	for e := 0; e < 2; e++ {
		fmt.Fprintf(&want, "%d;%s;%s;%s;%s\r\n", e, pyFloat(h.History["accuracy"][e]), pyFloat(h.History["loss"][e]),
			pyFloat(h.History["val_accuracy"][e]), pyFloat(h.History["val_loss"][e]))
	}
	assert.Equal(t, want.String(), buf.String())

	// Append continues a log: no second header.
	buf.Reset()
	csv, err = NewCSVLogger(&buf, map[string]any{"append": true})
	require.NoError(t, err)
	o.Callbacks = []Callback{csv}
	_, err = m.Fit(x, y, o)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(buf.String(), "0,"), buf.String())

	// To a file, as Keras's CSVLogger(filename).
	path := t.TempDir() + "/log.csv"
	cb, err := NewCallback(nn.Config{ClassName: "CSVLogger", Config: map[string]any{"filename": path}})
	require.NoError(t, err)
	o.Callbacks = []Callback{cb}
	_, err = m.Fit(x, y, o)
	require.NoError(t, err)
	cb2, err := NewCallback(nn.Config{ClassName: "CSVLogger", Config: map[string]any{"filename": path, "append": true}})
	require.NoError(t, err)
	o.Callbacks = []Callback{cb2}
	_, err = m.Fit(x, y, o)
	require.NoError(t, err)
	data := readFile(t, path)
	assert.Equal(t, 1, strings.Count(data, "epoch,"))
	assert.Equal(t, 5, strings.Count(data, "\r\n"))
}

func TestNewCallback(t *testing.T) {
	cb, err := NewCallback(nn.Config{ClassName: "EarlyStopping", Config: map[string]any{
		"monitor": "val_accuracy", "patience": 3.0, "min_delta": 0.01, "mode": "max", "baseline": 0.5,
		"restore_best_weights": true, "start_from_epoch": 2.0, "verbose": 1.0}})
	require.NoError(t, err)
	es := cb.(*EarlyStopping)
	assert.Equal(t, EarlyStopping{Monitor: "val_accuracy", Patience: 3, MinDelta: 0.01, Mode: "max", Baseline: ptr(0.5),
		RestoreBestWeights: true, StartFromEpoch: 2, Verbose: 1}, *es)
	cb, err = NewCallback(nn.Config{ClassName: "ReduceLROnPlateau", Config: map[string]any{"epsilon": 0.01}})
	require.NoError(t, err)
	assert.Equal(t, ReduceLROnPlateau{Monitor: "val_loss", Factor: 0.1, Patience: 10, Mode: "auto", MinDelta: 0.01}, *cb.(*ReduceLROnPlateau))
	for _, c := range []string{"TerminateOnNaN", "History", "ProgbarLogger"} {
		_, err := NewCallback(nn.Config{ClassName: c})
		require.NoError(t, err, c)
	}
	for _, tc := range []struct {
		c    nn.Config
		want string
	}{
		{nn.Config{ClassName: "TensorBoard"}, "EarlyStopping"},
		{nn.Config{ClassName: "BackupAndRestore"}, "keras.callbacks.BackupAndRestore"},
		{nn.Config{ClassName: "ModelCheckpoint"}, "Model.Save"},
		{nn.Config{ClassName: "LearningRateScheduler"}, "NewLearningRateScheduler"},
		{nn.Config{ClassName: "EarlyStopping", Config: map[string]any{"patients": 3.0}}, "patients"},
		{nn.Config{ClassName: "EarlyStopping", Config: map[string]any{"mode": "maximum"}}, "mode"},
		{nn.Config{ClassName: "CSVLogger"}, "filename"},
	} {
		_, err := NewCallback(tc.c)
		require.Error(t, err, tc.c.ClassName)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestPyFloat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0.1, "0.1"}, {100, "100.0"}, {1e-5, "1e-05"}, {0.0001, "0.0001"}, {1.5e16, "1.5e+16"},
		{1e15, "1000000000000000.0"}, {-2.5, "-2.5"}, {0, "0.0"}, {nan(), "nan"},
		{float64(float32(0.0005)), "0.0005000000237487257"}, {0.6931471805599453, "0.6931471805599453"},
	} {
		assert.Equal(t, tc.want, pyFloat(tc.v), "%v", tc.v)
	}
}
