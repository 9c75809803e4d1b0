package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// PReLU is the parametric ReLU: y = x for x > 0, alpha·x otherwise, with
// alpha a weight of the sample's shape, shared (of size 1) along
// shared_axes (axes of the input counted from 1 after the batch, as in
// Keras: shared_axes=[1, 2] shares one alpha per channel of an image). The
// gradient at x = 0 is 0, as Keras's relu(x) − alpha·relu(−x) gives it.
// Keras: keras/src/layers/activations/prelu.py.
type PReLU struct {
	LayerBase
	SharedAxes []int // nil for None
	alphaSpec  weightSpec

	alpha   *Param
	act     activity
	idx     []int32 // per sample value: its alpha's index
	key     []int   // the sample shape idx was made for
	x, y    *tensor.Tensor
	dx      *tensor.Tensor
	inShape tensor.Shape // the built sample shape
}

func init() {
	layers.add("PReLU", []string{"alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"},
		func(m map[string]any) (Layer, error) { return newPReLUFromConfig(m) })
}

// NewPReLU returns a PReLU layer; opts holds its Keras arguments
// ("alpha_initializer", "shared_axes", ...).
func NewPReLU(opts map[string]any) (*PReLU, error) { return newPReLUFromConfig(opts) }

func newPReLUFromConfig(m map[string]any) (*PReLU, error) {
	a := NewArgs("PReLU", m)
	p := &PReLU{LayerBase: ParseBase(a, "PReLU")}
	p.alphaSpec = readWeightSpec(a, "alpha", "zeros")
	if v, ok := a.Value("shared_axes"); ok {
		if n, isInt := toInt(v); isInt {
			v = []any{n}
		}
		list, isList := toList(v)
		ok = isList && len(list) > 0
		for _, e := range list {
			n, isInt := toInt(e)
			if !isInt || n < 1 {
				ok = false
				break
			}
			p.SharedAxes = append(p.SharedAxes, n)
		}
		if !ok {
			a.Fail("shared_axes", v, "null, or axes of the input counted from 1 after the batch axis, such as [1, 2]")
			p.SharedAxes = nil
		}
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// alphaShape is the weight's shape for sample shape in: in with the shared
// axes set to 1.
func (p *PReLU) alphaShape(in tensor.Shape) (tensor.Shape, error) {
	s := in.Clone()
	for _, ax := range p.SharedAxes {
		if ax > len(in) {
			return nil, layerShapeError(&p.LayerBase, in, fmt.Sprintf("an input with axis %d for shared_axes %v (axes count from 1 after the batch)", ax, p.SharedAxes))
		}
		s[ax-1] = 1
	}
	for _, d := range s {
		if d < 0 {
			return nil, layerShapeError(&p.LayerBase, in, "known dimensions on every axis alpha is not shared along (add it to shared_axes)")
		}
	}
	return s, nil
}

// OutputShape returns in, checking that alpha can be made for it.
func (p *PReLU) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if _, err := p.alphaShape(in); err != nil {
		return nil, err
	}
	return in.Clone(), nil
}

// Build makes alpha (alpha_initializer, Keras's default zeros).
func (p *PReLU) Build(in tensor.Shape, rng *tensor.RNG) error {
	s, err := p.alphaShape(in)
	if err != nil {
		return err
	}
	if len(s) == 0 {
		s = tensor.Shape{}
	}
	alpha, err := p.alphaSpec.newParam("PReLU", "alpha", rng, s...)
	if err != nil {
		return err
	}
	p.alpha, p.inShape, p.Built = alpha, in.Clone(), true
	return nil
}

// Params returns alpha.
func (p *PReLU) Params() []*Param {
	if p.alpha == nil {
		return nil
	}
	return []*Param{p.alpha}
}

// index makes the map from a sample's values to their alpha.
func (p *PReLU) index(sample []int) {
	if p.idx != nil && tensor.Shape(p.key).Equal(sample) {
		return
	}
	p.key = append(p.key[:0], sample...)
	as := p.alpha.Value.Shape
	astr := strides(as)
	p.idx = make([]int32, tensor.Shape(sample).Size())
	pos := make([]int, len(sample))
	for i := range p.idx {
		j := 0
		for d := range pos {
			if as[d] != 1 {
				j += pos[d] * astr[d]
			}
		}
		p.idx[i] = int32(j)
		for d := len(pos) - 1; d >= 0; d-- {
			if pos[d]++; pos[d] < sample[d] {
				break
			}
			pos[d] = 0
		}
	}
}

// Forward returns max(x, 0) + alpha·min(x, 0). It panics before Build or
// for a sample shape other than the built one.
func (p *PReLU) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if p.alpha == nil || !p.inShape.Equal(tensor.Shape(x.Shape[1:])) && !p.fits(x.Shape[1:]) {
		panic(fmt.Sprintf("nn: PReLU.Forward: input %v does not fit the built layer (Build first, with the input shape)", x.Shape))
	}
	p.index(x.Shape[1:])
	p.x = x
	p.y = tensor.Ensure(p.y, x.Shape...)
	alpha := p.alpha.Value.Data
	per := len(p.idx)
	for i, v := range x.Data {
		if v <= 0 {
			v *= alpha[p.idx[i%per]]
		}
		p.y.Data[i] = v
	}
	p.act.forward(&p.LayerBase, p.y)
	return p.y
}

