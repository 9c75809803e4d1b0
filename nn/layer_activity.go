package nn

import "github.com/keraswasm/keraswasm/tensor"

// activity applies a layer's activity regularizer (LayerBase's
// ActivityRegularizer) to its output. Every layer embeds one, because every
// Keras layer takes activity_regularizer.
//
// The penalty is divided by the batch size so that its strength does not
// depend on it, as Keras 2 does (tf.keras engine/base_layer.py
// _handle_activity_regularization: "Make activity regularization strength
// batch-agnostic"); current Keras 3 does the same in Layer.__call__
// (keras/src/layers/layer.py, divide_no_nan by the batch size).
type activity struct {
	grad *tensor.Tensor // the regularizer's gradient, same shape as the output
	dy   *tensor.Tensor // dy plus grad / batch
}

// forward stores in b.ActivityLoss the penalty on output y (batch first):
// regularizer(y) / batch, or 0 without a regularizer or for an empty batch.
func (r *activity) forward(b *LayerBase, y *tensor.Tensor) {
	b.ActivityLoss = 0
	if b.ActivityRegularizer == nil || len(y.Shape) == 0 || y.Shape[0] == 0 {
		return
	}
	b.ActivityLoss = b.ActivityRegularizer.Loss(y.Data) / float64(y.Shape[0])
}

// backward returns the gradient with respect to output y: dy itself without
// a regularizer, else a buffer holding dy + ∂(regularizer(y)/batch)/∂y. It
// never writes into dy, which belongs to the next layer.
func (r *activity) backward(b *LayerBase, y, dy *tensor.Tensor) *tensor.Tensor {
	if b.ActivityRegularizer == nil || len(y.Shape) == 0 || y.Shape[0] == 0 {
		return dy
	}
	r.grad = tensor.Ensure(r.grad, dy.Shape...)
	r.grad.Zero()
	b.ActivityRegularizer.Grad(r.grad.Data, y.Data)
	r.dy = tensor.Ensure(r.dy, dy.Shape...)
	inv := float32(1 / float64(y.Shape[0]))
	copy(r.dy.Data, dy.Data)
	tensor.Axpy(r.dy.Data, inv, r.grad.Data) // dy + inv·∂regularizer/∂y
	return r.dy
}

// throughActivation returns dz (∂loss/∂z, the gradient with respect to the
// activation's input z) plus the penalty's gradient carried back through
// the activation: dz + act'(z)ᵀ·∂(regularizer(y)/batch)/∂y, with y = act(z).
// It is what a layer whose loss was fused with its activation (BackwardLogits)
// needs, since the penalty is on y, not z. It writes into dst (z's shape;
// not dz) and returns it, or returns dz itself without a regularizer.
func (r *activity) throughActivation(b *LayerBase, act Activation, dst, z, y, dz *tensor.Tensor) *tensor.Tensor {
	if b.ActivityRegularizer == nil || len(y.Shape) == 0 || y.Shape[0] == 0 {
		return dz
	}
	r.grad = tensor.Ensure(r.grad, y.Shape...)
	r.grad.Zero()
	b.ActivityRegularizer.Grad(r.grad.Data, y.Data)
	inv := float32(1 / float64(y.Shape[0]))
	tensor.Scale(r.grad.Data, inv)
	act.Backward(dst, z, y, r.grad)
	tensor.Add(dst.Data, dz.Data)
	return dst
}
