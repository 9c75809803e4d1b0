package nn

import "github.com/keraswasm/keraswasm/tensor"

// Reseeder is a layer that draws random numbers in training from a source
// of its own. Reseed replaces that source, so that the replicas of a
// data-parallel fit (sequential.Parallel), built alike and so holding the
// same sources, each draw their own masks, as tf.distribute's replicas do.
type Reseeder interface {
	Reseed(seed uint64)
}

// Reseed gives Dropout (and SpatialDropout1D/2D/3D, which embed it) a new
// mask source.
func (d *Dropout) Reseed(seed uint64) { d.rng = tensor.NewRNG(seed) }

// Reseed gives AlphaDropout a new mask source.
func (l *AlphaDropout) Reseed(seed uint64) {
	if l.mask != nil {
		l.mask.Reseed(seed)
	}
}
