package sequential

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keraswasm/keraswasm/internal/hdf5"
	"github.com/keraswasm/keraswasm/nn"
)

// The .keras file of Keras 3 (model.save("x.keras")): a zip of
// config.json (the model's serialized config), metadata.json (keras_version,
// date_saved) and model.weights.h5 (see keras_weights.go), stored
// uncompressed as Keras writes them. Keras: keras/src/saving/saving_lib.py
// (save_model, _CONFIG_FILENAME, _METADATA_FILENAME, _VARS_FNAME).
const (
	kerasConfigName   = "config.json"
	kerasMetadataName = "metadata.json"
	kerasWeightsName  = "model.weights.h5"
	// kerasFormatVersion is the Keras release whose file layout this follows.
	kerasFormatVersion = "3.6.0"
	// maxKerasMember bounds what is read from one zip member (1 GiB).
	maxKerasMember = 1 << 30
)

// kerasZipTime is every zip entry's modification time, so two saves of the
// same model differ only in metadata.json's date_saved.
var kerasZipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// KerasConfigJSON returns the model's config.json as Keras 3 writes it:
// {"module": "keras", "class_name": "Sequential", "config": {...},
// "registered_name": null, "build_config": {"input_shape": [...]},
// "compile_config": null}.
//
// Porting note: the inner "config" is the tf.keras form GetConfig writes
// (batch_input_shape, an InputLayer entry), which Keras 3's deserializer
// also reads; compile_config holds the compile settings (null for a model
// not compiled); the optimizer's state is in model.weights.h5 (SaveKeras).
func (m *Model) KerasConfigJSON() ([]byte, error) {
	c := m.GetConfig()
	layers, _ := c.Config["layers"].([]nn.Config)
	entries := make([]map[string]any, len(layers))
	for i, l := range layers {
		entries[i] = map[string]any{"module": "keras.layers", "class_name": l.ClassName, "config": l.Config, "registered_name": nil}
	}
	inner := make(map[string]any, len(c.Config))
	for k, v := range c.Config {
		inner[k] = v
	}
	inner["layers"] = entries
	top := map[string]any{
		"module":          "keras",
		"class_name":      "Sequential",
		"config":          inner,
		"registered_name": nil,
		"build_config":    nil,
		"compile_config":  nil,
	}
	if m.in != nil {
		top["build_config"] = map[string]any{"input_shape": shapeJSON(m.in.batchShape())}
	}
	if m.c != nil {
		// A loss or metric that is a function of the caller's has no config:
		// the model is then saved uncompiled, as Keras loads a model whose
		// custom objects it cannot find without compiling it.
		if cc, err := m.kerasCompileConfig(); err == nil {
			top["compile_config"] = cc
		}
	}
	return json.Marshal(top)
}

// kerasCompileConfig is Keras 3's compile_config: the arguments of compile,
// the optimizer as its serialized config, so a loaded model is compiled as
// this one (its optimizer's state then comes from model.weights.h5).
// Keras: keras/src/trainers/trainer.py get_compile_config.
func (m *Model) kerasCompileConfig() (map[string]any, error) {
	tc, err := m.trainingConfig()
	if err != nil {
		return nil, err
	}
	oc := m.c.opt.Config()
	cc := map[string]any{
		"optimizer":           map[string]any{"module": "keras.optimizers", "class_name": oc.ClassName, "config": oc.Config, "registered_name": nil},
		"loss":                tc["loss"],
		"loss_weights":        nil,
		"metrics":             tc["metrics"],
		"weighted_metrics":    tc["weighted_metrics"],
		"run_eagerly":         false,
		"steps_per_execution": 1,
		"jit_compile":         false,
	}
	return cc, nil
}

// SaveKeras writes the model as a Keras 3 .keras file, with the compiled
// optimizer's state (its variables under optimizer/vars of
// model.weights.h5, as Keras 3's model.save always writes them), so
// training resumes where it stopped. The model must be built (Keras saves
// an unbuilt model without weights; keraswasm asks for the input shape
// instead, so the file always loads with its weights). An optimizer whose
// state has no Keras layout is refused by name (SaveKerasWith with
// includeOptimizer false leaves it out).
func (m *Model) SaveKeras(w io.Writer) error { return m.SaveKerasWith(w, true) }

// SaveKerasWith is SaveKeras; with includeOptimizer false the file has the
// compile settings but no optimizer variables, and a model loaded from it
// starts with a fresh optimizer.
//
// Porting note: Keras 3's model.save("x.keras") takes no include_optimizer
// (saving_api.save_model pops it and uses it for the legacy .h5 only): the
// optimizer is always in a .keras file. tf.keras 2's model.save took
// include_optimizer=True, and TF.js's model.save takes includeOptimizer
// (default false) for its own format only. keraswasm accepts
// include_optimizer false for a .keras file too, to leave the state out.
func (m *Model) SaveKerasWith(w io.Writer, includeOptimizer bool) error {
	return m.saveKeras(w, time.Now(), includeOptimizer)
}

