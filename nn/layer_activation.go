package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// ActivationLayer is Keras's Activation layer: it applies an activation
// function to its input, keeping the shape. (The Go name differs from the
// class name because Activation is the function interface.)
// Keras: keras/src/layers/activations/activation.py.
type ActivationLayer struct {
	LayerBase
	Activation Activation

	act   activity
	x     *tensor.Tensor // the last input, kept for Backward
	y, dx *tensor.Tensor
}

func init() {
	layers.add("Activation", []string{"activation"}, func(m map[string]any) (Layer, error) { return newActivationLayerFromConfig(m) })
}

// NewActivationLayer returns an Activation layer applying the activation
// named name ("relu", "softmax", ...); opts holds any other Keras argument.
func NewActivationLayer(name string, opts map[string]any) (*ActivationLayer, error) {
	m, err := withArgs("Activation", opts, "activation", name)
	if err != nil {
		return nil, err
	}
	return newActivationLayerFromConfig(m)
}

func newActivationLayerFromConfig(m map[string]any) (*ActivationLayer, error) {
	a := NewArgs("Activation", m)
	l := &ActivationLayer{LayerBase: ParseBase(a, "Activation")}
	if !a.Has("activation") {
		a.Fail("activation", nil, "an activation name such as \"relu\" (Activation needs one)")
	}
	l.Activation = readLayerActivation(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// OutputShape returns in: an activation keeps the shape.
func (l *ActivationLayer) OutputShape(in tensor.Shape) (tensor.Shape, error) { return in.Clone(), nil }

// Build has no weights to make.
func (l *ActivationLayer) Build(in tensor.Shape, _ *tensor.RNG) error {
	l.Built = true
	return nil
}

// Params returns nil: an Activation layer has no weights.
func (l *ActivationLayer) Params() []*Param { return nil }

// Forward returns activation(x), x of any shape (batch first).
func (l *ActivationLayer) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.x = x
	l.y = tensor.Ensure(l.y, x.Shape...)
	l.Activation.Forward(l.y, x)
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns dx = dy·activation'(x).
func (l *ActivationLayer) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	if len(dy.Data) != len(l.y.Data) {
		panic(fmt.Sprintf("nn: Activation.Backward: dy %v does not match the output %v", dy.Shape, l.y.Shape))
	}
	dy = l.act.backward(&l.LayerBase, l.y, dy)
	l.dx = tensor.Ensure(l.dx, l.x.Shape...)
	l.Activation.Backward(l.dx, l.x, l.y, dy)
	return l.dx
}

// Config returns Keras's Activation config.
func (l *ActivationLayer) Config() Config {
	return Config{ClassName: "Activation", Config: l.BaseConfig(map[string]any{"activation": l.Activation.Name()})}
}
