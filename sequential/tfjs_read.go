package sequential

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Reading TF.js's Layers format. Everything a manifest says (counts, shapes,
// dtypes, sizes) is checked against the weight data before the model is made
// or a value is copied, so a damaged or hostile file is refused with what is
// wrong and the caller's runtime is left as it was.

// maxTFJSWeights bounds the entries of one manifest.
const maxTFJSWeights = 1 << 20

// dtypeBytes are the weight dtypes read here and their sizes.
var dtypeBytes = map[string]int{"float32": 4, "int32": 4}

// checkTFJSSpecs checks every spec of a manifest and that data holds exactly
// their bytes; it returns each spec's byte offset.
func checkTFJSSpecs(specs []TFJSWeightSpec, dataLen int) ([]int, error) {
	if len(specs) > maxTFJSWeights {
		return nil, fmt.Errorf("the weights manifest lists %d weights, more than the %d this reader takes", len(specs), maxTFJSWeights)
	}
	offsets := make([]int, len(specs))
	total := 0
	for i, s := range specs {
		if len(s.Quantization) > 0 && string(s.Quantization) != "null" {
			return nil, &nn.NotImplemented{What: fmt.Sprintf("reading quantized weights (weight %q)", s.Name), Hint: "convert the model without quantization (tensorflowjs_converter without --quantize_*)"}
		}
		size, ok := dtypeBytes[s.Dtype]
		if !ok {
			return nil, &nn.NotImplemented{What: fmt.Sprintf("the weight dtype %q (weight %q)", s.Dtype, s.Name), Hint: "weights must be float32 (and the optimizer's iteration count int32)"}
		}
		n := 1
		for _, d := range s.Shape {
			if d < 0 || (d > 0 && n > math.MaxInt32/d) {
				return nil, fmt.Errorf("weight %q has shape %v in the manifest: expected non-negative dimensions of at most 2^31 values", s.Name, s.Shape)
			}
			n *= d
		}
		if n > (math.MaxInt32-total)/size {
			return nil, fmt.Errorf("the weights manifest describes more than 2 GiB of weights (at weight %q)", s.Name)
		}
		offsets[i] = total
		total += n * size
	}
	if dataLen < total {
		return nil, fmt.Errorf("the weight data holds %d bytes but the manifest describes %d: a weight shard is missing or short", dataLen, total)
	}
	if dataLen > total {
		return nil, fmt.Errorf("the weight data holds %d bytes but the manifest describes %d: the shards do not belong to this manifest", dataLen, total)
	}
	return offsets, nil
}

// FromTFJSArtifacts makes a model from TF.js Layers artifacts: the Sequential
// of modelTopology (TF.js's, or tensorflowjs_converter's {"model_config",
// "training_config"}), compiled from trainingConfig when there is one, with
// its weights and, when saved, its optimizer's state.
func FromTFJSArtifacts(a *TFJSArtifacts, seed uint64) (*Model, error) {
	return fromTFJSArtifacts(a, seed, nil)
}

// FromTFJSArtifactsIn is FromTFJSArtifacts for a model that reserves its
// memory from budget b (nil: a budget of its own); on an error it holds nothing.
func FromTFJSArtifactsIn(b *Budget, a *TFJSArtifacts, seed uint64) (*Model, error) {
	return fromTFJSArtifacts(a, seed, b)
}

func fromTFJSArtifacts(a *TFJSArtifacts, seed uint64, b *Budget) (_ *Model, err error) {
	if a.Format != "" && a.Format != tfjsFormat {
		return nil, &nn.NotImplemented{What: fmt.Sprintf("loading a TF.js model of format %q", a.Format), Hint: "only Layers models (format \"layers-model\") can be loaded; a graph model has no Keras config"}
	}
	offsets, err := checkTFJSSpecs(a.WeightSpecs, len(a.WeightData))
	if err != nil {
		return nil, err
	}
	topo, training, err := splitTopology(a.ModelTopology)
	if err != nil {
		return nil, err
	}
	if len(a.TrainingConfig) > 0 && string(a.TrainingConfig) != "null" {
		training = a.TrainingConfig
	}
	m, err := fromJSON(string(topo), seed, b)
	if err != nil {
		return nil, fmt.Errorf("modelTopology: %w", err)
	}
	defer func() {
		if err != nil {
			m.Release() // give back what it reserved from b
		}
	}()
	if !m.Built() {
		return nil, fmt.Errorf("the model in modelTopology has no input shape, so its weights cannot be placed")
	}
	if len(training) > 0 && string(training) != "null" {
		var tc map[string]any
		if err := json.Unmarshal(training, &tc); err != nil {
			return nil, fmt.Errorf("trainingConfig must be a JSON object; %s", jsonProblem(err))
		}
		o, err := CompileOptionsFromTrainingConfig(tc)
		if err == nil {
			err = m.Compile(o)
		}
		if err != nil {
			return nil, fmt.Errorf("trainingConfig: %w", err)
		}
	}
	if err := m.loadTFJSWeights(a.WeightSpecs, offsets, a.WeightData, true); err != nil {
		return nil, err
	}
	return m, nil
}

