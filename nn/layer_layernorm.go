package nn

import (
	"fmt"
	"slices"

	"github.com/keraswasm/keraswasm/tensor"
)

// LayerNormalization normalizes each sample over axis (the last by
// default): y = gamma·(x − mean)/sqrt(variance + ε) + beta, with the mean
// and (biased) variance of that sample's values along axis, the same in
// training and inference. gamma and beta have the shape of the normalized
// axes; get_weights gives gamma, then beta.
// Keras: keras/src/layers/normalization/layer_normalization.py.
type LayerNormalization struct {
	LayerBase
	Axis          []int // as given, counting the batch axis
	axisGiven     any
	Epsilon       float64
	Center, Scale bool
	gammaSpec     weightSpec
	betaSpec      weightSpec

	gamma, beta *Param
	paramShape  tensor.Shape
	planShape   tensor.Shape // the input shape plan was made for
	plan        normPlan

	act                activity
	xhat, y, dx        *tensor.Tensor
	mean, variance     []float64
	inv, count         []float64
	scratch1, scratch2 []float64
}

// layerNormArgs is LayerNormalization's Keras 2 positional signature
// (Keras 3 puts rms_scaling after scale; it is taken by name).
var layerNormArgs = []string{"axis", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
	"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"}

func init() {
	layers.add("LayerNormalization", layerNormArgs, func(m map[string]any) (Layer, error) { return newLayerNormFromConfig(m) })
}

// NewLayerNormalization returns a LayerNormalization layer; opts holds its
// Keras arguments by config key ("axis", "epsilon", ...).
func NewLayerNormalization(opts map[string]any) (*LayerNormalization, error) {
	return newLayerNormFromConfig(opts)
}

func newLayerNormFromConfig(m map[string]any) (*LayerNormalization, error) {
	a := NewArgs("LayerNormalization", m)
	l := &LayerNormalization{LayerBase: ParseBase(a, "LayerNormalization")}
	l.Axis, l.axisGiven = readAxes(a, "axis", -1)
	for _, ax := range l.Axis {
		if ax == 0 {
			a.Fail("axis", l.axisGiven, "axes of the features, not 0 (the batch axis); -1 for the last")
		}
	}
	l.Epsilon = readEpsilon(a)
	l.Center = a.Bool("center", true)
	l.Scale = a.Bool("scale", true)
	if a.Bool("rms_scaling", false) {
		a.Unimplemented("rms_scaling", true, "false (RMS scaling is not implemented)")
	}
	l.betaSpec = readWeightSpec(a, "beta", "zeros")
	l.gammaSpec = readWeightSpec(a, "gamma", "ones")
	if err := a.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *LayerNormalization) name() string {
	if l.Name != "" {
		return l.Name
	}
	return "LayerNormalization"
}

// resolve returns the normalized axes of in (without the batch), sorted.
func (l *LayerNormalization) resolve(in tensor.Shape) ([]int, error) {
	axes := make([]int, len(l.Axis))
	for i, ax := range l.Axis {
		if ax > 0 {
			ax--
		} else {
			ax += len(in)
		}
		axes[i] = ax
	}
	got, err := resolveAxes(axes, len(in))
	if err != nil || len(in) == 0 {
		return nil, &ShapeError{Layer: l.name(), Got: in.Clone(), Want: fmt.Sprintf("an input whose rank (with the batch) has axis %v", l.axisGiven)}
	}
	for _, ax := range got {
		if in[ax] < 1 {
			return nil, &ShapeError{Layer: l.name(), Got: in.Clone(), Want: fmt.Sprintf("a known size on axis %v, not None", l.axisGiven)}
		}
	}
	return got, nil
}

// OutputShape returns in.
func (l *LayerNormalization) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	axes, err := l.resolve(in)
	if err != nil {
		return nil, err
	}
	if l.Built {
		for i, ax := range axes {
			if in[ax] != l.paramShape[i] {
				return nil, &ShapeError{Layer: l.name(), Got: in.Clone(), Want: fmt.Sprintf("sizes %v on axis %v, as when it was built", l.paramShape, l.axisGiven)}
			}
		}
	}
	return in.Clone(), nil
}

