package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// The activation layers with arguments: ReLU, LeakyReLU, ELU, Softmax.
// Keras: keras/src/layers/activations/{relu,leaky_relu,elu,softmax}.py;
// tf_keras/layers/activation/ for the Keras 2 configs (ELU keeps alpha in its
// config there; Keras 3 forgets it).

func init() {
	layers.add("ReLU", []string{"max_value", "negative_slope", "threshold"}, reluFromConfig)
	layers.add("LeakyReLU", []string{"alpha"}, leakyReLUFromConfig) // Keras 3: negative_slope
	layers.add("ELU", []string{"alpha"}, eluFromConfig)
	layers.add("Softmax", []string{"axis"}, softmaxFromConfig)
}

// activationLayer is what the four layers share: a weightless function of
// the input whose output shape is the input shape, the input and output
// cached for Backward, and the activity regularizer's term (see activity).
//
// The function and the config are made from the layer's exported fields by
// two hooks, when the layer is built and when its config is asked for, so a
// Go user who changes a field before Build gets what the fields say.
type activationLayer struct {
	LayerBase
	x        *tensor.Tensor // the last Forward's input (not owned)
	y, dx    *tensor.Tensor // owned, reused
	activity activity       // the activity regularizer's term and gradient
	fn       Activation     // made by makeFn in Build; unused by Softmax

	makeFn func() Activation     // the function the fields describe
	args   func() map[string]any // the layer's own config keys
}

// Build marks the layer built and makes its function: there are no weights,
// and any shape is taken.
func (l *activationLayer) Build(in tensor.Shape, _ *tensor.RNG) error {
	if l.makeFn != nil {
		l.fn = l.makeFn()
	}
	l.Built = true
	return nil
}

// OutputShape is the input shape.
func (l *activationLayer) OutputShape(in tensor.Shape) (tensor.Shape, error) { return in.Clone(), nil }

// Params is empty: these layers have no weights.
func (l *activationLayer) Params() []*Param { return nil }

// Config returns the Keras config: the common layer keys and the layer's own.
func (l *activationLayer) Config() Config {
	return Config{ClassName: l.ClassName, Config: l.BaseConfig(l.args())}
}

// Forward applies the function; x is (batch, ...) and so is the result.
func (l *activationLayer) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if l.fn == nil {
		l.fn = l.makeFn() // Forward without Build: build on the fly
	}
	l.x = x
	l.y = tensor.Ensure(l.y, x.Shape...)
	l.fn.Forward(l.y, x)
	l.activity.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns dx = (dy + ∂activity/∂y)·∂y/∂x; nil when needDx is false,
// since there are no weights to accumulate into.
func (l *activationLayer) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	l.dx = tensor.Ensure(l.dx, dy.Shape...)
	l.fn.Backward(l.dx, l.x, l.y, l.activity.backward(&l.LayerBase, l.y, dy))
	return l.dx
}

// ReLU is Keras's ReLU layer:
//
//	f(x) = min(x, max_value)                for x > threshold
//	f(x) = negative_slope·(x − threshold)   otherwise
type ReLU struct {
	activationLayer
	MaxValue      *float64 // nil is None: no upper bound
	NegativeSlope float64
	Threshold     float64
}

// NewReLU returns a ReLU layer. Keras's ReLU has no required argument;
// opts holds any Keras argument by its config key ("max_value",
// "negative_slope", "threshold", "name", ...), each non-negative as Keras
// requires. NewReLU(nil) is Keras's ReLU().
func NewReLU(opts map[string]any) (*ReLU, error) {
	return newActivationFromOpts[*ReLU]("ReLU", reluFromConfig, opts)
}

// newActivationFromOpts is the Go door of the four layers of this file
// (none has a required argument in Keras): a copy of opts goes through the
// same config constructor the registry calls, so a Go constructor and a
// config cannot disagree.
func newActivationFromOpts[T Layer](class string, fromConfig func(map[string]any) (Layer, error), opts map[string]any) (T, error) {
	var none T
	m, err := withArgs(class, opts)
	if err != nil {
		return none, err
	}
	l, err := fromConfig(m)
	if err != nil {
		return none, err
	}
	return l.(T), nil
}

