package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// softmaxLargeNegative is what Keras 3's Softmax puts in place of a masked
// logit (_large_negative_number for float32).
const softmaxLargeNegative = -1e9

// softmaxMask is a Softmax layer's input mask and the buffers of its masked
// run: z the logits with the masked ones replaced, s their softmax.
type softmaxMask struct {
	mask   []bool
	stride int // values per mask entry (the last axis's size)
	z, s   []float32
}

// SetMask gives the next Forward its input's mask: one entry per (row,
// step), true where the step is real. Keras 3's Softmax then takes the
// softmax of where(mask, x, −1e9) and outputs where(mask, softmax, 0):
// masked entries get no probability and output zeros (a wholly masked
// softmax gives all zeros). The mask is passed on.
// Keras: keras/src/layers/activations/softmax.py.
//
// Porting note: Keras broadcasts the mask against the input from the last
// axis, as NumPy does, so the (batch, steps) mask of a Sequential model's
// (batch, steps, features) tensor only fits by accident of shape (steps =
// features) and then masks the wrong axis; keraswasm lines the mask up with
// the leading axes (each step's mask covers its features), as
// BatchNormalization's masked moments do, which is the mask's meaning.
// TF.js 4.22's Softmax adds −1e9 to the masked logits (broadcast from the
// last axis, as Keras 2's tf_keras did) and keeps their softmax instead of
// zeros: a wholly masked step gives 1/n there, Keras 3 zeros.
func (l *Softmax) SetMask(mask []bool) { l.masked.mask = mask }

// outputMasked: Softmax takes a mask and passes it on (Keras's
// supports_masking).
func (l *Softmax) outputMasked(in bool) (bool, error) { return in, nil }

// keep says whether value i is real.
func (m *softmaxMask) keep(i int) bool { return m.mask[i/m.stride] }

// forward writes y = where(keep, softmax(where(keep, x, −1e9)), 0) for x
// seen as (outer, n, inner). It panics if the mask does not have one entry
// per position of x's axes but the last.
func (m *softmaxMask) forward(y []float32, x *tensor.Tensor, n, inner int) {
	k := x.Shape[len(x.Shape)-1]
	if k == 0 || len(m.mask)*k != x.Size() {
		panic(fmt.Sprintf("nn: Softmax.Forward: a mask of %d entries for input %v", len(m.mask), x.Shape))
	}
	m.stride = k
	m.z, m.s = grow(m.z, len(x.Data)), grow(m.s, len(x.Data))
	for i, v := range x.Data {
		m.z[i] = softmaxLargeNegative
		if m.keep(i) {
			m.z[i] = v
		}
	}
	softmaxForward(m.s, m.z, n, inner)
	for i, v := range m.s {
		y[i] = 0
		if m.keep(i) {
			y[i] = v
		}
	}
}

// backward writes dx from dy (the output's gradient): the where()s pass the
// gradient only at real entries, dz = s·(g − Σ g·s) with g = where(keep,
// dy, 0), dx = where(keep, dz, 0).
func (m *softmaxMask) backward(dx, dy []float32, n, inner int) {
	for i, v := range dy {
		m.z[i] = 0
		if m.keep(i) {
			m.z[i] = v
		}
	}
	softmaxBackward(dx, m.s, m.z, n, inner)
	for i := range dx {
		if !m.keep(i) {
			dx[i] = 0
		}
	}
}
