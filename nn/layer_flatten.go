package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Flatten turns (batch, d1, ..., dk) into (batch, d1·...·dk); the batch
// size is unchanged. With data_format channels_first the input
// (batch, C, d1, ..., dk) is first moved to channels_last order, as Keras
// does, so that a model gives the same flat vector in either format.
// Keras: keras/src/layers/reshaping/flatten.py.
type Flatten struct {
	LayerBase
	DataFormat string

	act     activity
	inShape []int          // the last input's shape (batch first)
	y, dx   *tensor.Tensor // views (channels_last) or owned buffers (channels_first)
	permY   *tensor.Tensor // channels_first: the input in channels_last order
	permDx  *tensor.Tensor // channels_first: dy moved back to channels_first order
}

func init() {
	layers.add("Flatten", []string{"data_format"}, func(m map[string]any) (Layer, error) { return newFlattenFromConfig(m) })
}

// NewFlatten returns a Flatten layer; opts holds Keras arguments such as
// "data_format" or "input_shape".
func NewFlatten(opts map[string]any) (*Flatten, error) {
	m, err := withArgs("Flatten", opts)
	if err != nil {
		return nil, err
	}
	return newFlattenFromConfig(m)
}

func newFlattenFromConfig(m map[string]any) (*Flatten, error) {
	a := NewArgs("Flatten", m)
	l := &Flatten{LayerBase: ParseBase(a, "Flatten")}
	l.DataFormat = readDataFormat(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// OutputShape returns (d1·...·dk,), or (None,) if a dimension is unknown.
// A rank-0 input (just the batch) becomes (1,), as in Keras.
// A product too large for an int is an error (it would wrap around).
func (l *Flatten) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	for _, d := range in {
		if d < 0 {
			return tensor.Shape{-1}, nil
		}
	}
	n := 1
	for _, d := range in {
		if d > 0 && n > math.MaxInt/d {
			name := l.Name
			if name == "" {
				name = "Flatten"
			}
			return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: "dimensions whose product fits in an integer"}
		}
		n *= d
	}
	return tensor.Shape{n}, nil
}

// Build has no weights to make; it checks that in can be flattened.
func (l *Flatten) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := l.OutputShape(in); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// Params returns nil: Flatten has no weights.
func (l *Flatten) Params() []*Param { return nil }

// channelsFirst reports whether x (batch first) must be transposed: only
// for channels_first with at least one spatial axis after the channels.
func (l *Flatten) channelsFirst(shape []int) bool {
	return l.DataFormat == channelsFirst && len(shape) > 2
}

// Forward returns x viewed as (batch, rest): no copy for channels_last.
func (l *Flatten) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.inShape = append(l.inShape[:0], x.Shape...)
	batch := x.Shape[0]
	rest := tensor.Shape(x.Shape[1:]).Size() // from the shape, so an empty batch keeps its width
	data := x.Data
	if l.channelsFirst(x.Shape) && len(x.Data) > 0 { // empty: nothing to move (and C may be 0)
		// x (batch, C, inner) → (batch, inner, C)
		l.permY = tensor.Ensure(l.permY, len(x.Data))
		c := x.Shape[1]
		toChannelsLast(l.permY.Data, x.Data, batch, c, rest/c)
		data = l.permY.Data
	}
	l.y = setView(l.y, data, batch, rest)
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns dy viewed in the input's shape (transposed back for
// channels_first).
func (l *Flatten) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	dy = l.act.backward(&l.LayerBase, l.y, dy)
	data := dy.Data
	if l.channelsFirst(l.inShape) && len(dy.Data) > 0 {
		batch, c := l.inShape[0], l.inShape[1]
		l.permDx = tensor.Ensure(l.permDx, len(dy.Data))
		toChannelsFirst(l.permDx.Data, dy.Data, batch, c, len(dy.Data)/max(batch, 1)/c)
		data = l.permDx.Data
	}
	l.dx = setView(l.dx, data, l.inShape...)
	return l.dx
}

// Config returns Keras's Flatten config.
func (l *Flatten) Config() Config {
	return Config{ClassName: "Flatten", Config: l.BaseConfig(map[string]any{"data_format": l.DataFormat})}
}
