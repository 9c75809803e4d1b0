package sequential

import (
	"bytes"
	"testing"
	"time"
)

// FuzzLoadKeras: no .keras input makes LoadKeras panic or hang; a model it
// accepts saves again. Seeds: a saved MNIST-sized MLP would be large, so a
// small Dense model, the mixed model of keras_file_test.go, and the small
// model compiled with Adam and trained a step (its optimizer's variables
// in the file).
func FuzzLoadKeras(f *testing.F) {
	small, err := FromJSON(`{"class_name": "Sequential", "config": {"layers": [
 {"class_name": "Dense", "config": {"name": "dense", "units": 2, "batch_input_shape": [null, 3]}}]}}`, 1)
	if err != nil {
		f.Fatal(err)
	}
	mix, err := FromJSON(kerasMixConfig, 1)
	if err != nil {
		f.Fatal(err)
	}
	trained, err := FromJSON(`{"class_name": "Sequential", "config": {"layers": [
 {"class_name": "Dense", "config": {"name": "dense", "units": 2, "batch_input_shape": [null, 3]}}]}}`, 1)
	if err != nil {
		f.Fatal(err)
	}
	if err := trained.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}); err != nil {
		f.Fatal(err)
	}
	if _, err := trained.Fit(input(4, 3), input(4, 2), FitOptions{Epochs: 1, BatchSize: 4, Verbose: 0}); err != nil {
		f.Fatal(err)
	}
	for _, m := range []*Model{small, mix, trained} {
		var b bytes.Buffer
		if err := m.saveKeras(&b, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), true); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := loadKeras(bytes.NewReader(data), int64(len(data)), NewBudget(16<<20, 0)) // models up to 16 MiB, so fuzzing stays fast
		if err != nil {
			return
		}
		if err := m.SaveKeras(&bytes.Buffer{}); err != nil {
			t.Fatalf("a loaded model does not save: %v", err)
		}
	})
}
