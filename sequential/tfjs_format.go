package sequential

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
)

// TF.js's Layers format (model.json + binary weights; what tf.loadLayersModel
// reads and model.save writes). TF.js: tfjs-core/src/io/types.ts
// (ModelArtifacts, WeightsManifestEntry), tfjs-layers/src/engine/training.ts
// (LayersModel.save), tfjs-layers/src/models.ts (loadLayersModelFromIOHandler).

const (
	// tfjsFormat is ModelArtifacts.format for a Layers model.
	tfjsFormat = "layers-model"
	// tfjsKerasVersion and tfjsBackend are what TF.js 4.22 writes beside the
	// Sequential config in modelTopology; this file is made to be read by it.
	tfjsKerasVersion = "tfjs-layers 4.22.0"
	tfjsBackend      = "tensor_flow.js"
	// tfjsGeneratedBy names this writer in ModelArtifacts.generatedBy.
	tfjsGeneratedBy = "keraswasm"
	// tfjsOptimizerGroup is the weight group of the optimizer's state.
	tfjsOptimizerGroup = "optimizer"
	// tfjsIterName is the optimizer's iteration count, an int32 scalar.
	tfjsIterName = "iter"
)

// TFJSWeightSpec is one entry of a TF.js weights manifest: a named array of
// shape Shape stored as Dtype (float32 or int32 here) at its place in the
// weight data, which is every spec's bytes one after another.
type TFJSWeightSpec struct {
	Name  string `json:"name"`
	Shape []int  `json:"shape"`
	Dtype string `json:"dtype"`
	// Group is "optimizer" for the optimizer's state; empty for a weight.
	Group string `json:"group,omitempty"`
	// Quantization is TF.js's quantized storage; reading it is refused.
	Quantization json.RawMessage `json:"quantization,omitempty"`
}

// TFJSArtifacts is TF.js's ModelArtifacts for a Layers model: what a TF.js
// IOHandler's save receives and load returns. WeightData is not part of the
// JSON: it travels as bytes (little-endian, in WeightSpecs order).
type TFJSArtifacts struct {
	ModelTopology  json.RawMessage  `json:"modelTopology"`
	Format         string           `json:"format"`
	GeneratedBy    string           `json:"generatedBy"`
	ConvertedBy    *string          `json:"convertedBy"`
	TrainingConfig json.RawMessage  `json:"trainingConfig,omitempty"`
	WeightSpecs    []TFJSWeightSpec `json:"weightSpecs"`
	WeightData     []byte           `json:"-"`
}

// TFJSWeightName is TF.js's name for a layer's weight: "dense_1/kernel".
func TFJSWeightName(layer, weight string) string { return layer + "/" + weight }

// TFJSArtifacts returns the model in TF.js's Layers format. The model must be
// built. With includeOptimizer (Keras's include_optimizer) and a compiled
// model, trainingConfig holds the compile settings and the weights end with
// the optimizer's state (group "optimizer": "iter", then each slot of every
// trained weight, TF.js's order), so a loaded model trains on from where
// this one stopped.
func (m *Model) TFJSArtifacts(includeOptimizer bool) (*TFJSArtifacts, error) {
	if !m.Built() {
		return nil, fmt.Errorf("model %q is not built yet, so it has no weights to save; give its first layer an input shape, call Build, or fit it first", m.name)
	}
	topo, err := m.tfjsTopology()
	if err != nil {
		return nil, err
	}
	a := &TFJSArtifacts{ModelTopology: topo, Format: tfjsFormat, GeneratedBy: tfjsGeneratedBy}
	var data []byte
	seen := map[string]bool{}
	for _, l := range m.layers {
		for _, p := range l.Params() {
			name := TFJSWeightName(l.Base().Name, p.Name)
			if seen[name] {
				return nil, fmt.Errorf("two weights would be saved as %q; give the layers unique names", name)
			}
			seen[name] = true
			a.WeightSpecs = append(a.WeightSpecs, TFJSWeightSpec{Name: name, Shape: shapeInts(p.Value.Shape), Dtype: "float32"})
			data = appendFloat32s(data, p.Value.Data)
		}
	}
	if includeOptimizer && m.c != nil {
		tc, err := m.trainingConfig()
		if err != nil {
			return nil, err
		}
		if a.TrainingConfig, err = json.Marshal(tc); err != nil {
			return nil, err
		}
		specs, opt, err := m.tfjsOptimizerWeights()
		if err != nil {
			return nil, err
		}
		a.WeightSpecs = append(a.WeightSpecs, specs...)
		data = append(data, opt...)
	}
	a.WeightData = data
	return a, nil
}

