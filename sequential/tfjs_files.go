package sequential

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
)

// TF.js's model.json and its weight shards on disk, and Save/Load, which pick
// the format from the path as Keras's model.save does.

// TFJSShardBytes is the size of a weight shard, tensorflowjs_converter's
// default (--weight_shard_size_bytes 4194304); the last one may be shorter.
const TFJSShardBytes = 4 << 20

// maxModelJSON bounds a model.json read from disk (64 MiB).
const maxModelJSON = 64 << 20

// TFJSManifestGroup is one entry of model.json's weightsManifest: the shard
// files (relative to model.json) whose bytes, in order, hold the weights.
type TFJSManifestGroup struct {
	Paths   []string         `json:"paths"`
	Weights []TFJSWeightSpec `json:"weights"`
}

// tfjsModelJSON is model.json. TF.js: tfjs-core/src/io/types.ts ModelJSON.
type tfjsModelJSON struct {
	Format          string              `json:"format"`
	GeneratedBy     string              `json:"generatedBy"`
	ConvertedBy     *string             `json:"convertedBy"`
	ModelTopology   json.RawMessage     `json:"modelTopology,omitempty"`
	TrainingConfig  json.RawMessage     `json:"trainingConfig,omitempty"`
	WeightsManifest []TFJSManifestGroup `json:"weightsManifest"`
}

// TFJSShardName is the name of shard i (from 0) of n, as
// tensorflowjs_converter names them: group1-shard1of2.bin.
func TFJSShardName(i, n int) string { return fmt.Sprintf("group1-shard%dof%d.bin", i+1, n) }

// TFJSModelJSON returns a's model.json and its weight data cut into shards of
// shardBytes (one group, TFJSShardName paths).
func TFJSModelJSON(a *TFJSArtifacts, shardBytes int) ([]byte, [][]byte, error) {
	if shardBytes <= 0 {
		shardBytes = TFJSShardBytes
	}
	var shards [][]byte
	for off := 0; off < len(a.WeightData); off += shardBytes {
		shards = append(shards, a.WeightData[off:min(off+shardBytes, len(a.WeightData))])
	}
	g := TFJSManifestGroup{Paths: []string{}, Weights: a.WeightSpecs}
	if g.Weights == nil {
		g.Weights = []TFJSWeightSpec{}
	}
	for i := range shards {
		g.Paths = append(g.Paths, TFJSShardName(i, len(shards)))
	}
	b, err := json.Marshal(tfjsModelJSON{Format: a.Format, GeneratedBy: a.GeneratedBy, ConvertedBy: a.ConvertedBy,
		ModelTopology: a.ModelTopology, TrainingConfig: a.TrainingConfig, WeightsManifest: []TFJSManifestGroup{g}})
	return b, shards, err
}

// ParseTFJSModelJSON reads model.json: the artifacts without their weight
// data, and the manifest groups whose shards hold it. Keys that would change
// the model and are not built (a graph model's signature or initializer) are
// refused; userDefinedMetadata is not kept.
func ParseTFJSModelJSON(b []byte) (*TFJSArtifacts, []TFJSManifestGroup, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil || keys == nil {
		return nil, nil, fmt.Errorf("model.json is not a JSON object: %s", problemOf(err))
	}
	for k, v := range keys {
		switch k {
		case "format", "generatedBy", "convertedBy", "modelTopology", "trainingConfig", "weightsManifest", "userDefinedMetadata":
		case "signature", "modelInitializer", "initializerSignature":
			if string(v) != "null" {
				return nil, nil, &nn.NotImplemented{What: fmt.Sprintf("model.json's %q (a graph model's)", k), Hint: "only Layers models can be loaded"}
			}
		default:
			return nil, nil, fmt.Errorf("unknown key %q in model.json; expected format, generatedBy, convertedBy, modelTopology, trainingConfig, weightsManifest", k)
		}
	}
	var mj tfjsModelJSON
	if err := json.Unmarshal(b, &mj); err != nil {
		return nil, nil, fmt.Errorf("model.json: %s", problemOf(err))
	}
	a := &TFJSArtifacts{ModelTopology: mj.ModelTopology, Format: mj.Format, GeneratedBy: mj.GeneratedBy,
		ConvertedBy: mj.ConvertedBy, TrainingConfig: mj.TrainingConfig}
	for _, g := range mj.WeightsManifest {
		a.WeightSpecs = append(a.WeightSpecs, g.Weights...)
	}
	return a, mj.WeightsManifest, nil
}

func problemOf(err error) string {
	if err == nil {
		return "received null"
	}
	return jsonProblem(err)
}

// Save writes the model where path says, as Keras's model.save does, with
// the optimizer's state (include_optimizer=True): a path ending ".keras" is
// a Keras 3 .keras file, ".weights.h5" the weights alone (SaveWeightsH5),
// ".json" that model.json with its shards beside it, and any other path a
// directory (made if needed) holding model.json and its shards.
func (m *Model) Save(path string) error { return m.SaveWith(path, true) }

// SaveWith is Save with Keras's include_optimizer.
func (m *Model) SaveWith(path string, includeOptimizer bool) error {
	switch {
	case strings.HasSuffix(path, ".keras"):
		var b bytes.Buffer
		if err := m.SaveKerasWith(&b, includeOptimizer); err != nil {
			return err
		}
		return os.WriteFile(path, b.Bytes(), 0o644)
	case strings.HasSuffix(path, ".weights.h5"):
		return m.SaveWeights(path)
	}
	a, err := m.TFJSArtifacts(includeOptimizer)
	if err != nil {
		return err
	}
	return writeTFJS(path, a)
}

