package nn

import "fmt"

// Keras's masks: Embedding(mask_zero=True) and Masking mark padded time
// steps, and the layers after them skip those steps. A mask here is one bool
// per (batch row, time step), row-major (b·T + t), true where the step is
// real. The model carries it from layer to layer: after each Forward it asks
// a MaskingLayer for the output's mask, and before a Forward it hands the
// current mask to a MaskConsumer. Keras: keras/src/layers/layer.py
// (compute_mask, supports_masking).

// MaskingLayer is a layer that makes or changes the mask of its output.
type MaskingLayer interface {
	// ComputeMask returns the mask of the last Forward's output given the
	// mask of its input (nil for none); nil means the output has no mask.
	ComputeMask(in []bool) []bool
}

// MaskConsumer is a layer whose computation honours its input's mask.
type MaskConsumer interface {
	// SetMask gives the next Forward its input's mask (nil for none).
	SetMask(mask []bool)
}

// maskRule is implemented by a layer whose output's mask is not simply its
// input's (it makes, consumes or refuses masks).
type maskRule interface {
	// outputMasked says whether the output carries a mask given whether the
	// input does, or why the layer cannot take a masked input.
	outputMasked(inMasked bool) (bool, error)
}

// maskPassing are the classes that take a mask and pass it on unchanged,
// their computation being per time step: Keras 2's supports_masking=True
// layers (tf_keras/layers: Dense, Activation, the dropouts and noises, the
// activation layers, LayerNormalization), and BatchNormalization, whose
// training moments honour the mask (its SetMask; Softmax has its own rule).
var maskPassing = map[string]bool{
	"Dense": true, "Activation": true, "Dropout": true, "SpatialDropout1D": true, "SpatialDropout2D": true,
	"GaussianNoise": true, "GaussianDropout": true, "AlphaDropout": true, "ActivityRegularization": true,
	"ReLU": true, "LeakyReLU": true, "ELU": true, "PReLU": true, "ThresholdedReLU": true,
	"LayerNormalization": true, "BatchNormalization": true,
}

// MaskError says that a layer was given a mask it does not support, as
// Keras 2's Layer.compute_mask raises ("Layer flatten does not support
// masking, but was passed an input_mask"). Its Keras class is TypeError,
// as in Keras 2 and TF.js.
type MaskError struct {
	Layer, Class string
}

func (e *MaskError) Error() string {
	return fmt.Sprintf("layer %q (%s) does not support masking, but was passed an input_mask; a mask from Embedding(mask_zero=True) or Masking reaches it. "+
		"Put a layer that consumes the mask before it (a recurrent layer without return_sequences, or GlobalAveragePooling1D), "+
		"or drop the mask (mask_zero=False, no Masking layer)", e.Layer, e.Class)
}

// KerasClass reports TypeError.
func (e *MaskError) KerasClass() string { return TypeError }

// OutputMasked says whether layer l's output carries a mask when its input
// does (inMasked) or not. A layer that cannot take a mask it is given gives a
// *MaskError (TypeError), one whose masked numbers keraswasm does not build a
// *NotImplemented (TimeDistributed over a recurrent layer); nothing is
// dropped silently. The model asks it for each
// layer as it is added, so a config that cannot run is refused at add.
func OutputMasked(l Layer, inMasked bool) (bool, error) {
	if r, ok := l.(maskRule); ok {
		return r.outputMasked(inMasked)
	}
	if !inMasked {
		return false, nil
	}
	b := l.Base()
	if maskPassing[b.ClassName] {
		return true, nil
	}
	return false, &MaskError{Layer: b.Name, Class: b.ClassName}
}
