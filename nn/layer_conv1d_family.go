package nn

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// over2D is a 1-D convolution layer run as its 2-D twin over a height of
// 1: SeparableConv1D as SeparableConv2D, DepthwiseConv1D as
// DepthwiseConv2D, Conv1DTranspose as Conv2DTranspose. The input (batch,
// steps, channels) is the image (batch, 1, steps, channels) (channels_first:
// (batch, channels, 1, steps)); each kernel is the 2-D one without its
// leading 1, on the same memory. The weights' regularizers and constraints
// live on the 1-D weights (a constraint's axes are the 1-D kernel's, as in
// Keras); the 2-D layer gets the initializers only, whose fans are the
// same for (1, k, ...) as for (k, ...).
// Keras: keras/src/layers/convolutional/separable_conv1d.py,
// depthwise_conv1d.py and conv1d_transpose.py.
type over2D struct {
	LayerBase
	class    string
	inner    Layer
	format   string
	weights  []string // the weight names with a regularizer and constraint: "kernel", "bias", ...
	specs    map[string]weightSpec
	params   []*Param
	act      activity
	x4, dy4  tensor.Tensor
	y3, dx3  tensor.Tensor
	shape    []int
	innerCfg map[string]any
}

func init() {
	layers.add("SeparableConv1D", separableArgs, func(m map[string]any) (Layer, error) {
		return newOver2D("SeparableConv1D", "SeparableConv2D", m, []string{"depthwise", "pointwise", "bias"})
	}, "SeparableConvolution1D")
	layers.add("DepthwiseConv1D", depthwiseArgs, func(m map[string]any) (Layer, error) {
		return newOver2D("DepthwiseConv1D", "DepthwiseConv2D", m, []string{"depthwise", "bias"})
	})
	layers.add("Conv1DTranspose", conv2DTransposeArgs, func(m map[string]any) (Layer, error) {
		return newOver2D("Conv1DTranspose", "Conv2DTranspose", m, []string{"kernel", "bias"})
	}, "Convolution1DTranspose")
}

// singleKeys are the 1-tuple arguments that become (1, x) pairs in 2-D.
var singleKeys = []string{"kernel_size", "strides", "dilation_rate", "output_padding"}

// baseKeys are LayerBase's arguments, read by the 1-D layer itself.
var baseKeys = []string{"name", "trainable", "dtype", "input_shape", "input_dim", "input_length", "batch_size",
	"batch_input_shape", "batch_shape", "activity_regularizer"}

