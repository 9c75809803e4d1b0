package main

import (
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenPath is the History that the JS test (js/test/determinism.test.mjs)
// must reproduce in Node from the same seed and data.
var goldenPath = filepath.Join("..", "testdata", "golden", "wasm_studynote_binary_history.json")

// golden is the file: how the run was made, and its History.
type golden struct {
	Note      string               `json:"note"`
	Seed      uint64               `json:"seed"`
	DataSeed  uint32               `json:"data_seed"`
	Samples   int                  `json:"samples"`
	Features  int                  `json:"features"`
	Layers    []json.RawMessage    `json:"layers"`
	Compile   json.RawMessage      `json:"compile"`
	Fit       json.RawMessage      `json:"fit"`
	History   map[string][]float64 `json:"history"`
	Tolerance float64              `json:"tolerance"`
}

// goldenTolerance bounds the relative difference between runs of the same
// seed on different machines: the Go math functions may round the last bit
// differently on amd64 (assembly, FMA) and in wasm (pure Go).
const goldenTolerance = 1e-5

// TestStudyNoteBinaryHistoryMatchesTheGolden trains the binary example of
// the study note (testdata/studynote/keras_sequential_note.md, lines
// 131–146) from a fixed seed through the runtime (as JS does, from JSON
// configs) and compares its History with the golden file that the Node test
// compares with too: one seed, the same History natively, in wasm and from
// JS.
func TestStudyNoteBinaryHistoryMatchesTheGolden(t *testing.T) {
	g := golden{
		Note:     "written by wasm/golden_test.go (go test ./wasm -run Golden -update); read by js/test/determinism.test.mjs",
		Seed:     42,
		DataSeed: 1234,
		Samples:  200,
		Features: 100,
		Layers: []json.RawMessage{
			json.RawMessage(`{"class_name":"Dense","config":{"units":32,"activation":"relu","input_dim":100}}`),
			json.RawMessage(`{"class_name":"Dense","config":{"units":1,"activation":"sigmoid"}}`),
		},
		Compile:   json.RawMessage(`{"optimizer":"rmsprop","loss":"binary_crossentropy","metrics":["accuracy",{"__js_fn__":0,"name":"mean_pred"}]}`),
		Fit:       json.RawMessage(`{"epochs":3,"batch_size":32,"validation_split":0.2,"verbose":0}`),
		Tolerance: goldenTolerance,
	}
	rt := NewRuntime()
	rt.SetRandomSeed(g.Seed)
	h, err := rt.NewModel(`{}`)
	require.NoError(t, err)
	for _, l := range g.Layers {
		require.NoError(t, rt.Add(h, string(l)))
	}
	require.NoError(t, rt.Compile(h, string(g.Compile), meanPred))
	x, y := binaryData(g.DataSeed, g.Samples, g.Features)
	hist, err := fit(t, rt, h, x, y, string(g.Fit), Extras{})
	require.NoError(t, err)
	g.History = hist.History

	if *update {
		b, err := json.MarshalIndent(g, "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(goldenPath), 0o755))
		require.NoError(t, os.WriteFile(goldenPath, append(b, '\n'), 0o644))
		return
	}
	b, err := os.ReadFile(goldenPath)
	require.NoError(t, err, "run go test ./wasm -run Golden -update to write it")
	var want golden
	require.NoError(t, json.Unmarshal(b, &want))
	require.Equal(t, len(want.History), len(g.History), "the same logs: %v", keys(g.History))
	for k, w := range want.History {
		got := g.History[k]
		require.Len(t, got, len(w), k)
		for i := range w {
			assert.LessOrEqual(t, relDiff(got[i], w[i]), goldenTolerance, "%s[%d]: got %v, golden %v", k, i, got[i], w[i])
		}
	}
}

func relDiff(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(1e-12, math.Max(math.Abs(a), math.Abs(b)))
}

func keys(m map[string][]float64) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return s
}