// splitTopology returns the Sequential config of modelTopology and the
// training config tensorflowjs_converter puts beside it.
func splitTopology(raw json.RawMessage) (json.RawMessage, json.RawMessage, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil || top == nil {
		return nil, nil, fmt.Errorf("modelTopology must be a JSON object {\"class_name\": \"Sequential\", \"config\": {...}}")
	}
	mc, ok := top["model_config"]
	if !ok {
		return raw, nil, nil
	}
	for k := range top {
		switch k {
		case "model_config", "training_config", "keras_version", "backend":
		default:
			return nil, nil, fmt.Errorf("unknown key %q in modelTopology beside model_config; expected training_config, keras_version, backend", k)
		}
	}
	return mc, top["training_config"], nil
}

// LoadTFJSWeights reads TF.js weights (a manifest's specs and their data)
// into the built model, matched by name. The optimizer's state in the data
// is restored when withOptimizer and the model is compiled. Nothing is
// written unless everything fits.
func (m *Model) LoadTFJSWeights(specs []TFJSWeightSpec, data []byte, withOptimizer bool) error {
	if !m.Built() {
		return fmt.Errorf("model %q is not built yet, so it has no weights to load into; give its first layer an input shape or call Build first", m.name)
	}
	offsets, err := checkTFJSSpecs(specs, len(data))
	if err != nil {
		return err
	}
	return m.loadTFJSWeights(specs, offsets, data, withOptimizer)
}

// loadTFJSWeights matches checked specs to the model's weights and the
// optimizer's state, then copies them in.
func (m *Model) loadTFJSWeights(specs []TFJSWeightSpec, offsets []int, data []byte, withOptimizer bool) error {
	byName := map[string]int{}
	var opt []int
	for i, s := range specs {
		if s.Group == tfjsOptimizerGroup {
			opt = append(opt, i)
			continue
		}
		if _, dup := byName[s.Name]; dup {
			return fmt.Errorf("the weights manifest lists weight %q twice", s.Name)
		}
		byName[s.Name] = i
	}
	type assign struct {
		dst  []float32
		spec int
	}
	var todo []assign
	used := map[int]bool{}
	for _, l := range m.layers {
		for _, p := range l.Params() {
			i, ok := findTFJSWeight(byName, l.Base().Name, p.Name)
			if !ok {
				return fmt.Errorf("weight %q of layer %q is missing from the weights manifest (no %q)", p.Name, l.Base().Name, TFJSWeightName(l.Base().Name, p.Name))
			}
			if s := specs[i]; !tensor.Shape(s.Shape).Equal(p.Value.Shape) || s.Dtype != "float32" && s.Dtype != "int32" {
				return fmt.Errorf("weight %q has shape %v in the manifest; layer %q expects %v", s.Name, tensor.Shape(s.Shape), l.Base().Name, p.Value.Shape)
			}
			used[i] = true
			todo = append(todo, assign{p.Value.Data, i})
		}
	}
	for name, i := range byName {
		if !used[i] {
			return fmt.Errorf("the weights manifest holds weight %q, which this model does not have", name)
		}
	}
	var restore func()
	if withOptimizer && len(opt) > 0 && m.c != nil {
		r, err := m.tfjsOptimizerRestore(specs, offsets, data, opt)
		if err != nil {
			return err
		}
		restore = r
	}
	for _, a := range todo {
		decodeInto(a.dst, specs[a.spec].Dtype, data[offsets[a.spec]:])
	}
	if restore != nil {
		restore()
	}
	return nil
}

// findTFJSWeight finds layer's weight in the manifest: "layer/weight", or a
// name with a cell between them ("lstm/lstm_cell/kernel", tf.keras 2).
func findTFJSWeight(byName map[string]int, layer, weight string) (int, bool) {
	if i, ok := byName[TFJSWeightName(layer, weight)]; ok {
		return i, true
	}
	found, at := 0, -1
	for name, i := range byName {
		if strings.HasPrefix(name, layer+"/") && strings.HasSuffix(name, "/"+weight) {
			found, at = found+1, i
		}
	}
	return at, found == 1
}

// decodeInto writes len(dst) little-endian values of dtype from b into dst.
func decodeInto(dst []float32, dtype string, b []byte) {
	for i := range dst {
		u := binary.LittleEndian.Uint32(b[4*i:])
		if dtype == "int32" {
			dst[i] = float32(int32(u))
		} else {
			dst[i] = math.Float32frombits(u)
		}
	}
}
