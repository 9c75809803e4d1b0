package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// BatchNormalization normalizes its input over the batch (and every axis
// but axis), per entry of axis: y = gamma·(x − mean)/sqrt(variance + ε) +
// beta. In training it uses the batch's own mean and (biased) variance and
// moves the moving statistics toward them:
// moving = moving·momentum + batch·(1 − momentum); at inference it uses the
// moving statistics. A layer frozen at compile (trainable=false) runs in
// inference mode even in training, as Keras 3 does. Weights, in Keras's
// get_weights order: gamma (scale=true), beta (center=true), moving_mean,
// moving_variance; the moving two are non-trainable. A mask from
// Embedding(mask_zero=True) or Masking makes the training moments those of
// the real steps only, as Keras 3's do, and passes on (SetMask,
// layer_batchnorm_mask.go).
// Keras: keras/src/layers/normalization/batch_normalization.py.
//
// Porting note: tf.keras's fused kernel (the default for 4-D inputs) moves
// the moving variance toward the batch variance with Bessel's correction
// n/(n − 1); Keras 3, TF.js and keraswasm use the biased variance in both
// places.
type BatchNormalization struct {
	LayerBase
	Axis           []int // as given, counting the batch axis (-1: the last)
	axisGiven      any
	Momentum       float64
	Epsilon        float64
	Center, Scale  bool
	gammaSpec      weightSpec
	betaSpec       weightSpec
	movingMeanInit Initializer
	movingVarInit  Initializer

	gamma, beta, movingMean, movingVar *Param
	planShape                          tensor.Shape // the input shape plan was made for
	plan                               normPlan
	axes                               []int // resolved, into the input shape without the batch

	xhat, y, dx        *tensor.Tensor
	batchStats         bool   // the last Forward used the batch's statistics
	mask               []bool // the coming Forward's input mask (one entry per value of the last axis), nil for none
	maskedStats        bool   // the last Forward's statistics were over the unmasked steps
	stride             int    // values per mask entry in the last Forward (the last axis's size)
	mean, variance     []float64
	inv, count         []float64
	scratch1, scratch2 []float64
	act                activity
}

// batchNormArgs is BatchNormalization's Keras positional signature.
var batchNormArgs = []string{"axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
	"moving_mean_initializer", "moving_variance_initializer", "beta_regularizer", "gamma_regularizer",
	"beta_constraint", "gamma_constraint"}

func init() {
	layers.add("BatchNormalization", batchNormArgs, func(m map[string]any) (Layer, error) { return newBatchNormFromConfig(m) })
}

// NewBatchNormalization returns a BatchNormalization layer; opts holds its
// Keras arguments by config key ("axis", "momentum", "epsilon", ...).
func NewBatchNormalization(opts map[string]any) (*BatchNormalization, error) {
	return newBatchNormFromConfig(opts)
}

func newBatchNormFromConfig(m map[string]any) (*BatchNormalization, error) {
	a := NewArgs("BatchNormalization", m)
	l := &BatchNormalization{LayerBase: ParseBase(a, "BatchNormalization")}
	l.Axis, l.axisGiven = readAxes(a, "axis", -1)
	for _, ax := range l.Axis {
		if ax == 0 {
			a.Fail("axis", l.axisGiven, "the features axis, not 0 (the batch axis); -1 for the last")
		}
	}
	l.Momentum = a.Float("momentum", 0.99)
	if !(l.Momentum >= 0 && l.Momentum <= 1) {
		a.Fail("momentum", l.Momentum, "a number in [0, 1] (the weight of the old moving statistics)")
	}
	l.Epsilon = readEpsilon(a)
	l.Center = a.Bool("center", true)
	l.Scale = a.Bool("scale", true)
	l.betaSpec = readWeightSpec(a, "beta", "zeros")
	l.gammaSpec = readWeightSpec(a, "gamma", "ones")
	l.movingMeanInit = readInitializer(a, "moving_mean_initializer", "zeros")
	l.movingVarInit = readInitializer(a, "moving_variance_initializer", "ones")
	if a.Bool("synchronized", false) {
		a.Unimplemented("synchronized", true, "false (statistics synchronized across devices are not implemented)")
	}
	if a.Bool("renorm", false) {
		a.Unimplemented("renorm", true, "false (batch renormalization is not implemented)")
	}
	a.Unsupported("renorm_clipping", "null (batch renormalization is not implemented)")
	a.Unsupported("virtual_batch_size", "null (virtual batches (ghost batch normalization) are not implemented)")
	a.Unsupported("adjustment", "null (an adjustment function is not implemented)")
	// Keras 2 writes these; with renorm false they change nothing there
	// either, and fused picks a kernel, not the result (but see the
	// porting note).
	a.Ignore("renorm_momentum", "fused")
	if err := a.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *BatchNormalization) name() string {
	if l.Name != "" {
		return l.Name
	}
	return "BatchNormalization"
}

