package sequential

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// TestFitErrorsLeaveModelUsable: every mistake a caller can make returns an
// error naming it, and a correct fit works right after.
func TestFitErrorsLeaveModelUsable(t *testing.T) {
	x, y := randomClasses(40, 8, 3, 1)
	nanX := x.Clone()
	nanX.Data[17] = float32(math.NaN())
	infY := y.Clone()
	infY.Data[5] = float32(math.Inf(-1))
	labels := tensor.New(40)
	for _, tc := range []struct {
		name string
		x, y *tensor.Tensor
		o    func(*FitOptions)
		want string
	}{
		{"count mismatch", x, y.Rows(0, 30), nil, "x sizes: 40, y sizes: 30"},
		{"input shape", tensor.New(40, 9), y, nil, "expected shape=(None, 8), found shape=(40, 9)"},
		{"target shape", x, tensor.New(40, 4), nil, "y_true has shape (40, 4)"},
		{"sparse labels for categorical", x, labels, nil, "to_categorical"},
		{"NaN in x", nanX, y, nil, "x contains NaN at flat index 17 (sample 2)"},
		{"Inf in y", x, infY, nil, "y contains -Infinity at flat index 5 (sample 1)"},
		{"empty", tensor.New(0, 8), tensor.New(0, 3), nil, "empty"},
		{"nil x", nil, y, nil, "x is nil"},
		{"nil y", x, nil, nil, "y is nil"},
		{"bad data", &tensor.Tensor{Shape: tensor.Shape{40, 8}, Data: make([]float32, 5)}, y, nil, "holds 5 values"},
		{"batch_size", x, y, func(o *FitOptions) { o.BatchSize = -1 }, "batch_size"},
		{"epochs", x, y, func(o *FitOptions) { o.Epochs = -1 }, "epochs"},
		{"validation_split 1", x, y, func(o *FitOptions) { o.ValidationSplit = 1 }, "validation_split"},
		{"validation_split negative", x, y, func(o *FitOptions) { o.ValidationSplit = -0.1 }, "validation_split"},
		{"validation_split NaN", x, y, func(o *FitOptions) { o.ValidationSplit = math.NaN() }, "validation_split"},
		{"verbose", x, y, func(o *FitOptions) { o.Verbose = 3 }, "verbose"},
		{"sample_weight length", x, y, func(o *FitOptions) { o.SampleWeight = make([]float32, 3) }, "sample_weight has 3 values for 40 samples"},
		{"sample_weight NaN", x, y, func(o *FitOptions) {
			o.SampleWeight = make([]float32, 40)
			o.SampleWeight[2] = float32(math.NaN())
		}, "sample_weight contains NaN at flat index 2 (sample 2)"},
		{"class_weight keys", x, y, func(o *FitOptions) { o.ClassWeight = map[int]float64{0: 1, 2: 1} }, "keys from 0"},
		{"class_weight missing class", x, y, func(o *FitOptions) { o.ClassWeight = map[int]float64{0: 1, 1: 1} }, "class 2"},
		{"validation x only", x, y, func(o *FitOptions) { o.ValidationX = x }, "validation_data needs both"},
		{"validation shape", x, y, func(o *FitOptions) { o.ValidationX, o.ValidationY = tensor.New(4, 7), tensor.New(4, 3) }, "validation_data"},
		{"callback error", x, y, func(o *FitOptions) {
			o.Callbacks = []Callback{&LambdaCallback{EpochEnd: func(int, Logs) error { return errors.New("boom") }}}
		}, "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := smallNet(t, 8, 3, 0.5, 1)
			o := quiet()
			if tc.o != nil {
				tc.o(&o)
			}
			before := m.GetWeights()
			_, err := m.Fit(tc.x, tc.y, o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			if tc.name != "callback error" {
				assert.Equal(t, before, m.GetWeights(), "nothing trained")
			}
			h, err := m.Fit(x, y, quiet())
			require.NoError(t, err)
			assert.Len(t, h.History["loss"], 1)
		})
	}
}

func TestFitBeforeCompile(t *testing.T) {
	x, y := randomClasses(10, 8, 3, 1)
	m, err := NewWithLayers("", 1, dense(t, 3, map[string]any{"input_dim": 8}))
	require.NoError(t, err)
	_, err = m.Fit(x, y, quiet())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "compile your model")
	_, err = m.Evaluate(x, y, EvaluateOptions{})
	require.Error(t, err)
	_, err = m.TrainOnBatch(x, y, nil)
	require.Error(t, err)
	_, err = m.Predict(x, 0)
	require.NoError(t, err, "predict needs no compile")

	require.NoError(t, m.Compile(CompileOptions{}))
	assert.Equal(t, "RMSprop", m.Optimizer().Config().ClassName, "Keras's default optimizer")
	_, err = m.Fit(x, y, quiet())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no loss")
	require.NoError(t, m.Compile(CompileOptions{Loss: "mse"}))
	_, err = m.Fit(x, y, quiet())
	require.NoError(t, err)
}

