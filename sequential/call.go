package sequential

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Call runs the model on one batch x, as Keras's model(x, training=...):
// inference by default (dropout off, BatchNormalization's moving
// statistics), training mode with training true (dropout on, batch
// statistics, which also move the moving statistics, as in Keras). The
// result is a new tensor. Keras: keras/src/models/sequential.py call.
//
// A model with a fixed batch size (batch_input_shape) takes batches of that
// size only, as Keras's input spec does.
func (m *Model) Call(x *tensor.Tensor, training bool) (out *tensor.Tensor, err error) {
	defer recoverInto(&err, "Call")
	return m.oneBatch("call", x, training)
}

// oneBatch runs the model forward on x as one batch (Call, PredictOnBatch):
// the input and batch-size checks, the run's memory reserved for the call
// (op names it in a refusal), and a copy of the output.
func (m *Model) oneBatch(op string, x *tensor.Tensor, training bool) (*tensor.Tensor, error) {
	x, f, err := m.checkInputs("", x)
	if err != nil {
		return nil, err
	}
	if err := m.checkOnBatch(x.Shape[0]); err != nil {
		return nil, err
	}
	n := float64(x.Shape[0])
	release, err := m.checkRunMemory(op, f, x.Shape[0], false, n*shapeValues(f.out)*bytesPerValue)
	if err != nil {
		return nil, err
	}
	defer release()
	return m.forward(x, training).Clone(), nil
}

// CallLayer runs layer i alone on x, as Keras's layer(x) on a layer of a
// built model: x must have the layer's input shape (batch first). The
// layer gets no mask (a tensor given by hand carries none). The model's
// next run is not affected, as every run hands each layer its input again.
func (m *Model) CallLayer(i int, x *tensor.Tensor, training bool) (out *tensor.Tensor, err error) {
	defer recoverInto(&err, "CallLayer")
	if i < 0 || i >= len(m.layers) {
		return nil, fmt.Errorf("the model has %d layers; there is no layer %d", len(m.layers), i)
	}
	l := m.layers[i]
	b := l.Base()
	if !m.Built() {
		return nil, fmt.Errorf("layer %q is not built yet: build the model first (give its first layer an input shape, call build, or fit it)", b.Name)
	}
	x, err = checkTensor("", "x", x)
	if err != nil {
		return nil, err
	}
	if err := checkFinite("", "x", x.Data, len(x.Data)/max(x.Shape[0], 1)); err != nil {
		return nil, err
	}
	want := inputShapes(m.in.shape, m.shapes)[i]
	ok := len(x.Shape)-1 == len(want)
	for j := 0; ok && j < len(want); j++ {
		ok = want[j] < 0 || want[j] == x.Shape[j+1]
	}
	if !ok {
		return nil, fmt.Errorf("input 0 of layer %q is incompatible with the layer: expected shape=%v, found shape=%v",
			b.Name, batched(want), x.Shape)
	}
	in := x.Shape[1:]
	outShape, err := l.OutputShape(in)
	if err != nil {
		return nil, fmt.Errorf("layer %q (%s) cannot take input of shape %v: %w", b.Name, b.ClassName, x.Shape, err)
	}
	if isStateful(l) {
		if err := m.checkOnBatch(x.Shape[0]); err != nil {
			return nil, err
		}
	}
	fp := nn.LayerFootprint(l, in)
	n := float64(x.Shape[0])
	need := n * (fp.Forward + shapeValues(outShape)) * bytesPerValue
	if limit := float64(m.MemoryLimit()); need > limit {
		return nil, &MemoryError{Op: "call", Model: m.name, Need: need, Limit: m.MemoryLimit(),
			Detail: fmt.Sprintf("layer %s on a batch of %d", layerLabel(l), x.Shape[0]), Fix: "call it on fewer samples at a time"}
	}
	if c, ok := l.(nn.MaskConsumer); ok {
		c.SetMask(nil)
	}
	return l.Forward(x, training).Clone(), nil
}