// resolve returns the axes of in (without the batch) that l normalizes
// per entry.
func (l *BatchNormalization) resolve(in tensor.Shape) ([]int, error) {
	axes := make([]int, len(l.Axis))
	for i, ax := range l.Axis {
		if ax > 0 {
			ax-- // Keras's axis counts the batch
		} else {
			ax += len(in)
		}
		axes[i] = ax
	}
	got, err := resolveAxes(axes, len(in))
	if err != nil || len(in) == 0 {
		return nil, &ShapeError{Layer: l.name(), Got: in.Clone(),
			Want: fmt.Sprintf("an input whose rank (with the batch) has axis %v", l.axisGiven)}
	}
	for _, ax := range got {
		if in[ax] < 1 {
			return nil, &ShapeError{Layer: l.name(), Got: in.Clone(), Want: fmt.Sprintf("a known size on axis %v, not None", l.axisGiven)}
		}
	}
	return got, nil
}

// OutputShape returns in: normalization keeps the shape.
func (l *BatchNormalization) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	axes, err := l.resolve(in)
	if err != nil {
		return nil, err
	}
	if l.Built && l.paramShape(in, axes).Size() != l.movingMean.Value.Size() {
		return nil, &ShapeError{Layer: l.name(), Got: in.Clone(), Want: fmt.Sprintf("%d entries on axis %v, as when it was built", l.movingMean.Value.Size(), l.axisGiven)}
	}
	return in.Clone(), nil
}

func (l *BatchNormalization) paramShape(in tensor.Shape, axes []int) tensor.Shape {
	s := make(tensor.Shape, len(axes))
	for i, ax := range axes {
		s[i] = in[ax]
	}
	return s
}

// Build creates gamma, beta, moving_mean and moving_variance, each of the
// shape of in's axis (e.g. (channels,)).
func (l *BatchNormalization) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := l.OutputShape(in); err != nil {
		return err
	}
	if l.Built {
		return nil
	}
	axes, _ := l.resolve(in)
	shape := l.paramShape(in, axes)
	var err error
	if l.Scale {
		if l.gamma, err = l.gammaSpec.newParam("BatchNormalization", "gamma", rng, shape...); err != nil {
			return err
		}
	}
	if l.Center {
		if l.beta, err = l.betaSpec.newParam("BatchNormalization", "beta", rng, shape...); err != nil {
			return err
		}
	}
	if l.movingMean, err = initParam("BatchNormalization", "moving_mean", l.movingMeanInit, rng, false, shape...); err != nil {
		return err
	}
	if l.movingVar, err = initParam("BatchNormalization", "moving_variance", l.movingVarInit, rng, false, shape...); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// Params returns [gamma, beta, moving_mean, moving_variance] (without
// gamma when scale is false, without beta when center is false).
func (l *BatchNormalization) Params() []*Param {
	if !l.Built {
		return nil
	}
	var ps []*Param
	if l.Scale {
		ps = append(ps, l.gamma)
	}
	if l.Center {
		ps = append(ps, l.beta)
	}
	return append(ps, l.movingMean, l.movingVar)
}

func paramData(p *Param) []float32 {
	if p == nil {
		return nil
	}
	return p.Value.Data
}

func gradData(p *Param) []float32 {
	if p == nil {
		return nil
	}
	return p.Grad.Data
}

