package nn

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