func reluFromConfig(m map[string]any) (Layer, error) {
	a := NewArgs("ReLU", m)
	l := &ReLU{}
	l.LayerBase = ParseBase(a, "ReLU")
	if a.Has("max_value") {
		v := a.Float("max_value", 0)
		if v < 0 {
			a.Fail("max_value", v, "a non-negative number or None (max_value of a ReLU layer cannot be negative)")
		}
		l.MaxValue = &v
	}
	l.NegativeSlope = nonNegative(a, "negative_slope", 0, "ReLU")
	l.Threshold = nonNegative(a, "threshold", 0, "ReLU")
	if err := a.Err(); err != nil {
		return nil, err
	}
	l.makeFn = func() Activation {
		if l.MaxValue == nil {
			return newReLUFunc(0, false, l.NegativeSlope, l.Threshold)
		}
		return newReLUFunc(*l.MaxValue, true, l.NegativeSlope, l.Threshold)
	}
	l.args = func() map[string]any {
		var maxValue any
		if l.MaxValue != nil {
			maxValue = *l.MaxValue
		}
		return map[string]any{"max_value": maxValue, "negative_slope": l.NegativeSlope, "threshold": l.Threshold}
	}
	return l, nil
}

func nonNegative(a *Args, key string, def float64, owner string) float64 {
	v := a.Float(key, def)
	if v < 0 {
		a.Fail(key, v, fmt.Sprintf("a non-negative number (%s of a %s layer cannot be negative)", key, owner))
	}
	return v
}

// LeakyReLU is Keras's LeakyReLU layer: x for x ≥ 0, negative_slope·x below.
// Its default slope is 0.3 (the leaky_relu function's is 0.2). Keras 2's
// spelling alpha is accepted; configs are written with negative_slope.
type LeakyReLU struct {
	activationLayer
	NegativeSlope float64
}

// NewLeakyReLU returns a LeakyReLU layer. Keras's LeakyReLU has no required
// argument; opts holds any Keras argument by its config key
// ("negative_slope", default 0.3; Keras 2's "alpha"; "name", ...).
func NewLeakyReLU(opts map[string]any) (*LeakyReLU, error) {
	return newActivationFromOpts[*LeakyReLU]("LeakyReLU", leakyReLUFromConfig, opts)
}

func leakyReLUFromConfig(m map[string]any) (Layer, error) {
	a := NewArgs("LeakyReLU", m)
	a.Alias("negative_slope", "alpha")
	l := &LeakyReLU{}
	l.LayerBase = ParseBase(a, "LeakyReLU")
	l.NegativeSlope = nonNegative(a, "negative_slope", 0.3, "LeakyReLU")
	if err := a.Err(); err != nil {
		return nil, err
	}
	l.makeFn = func() Activation { return newLeakyReLU(l.NegativeSlope) }
	l.args = func() map[string]any { return map[string]any{"negative_slope": l.NegativeSlope} }
	return l, nil
}

// ELU is Keras's ELU layer: x for x > 0, alpha·(exp(x) − 1) otherwise.
type ELU struct {
	activationLayer
	Alpha float64
}

// NewELU returns an ELU layer. Keras's ELU has no required argument; opts
// holds any Keras argument by its config key ("alpha", default 1; "name",
// ...).
func NewELU(opts map[string]any) (*ELU, error) {
	return newActivationFromOpts[*ELU]("ELU", eluFromConfig, opts)
}

func eluFromConfig(m map[string]any) (Layer, error) {
	a := NewArgs("ELU", m)
	l := &ELU{}
	l.LayerBase = ParseBase(a, "ELU")
	l.Alpha = a.Float("alpha", 1)
	if err := a.Err(); err != nil {
		return nil, err
	}
	l.makeFn = func() Activation { return newELU(l.Alpha) }
	l.args = func() map[string]any { return map[string]any{"alpha": l.Alpha} }
	return l, nil
}

