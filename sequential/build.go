package sequential

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// inputSource says where the model's input shape came from; it decides how
// the config records it (see config.go), as tf.keras does.
type inputSource int

const (
	fromFirstLayer inputSource = iota // input_shape/input_dim/batch_input_shape of the first layer
	fromInputLayer                    // an InputLayer config (keras.Input)
	fromBuild                         // Build(shape) or a config's build_input_shape
	fromData                          // the first data the model saw
)

// inputSpec is the model's input: a shape without the batch (-1 for an
// unknown dimension) and a fixed batch size (0 for any).
type inputSpec struct {
	shape     tensor.Shape
	batchSize int
	from      inputSource
	name      string // the InputLayer's name, when a config gave one
}

func (s *inputSpec) check() error {
	if len(s.shape) == 0 {
		return fmt.Errorf("the input shape must have at least one dimension besides the batch, as input_shape=(784,); received %v", s.shape)
	}
	for _, d := range s.shape {
		if d == 0 || d < -1 {
			return fmt.Errorf("the input shape must hold positive dimensions (or None); received %v", s.shape)
		}
	}
	if s.batchSize < 0 {
		return fmt.Errorf("the batch size must be positive; received %d", s.batchSize)
	}
	return nil
}

// batchShape returns the input shape with the batch first (-1 for None).
func (s *inputSpec) batchShape() tensor.Shape {
	b := -1
	if s.batchSize > 0 {
		b = s.batchSize
	}
	return append(tensor.Shape{b}, s.shape...)
}

// BatchSize returns the fixed batch size of the model's input (keras.Input's
// batch_size, a batch_input_shape), or 0 for any.
func (m *Model) BatchSize() int {
	if m.in == nil {
		return 0
	}
	return m.in.batchSize
}

// Build builds the model for inputs of batchInputShape, whose first
// dimension is the batch (-1 for None), as Keras's model.build((None, 784)).
// Building an already built model for the same shape does nothing; for
// another shape it is an error.
func (m *Model) Build(batchInputShape tensor.Shape) (err error) {
	defer recoverInto(&err, "Build")
	if len(batchInputShape) < 2 {
		return fmt.Errorf("expected a shape with the batch first, such as (None, 784) — use -1 for None; received %v", batchInputShape)
	}
	spec := &inputSpec{shape: batchInputShape[1:].Clone(), from: fromBuild}
	if batchInputShape[0] > 0 {
		spec.batchSize = batchInputShape[0]
	}
	return m.setInput(spec)
}

// setInput fixes the model's input shape (from an InputLayer or Build) and
// builds the layers added so far.
func (m *Model) setInput(spec *inputSpec) error {
	if err := spec.check(); err != nil {
		return err
	}
	if spec.from == fromInputLayer && len(m.layers) > 0 {
		return fmt.Errorf("an InputLayer must come first in a Sequential model; model %q already has %d layers", m.name, len(m.layers))
	}
	if m.in != nil {
		if m.in.shape.Equal(spec.shape) && m.in.batchSize == spec.batchSize && m.Built() {
			return nil
		}
		return fmt.Errorf("model %q already has the input shape %v; it cannot take %v. Make a new model for another input shape",
			m.name, m.in.batchShape(), spec.batchShape())
	}
	return m.buildAll(spec)
}

// buildAll builds every layer for the input spec. It checks that each layer
// can follow the previous one before building any, so that a shape error
// leaves the model as it was.
func (m *Model) buildAll(spec *inputSpec) error {
	shapes := make([]tensor.Shape, len(m.layers))
	cur := spec.shape
	for i, l := range m.layers {
		out, err := l.OutputShape(cur)
		if err != nil {
			return m.followError(i, l, cur, err)
		}
		shapes[i], cur = out, out
	}
	if err := m.reserveWeights(m.layers, inputShapes(spec.shape, shapes)); err != nil {
		return err
	}
	if err := checkStatefulBatch(m.layers, spec); err != nil {
		return err
	}
	cur = spec.shape
	for i, l := range m.layers {
		if !l.Base().Built {
			if err := m.buildOne(l, cur); err != nil {
				m.recountWeights()
				return err
			}
		}
		cur = shapes[i]
	}
	m.in, m.shapes = spec, shapes
	return nil
}

// buildLayer builds l, about to be appended, for input shape in and records
// its output shape.
func (m *Model) buildLayer(l nn.Layer, in tensor.Shape) error {
	out, err := l.OutputShape(in)
	if err != nil {
		return m.followError(len(m.layers), l, in, err)
	}
	// Only the new layer's weights are counted: the others are reserved
	// already, so adding n layers takes time linear in n.
	if err := m.reserveWeights([]nn.Layer{l}, []tensor.Shape{in}); err != nil {
		return err
	}
	if err := checkStatefulBatch([]nn.Layer{l}, m.in); err != nil {
		return err
	}
	if err := m.buildOne(l, in); err != nil {
		m.recountWeights()
		return err
	}
	m.shapes = append(m.shapes, out)
	return nil
}

// buildOne creates l's weights, drawing from a source derived from the
// model's seed and the number of layers built before it.
func (m *Model) buildOne(l nn.Layer, in tensor.Shape) error {
	rng := tensor.NewRNG(deriveSeed(m.seed, m.builds))
	if err := l.Build(in, rng); err != nil {
		return fmt.Errorf("cannot build layer %q (%s) for input shape %v: %w", l.Base().Name, l.Base().ClassName, batched(in), err)
	}
	l.Base().Built = true
	m.builds++
	return nil
}

// followError says that layer i cannot take the shape cur, naming the layer
// before it and both shapes.
func (m *Model) followError(i int, l nn.Layer, cur tensor.Shape, err error) error {
	b := l.Base()
	if i == 0 {
		return fmt.Errorf("layer %q (%s) cannot take the model's input of shape %v: %w",
			b.Name, b.ClassName, batched(cur), err)
	}
	p := m.layers[i-1].Base()
	return fmt.Errorf("layer %q (%s) cannot follow layer %q (%s), whose output shape is %v: %w",
		b.Name, b.ClassName, p.Name, p.ClassName, batched(cur), err)
}

// inputShapes returns the input shape of each layer: in for the first, the
// output shape of the one before for the others.
func inputShapes(in tensor.Shape, shapes []tensor.Shape) []tensor.Shape {
	if len(shapes) == 0 {
		return nil
	}
	return append([]tensor.Shape{in}, shapes[:len(shapes)-1]...)
}

// lastShape returns the shape the next layer receives (without the batch).
func (m *Model) lastShape() tensor.Shape {
	if len(m.shapes) == 0 {
		return m.in.shape
	}
	return m.shapes[len(m.shapes)-1]
}

// buildFromData builds a model that has no input shape yet from the shape of
// x, (samples, input_shape...), as Keras builds a Sequential model on the
// first batch it sees.
func (m *Model) buildFromData(x *tensor.Tensor) error {
	if m.Built() {
		return nil
	}
	if len(m.layers) == 0 {
		return fmt.Errorf("model %q has no layers; add layers first (model.add)", m.name)
	}
	if m.in != nil {
		return m.buildAll(m.in)
	}
	return m.buildAll(&inputSpec{shape: x.Shape[1:].Clone(), from: fromData})
}

// batched returns the shape with a None batch dimension first, the way
// Keras prints the shapes of layers.
func batched(s tensor.Shape) tensor.Shape { return append(tensor.Shape{-1}, s...) }

// deriveSeed mixes the model's seed with a counter (SplitMix64), giving each
// layer its own well-spread source.
func deriveSeed(seed, n uint64) uint64 {
	z := seed + (n+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