// Build creates gamma and beta of the normalized axes' shape.
func (l *LayerNormalization) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := l.OutputShape(in); err != nil {
		return err
	}
	if l.Built {
		return nil
	}
	axes, _ := l.resolve(in)
	l.paramShape = make(tensor.Shape, len(axes))
	for i, ax := range axes {
		l.paramShape[i] = in[ax]
	}
	var err error
	if l.Scale {
		if l.gamma, err = l.gammaSpec.newParam("LayerNormalization", "gamma", rng, l.paramShape...); err != nil {
			return err
		}
	}
	if l.Center {
		if l.beta, err = l.betaSpec.newParam("LayerNormalization", "beta", rng, l.paramShape...); err != nil {
			return err
		}
	}
	l.Built = true
	return nil
}

// Params returns [gamma, beta] (less the ones scale and center turn off).
func (l *LayerNormalization) Params() []*Param {
	var ps []*Param
	if l.Built && l.Scale {
		ps = append(ps, l.gamma)
	}
	if l.Built && l.Center {
		ps = append(ps, l.beta)
	}
	return ps
}

// Forward normalizes each sample of x (batch, ...) over the axes.
func (l *LayerNormalization) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	in := x.Shape[1:]
	if !in.Equal(l.planShape) {
		axes, err := l.resolve(in)
		if err != nil {
			panic("nn: LayerNormalization.Forward: " + err.Error())
		}
		var others []int
		for ax := range in {
			if !slices.Contains(axes, ax) {
				others = append(others, ax)
			}
		}
		l.plan, l.planShape = newNormPlan(in, others, axes, false), in.Clone()
	}
	n := x.Shape[0]
	l.xhat = tensor.Ensure(l.xhat, x.Shape...)
	l.y = tensor.Ensure(l.y, x.Shape...)
	g := l.plan.totalGroups(n)
	l.mean, l.variance = ensure64(l.mean, g), ensure64(l.variance, g)
	l.inv, l.count = ensure64(l.inv, g), ensure64(l.count, g)
	l.plan.moments(x.Data, n, l.mean, l.variance, l.count)
	invStd(l.inv, l.variance, l.Epsilon)
	l.plan.normalize(l.y.Data, l.xhat.Data, x.Data, n, l.mean, l.inv, paramData(l.gamma), paramData(l.beta))
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward accumulates dgamma and dbeta and returns dx through the
// sample's statistics.
func (l *LayerNormalization) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = l.act.backward(&l.LayerBase, l.y, dy)
	var dx []float32
	if needDx {
		l.dx = tensor.Ensure(l.dx, dy.Shape...)
		dx = l.dx.Data
	}
	g := len(l.mean)
	l.scratch1, l.scratch2 = ensure64(l.scratch1, g), ensure64(l.scratch2, g)
	l.plan.backward(dx, dy.Data, l.xhat.Data, dy.Shape[0], l.inv, l.count, paramData(l.gamma),
		gradData(l.gamma), gradData(l.beta), true, l.scratch1, l.scratch2)
	if !needDx {
		return nil
	}
	return l.dx
}

// Config returns Keras's LayerNormalization config.
func (l *LayerNormalization) Config() Config {
	m := map[string]any{
		"axis":    l.axisGiven,
		"epsilon": l.Epsilon,
		"center":  l.Center,
		"scale":   l.Scale,
	}
	l.betaSpec.config(m, "beta")
	l.gammaSpec.config(m, "gamma")
	return Config{ClassName: "LayerNormalization", Config: l.BaseConfig(m)}
}

// footprint counts gamma and beta, xhat and y forward and dx backward.
func (l *LayerNormalization) footprint(in tensor.Shape) Footprint {
	n := shapeValues(in)
	c := 1.0
	if axes, err := l.resolve(in); err == nil {
		for _, ax := range axes {
			c *= float64(max(in[ax], 1))
		}
	}
	w := 0.0
	if l.Scale {
		w += c
	}
	if l.Center {
		w += c
	}
	return Footprint{Weights: w, Forward: 2 * n, Backward: n + activityValues(&l.LayerBase, n)}
}