func newOver2D(class, inner2D string, m map[string]any, weights []string) (*over2D, error) {
	a := NewArgs(class, m)
	l := &over2D{LayerBase: ParseBase(a, class), class: class, weights: weights, specs: map[string]weightSpec{}}
	l.format = readDataFormat(a)
	cfg := map[string]any{"data_format": l.format}
	for _, k := range singleKeys {
		if v, ok := a.Value(k); ok {
			x := a.Ints(k, 1, []int{1})
			if x[0] < 1 && k != "output_padding" {
				a.Fail(k, v, "a positive integer (or a list of one)")
			}
			// output_padding's first entry is the height's, which strides 1 allows only as 0.
			cfg[k] = []any{map[bool]int{true: 0, false: 1}[k == "output_padding"], x[0]}
		}
	}
	if p := a.String("padding", "valid"); p == "causal" {
		a.Unimplemented("padding", p, `"valid" or "same" (causal padding is Conv1D's)`)
	} else {
		cfg["padding"] = p
	}
	for _, w := range weights {
		l.specs[w] = readWeightSpec(a, w, map[bool]string{true: "zeros", false: "glorot_uniform"}[w == "bias"])
		cfg[w+"_initializer"] = l.specs[w].initializer.Config()
	}
	// Everything else (filters, depth_multiplier, activation, use_bias ...)
	// is the 2-D layer's to read and check.
	for k, v := range m {
		if _, done := cfg[k]; done || contains(baseKeys, k) || contains(singleKeys, k) || k == "padding" {
			continue
		}
		if hasWeightKey(weights, k) {
			continue
		}
		cfg[k] = v
		a.Ignore(k) // read and checked by the 2-D layer below
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	inner, err := NewLayer(Config{ClassName: inner2D, Config: cfg})
	if err != nil {
		return nil, &renamedError{err: err, from: inner2D, to: class}
	}
	l.inner, l.innerCfg = inner, cfg
	return l, nil
}

// hasWeightKey reports whether k is one of the weights' *_initializer,
// *_regularizer or *_constraint arguments.
func hasWeightKey(weights []string, k string) bool {
	for _, w := range weights {
		if k == w+"_initializer" || k == w+"_regularizer" || k == w+"_constraint" {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// renamedError is an error of the 2-D layer's constructor told in the
// 1-D class's name (its Keras class is kept: it unwraps to the original).
type renamedError struct {
	err      error
	from, to string
}

func (e *renamedError) Error() string { return strings.ReplaceAll(e.err.Error(), e.from, e.to) }
func (e *renamedError) Unwrap() error { return e.err }

func (l *over2D) layerName() string {
	if l.Name != "" {
		return l.Name
	}
	return l.class
}

// image is the 2-D input shape for a 1-D one (nil if in is not rank 2).
func (l *over2D) image(in tensor.Shape) tensor.Shape {
	if len(in) != 2 {
		return nil
	}
	if l.format == channelsFirst {
		return tensor.Shape{in[0], 1, in[1]}
	}
	return tensor.Shape{1, in[0], in[1]}
}

// flat is the 1-D shape of a 2-D one of height 1.
func (l *over2D) flat(img tensor.Shape) tensor.Shape {
	if l.format == channelsFirst {
		return tensor.Shape{img[0], img[2]}
	}
	return tensor.Shape{img[1], img[2]}
}

// OutputShape returns (new_steps, channels) (or (channels, new_steps)).
func (l *over2D) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	img := l.image(in)
	if img == nil {
		want := "(steps, channels)"
		if l.format == channelsFirst {
			want = "(channels, steps) for data_format \"channels_first\""
		}
		return nil, &ShapeError{Layer: l.layerName(), Got: in.Clone(), Want: want}
	}
	out, err := l.inner.OutputShape(img)
	if err != nil {
		if e, ok := err.(*ShapeError); ok {
			return nil, &ShapeError{Layer: l.layerName(), Got: in.Clone(), Want: e.Want}
		}
		return nil, err
	}
	return l.flat(out), nil
}

// Build builds the 2-D layer and makes the 1-D weights on its memory.
func (l *over2D) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := l.OutputShape(in); err != nil {
		return err
	}
	if l.Built {
		return nil
	}
	if err := l.inner.Build(l.image(in), rng); err != nil {
		return err
	}
	l.params = nil
	for _, p := range l.inner.Params() {
		shape := p.Value.Shape
		if len(shape) == 4 && shape[0] == 1 {
			shape = shape[1:]
		}
		q := &Param{Name: p.Name, Trainable: true,
			Value: &tensor.Tensor{Shape: shape.Clone(), Data: p.Value.Data},
			Grad:  &tensor.Tensor{Shape: shape.Clone(), Data: p.Grad.Data}}
		spec := l.specs[weightKey(p.Name)]
		if err := CheckConstraint(spec.constraint, q.Value.Shape); err != nil {
			return fmt.Errorf("%s: the constraint cannot apply to the %s of shape %v: %w", l.class, p.Name, q.Value.Shape, err)
		}
		q.Regularizer, q.Constraint = spec.regularizer, spec.constraint
		l.params = append(l.params, q)
	}
	l.Built = true
	return nil
}

// weightKey is the argument prefix of weight name ("depthwise_kernel" is
// read from depthwise_*).
func weightKey(name string) string {
	switch name {
	case "depthwise_kernel":
		return "depthwise"
	case "pointwise_kernel":
		return "pointwise"
	}
	return name
}

// Params returns the 1-D weights, in the 2-D layer's (Keras's) order.
func (l *over2D) Params() []*Param {
	if !l.Built {
		return nil
	}
	return l.params
}

func (l *over2D) view(t *tensor.Tensor, data []float32, dims ...int) *tensor.Tensor {
	t.Shape = append(t.Shape[:0], dims...)
	t.Data = data
	return t
}

// Forward runs the 2-D layer on x seen as an image of height 1.
func (l *over2D) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != 3 {
		panic(fmt.Sprintf("nn: %s.Forward: input %v is not (batch, steps, channels)", l.class, x.Shape))
	}
	n := x.Shape[0]
	var x4 *tensor.Tensor
	if l.format == channelsFirst {
		x4 = l.view(&l.x4, x.Data, n, x.Shape[1], 1, x.Shape[2])
	} else {
		x4 = l.view(&l.x4, x.Data, n, 1, x.Shape[1], x.Shape[2])
	}
	y := l.inner.Forward(x4, training)
	if l.format == channelsFirst {
		l.view(&l.y3, y.Data, n, y.Shape[1], y.Shape[3])
	} else {
		l.view(&l.y3, y.Data, n, y.Shape[2], y.Shape[3])
	}
	l.shape = append(l.shape[:0], x.Shape...)
	l.act.forward(&l.LayerBase, &l.y3)
	return &l.y3
}

// Backward runs the 2-D layer's backward on dy seen as an image.
func (l *over2D) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = l.act.backward(&l.LayerBase, &l.y3, dy)
	n := dy.Shape[0]
	var d4 *tensor.Tensor
	if l.format == channelsFirst {
		d4 = l.view(&l.dy4, dy.Data, n, dy.Shape[1], 1, dy.Shape[2])
	} else {
		d4 = l.view(&l.dy4, dy.Data, n, 1, dy.Shape[1], dy.Shape[2])
	}
	dx := l.inner.Backward(d4, needDx)
	if !needDx {
		return nil
	}
	return l.view(&l.dx3, dx.Data, l.shape...)
}

// Config returns Keras's config of the 1-D class: the 2-D layer's with
// 1-tuples, the 1-D weights' regularizers and constraints, and the layer's
// own common keys.
func (l *over2D) Config() Config {
	inner := l.inner.Config().Config
	m := map[string]any{}
	for k, v := range inner {
		if contains(baseKeys, k) {
			continue
		}
		m[k] = v
	}
	for _, k := range singleKeys {
		if p, ok := m[k].([]int); ok && len(p) == 2 {
			m[k] = []int{p[1]}
		}
	}
	for _, w := range l.weights {
		l.specs[w].config(m, w)
	}
	m["activity_regularizer"] = nil
	return Config{ClassName: l.class, Config: l.BaseConfig(m)}
}

// footprint is the 2-D layer's on the image.
func (l *over2D) footprint(in tensor.Shape) Footprint {
	img := l.image(in)
	if img == nil {
		return Footprint{Forward: shapeValues(in), Backward: shapeValues(in)}
	}
	f := LayerFootprint(l.inner, img)
	if out, err := l.OutputShape(in); err == nil {
		f.Backward += activityValues(&l.LayerBase, shapeValues(out))
	}
	return f
}
