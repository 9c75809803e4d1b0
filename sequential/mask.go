package sequential

import "github.com/keraswasm/keraswasm/nn"

// outputMasked says whether the output of the model's layers carries a
// Keras mask (from Embedding(mask_zero=True) or Masking, not yet consumed
// by a recurrent layer or GlobalAveragePooling1D).
func (m *Model) outputMasked() bool {
	masked := false
	for _, l := range m.layers {
		// Every layer was checked when it was added.
		masked, _ = nn.OutputMasked(l, masked)
	}
	return masked
}

// checkMask refuses a layer that would receive a mask it does not support,
// as Keras 2 raises when such a layer is called ("Layer flatten does not
// support masking, but was passed an input_mask"), instead of dropping the
// mask silently. Keras: tf_keras/engine/base_layer.py compute_mask.
func (m *Model) checkMask(l nn.Layer) error {
	_, err := nn.OutputMasked(l, m.outputMasked())
	return err
}
