package sequential

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/keraswasm/keraswasm/internal/hdf5"
	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Keras 3's weights file (model.weights.h5 inside a .keras zip, and a
// .weights.h5 of its own) holds one HDF5 group "<path>/vars" per object
// that saves variables, with its variables as datasets "0", "1", ... in the
// order of the layer's weights (trainable then non-trainable, in creation
// order: Dense kernel, bias; BatchNormalization gamma, beta, moving_mean,
// moving_variance). For a Sequential: "vars" (the model's own, empty) and
// "layers/<key>/vars" for every layer, empty for a layer without weights.
// The key is not the layer's name but its class's snake_case name, with
// "_1", "_2", ... for the second and later layers of a class (dense,
// dense_1, conv2d, dense_2): the model's layers are a list, and
// _save_container_state names its items so, as layer names are
// auto-generated and differ between two instances of one model. Keras:
// keras/src/saving/saving_lib.py (_save_state, _save_container_state,
// H5IOStore/H5Entry) and Layer.save_own_variables.

// A recurrent layer's variables are its cell's, "layers/<name>/cell/vars"
// (and the layer's own group is empty); a Bidirectional's are under
// backward_layer/cell and forward_layer/cell, a TimeDistributed's under
// layer (nn.KerasVarGroups).

// kerasLayerKeys returns each layer's key in the weights file, Keras 3's
// (by class: dense, dense_1, ...), or with byName the layer names, which
// files keraswasm wrote before it followed Keras here used.
func (m *Model) kerasLayerKeys(byName bool) []string {
	keys := make([]string, len(m.layers))
	used := map[string]int{}
	for i, l := range m.layers {
		if byName {
			keys[i] = l.Base().Name
			continue
		}
		k := nn.SnakeCase(l.Base().ClassName)
		if n, ok := used[k]; ok {
			used[k] = n + 1
			k = fmt.Sprintf("%s_%d", k, n+1)
		} else {
			used[k] = 0
		}
		keys[i] = k
	}
	return keys
}

// kerasWeightsPath is the group of the variables of the layer with key, or
// with sub of the nested object sub ("cell", "forward_layer/cell").
func kerasWeightsPath(key string, sub ...string) string {
	p := "layers/" + key
	for _, s := range sub {
		if s != "" {
			p += "/" + s
		}
	}
	return p + "/vars"
}

// SaveWeightsH5 writes the model's weights as Keras 3's .weights.h5
// (model.save_weights("x.weights.h5")). The model must be built.
//
// Porting note: Keras 3's save_weights also writes the compiled
// optimizer's variables under "optimizer/vars" (saving_lib
// save_weights_only walks the model as save_model does); keraswasm writes
// them in a .keras file (SaveKeras) but not in a .weights.h5, so a model
// loaded from one keeps the optimizer state it had (Keras's load_weights
// restores it only into an optimizer already built with as many variables).
func (m *Model) SaveWeightsH5(w io.Writer) error {
	groups, sets, err := m.weightsH5Sets()
	if err != nil {
		return err
	}
	return hdf5.Write(w, groups, sets)
}

// weightsH5Sets returns the groups and datasets of the model's weights in
// Keras 3's layout.
func (m *Model) weightsH5Sets() ([]string, []hdf5.Dataset, error) {
	if !m.Built() {
		return nil, nil, fmt.Errorf("model %q is not built yet, so it has no weights to save; give its first layer an input shape, call Build, or fit it first", m.name)
	}
	groups := []string{"vars"}
	var sets []hdf5.Dataset
	keys := m.kerasLayerKeys(false)
	for i, l := range m.layers {
		for _, g := range nn.KerasVarGroups(l) {
			path := kerasWeightsPath(keys[i], g.Path)
			groups = append(groups, path)
			for i, p := range g.Params {
				sets = append(sets, hdf5.Float32Dataset(path+"/"+strconv.Itoa(i), p.Value.Shape, p.Value.Data))
			}
		}
	}
	return groups, sets, nil
}