// saveKeras is SaveKerasWith with the date_saved it records.
func (m *Model) saveKeras(w io.Writer, now time.Time, includeOptimizer bool) error {
	cfg, err := m.KerasConfigJSON()
	if err != nil {
		return err
	}
	weights, err := m.weightsH5Bytes(includeOptimizer)
	if err != nil {
		return err
	}
	meta, _ := json.Marshal(map[string]any{
		"keras_version": kerasFormatVersion,
		"date_saved":    now.UTC().Format("2006-01-02@15:04:05"),
	})
	z := zip.NewWriter(w)
	for _, f := range []struct {
		name string
		b    []byte
	}{{kerasMetadataName, meta}, {kerasConfigName, cfg}, {kerasWeightsName, weights}} {
		fw, err := z.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Store, Modified: kerasZipTime})
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.b); err != nil {
			return err
		}
	}
	return z.Close()
}

// LoadKeras reads a Keras 3 .keras file of size bytes: the model from
// config.json (through FromJSON), then its weights from model.weights.h5.
// A compile_config, when present, is applied with Compile, and the
// optimizer's variables in model.weights.h5, when there are any, restore
// its state (iterations, learning rate, slots), so fit resumes as an
// uninterrupted run would.
func LoadKeras(r io.ReaderAt, size int64) (*Model, error) { return loadKeras(r, size, nil) }

// LoadKerasIn is LoadKeras for a model that reserves its memory from budget
// b (nil: a budget of its own); on an error it holds nothing.
func LoadKerasIn(b *Budget, r io.ReaderAt, size int64) (*Model, error) { return loadKeras(r, size, b) }

// loadKeras is LoadKeras in fromConfig's budget.
func loadKeras(r io.ReaderAt, size int64, b *Budget) (_ *Model, err error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a .keras file (a zip archive): %s", zipProblem(err))
	}
	files := map[string]*zip.File{}
	for _, f := range z.File {
		files[f.Name] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := files[name]
		if !ok {
			return nil, fmt.Errorf("the .keras file has no %s (it holds %d entries); is it a Keras 3 model file?", name, len(z.File))
		}
		if f.UncompressedSize64 > maxKerasMember {
			return nil, fmt.Errorf("%s in the .keras file is %d bytes, more than the %d this reader takes", name, f.UncompressedSize64, maxKerasMember)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s in the .keras file: %s", name, zipProblem(err))
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		if err != nil {
			return nil, fmt.Errorf("%s in the .keras file is damaged: %s", name, zipProblem(err))
		}
		if uint64(len(b)) != f.UncompressedSize64 {
			return nil, fmt.Errorf("%s in the .keras file is damaged: its size does not match the zip directory", name)
		}
		return b, nil
	}
	if b, err := read(kerasMetadataName); err == nil {
		var meta map[string]any
		if err := json.Unmarshal(b, &meta); err != nil {
			return nil, fmt.Errorf("metadata.json in the .keras file is not a JSON object: %v", err)
		}
	}
	cfg, err := read(kerasConfigName)
	if err != nil {
		return nil, err
	}
	var top map[string]any
	if err := json.Unmarshal(cfg, &top); err != nil {
		return nil, fmt.Errorf("config.json in the .keras file is not JSON: %v", err)
	}
	// fromJSON also builds from build_config and compiles from compile_config.
	m, err := fromJSON(string(cfg), 0, b)
	if err != nil {
		return nil, fmt.Errorf("config.json in the .keras file: %w", err)
	}
	defer func() {
		if err != nil {
			m.Release()
		}
	}()
	weights, err := read(kerasWeightsName)
	if err != nil {
		return nil, err
	}
	if !m.Built() {
		return nil, fmt.Errorf("the model in the .keras file has no input shape, so its weights cannot be placed; save it after it is built")
	}
	f, err := hdf5.Read(bytes.NewReader(weights), int64(len(weights)))
	if err != nil {
		return nil, fmt.Errorf("model.weights.h5 in the .keras file: cannot read the weights file: %v", err)
	}
	if err := m.loadWeightsH5File(f); err != nil {
		return nil, fmt.Errorf("model.weights.h5 in the .keras file: %w", err)
	}
	if m.c != nil {
		if err := m.loadKerasOptimizer(f); err != nil {
			return nil, fmt.Errorf("model.weights.h5 in the .keras file: the optimizer's state: %w", err)
		}
	}
	return m, nil
}

// zipProblem is an archive/zip error without its Go package prefix.
func zipProblem(err error) string { return strings.TrimPrefix(err.Error(), "zip: ") }
