package sequential

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// FuzzModel holds the model's promise "bad input never kills the runtime"
// end to end: a model JSON (FromJSON), a loss, optimizer and metric by name
// (Compile), then Fit, Evaluate and Predict on tiny random data of the
// model's input shape (None dimensions filled in) with targets of several
// kinds, some of the wrong shape. Errors are fine; a panic, or a *PanicError
// recovered at an entry point, fails the target: it means a check is
// missing. The seed corpus runs with go test; explore with
//
//	go test -run '^$' -fuzz FuzzModel -parallel 1 ./sequential/
//
// The model's memory limit is fzMemLimit, so that huge layers are refused
// (by the memory check) rather than allocated, and data beyond
// fzMaxSampleElems values per sample is not made.
func FuzzModel(f *testing.F) {
	for _, s := range fzSeeds {
		f.Add(s.model, s.loss, s.optimizer, s.metric, uint8(4), uint8(3), uint8(2), uint8(0), s.yMode, uint64(1))
		f.Add(s.model, s.loss, s.optimizer, s.metric, uint8(7), uint8(6), uint8(3), uint8(1), s.yMode+3, uint64(2))
	}
	f.Fuzz(func(t *testing.T, model, loss, optimizer, metric string, samples, none, batch, split, yMode uint8, seed uint64) {
		var opt, met any
		if optimizer != "" {
			opt = optimizer
		}
		if metric != "" {
			met = metric
		}
		fzRun(t, fzCase{model, loss, opt, met, samples, none, batch, split, yMode, seed})
	})
}

// fzCase is one run of the model fuzz targets.
type fzCase struct {
	model                             string
	loss, optimizer, metric           any // nil: none (the default optimizer)
	samples, none, batch, split, yMod uint8
	seed                              uint64
}

// fzRun makes the model, compiles it and runs every entry point on data
// made for it, failing on a recovered panic.
func fzRun(t *testing.T, c fzCase) {
	m, err := fromJSON(c.model, c.seed, NewBudget(fzMemLimit, 0))
	if err != nil {
		fzNoPanic(t, "FromJSON", err)
		return
	}
	o := CompileOptions{Loss: c.loss, Optimizer: c.optimizer}
	if c.metric != nil {
		o.Metrics = []any{c.metric}
	}
	if err := m.Compile(o); err != nil {
		fzNoPanic(t, "Compile", err)
		return
	}
	x := fzInputs(m, int(c.samples%8)+1, int(c.none%5)+1, c.seed)
	if x == nil {
		return
	}
	y := fzTargets(m, x, c.yMod, c.seed)
	fo := FitOptions{Epochs: 2, BatchSize: int(c.batch % 6), ValidationSplit: []float64{0, 0, 0.25, 0.5}[c.split%4],
		Shuffle: c.split&4 != 0, Verbose: int(c.split>>3) % 3, Out: io.Discard, StepsPerEpoch: int(c.batch>>6) % 3}
	if c.batch&8 != 0 {
		fo.SampleWeight = make([]float32, x.Shape[0])
		tensor.NewRNG(c.seed+2).Uniform(fo.SampleWeight, 0, 2)
	}
	if c.batch&16 != 0 {
		fo.ClassWeight = map[int]float64{0: 0.5, 1: 2, 2: 1}
	}
	if c.batch&32 != 0 {
		fo.InitialEpoch = 1
	}
	_, err = m.Fit(x, y, fo)
	fzNoPanic(t, "Fit", err)
	_, err = m.Evaluate(x, y, EvaluateOptions{BatchSize: fo.BatchSize, SampleWeight: fo.SampleWeight, Out: io.Discard})
	fzNoPanic(t, "Evaluate", err)
	_, err = m.Predict(x, fo.BatchSize)
	fzNoPanic(t, "Predict", err)
	_, err = m.TrainOnBatch(x, y, fo.SampleWeight)
	fzNoPanic(t, "TrainOnBatch", err)
}

const (
	fzMemLimit       = 16 << 20
	fzMaxSampleElems = 1 << 12
)

// fzNoPanic fails the target when err is a recovered panic, and checks that
// any other error says where it comes from.
func fzNoPanic(t *testing.T, op string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var pe *PanicError
	if errors.As(err, &pe) {
		t.Fatalf("%s: recovered panic (a missing check): %v\n%s", op, pe.Value, pe.Stack)
	}
	if msg := err.Error(); msg == "" || strings.HasPrefix(msg, "sequential: ") || strings.HasPrefix(msg, "nn: ") {
		t.Fatalf("%s: error with a Go package prefix (or none at all): %q", op, msg)
	}
}

