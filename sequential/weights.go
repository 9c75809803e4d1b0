package sequential

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// trainable reports whether p is a trainable weight now, as Keras's
// layer.trainable_weights lists it: the weight is trainable (moving
// statistics never are) and so is its layer.
func trainable(l nn.Layer, p *nn.Param) bool { return p.Trainable && l.Base().Trainable }

// trained reports whether training updates p: a trainable weight of a layer
// that was not frozen when the model was last compiled (see
// nn.LayerBase.Frozen).
func trained(l nn.Layer, p *nn.Param) bool { return p.Trainable && !l.Base().Frozen }

// weightParams returns the model's weights in Keras's model.weights order:
// layer by layer, each layer's in its get_weights order (BatchNormalization:
// gamma, beta, moving_mean, moving_variance), whether trainable or not.
// Keras: tf_keras/engine/training.py Model.weights (the variables of each
// layer in turn); keras/src/layers/layer.py Layer.weights for Keras 3.
//
// Porting note: TF.js's model.getWeights lists every trainable weight of
// every layer first and the non-trainable ones after (tfjs-layers
// engine/container.js, weights); Keras's order is kept here. TF.js weight
// files are matched by name, so they load either way.
func (m *Model) weightParams() []*nn.Param {
	if !m.Built() {
		return nil
	}
	var ps []*nn.Param
	for _, l := range m.layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// GetWeights returns copies of the model's weights in Keras's get_weights
// order and layouts (a Dense kernel is (in, units), a Conv2D kernel
// (kh, kw, in, filters)). It is empty while the model is not built.
func (m *Model) GetWeights() []*tensor.Tensor {
	ps := m.weightParams()
	out := make([]*tensor.Tensor, len(ps))
	for i, p := range ps {
		out[i] = p.Value.Clone()
	}
	return out
}

// SetWeights copies w into the model's weights, in GetWeights order. The
// count and every shape are checked before anything is written, so a wrong
// list leaves the weights as they were.
func (m *Model) SetWeights(w []*tensor.Tensor) error {
	if !m.Built() {
		return fmt.Errorf("model %q is not built yet, so it has no weights; give its first layer an input shape, call Build, or fit it first", m.name)
	}
	ps := m.weightParams()
	if len(w) != len(ps) {
		return fmt.Errorf("you called set_weights(weights) on model %q with a weight list of length %d, but the model was expecting %d weights",
			m.name, len(w), len(ps))
	}
	for i, p := range ps {
		if w[i] == nil {
			return fmt.Errorf("weight %d is null; expected shape %v", i, p.Value.Shape)
		}
		if !w[i].Shape.Equal(p.Value.Shape) || len(w[i].Data) != len(p.Value.Data) {
			return fmt.Errorf("weight %d (%s): layer weight shape %v not compatible with provided weight shape %v",
				i, p.Name, p.Value.Shape, w[i].Shape)
		}
	}
	for i, p := range ps {
		p.Value.CopyFrom(w[i])
	}
	return nil
}

// CountParams returns the number of weight values in the model (Keras's
// count_params), 0 while it is not built.
func (m *Model) CountParams() int {
	n := 0
	for _, p := range m.weightParams() {
		n += p.Value.Size()
	}
	return n
}

// layerParamCounts returns a layer's weight count, trainable and not.
func layerParamCounts(l nn.Layer) (tr, non int) {
	for _, p := range l.Params() {
		if trainable(l, p) {
			tr += p.Value.Size()
		} else {
			non += p.Value.Size()
		}
	}
	return tr, non
}