// Forward normalizes x (batch, ...) with the batch's statistics in training
// (and updates the moving ones), with the moving statistics otherwise.
func (l *BatchNormalization) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	in := x.Shape[1:]
	if !in.Equal(l.planShape) {
		axes, err := l.resolve(in)
		if err != nil {
			panic("nn: BatchNormalization.Forward: " + err.Error())
		}
		l.axes, l.plan, l.planShape = axes, newNormPlan(in, axes, axes, true), in.Clone()
	}
	n := x.Shape[0]
	l.xhat = tensor.Ensure(l.xhat, x.Shape...)
	l.y = tensor.Ensure(l.y, x.Shape...)
	g := l.plan.groups
	l.mean, l.variance = ensure64(l.mean, g), ensure64(l.variance, g)
	l.inv, l.count = ensure64(l.inv, g), ensure64(l.count, g)
	l.batchStats = training && !l.Frozen && n > 0
	l.maskedStats = l.batchStats && l.mask != nil
	if l.maskedStats {
		l.plan.maskedMoments(x.Data, n, l.mask, l.maskStride(x), l.mean, l.variance, l.count)
	} else if l.batchStats {
		l.plan.moments(x.Data, n, l.mean, l.variance, l.count)
	}
	if l.batchStats {
		mom := l.Momentum
		for i := range l.mean {
			mm, mv := &l.movingMean.Value.Data[i], &l.movingVar.Value.Data[i]
			*mm = float32(float64(*mm)*mom + l.mean[i]*(1-mom))
			*mv = float32(float64(*mv)*mom + l.variance[i]*(1-mom))
		}
	} else {
		for i := range l.mean {
			l.mean[i] = float64(l.movingMean.Value.Data[i])
			l.variance[i] = float64(l.movingVar.Value.Data[i])
		}
	}
	invStd(l.inv, l.variance, l.Epsilon)
	l.plan.normalize(l.y.Data, l.xhat.Data, x.Data, n, l.mean, l.inv, paramData(l.gamma), paramData(l.beta))
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward accumulates dgamma += Σ dy·xhat and dbeta += Σ dy and returns
// dx, through the batch statistics when the last Forward used them.
func (l *BatchNormalization) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = l.act.backward(&l.LayerBase, l.y, dy)
	var dx []float32
	if needDx {
		l.dx = tensor.Ensure(l.dx, dy.Shape...)
		dx = l.dx.Data
	}
	g := l.plan.groups
	l.scratch1, l.scratch2 = ensure64(l.scratch1, g), ensure64(l.scratch2, g)
	if l.maskedStats {
		l.plan.maskedBackward(dx, dy.Data, l.xhat.Data, dy.Shape[0], l.mask, l.stride, l.mean, l.inv, l.count, paramData(l.gamma),
			gradData(l.gamma), gradData(l.beta), l.scratch1, l.scratch2)
	} else {
		l.plan.backward(dx, dy.Data, l.xhat.Data, dy.Shape[0], l.inv, l.count, paramData(l.gamma),
			gradData(l.gamma), gradData(l.beta), l.batchStats, l.scratch1, l.scratch2)
	}
	if !needDx {
		return nil
	}
	return l.dx
}

// Config returns Keras's BatchNormalization config.
func (l *BatchNormalization) Config() Config {
	m := map[string]any{
		"axis":                        l.axisGiven,
		"momentum":                    l.Momentum,
		"epsilon":                     l.Epsilon,
		"center":                      l.Center,
		"scale":                       l.Scale,
		"moving_mean_initializer":     l.movingMeanInit.Config(),
		"moving_variance_initializer": l.movingVarInit.Config(),
	}
	l.betaSpec.config(m, "beta")
	l.gammaSpec.config(m, "gamma")
	return Config{ClassName: "BatchNormalization", Config: l.BaseConfig(m)}
}

// footprint counts the four weights, xhat and y forward and dx backward.
func (l *BatchNormalization) footprint(in tensor.Shape) Footprint {
	n := shapeValues(in)
	c := 1.0
	if axes, err := l.resolve(in); err == nil {
		c = shapeValues(l.paramShape(in, axes))
	}
	w := 2 * c
	if l.Scale {
		w += c
	}
	if l.Center {
		w += c
	}
	return Footprint{Weights: w, Forward: 2 * n, Backward: n + activityValues(&l.LayerBase, n)}
}
