package sequential_test

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// The study note's binary classifier
// (testdata/studynote/keras_sequential_note.md, lines 131–146):
// Dense(32, relu, input_dim=100), Dense(1, sigmoid), compiled with rmsprop,
// binary crossentropy and accuracy, fit on random data.
func Example() {
	model := sequential.New("", 42)
	for _, c := range []nn.Config{
		{ClassName: "Dense", Config: map[string]any{"units": 32, "activation": "relu", "input_dim": 100}},
		{ClassName: "Dense", Config: map[string]any{"units": 1, "activation": "sigmoid"}},
	} {
		if err := model.AddConfig(c); err != nil {
			panic(err)
		}
	}
	err := model.Compile(sequential.CompileOptions{Optimizer: "rmsprop", Loss: "binary_crossentropy", Metrics: []any{"accuracy"}})
	if err != nil {
		panic(err)
	}
	// (Keras pads the table's lines with spaces; they are trimmed here.)
	for _, line := range strings.Split(strings.TrimSpace(model.Summary()), "\n") {
		fmt.Println(strings.TrimRight(line, " "))
	}

	rng := tensor.NewRNG(1)
	data, labels := tensor.New(1000, 100), tensor.New(1000, 1)
	rng.Uniform(data.Data, 0, 1)
	for i := range labels.Data {
		labels.Data[i] = float32(rng.IntN(2))
	}
	o := sequential.DefaultFitOptions()
	o.Epochs, o.BatchSize, o.Verbose = 10, 32, 0
	history, err := model.Fit(data, labels, o)
	if err != nil {
		panic(err)
	}
	fmt.Println(model.MetricsNames(), len(history.History["loss"]), "epochs")
	// Output:
	// Model: "sequential"
	// _________________________________________________________________
	//  Layer (type)                Output Shape              Param #
	// =================================================================
	//  dense (Dense)               (None, 32)                3232
	//
	//  dense_1 (Dense)             (None, 1)                 33
	//
	// =================================================================
	// Total params: 3,265
	// Trainable params: 3,265
	// Non-trainable params: 0
	// _________________________________________________________________
	// [loss accuracy] 10 epochs
}