// Softmax is Keras's Softmax layer: exp(x − max) / Σ exp(x − max) along
// axis. The axis counts the batch dimension (-1, the default, is the last);
// a list of axes is taken when the axes are next to each other, as one
// softmax over all their entries (Keras's exp(x − logsumexp(x, axis))).
// Non-adjacent axes are not implemented and are rejected.
type Softmax struct {
	activationLayer
	Axis []int // resolved against the input's rank in Build

	shape    tensor.Shape // the input shape n and inner were worked out for
	n, inner int          // the tensor seen as (outer, n, inner)
	masked   softmaxMask  // the input's mask (layer_softmax_mask.go)
}

// NewSoftmax returns a Softmax layer. Keras's Softmax has no required
// argument; opts holds any Keras argument by its config key ("axis": an
// integer or a list of adjacent axes, default -1, the last; "name", ...).
func NewSoftmax(opts map[string]any) (*Softmax, error) {
	return newActivationFromOpts[*Softmax]("Softmax", softmaxFromConfig, opts)
}

func softmaxFromConfig(m map[string]any) (Layer, error) {
	a := NewArgs("Softmax", m)
	l := &Softmax{}
	l.LayerBase = ParseBase(a, "Softmax")
	var given any
	l.Axis, given = readAxes(a, "axis", -1)
	if len(l.Axis) == 0 {
		a.Fail("axis", given, "an integer or a non-empty list of integers")
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	l.args = func() map[string]any { return map[string]any{"axis": l.axisValue()} }
	return l, nil
}

// axisValue is the axis as Keras writes it: an integer, or a list when there
// are several.
func (l *Softmax) axisValue() any {
	if len(l.Axis) == 1 {
		return l.Axis[0]
	}
	return append([]int(nil), l.Axis...)
}

// Build checks that the axes exist in an input of shape (batch,) + in and
// lie next to each other.
func (l *Softmax) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, _, err := l.span(len(in) + 1); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// span resolves the axes for a tensor of the given rank (batch included) to
// the range [first, last] they cover.
func (l *Softmax) span(rank int) (first, last int, err error) {
	axes, err := resolveAxes(l.Axis, rank)
	if err != nil {
		return 0, 0, fmt.Errorf("Softmax: invalid argument axis: %w. Received: axis=%s", err, formatValue(l.axisValue()))
	}
	for i := 1; i < len(axes); i++ {
		if axes[i] != axes[i-1]+1 {
			return 0, 0, &NotImplemented{What: fmt.Sprintf("Softmax: a softmax over the non-adjacent axes %v", axes),
				Hint: "use adjacent axes (such as [1, 2]) or one axis. Received: axis=" + formatValue(l.axisValue())}
		}
	}
	return axes[0], axes[len(axes)-1], nil
}

// geometry views a tensor of the given shape as (outer, n, inner) around
// the softmax axes; it works them out again only when the shape changes.
func (l *Softmax) geometry(shape tensor.Shape) (n, inner int) {
	if l.shape != nil && l.shape.Equal(shape) {
		return l.n, l.inner
	}
	first, last, err := l.span(len(shape))
	if err != nil {
		panic(err.Error() + " (Forward before a successful Build)")
	}
	n, inner = 1, 1
	for i, d := range shape {
		switch {
		case i >= first && i <= last:
			n *= d
		case i > last:
			inner *= d
		}
	}
	l.shape, l.n, l.inner = shape.Clone(), n, inner
	return n, inner
}

// Forward computes the softmax of x along the axes.
func (l *Softmax) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.x = x
	l.y = tensor.Ensure(l.y, x.Shape...)
	n, inner := l.geometry(x.Shape)
	if l.masked.mask != nil {
		l.masked.forward(l.y.Data, x, n, inner)
	} else {
		softmaxForward(l.y.Data, x.Data, n, inner)
	}
	l.activity.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward uses dx_i = y_i·(g_i − Σ_j g_j·y_j) along the axes, g being dy
// plus the activity penalty's gradient.
func (l *Softmax) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	l.dx = tensor.Ensure(l.dx, dy.Shape...)
	n, inner := l.geometry(dy.Shape)
	g := l.activity.backward(&l.LayerBase, l.y, dy).Data
	if l.masked.mask != nil {
		l.masked.backward(l.dx.Data, g, n, inner)
		return l.dx
	}
	softmaxBackward(l.dx.Data, l.y.Data, g, n, inner)
	return l.dx
}
