package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Element-wise losses: each is the mean, over the last axis (and then over
// inner positions), of a function of one target t and one prediction p.
// Keras: tf_keras/losses.py (mean_squared_error ... log_cosh, hinge,
// squared_hinge, poisson).

// elementLoss is a Keras loss whose per-sample value is the mean of f(t, p)
// over the sample's elements; df is ∂f/∂p.
type elementLoss struct {
	lossBase
	class string
	f, df func(t, p float64) float64
	// hingeLabels turns {0, 1} targets into {−1, 1} when every target of the
	// batch is 0 or 1, as Keras's _maybe_convert_labels does.
	hingeLabels bool
	extra       map[string]any
}

func (l *elementLoss) Forward(out []float64, yTrue, yPred *tensor.Tensor) {
	if l.hingeLabels && lossBinaryLabels(yTrue.Data) {
		elementForward(out, yTrue, yPred, func(t, p float64) float64 { return l.f(2*t-1, p) })
		return
	}
	elementForward(out, yTrue, yPred, l.f)
}

func (l *elementLoss) Backward(dPred, yTrue, yPred *tensor.Tensor) {
	if l.hingeLabels && lossBinaryLabels(yTrue.Data) {
		elementBackward(dPred, yTrue, yPred, func(t, p float64) float64 { return l.df(2*t-1, p) })
		return
	}
	elementBackward(dPred, yTrue, yPred, l.df)
}

func (l *elementLoss) Validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	return checkDenseTargets("loss", l.name, yTrue.Shape, yPredShape)
}

func (l *elementLoss) Config() Config { return l.config(l.class, l.extra) }

// lossBinaryLabels reports whether every target is 0 or 1 (Keras checks the
// whole y_true tensor it is given, i.e. the batch).
func lossBinaryLabels(ts []float32) bool {
	for _, t := range ts {
		if t != 0 && t != 1 {
			return false
		}
	}
	return true
}

// addElementLoss registers an element-wise loss without arguments beyond
// name and reduction.
func addElementLoss(class, name string, hinge bool, f, df func(t, p float64) float64, aliases ...string) {
	losses.add(class, lossTail, func(m map[string]any) (Loss, error) {
		a := NewArgs(class, m)
		l := &elementLoss{lossBase: parseLossBase(a, name), class: class, f: f, df: df, hingeLabels: hinge}
		return l, a.Err()
	}, append([]string{name}, aliases...)...)
}

func init() {
	// mean_squared_error: mean((p − t)²).
	addElementLoss("MeanSquaredError", "mean_squared_error", false,
		func(t, p float64) float64 { return (p - t) * (p - t) },
		func(t, p float64) float64 { return 2 * (p - t) }, "mse")
	// mean_absolute_error: mean(|p − t|).
	addElementLoss("MeanAbsoluteError", "mean_absolute_error", false,
		func(t, p float64) float64 { return math.Abs(p - t) },
		func(t, p float64) float64 { return lossSign(p - t) }, "mae")
	// mean_absolute_percentage_error: 100·mean(|t − p| / max(|t|, ε)).
	addElementLoss("MeanAbsolutePercentageError", "mean_absolute_percentage_error", false,
		func(t, p float64) float64 { return 100 * math.Abs(t-p) / math.Max(math.Abs(t), lossEpsilon) },
		func(t, p float64) float64 { return 100 * lossSign(p-t) / math.Max(math.Abs(t), lossEpsilon) }, "mape")
	// mean_squared_logarithmic_error:
	// mean((log(max(p, ε) + 1) − log(max(t, ε) + 1))²).
	addElementLoss("MeanSquaredLogarithmicError", "mean_squared_logarithmic_error", false,
		func(t, p float64) float64 {
			d := math.Log1p(math.Max(p, lossEpsilon)) - math.Log1p(math.Max(t, lossEpsilon))
			return d * d
		},
		func(t, p float64) float64 {
			if p < lossEpsilon { // tf.maximum passes the gradient to p where p >= ε
				return 0
			}
			d := math.Log1p(p) - math.Log1p(math.Max(t, lossEpsilon))
			return 2 * d / (p + 1)
		}, "msle")
	// log_cosh: mean(x + softplus(−2x) − log 2) with x = p − t, a stable
	// log(cosh(x)); its derivative is tanh(x).
	addElementLoss("LogCosh", "log_cosh", false,
		func(t, p float64) float64 { x := p - t; return x + lossSoftplus(-2*x) - math.Ln2 },
		func(t, p float64) float64 { return math.Tanh(p - t) }, "logcosh")
	// poisson: mean(p − t·log(p + ε)).
	addElementLoss("Poisson", "poisson", false,
		func(t, p float64) float64 { return p - t*math.Log(p+lossEpsilon) },
		func(t, p float64) float64 { return 1 - t/(p+lossEpsilon) })
	// hinge: mean(max(1 − t·p, 0)), targets {0, 1} read as {−1, 1}.
	// tf.maximum gives the gradient to 1 − t·p where it is >= 0.
	addElementLoss("Hinge", "hinge", true,
		func(t, p float64) float64 { return math.Max(1-t*p, 0) },
		func(t, p float64) float64 {
			if 1-t*p >= 0 {
				return -t
			}
			return 0
		})
	// squared_hinge: mean(max(1 − t·p, 0)²), targets as for hinge.
	addElementLoss("SquaredHinge", "squared_hinge", true,
		func(t, p float64) float64 { h := math.Max(1-t*p, 0); return h * h },
		func(t, p float64) float64 { return -2 * t * math.Max(1-t*p, 0) })

	losses.add("Huber", append([]string{"delta"}, lossTail...), func(m map[string]any) (Loss, error) {
		a := NewArgs("Huber", m)
		base := parseLossBase(a, "huber_loss")
		delta := a.Float("delta", 1)
		if delta < 0 {
			a.Fail("delta", delta, "a non-negative number")
		}
		return newHuber(base, delta), a.Err()
	}, "huber", "huber_loss")
}

// newHuber returns Keras's huber loss with the given delta: for x = p − t,
// 0.5·x² where |x| <= delta, else delta·|x| − 0.5·delta²; its default name
// is "huber_loss".
func newHuber(base lossBase, delta float64) *elementLoss {
	return &elementLoss{
		lossBase: base, class: "Huber", extra: map[string]any{"delta": delta},
		f: func(t, p float64) float64 {
			x := math.Abs(p - t)
			if x <= delta {
				return 0.5 * x * x
			}
			return delta*x - 0.5*delta*delta
		},
		df: func(t, p float64) float64 {
			x := p - t
			if math.Abs(x) <= delta {
				return x
			}
			return delta * lossSign(x)
		},
	}
}

// lossSoftplus is log(1 + exp(x)) without overflow.
func lossSoftplus(x float64) float64 {
	return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x)))
}
