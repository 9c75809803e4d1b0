// Package parity reads the TF.js reference fixtures under testdata/parity/
// and compares keraswasm's numbers with them.
//
// The fixtures are made by testdata/parity/gen/gen.mjs (make
// parity-fixtures) with TensorFlow.js on its pure-JS cpu backend, and are
// committed; tests read them and never need Node. Each fixture records the
// TF.js version and the script that made it.
//
// Errors are measured as |got − want| / max(1, |want|): absolute for values
// of order one or less, relative beyond. Two named tolerances serve every
// test: Value for outputs, losses and weights, Grad for gradients (which pass
// through more float32 operations, in a different order on each side).
package parity

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// Tolerances, in the error measure above.
const (
	Value = 1e-5 // forward outputs, losses, weights after optimizer steps
	Grad  = 1e-4 // gradients
)

// Header is what every fixture carries about where it came from.
type Header struct {
	Generator   string `json:"generator"`
	TFJSVersion string `json:"tfjs_version"`
	Backend     string `json:"backend"`
	Note        string `json:"note"`
}

// Source describes the fixture's origin for messages: "TF.js 4.22.0 (cpu)".
func (h Header) Source() string { return fmt.Sprintf("TF.js %s (%s)", h.TFJSVersion, h.Backend) }

// Tensor is a tensor as the fixtures store it: a shape and row-major data.
type Tensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

// Float32 returns the data as float32, the values TF.js held.
func (t Tensor) Float32() []float32 {
	out := make([]float32, len(t.Data))
	for i, v := range t.Data {
		out[i] = float32(v)
	}
	return out
}

// Tensor returns a new keraswasm tensor with t's shape and data.
func (t Tensor) Tensor() *tensor.Tensor {
	return tensor.FromSlice(t.Float32(), t.Shape...)
}

// Load decodes testdata/parity/<name>.json into v, failing the test if the
// file is missing or malformed. The file is found from the module root, so
// tests of any package can read it.
func Load(t testing.TB, name string, v any) {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("parity: %v", err)
	}
	path := filepath.Join(root, "testdata", "parity", name+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("parity: reading fixture: %v (regenerate with make parity-fixtures)", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("parity: decoding %s: %v", path, err)
	}
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// MaxErr returns the largest |got−want| / max(1, |want|) and where it is
// (-1 for empty input). A NaN on either side is an infinite error.
func MaxErr(got []float32, want []float64) (float64, int) {
	worst, at := 0.0, -1
	for i, w := range want {
		e := math.Abs(float64(got[i])-w) / math.Max(1, math.Abs(w))
		if math.IsNaN(e) {
			e = math.Inf(1)
		}
		if at < 0 || e > worst {
			worst, at = e, i
		}
	}
	return worst, at
}

// Check compares got with the reference want within tol and reports a
// mismatch naming both sides; it returns the largest error seen. what
// names the quantity ("dense_relu dx"), src the reference ("TF.js 4.22.0 (cpu)").
func Check(t testing.TB, what, src string, got []float32, want Tensor, tol float64) float64 {
	t.Helper()
	if len(got) != len(want.Data) {
		t.Errorf("%s: keraswasm has %d values, %s has %d (shape %v)", what, len(got), src, len(want.Data), want.Shape)
		return math.Inf(1)
	}
	worst, at := MaxErr(got, want.Data)
	if worst > tol {
		t.Errorf("%s: keraswasm %.9g vs %s %.9g at flat index %d of shape %v: error %.3g > tolerance %.0e",
			what, got[at], src, want.Data[at], at, want.Shape, worst, tol)
	}
	return worst
}

// CheckShape reports whether got has the reference shape, failing the test
// with both shapes if it does not.
func CheckShape(t testing.TB, what, src string, got tensor.Shape, want []int) bool {
	t.Helper()
	if !got.Equal(tensor.Shape(want)) {
		t.Errorf("%s: keraswasm shape %v vs %s shape %v", what, got, src, tensor.Shape(want))
		return false
	}
	return true
}

// Tally keeps the largest error seen per kind of quantity, for a summary
// line at the end of a test (go test -v shows it).
type Tally map[string]float64

// Add records err under kind.
func (ta Tally) Add(kind string, err float64) {
	if err > ta[kind] || math.IsInf(err, 1) {
		ta[kind] = err
	}
}

// Log writes the largest errors, as "max error: y 2.1e-07, dx 4.4e-07".
func (ta Tally) Log(t testing.TB, src string) {
	t.Helper()
	keys := make([]string, 0, len(ta))
	for k := range ta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += fmt.Sprintf(" %s %.2g", k, ta[k])
	}
	t.Logf("largest error against %s:%s", src, s)
}
