package sequential

import "fmt"

// The moving statistics of a data-parallel fit. Each replica's
// BatchNormalization normalizes its slice with the slice's own statistics
// and moves its own moving_mean and moving_variance toward them, as Keras
// does under tf.distribute.MirroredStrategy with BatchNormalization's
// default synchronized=False; reading a replica's copy there gives the
// mean over the replicas (the variables aggregate by MEAN on read). The
// moving update is linear, so the coordinator may average the replicas'
// statistics whenever it reads them (at each epoch's end) without changing
// what later reads give.
//
// Porting note: so a model with BatchNormalization trained by N workers is
// not one worker's fit on the whole batches (its batch statistics are per
// slice), but MirroredStrategy's with N replicas.

// movingParams are the weights a training forward updates rather than the
// optimizer: those whose own trainable flag is false (BatchNormalization's
// moving_mean and moving_variance), layer by layer in get_weights order.
func (m *Model) movingParams(dst [][]float32) [][]float32 {
	dst = dst[:0]
	for _, l := range m.layers {
		for _, q := range l.Params() {
			if !q.Trainable {
				dst = append(dst, q.Value.Data)
			}
		}
	}
	return dst
}

// MovingStatistics appends the values of the moving statistics to dst[:0]
// and returns it (empty when the model has none).
func (p *Parallel) MovingStatistics(dst []float32) []float32 {
	dst = dst[:0]
	for _, v := range p.m.movingParams(nil) {
		dst = append(dst, v...)
	}
	return dst
}

// SetMovingStatistics sets the moving statistics from src, laid out as
// MovingStatistics returns them.
func (p *Parallel) SetMovingStatistics(src []float32) error {
	vs := p.m.movingParams(nil)
	n := 0
	for _, v := range vs {
		n += len(v)
	}
	if len(src) != n {
		return fmt.Errorf("moving statistics of %d values: expected %d", len(src), n)
	}
	off := 0
	for _, v := range vs {
		off += copy(v, src[off:])
	}
	return nil
}