// SaveWeights writes the weights alone: ".weights.h5" as Keras 3's file,
// otherwise TF.js shards with a model.json that has no modelTopology.
func (m *Model) SaveWeights(path string) error {
	if strings.HasSuffix(path, ".weights.h5") {
		var b bytes.Buffer
		if err := m.SaveWeightsH5(&b); err != nil {
			return err
		}
		return os.WriteFile(path, b.Bytes(), 0o644)
	}
	a, err := m.TFJSArtifacts(false)
	if err != nil {
		return err
	}
	a.ModelTopology = nil
	return writeTFJS(path, a)
}

// writeTFJS writes model.json (at path, or in the directory path) and its shards.
func writeTFJS(path string, a *TFJSArtifacts) error {
	dir, file := path, filepath.Join(path, "model.json")
	if strings.HasSuffix(path, ".json") {
		dir, file = filepath.Dir(path), path
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	mj, shards, err := TFJSModelJSON(a, TFJSShardBytes)
	if err != nil {
		return err
	}
	for i, s := range shards {
		if err := os.WriteFile(filepath.Join(dir, TFJSShardName(i, len(shards))), s, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(file, mj, 0o644)
}

// Load reads a model saved by Save, Keras or TF.js: a ".keras" file, or a
// TF.js model.json (the file, or a directory holding it) with its shards.
func Load(path string) (*Model, error) {
	if strings.HasSuffix(path, ".keras") {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, err
		}
		return LoadKeras(f, st.Size())
	}
	if strings.HasSuffix(path, ".weights.h5") {
		return nil, fmt.Errorf("%s holds weights only, not a model; make the model and call LoadWeights", path)
	}
	a, err := readTFJS(path)
	if err != nil {
		return nil, err
	}
	if len(a.ModelTopology) == 0 || string(a.ModelTopology) == "null" {
		return nil, fmt.Errorf("%s has no modelTopology (it holds weights only); make the model and call LoadWeights", path)
	}
	return FromTFJSArtifacts(a, 0)
}

// LoadWeights reads weights saved by SaveWeights (or a whole saved model's
// weights) into the built model: ".weights.h5", or TF.js's model.json and
// shards, matched by name; the optimizer's state is not read.
func (m *Model) LoadWeights(path string) error {
	if strings.HasSuffix(path, ".weights.h5") {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return m.LoadWeightsH5(bytes.NewReader(b), int64(len(b)))
	}
	a, err := readTFJS(path)
	if err != nil {
		return err
	}
	return m.LoadTFJSWeights(a.WeightSpecs, a.WeightData, false)
}

// readTFJS reads model.json and its shards. Shard paths must name files
// beside model.json; their sizes are checked against the manifest before
// they are read.
func readTFJS(path string) (*TFJSArtifacts, error) {
	file := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		file = filepath.Join(path, "model.json")
	}
	st, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	if st.Size() > maxModelJSON {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d a model.json may be", file, st.Size(), maxModelJSON)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	a, groups, err := ParseTFJSModelJSON(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	dir := filepath.Dir(file)
	var total int64
	var files, sizes []string
	for _, g := range groups {
		for _, p := range g.Paths {
			p = strings.TrimPrefix(p, "./") // TF.js's downloads handler writes "./model.weights.bin"
			if p == "" || filepath.IsAbs(p) || strings.Contains(p, "..") || strings.ContainsAny(p, `/\`) {
				return nil, fmt.Errorf("%s names the weight shard %q; a shard must be a file beside model.json", file, p)
			}
			st, err := os.Stat(filepath.Join(dir, p))
			if err != nil {
				return nil, fmt.Errorf("the weight shard %s listed in %s is missing", p, file)
			}
			total += st.Size()
			files = append(files, filepath.Join(dir, p))
			sizes = append(sizes, fmt.Sprintf("%s %d bytes", p, st.Size()))
		}
	}
	if _, err := checkTFJSSpecs(a.WeightSpecs, int(min(total, 1<<31))); err != nil {
		return nil, fmt.Errorf("%s: %w (shards: %s)", file, err, strings.Join(sizes, ", "))
	}
	a.WeightData = make([]byte, 0, total)
	for _, f := range files {
		s, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		a.WeightData = append(a.WeightData, s...)
	}
	return a, nil
}

// ParseTFJSArtifacts reads TF.js ModelArtifacts as JSON without weightData
// (what an IOHandler's load gives, its weight bytes apart), with the same
// refusals as ParseTFJSModelJSON.
func ParseTFJSArtifacts(b []byte) (*TFJSArtifacts, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil || keys == nil {
		return nil, fmt.Errorf("the model artifacts must be an object {modelTopology, weightSpecs, weightData, ...}: %s", problemOf(err))
	}
	for k, v := range keys {
		switch k {
		case "format", "generatedBy", "convertedBy", "modelTopology", "trainingConfig", "weightSpecs", "userDefinedMetadata":
		case "signature", "modelInitializer", "initializerSignature":
			if string(v) != "null" {
				return nil, &nn.NotImplemented{What: fmt.Sprintf("model artifacts with %q (a graph model's)", k), Hint: "only Layers models can be loaded"}
			}
		default:
			return nil, fmt.Errorf("unknown key %q in the model artifacts; expected modelTopology, weightSpecs, weightData, format, generatedBy, convertedBy, trainingConfig", k)
		}
	}
	var a TFJSArtifacts
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("the model artifacts: %s", problemOf(err))
	}
	return &a, nil
}