// tfjsTopology is modelTopology: the Sequential config (GetConfig, tf.keras's
// form with an InputLayer first) with keras_version and backend, as TF.js
// writes it.
func (m *Model) tfjsTopology() (json.RawMessage, error) {
	c := m.GetConfig()
	return json.Marshal(map[string]any{
		"class_name":    c.ClassName,
		"config":        c.Config,
		"keras_version": tfjsKerasVersion,
		"backend":       tfjsBackend,
	})
}

// trainedParams are the weights the optimizer updates, in model order.
func (m *Model) trainedParams() []*nn.Param {
	var ps []*nn.Param
	for _, l := range m.layers {
		for _, p := range l.Params() {
			if trained(l, p) {
				ps = append(ps, p)
			}
		}
	}
	return ps
}

// tfjsOptimizerWeights returns the optimizer's state as TF.js weight specs
// and their bytes: "iter" (int32), then for each slot every trained
// weight's values, named "<weight>/<slot>".
func (m *Model) tfjsOptimizerWeights() ([]TFJSWeightSpec, []byte, error) {
	params := m.trainedParams()
	iters, slots, err := nn.OptimizerState(m.c.opt, params)
	if err != nil {
		return nil, nil, err
	}
	if iters > math.MaxInt32 {
		return nil, nil, fmt.Errorf("the optimizer has run %d steps, more than TF.js's int32 iteration count holds", iters)
	}
	names, _ := nn.OptimizerSlotNames(m.c.opt)
	owner := m.paramNames()
	specs := []TFJSWeightSpec{{Name: tfjsIterName, Shape: []int{}, Dtype: "int32", Group: tfjsOptimizerGroup}}
	data := binary.LittleEndian.AppendUint32(nil, uint32(iters))
	names, slots = tfjsRMSPropRuns(m.c.opt, names, slots, params)
	for k, per := range slots {
		for i, v := range per {
			specs = append(specs, TFJSWeightSpec{Name: owner[params[i]] + "/" + names[k], Shape: shapeInts(params[i].Value.Shape), Dtype: "float32", Group: tfjsOptimizerGroup})
			data = appendFloat32s(data, v)
		}
	}
	return specs, data, nil
}

// tfjsRMSPropRuns adds a zero "momentum" run after "rms" for an RMSprop
// without momentum: TF.js's RMSProp always keeps one and splits the runs it
// is given by count (rms, momentum[, mg]). With momentum 0 the values do not
// carry over a step, and this reader skips the run by its name.
func tfjsRMSPropRuns(o nn.Optimizer, names []string, slots [][][]float32, params []*nn.Param) ([]string, [][][]float32) {
	if o.Config().ClassName != "RMSprop" || len(names) > 1 && names[1] == "momentum" {
		return names, slots
	}
	zeros := make([][]float32, len(params))
	for i, p := range params {
		zeros[i] = make([]float32, len(p.Value.Data))
	}
	return append([]string{names[0], "momentum"}, names[1:]...), append([][][]float32{slots[0], zeros}, slots[1:]...)
}

// paramNames maps each weight to its TF.js name.
func (m *Model) paramNames() map[*nn.Param]string {
	out := map[*nn.Param]string{}
	for _, l := range m.layers {
		for _, p := range l.Params() {
			out[p] = TFJSWeightName(l.Base().Name, p.Name)
		}
	}
	return out
}

func shapeInts(s []int) []int { return append([]int{}, s...) }

// appendFloat32s appends v as little-endian float32 bytes.
func appendFloat32s(b []byte, v []float32) []byte {
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}
