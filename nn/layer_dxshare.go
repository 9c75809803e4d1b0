package nn

import "github.com/keraswasm/keraswasm/tensor"

// DxSharer is implemented by the layers whose Backward can write dx into a
// buffer the model shares among them (Dense, Conv2D, MaxPooling2D, Dropout
// and its variants). A step's backward pass needs at most two of those
// gradients at once, the dy a layer reads and the dx it writes, so the
// model hands its sharers two buffers in turn (sequential/step.go) instead
// of each keeping a dx of its own: on the study note's CNN that is the
// gradients of two layers' inputs in place of ten.
type DxSharer interface {
	Layer
	// ShareDx makes Backward write dx into *slot (grown with tensor.Ensure
	// and left there), nil for the layer's own buffer. The dx returned is
	// valid until a layer given the same slot runs Backward.
	ShareDx(slot **tensor.Tensor)
}

// dxBuffer is where a DxSharer's Backward writes dx: the model's shared
// slot when it set one, else the layer's own buffer.
type dxBuffer struct {
	slot **tensor.Tensor
	own  *tensor.Tensor
}

// ShareDx implements DxSharer.
func (b *dxBuffer) ShareDx(slot **tensor.Tensor) { b.slot = slot }

// ensureDx returns the dx buffer in the given shape (contents unspecified).
func (b *dxBuffer) ensureDx(shape ...int) *tensor.Tensor {
	p := &b.own
	if b.slot != nil {
		p = b.slot
	}
	*p = tensor.Ensure(*p, shape...)
	return *p
}