// LoadWeightsH5 reads Keras 3's .weights.h5 into the model's weights
// (model.load_weights("x.weights.h5")). Every layer's variables are found
// and checked (count and shape) before any is written, so a file that does
// not fit leaves the weights as they were. Variables of another float or
// integer dtype are cast to float32, as Keras assigns them.
//
// Porting note: the optimizer's variables ("optimizer/vars/<i>"), which
// Keras writes for a compiled model, are not restored from a .weights.h5:
// the optimizer keeps its state. LoadKeras restores them from a .keras file.
func (m *Model) LoadWeightsH5(r io.ReaderAt, size int64) error {
	if !m.Built() {
		return fmt.Errorf("model %q is not built yet, so it has no weights to load into; give its first layer an input shape or call Build first", m.name)
	}
	f, err := hdf5.Read(r, size)
	if err != nil {
		return fmt.Errorf("cannot read the weights file: %v", err)
	}
	return m.loadWeightsH5File(f)
}

// loadWeightsH5File is LoadWeightsH5 of a file read.
func (m *Model) loadWeightsH5File(f *hdf5.File) error {
	type assign struct {
		dst *tensor.Tensor
		src []float32
	}
	var todo []assign
	keys := m.kerasLayerKeys(false)
	if !hasLayerGroups(f, keys) && hasLayerGroups(f, m.kerasLayerKeys(true)) {
		keys = m.kerasLayerKeys(true) // a file keraswasm wrote by layer names
	}
	own := map[string]bool{}
	for i, l := range m.layers {
		own[keys[i]] = true
		for _, g := range nn.KerasVarGroups(l) {
			if err := loadGroup(f, l.Base().Name, kerasWeightsPath(keys[i], g.Path)+"/", g.Params, func(dst *tensor.Tensor, src []float32) {
				todo = append(todo, assign{dst, src})
			}); err != nil {
				return err
			}
		}
	}
	for _, d := range f.Datasets {
		if !strings.HasPrefix(d.Path, "layers/") && !strings.HasPrefix(d.Path, "optimizer/") {
			return fmt.Errorf("the weights file holds %q, which is not a variable of this Sequential model's layers", d.Path)
		}
		if k := strings.SplitN(d.Path, "/", 3)[1]; strings.HasPrefix(d.Path, "layers/") && !own[k] {
			return fmt.Errorf("the weights file holds variables of layers/%s, which this model does not have (its layers are %s)", k, strings.Join(keys, ", "))
		}
	}
	for _, a := range todo {
		copy(a.dst.Data, a.src)
	}
	return nil
}

// hasLayerGroups reports whether f has a group layers/<key> for every key.
func hasLayerGroups(f *hdf5.File, keys []string) bool {
	have := map[string]bool{}
	for _, g := range f.Groups {
		have[g] = true
	}
	for _, k := range keys {
		if !have["layers/"+k] {
			return false
		}
	}
	return true
}

// loadGroup finds and checks the variables params of layer name under
// prefix ("layers/lstm/cell/vars/") and hands each to add.
func loadGroup(f *hdf5.File, name, prefix string, params []*nn.Param, add func(dst *tensor.Tensor, src []float32)) error {
	found := 0
	for _, d := range f.Datasets {
		if strings.HasPrefix(d.Path, prefix) {
			found++
		}
	}
	if found != len(params) {
		names := make([]string, len(params))
		for i, p := range params {
			names[i] = p.Name
		}
		return fmt.Errorf("layer %q expected %d variables (%s), but the file holds %d under %q", name, len(params), strings.Join(names, ", "), found, prefix)
	}
	for i, p := range params {
		d, ok := f.Dataset(prefix + strconv.Itoa(i))
		if !ok {
			return fmt.Errorf("layer %q: variable %d (%s) is missing from the file (no dataset %q)", name, i, p.Name, prefix+strconv.Itoa(i))
		}
		if !tensor.Shape(d.Shape).Equal(p.Value.Shape) {
			return fmt.Errorf("layer %q: variable %d (%s) has shape %v in the file; the layer expects %v", name, i, p.Name, tensor.Shape(d.Shape), p.Value.Shape)
		}
		v, err := d.Float32s()
		if err != nil {
			return err
		}
		add(p.Value, v)
	}
	return nil
}

// weightsH5Bytes is SaveWeightsH5 into memory; withOptimizer adds the
// compiled optimizer's variables too (as in a .keras file).
func (m *Model) weightsH5Bytes(withOptimizer bool) ([]byte, error) {
	groups, sets, err := m.weightsH5Sets()
	if err != nil {
		return nil, err
	}
	if withOptimizer && m.c != nil {
		og, os, err := m.kerasOptimizerSets()
		if err != nil {
			return nil, err
		}
		groups, sets = append(groups, og...), append(sets, os...)
	}
	var b bytes.Buffer
	if err := hdf5.Write(&b, groups, sets); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