// fits reports whether a sample shape matches the built one where alpha is
// not shared (a shared axis may take any size, as a None one).
func (p *PReLU) fits(sample []int) bool {
	as := p.alpha.Value.Shape
	if len(sample) != len(as) {
		return false
	}
	for i, d := range sample {
		if as[i] != 1 && d != as[i] {
			return false
		}
	}
	return true
}

// Backward accumulates dalpha += dy·min(x, 0) and returns dx = dy where
// x > 0, alpha·dy where x < 0, 0 at 0.
func (p *PReLU) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	d := p.act.backward(&p.LayerBase, p.y, dy).Data
	alpha, grad := p.alpha.Value.Data, p.alpha.Grad.Data
	per := len(p.idx)
	for i, v := range p.x.Data {
		if v < 0 {
			grad[p.idx[i%per]] += d[i] * v
		}
	}
	if !needDx {
		return nil
	}
	p.dx = tensor.Ensure(p.dx, dy.Shape...)
	for i, v := range p.x.Data {
		switch {
		case v > 0:
			p.dx.Data[i] = d[i]
		case v < 0:
			p.dx.Data[i] = alpha[p.idx[i%per]] * d[i]
		default:
			p.dx.Data[i] = 0
		}
	}
	return p.dx
}

// Config returns Keras's PReLU config.
func (p *PReLU) Config() Config {
	m := map[string]any{"shared_axes": nil}
	if p.SharedAxes != nil {
		m["shared_axes"] = append([]int{}, p.SharedAxes...)
	}
	p.alphaSpec.config(m, "alpha")
	return Config{ClassName: "PReLU", Config: p.BaseConfig(m)}
}

// footprint counts alpha, and per sample the output and alpha's index map
// forward, dx backward.
func (p *PReLU) footprint(in tensor.Shape) Footprint {
	n := shapeValues(in)
	var w float64
	if s, err := p.alphaShape(in); err == nil {
		w = shapeValues(s)
	}
	return Footprint{Weights: w, Forward: 2 * n, Backward: n + activityValues(&p.LayerBase, n)}
}

// ThresholdedReLU is x for x > theta, 0 otherwise (theta ≥ 0, default 1).
// Keras 2: tf_keras/layers/activation/thresholded_relu.py (Keras 3 has
// dropped the layer; keraswasm keeps Keras 2's).
type ThresholdedReLU struct {
	LayerBase
	Theta float64

	act  activity
	x, y *tensor.Tensor
	dx   *tensor.Tensor
}

func init() {
	layers.add("ThresholdedReLU", []string{"theta"}, func(m map[string]any) (Layer, error) {
		a := NewArgs("ThresholdedReLU", m)
		l := &ThresholdedReLU{LayerBase: ParseBase(a, "ThresholdedReLU")}
		if v, given := m["theta"]; given && v == nil {
			a.Fail("theta", nil, "a non-negative number (theta of a ThresholdedReLU layer cannot be None)")
		}
		l.Theta = nonNegative(a, "theta", 1, "ThresholdedReLU")
		return l, a.Err()
	})
}

// OutputShape returns in.
func (l *ThresholdedReLU) OutputShape(in tensor.Shape) (tensor.Shape, error) { return in.Clone(), nil }

// Build has nothing to make.
func (l *ThresholdedReLU) Build(in tensor.Shape, _ *tensor.RNG) error {
	l.Built = true
	return nil
}

// Params returns nil: the layer has no weights.
func (l *ThresholdedReLU) Params() []*Param { return nil }

// Forward returns x where x > theta, 0 elsewhere.
func (l *ThresholdedReLU) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.x = x
	l.y = tensor.Ensure(l.y, x.Shape...)
	theta := float32(l.Theta)
	for i, v := range x.Data {
		if v <= theta {
			v = 0
		}
		l.y.Data[i] = v
	}
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns dy where x > theta, 0 elsewhere.
func (l *ThresholdedReLU) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	d := l.act.backward(&l.LayerBase, l.y, dy).Data
	l.dx = tensor.Ensure(l.dx, dy.Shape...)
	theta := float32(l.Theta)
	for i, v := range l.x.Data {
		l.dx.Data[i] = 0
		if v > theta {
			l.dx.Data[i] = d[i]
		}
	}
	return l.dx
}

// Config returns Keras 2's ThresholdedReLU config.
func (l *ThresholdedReLU) Config() Config {
	return Config{ClassName: "ThresholdedReLU", Config: l.BaseConfig(map[string]any{"theta": l.Theta})}
}