// fzInputs makes n samples of the model's input shape, a None dimension
// taking the size none, or of shape (none,) for a model without one; nil
// when a sample would be too large.
func fzInputs(m *Model, n, none int, seed uint64) *tensor.Tensor {
	in := m.InputShape()
	if in == nil {
		in = tensor.Shape{none}
	}
	shape := tensor.Shape{n}
	per := 1
	for _, d := range in {
		if d < 0 {
			d = none
		}
		if d > fzMaxSampleElems || per*d > fzMaxSampleElems {
			return nil
		}
		per *= d
		shape = append(shape, d)
	}
	x := tensor.New(shape...)
	tensor.NewRNG(seed).Uniform(x.Data, -1, 1)
	return x
}

// fzTargets makes targets for x by kind (yMode%6): probabilities, integer
// labels, one-hot rows, labels with a trailing 1, or a wrong shape (one
// more axis; one sample more). The model's output shape for x comes from
// the entry checks; when they refuse x, the targets are x itself.
func fzTargets(m *Model, x *tensor.Tensor, yMode uint8, seed uint64) *tensor.Tensor {
	_, f, err := m.checkInputs("fuzz", x)
	if err != nil || len(f.out) == 0 {
		return x
	}
	n, out := x.Shape[0], f.out
	classes := out[len(out)-1]
	shape := append(tensor.Shape{n}, out...)
	rng := tensor.NewRNG(seed + 1)
	switch yMode % 6 {
	case 1, 4: // integer labels, (n, ...) or (n, ..., 1)
		shape = shape[:len(shape)-1]
		if yMode%6 == 4 {
			shape = append(shape, 1)
		}
		y := tensor.New(shape...)
		for i := range y.Data {
			y.Data[i] = float32(rng.IntN(max(classes, 1)))
		}
		return y
	case 2: // one-hot rows
		y := tensor.New(shape...)
		for i := 0; i < len(y.Data); i += classes {
			y.Data[i+rng.IntN(classes)] = 1
		}
		return y
	case 3:
		shape = append(shape, 2)
	case 5:
		shape[0]++
	}
	y := tensor.New(shape...)
	rng.Uniform(y.Data, 0, 1)
	return y
}

// fzSeeds are models in tf.keras's and Keras 3's JSON, with losses,
// optimizers and metrics that fit them, and the kind of targets they take.
var fzSeeds = []struct {
	model, loss, optimizer, metric string
	yMode                          uint8
}{
	{tfKerasMLP, "categorical_crossentropy", "rmsprop", "accuracy", 2},
	{keras3MLP, "sparse_categorical_crossentropy", "adam", "sparse_categorical_accuracy", 1},
	{`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 8, "activation": "relu", "input_dim": 6}}, {"class_name": "Dropout", "config": {"rate": 0.5}}, {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}]}}`,
		"binary_crossentropy", "sgd", "accuracy", 0},
	{`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv2D", "config": {"filters": 4, "kernel_size": [3, 3], "activation": "relu", "input_shape": [8, 8, 3]}}, {"class_name": "MaxPooling2D", "config": {"pool_size": [2, 2]}}, {"class_name": "Flatten", "config": {}}, {"class_name": "Dense", "config": {"units": 3, "activation": "softmax"}}]}}`,
		"categorical_crossentropy", "adagrad", "categorical_accuracy", 2},
	{`{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [null, null, null, 1]}}, {"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": 3, "padding": "valid"}}, {"class_name": "Conv2D", "config": {"filters": 3, "kernel_size": 1, "activation": "softmax", "data_format": "channels_last"}}]}}`,
		"categorical_crossentropy", "nadam", "accuracy", 2},
	{`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 4, "activation": "tanh"}}, {"class_name": "Activation", "config": {"activation": "softmax"}}]}}`,
		"kl_divergence", "adamax", "mse", 0},
	{`{"class_name": "Sequential", "config": {"build_input_shape": [null, 3, 5], "layers": [{"class_name": "Dense", "config": {"units": 4, "activity_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}}}, {"class_name": "LeakyReLU", "config": {}}, {"class_name": "Softmax", "config": {"axis": -1}}]}}`,
		"categorical_crossentropy", "adadelta", "top_k_categorical_accuracy", 2},
	{`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": [2, 3], "strides": [1, 2], "padding": "same", "data_format": "channels_first", "activation": "sigmoid", "batch_input_shape": [null, 2, 5, 6]}}, {"class_name": "ELU", "config": {}}, {"class_name": "Flatten", "config": {}}, {"class_name": "Dense", "config": {"units": 1, "kernel_regularizer": "l1_l2"}}]}}`,
		"huber", "sgd", "mae", 0},
	{`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 3, "input_shape": [4], "kernel_constraint": {"class_name": "MaxNorm", "config": {"max_value": 2}}}}, {"class_name": "ReLU", "config": {"max_value": 6}}]}}`,
		"poisson", "rmsprop", "auc", 0},
}
