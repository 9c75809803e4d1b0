package sequential

import "fmt"

// LoadTFJSState restores a training state this model's own artifacts hold
// (TFJSArtifacts with the optimizer): the weights matched by position, as
// Keras 3's weights files are (layers/dense_1/vars/0 counts classes, not
// layer names), then the optimizer's slots and iteration count. A model of
// the same config made later in the same runtime has other layer names
// (dense_3 for dense), so a name match would refuse the backup it made;
// shapes are still checked one by one. BackupAndRestore (JS) restores with
// it. Nothing is written unless everything fits.
func (m *Model) LoadTFJSState(specs []TFJSWeightSpec, data []byte) error {
	if !m.Built() {
		return fmt.Errorf("model %q is not built yet, so it has no weights to restore into; give its first layer an input shape or call Build first", m.name)
	}
	offsets, err := checkTFJSSpecs(specs, len(data))
	if err != nil {
		return err
	}
	renamed := append([]TFJSWeightSpec(nil), specs...)
	next := 0 // the next spec outside the optimizer group
	for _, l := range m.layers {
		for _, p := range l.Params() {
			for next < len(renamed) && renamed[next].Group == tfjsOptimizerGroup {
				next++
			}
			if next == len(renamed) {
				return fmt.Errorf("the backup holds fewer weights than model %q has; it was made by another model", m.name)
			}
			renamed[next].Name = TFJSWeightName(l.Base().Name, p.Name)
			next++
		}
	}
	for ; next < len(renamed); next++ {
		if renamed[next].Group != tfjsOptimizerGroup {
			return fmt.Errorf("the backup holds more weights than model %q has; it was made by another model", m.name)
		}
	}
	return m.loadTFJSWeights(renamed, offsets, data, true)
}
