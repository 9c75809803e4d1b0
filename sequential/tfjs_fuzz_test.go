package sequential

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets of TF.js's format; seeds are in
// testdata/fuzz/FuzzTFJSModelJSON and testdata/fuzz/FuzzTFJSWeightsManifest
// (a model.json TF.js 4.22 wrote, one written here, and their weights), and
// make tfjsfuzz runs each for a bounded time.

// fuzzModelLimit caps the models fuzzed inputs describe, so fuzzing stays fast.
const fuzzModelLimit = 16 << 20

// FuzzTFJSModelJSON: no model.json and weight bytes make the reader panic or
// hang; a model it accepts saves again and loads back.
func FuzzTFJSModelJSON(f *testing.F) {
	for _, dir := range []string{filepath.Join("..", "testdata", "tfjs", "tfjs_adam")} {
		mj, err := os.ReadFile(filepath.Join(dir, "model.json"))
		if err != nil {
			f.Fatal(err)
		}
		w, err := os.ReadFile(filepath.Join(dir, "model.weights.bin"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(mj, w)
	}
	f.Fuzz(func(t *testing.T, modelJSON, weights []byte) {
		a, _, err := ParseTFJSModelJSON(modelJSON)
		if err != nil {
			return
		}
		a.WeightData = weights
		m, err := fromTFJSArtifacts(a, 1, NewBudget(fuzzModelLimit, 0))
		if err != nil {
			return
		}
		again, err := m.TFJSArtifacts(true)
		if err != nil {
			t.Fatalf("a loaded model does not save: %v", err)
		}
		if _, err := fromTFJSArtifacts(again, 1, NewBudget(fuzzModelLimit, 0)); err != nil {
			t.Fatalf("what a loaded model saves does not load: %v", err)
		}
	})
}

// FuzzTFJSWeightsManifest: no weights manifest and data make LoadTFJSWeights
// panic, and one it refuses leaves the weights and the optimizer as they
// were.
func FuzzTFJSWeightsManifest(f *testing.F) {
	seed := fuzzManifestModel(f)
	a, err := seed.TFJSArtifacts(true)
	if err != nil {
		f.Fatal(err)
	}
	specs, _ := json.Marshal(a.WeightSpecs)
	f.Add(specs, a.WeightData)
	f.Fuzz(func(t *testing.T, manifest, data []byte) {
		var specs []TFJSWeightSpec
		if json.Unmarshal(manifest, &specs) != nil {
			return
		}
		m := fuzzManifestModel(t)
		before, err := m.TFJSArtifacts(true)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.LoadTFJSWeights(specs, data, true); err == nil {
			return
		}
		after, err := m.TFJSArtifacts(true)
		if err != nil {
			t.Fatal(err)
		}
		if string(after.WeightData) != string(before.WeightData) {
			t.Fatalf("a refused manifest changed the weights or the optimizer state")
		}
	})
}

// fuzzManifestModel is a compiled model with trained and non-trained
// weights and Adam's state after one step.
func fuzzManifestModel(tb testing.TB) *Model {
	m, err := FromJSON(tfjsMLPConfig, 7)
	if err != nil {
		tb.Fatal(err)
	}
	if err := m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy"}); err != nil {
		tb.Fatal(err)
	}
	x, y := classData(5)
	if _, err := m.Fit(x, y, FitOptions{Epochs: 1, BatchSize: 5}); err != nil {
		tb.Fatal(err)
	}
	return m
}