func TestCompileErrors(t *testing.T) {
	m := mlp(t, 1)
	for _, tc := range []struct {
		name string
		o    CompileOptions
		want string
	}{
		{"optimizer", CompileOptions{Optimizer: "rmsprob", Loss: "mse"}, "RMSprop"},
		{"loss", CompileOptions{Loss: "mean_squared_eror"}, `did you mean "mean_squared_error"?`},
		{"metric", CompileOptions{Loss: "mse", Metrics: []any{"accurasy"}}, "accuracy"},
		{"nil metric", CompileOptions{Loss: "mse", Metrics: []any{nil}}, "metrics[0] is nil"},
		{"duplicate metric", CompileOptions{Loss: "mse", Metrics: []any{"accuracy", "accuracy"}}, "same name"},
		{"metric named loss", CompileOptions{Loss: "mse", Metrics: []any{MetricFunc{Name: "loss", Fn: meanPred.Fn}}}, "same name"},
		{"metric func without name", CompileOptions{Loss: "mse", Metrics: []any{MetricFunc{Fn: meanPred.Fn}}}, "Name"},
		{"optimizer arg", CompileOptions{Optimizer: map[string]any{"class_name": "SGD", "config": map[string]any{"lr": -1.0}}, Loss: "mse"}, "learning_rate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := m.Compile(tc.o)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Weighted metrics that clash with a metric's name get "weighted_".
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}, WeightedMetrics: []any{"accuracy"}}))
	assert.Equal(t, []string{"loss", "accuracy", "weighted_accuracy"}, m.MetricsNames())
}

// panicky is a layer that panics in Forward when armed.
type panicky struct {
	nn.LayerBase
	armed bool
}

func (p *panicky) Build(tensor.Shape, *tensor.RNG) error { return nil }
func (p *panicky) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	return in.Clone(), nil
}
func (p *panicky) Forward(x *tensor.Tensor, _ bool) *tensor.Tensor {
	if p.armed {
		panic("nn: panicky: broken on purpose")
	}
	return x
}
func (p *panicky) Backward(dy *tensor.Tensor, _ bool) *tensor.Tensor { return dy }
func (p *panicky) Params() []*nn.Param                               { return nil }
func (p *panicky) Config() nn.Config                                 { return nn.Config{ClassName: "Panicky"} }

// TestPanicsBecomeErrors: a panic inside a layer reaches the caller as a
// *PanicError; the model stays usable.
func TestPanicsBecomeErrors(t *testing.T) {
	x, y := randomClasses(10, 8, 3, 1)
	p := &panicky{LayerBase: nn.LayerBase{ClassName: "Panicky", Trainable: true}}
	m, err := NewWithLayers("", 1, dense(t, 3, map[string]any{"input_dim": 8}), p, activation(t, "softmax"))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy"}))
	p.armed = true
	var pe *PanicError
	_, err = m.Fit(x, y, quiet())
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "Fit", pe.Op)
	assert.Contains(t, err.Error(), "broken on purpose")
	_, err = m.Predict(x, 0)
	require.ErrorAs(t, err, &pe)
	_, err = m.Evaluate(x, y, EvaluateOptions{})
	require.ErrorAs(t, err, &pe)
	p.armed = false
	_, err = m.Fit(x, y, quiet())
	require.NoError(t, err)
}

func TestPredictErrors(t *testing.T) {
	m := mlp(t, 1)
	for _, tc := range []struct {
		name string
		x    *tensor.Tensor
		bs   int
		want string
	}{
		{"nil", nil, 0, "x is nil"},
		{"shape", tensor.New(3, 785), 0, "expected shape=(None, 784)"},
		{"rank", tensor.New(3, 28, 28), 0, "expected shape=(None, 784)"},
		{"batch_size", tensor.New(3, 784), -2, "batch_size"},
		{"empty", tensor.New(0, 784), 0, "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.Predict(tc.x, tc.bs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// A vector is one feature per sample, as tf.keras's expand_1d.
	m1, err := NewWithLayers("", 1, dense(t, 2, map[string]any{"input_dim": 1}))
	require.NoError(t, err)
	p, err := m1.Predict(tensor.New(5), 0)
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{5, 2}, p.Shape)
}

// TestFixedBatchSize: batch_input_shape=(4, ...) fixes the batch size.
func TestFixedBatchSize(t *testing.T) {
	m, err := NewWithLayers("", 1, dense(t, 3, map[string]any{"batch_input_shape": []any{4, 8}}), activation(t, "softmax"))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy"}))
	x, y := randomClasses(12, 8, 3, 1)
	o := quiet()
	o.BatchSize = 0
	_, err = m.Fit(x, y, o)
	require.NoError(t, err)
	o.BatchSize = 32
	_, err = m.Fit(x, y, o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fixed batch size of 4")
	_, err = m.Predict(x.Rows(0, 10), 4)
	require.Error(t, err)
}
