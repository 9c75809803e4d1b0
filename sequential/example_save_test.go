package sequential_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// ExampleModel_Save: Save picks the format from the path; a directory gets TF.js's model.json
// and weight shards (with the optimizer's state, so training resumes), a
// path ending .keras a Keras 3 file. Load reads either back.
func ExampleModel_Save() {
	model, err := sequential.FromJSON(`{"class_name": "Sequential", "config": {"layers": [
	 {"class_name": "Dense", "config": {"units": 4, "activation": "relu", "batch_input_shape": [null, 3]}},
	 {"class_name": "Dense", "config": {"units": 1}}]}}`, 1)
	if err != nil {
		panic(err)
	}
	if err := model.Compile(sequential.CompileOptions{Optimizer: "adam", Loss: "mse"}); err != nil {
		panic(err)
	}
	x, y := tensor.New(8, 3), tensor.New(8, 1)
	for i := range x.Data {
		x.Data[i] = float32(i%5) / 5
	}
	if _, err := model.Fit(x, y, sequential.FitOptions{Epochs: 2, BatchSize: 4}); err != nil {
		panic(err)
	}
	dir, _ := os.MkdirTemp("", "keraswasm-example")
	defer os.RemoveAll(dir)
	if err := model.Save(filepath.Join(dir, "tfjs")); err != nil {
		panic(err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "tfjs"))
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	loaded, err := sequential.Load(filepath.Join(dir, "tfjs"))
	if err != nil {
		panic(err)
	}
	fmt.Println("optimizer steps:", loaded.Optimizer().Iterations())
	// Output:
	// group1-shard1of1.bin
	// model.json
	// optimizer steps: 4
}
