package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Losses that reduce a whole vector along the last axis at once (besides the
// crossentropies): kl_divergence, cosine_similarity, categorical_hinge.
// Keras: tf_keras/losses.py.

// lossL2Epsilon is tf.linalg.l2_normalize's floor on Σx², as a float32.
var lossL2Epsilon = float64(float32(1e-12))

// vectorLoss is a loss computed per lane (vector along the last axis) and
// averaged over the lanes of a sample.
type vectorLoss struct {
	lossBase
	class string
	f     func(t, p []float32) float64
	g     func(d, t, p []float32) // writes ∂f/∂p into d
	extra map[string]any
}

func (l *vectorLoss) Forward(out []float64, yTrue, yPred *tensor.Tensor) {
	laneForward(out, yTrue, yPred, yPred.Dim(-1), l.f)
}

func (l *vectorLoss) Backward(dPred, yTrue, yPred *tensor.Tensor) {
	laneBackward(dPred, yTrue, yPred, yPred.Dim(-1), l.g)
}

func (l *vectorLoss) Validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	return checkDenseTargets("loss", l.name, yTrue.Shape, yPredShape)
}

func (l *vectorLoss) Config() Config { return l.config(l.class, l.extra) }

// klDivergence is Σ t̂·log(t̂ / p̂) with t̂, p̂ clipped to [ε, 1]. The
// gradient, −t̂/p̂, is zero where p is clipped.
//
// Porting note: TF.js multiplies by the unclipped y_true; Keras by the
// clipped one, which we follow.
func klDivergence(t, p []float32) float64 {
	var s float64
	for k, v := range p {
		tc := math.Min(math.Max(float64(t[k]), lossEpsilon), 1)
		pc := math.Min(math.Max(float64(v), lossEpsilon), 1)
		s += tc * math.Log(tc/pc)
	}
	return s
}

func klDivergenceGrad(d, t, p []float32) {
	for k, v := range p {
		pv := float64(v)
		if pv < lossEpsilon || pv > 1 {
			d[k] = 0
			continue
		}
		tc := math.Min(math.Max(float64(t[k]), lossEpsilon), 1)
		d[k] = float32(-tc / pv)
	}
}

// lossInvNorm returns 1/sqrt(max(Σx², 1e-12)), tf.linalg.l2_normalize's
// scale, and whether the floor was not hit (the gradient flows through Σx²).
func lossInvNorm(x []float32) (float64, bool) {
	s := tensor.SumSquares(x)
	if s < lossL2Epsilon {
		return 1 / math.Sqrt(lossL2Epsilon), false
	}
	return 1 / math.Sqrt(s), true
}

// cosineSimilarity is Σ t̂·p̂ for the l2-normalized vectors; the loss is its
// negative (the metric of the same name is positive).
func cosineSimilarity(t, p []float32) float64 {
	rt, _ := lossInvNorm(t)
	rp, _ := lossInvNorm(p)
	var s float64
	for k, v := range p {
		s += float64(t[k]) * rt * float64(v) * rp
	}
	return s
}

// cosineLossGrad writes ∂(−Σ t̂·p̂)/∂p = −(t̂ − c·p̂)·r where r = 1/‖p‖ and
// c = Σ t̂·p̂ (just −t̂·r where the norm's floor holds).
func cosineLossGrad(d, t, p []float32) {
	rt, _ := lossInvNorm(t)
	rp, flows := lossInvNorm(p)
	c := 0.0
	if flows {
		c = cosineSimilarity(t, p)
	}
	for k, v := range p {
		d[k] = float32(-(float64(t[k])*rt - c*float64(v)*rp) * rp)
	}
}

// categoricalHinge is max(neg − pos + 1, 0) with pos = Σ t·p and
// neg = max((1 − t)·p).
func categoricalHinge(t, p []float32) float64 {
	pos, neg := categoricalHingeParts(t, p)
	return math.Max(neg-pos+1, 0)
}

func categoricalHingeParts(t, p []float32) (pos, neg float64) {
	neg = math.Inf(-1)
	for k, v := range p {
		neg = math.Max(neg, (1-float64(t[k]))*float64(v))
	}
	return tensor.Dot(t, p), neg
}

// categoricalHingeGrad: where neg − pos + 1 >= 0 (tf.maximum's side),
// −t_j + (1 − t_j)·[j attains neg]/count, reduce_max sharing its gradient
// equally among ties as TensorFlow does.
func categoricalHingeGrad(d, t, p []float32) {
	pos, neg := categoricalHingeParts(t, p)
	if neg-pos+1 < 0 {
		clear(d)
		return
	}
	count := 0
	for k, v := range p {
		if (1-float64(t[k]))*float64(v) == neg {
			count++
		}
	}
	for k, v := range p {
		g := -float64(t[k])
		if (1-float64(t[k]))*float64(v) == neg {
			g += (1 - float64(t[k])) / float64(count)
		}
		d[k] = float32(g)
	}
}

func init() {
	losses.add("KLDivergence", lossTail, func(m map[string]any) (Loss, error) {
		a := NewArgs("KLDivergence", m)
		return &vectorLoss{lossBase: parseLossBase(a, "kl_divergence"), class: "KLDivergence",
			f: klDivergence, g: klDivergenceGrad}, a.Err()
	}, "kl_divergence", "kld", "kullback_leibler_divergence")
	losses.add("CosineSimilarity", append([]string{"axis"}, lossTail...), func(m map[string]any) (Loss, error) {
		a := NewArgs("CosineSimilarity", m)
		l := &vectorLoss{lossBase: parseLossBase(a, "cosine_similarity"), class: "CosineSimilarity",
			f: func(t, p []float32) float64 { return -cosineSimilarity(t, p) }, g: cosineLossGrad,
			extra: map[string]any{"axis": readLastAxis(a)}}
		return l, a.Err()
	}, "cosine_similarity")
	losses.add("CategoricalHinge", lossTail, func(m map[string]any) (Loss, error) {
		a := NewArgs("CategoricalHinge", m)
		return &vectorLoss{lossBase: parseLossBase(a, "categorical_hinge"), class: "CategoricalHinge",
			f: categoricalHinge, g: categoricalHingeGrad}, a.Err()
	}, "categorical_hinge")
}
