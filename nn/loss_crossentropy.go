package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The crossentropies. Keras: tf_keras/losses.py (binary_crossentropy,
// categorical_crossentropy, sparse_categorical_crossentropy) over
// tf_keras/backend.py, whose math is followed exactly:
//
//	binary (probabilities):  p̂ = clip(p, ε, 1−ε);
//	                         −(y·log(p̂ + ε) + (1−y)·log(1 − p̂ + ε)),
//	                         averaged over the last axis;
//	binary (logits):         max(z, 0) − z·y + log(1 + exp(−|z|));
//	categorical (probs):     q = p / Σp; −Σ y·log(clip(q, ε, 1−ε));
//	categorical (logits):    Σ y·(logsumexp(z) − z);
//	sparse (probabilities):  p̂ = clip(p, ε, 1−ε); log Σ p̂ − log p̂_y
//	                         (Keras takes log p̂ as logits);
//	sparse (logits):         logsumexp(z) − z_y.
//
// Label smoothing: binary y·(1 − s) + s/2; categorical y·(1 − s) + s/n.
// Gradients of the clipped forms are zero where clip_by_value clips, as in
// TensorFlow (bounds inclusive).

// lossClip clips a float32 probability to [ε, 1−ε] and reports whether it
// was inside (where clip_by_value passes the gradient).
func lossClip(p float64) (float64, bool) {
	switch {
	case p < lossEpsilon:
		return lossEpsilon, false
	case p > lossClipHi:
		return lossClipHi, false
	}
	return p, true
}

// lossSigmoid is 1 / (1 + exp(−z)) without overflow.
func lossSigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}

// binaryCrossentropy is Keras's BinaryCrossentropy.
type binaryCrossentropy struct {
	lossBase
	fromLogits bool
	smoothing  float64
}

func (l *binaryCrossentropy) target(t float64) float64 {
	return t*(1-l.smoothing) + 0.5*l.smoothing
}

func (l *binaryCrossentropy) Forward(out []float64, yTrue, yPred *tensor.Tensor) {
	if l.fromLogits {
		l.ForwardLogits(out, yTrue, yPred)
		return
	}
	elementForward(out, yTrue, yPred, func(t, p float64) float64 {
		t = l.target(t)
		pc, _ := lossClip(p)
		return -(t*math.Log(pc+lossEpsilon) + (1-t)*math.Log(1-pc+lossEpsilon))
	})
}

func (l *binaryCrossentropy) Backward(dPred, yTrue, yPred *tensor.Tensor) {
	if l.fromLogits {
		l.BackwardLogits(dPred, yTrue, yPred)
		return
	}
	elementBackward(dPred, yTrue, yPred, func(t, p float64) float64 {
		pc, in := lossClip(p)
		if !in {
			return 0
		}
		t = l.target(t)
		return -t/(pc+lossEpsilon) + (1-t)/(1-pc+lossEpsilon)
	})
}

func (l *binaryCrossentropy) ForwardLogits(out []float64, yTrue, logits *tensor.Tensor) {
	elementForward(out, yTrue, logits, func(t, z float64) float64 {
		return math.Max(z, 0) - z*l.target(t) + math.Log1p(math.Exp(-math.Abs(z)))
	})
}

func (l *binaryCrossentropy) BackwardLogits(dLogits, yTrue, logits *tensor.Tensor) {
	elementBackward(dLogits, yTrue, logits, func(t, z float64) float64 {
		return lossSigmoid(z) - l.target(t)
	})
}

func (l *binaryCrossentropy) FromLogits() bool         { return l.fromLogits }
func (l *binaryCrossentropy) LogitsActivation() string { return "sigmoid" }

func (l *binaryCrossentropy) Validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	return checkDenseTargets("loss", l.name, yTrue.Shape, yPredShape)
}

func (l *binaryCrossentropy) Config() Config {
	return l.config("BinaryCrossentropy", map[string]any{
		"from_logits": l.fromLogits, "label_smoothing": l.smoothing, "axis": -1})
}

// categoricalCrossentropy is Keras's CategoricalCrossentropy over the last
// axis.
type categoricalCrossentropy struct {
	lossBase
	fromLogits bool
	smoothing  float64
	lse        laneLSE
}

// target returns the smoothed label of one class out of n.
func (l *categoricalCrossentropy) target(t float32, n int) float64 {
	return float64(t)*(1-l.smoothing) + l.smoothing/float64(n)
}

func (l *categoricalCrossentropy) Forward(out []float64, yTrue, yPred *tensor.Tensor) {
	if l.fromLogits {
		l.ForwardLogits(out, yTrue, yPred)
		return
	}
	laneForward(out, yTrue, yPred, yPred.Dim(-1), func(t, p []float32) float64 {
		sum := tensor.Sum(p)
		var loss float64
		for k, v := range p {
			q, _ := lossClip(float64(v) / sum)
			loss -= l.target(t[k], len(p)) * math.Log(q)
		}
		return loss
	})
}

// Backward differentiates through q = p / Σp:
// ∂/∂p_j = (Σ_{k unclipped} y_k − [j unclipped]·y_j / q_j) / Σp.
func (l *categoricalCrossentropy) Backward(dPred, yTrue, yPred *tensor.Tensor) {
	if l.fromLogits {
		l.BackwardLogits(dPred, yTrue, yPred)
		return
	}
	laneBackward(dPred, yTrue, yPred, yPred.Dim(-1), func(d, t, p []float32) {
		sum, inSum := tensor.Sum(p), 0.0
		for k, v := range p {
			if _, in := lossClip(float64(v) / sum); in {
				inSum += l.target(t[k], len(p))
			}
		}
		for j, v := range p {
			q := float64(v) / sum
			g := inSum
			if _, in := lossClip(q); in {
				g -= l.target(t[j], len(p)) / q
			}
			d[j] = float32(g / sum)
		}
	})
}

func (l *categoricalCrossentropy) ForwardLogits(out []float64, yTrue, logits *tensor.Tensor) {
	lses := l.lse.of(logits)
	laneForward(out, yTrue, logits, logits.Dim(-1), func(t, z []float32) float64 {
		lse := lses.next()
		var loss float64
		for k, v := range z {
			loss += l.target(t[k], len(z)) * (lse - float64(v))
		}
		return loss
	})
}

// BackwardLogits writes Σ_k y_k·softmax(z) − y (tensor.SoftmaxCrossentropyGrad
// from the lanes' log-sum-exps).
func (l *categoricalCrossentropy) BackwardLogits(dLogits, yTrue, logits *tensor.Tensor) {
	n := logits.Dim(-1)
	if n == 0 {
		return
	}
	d := dLogits.Data[:len(logits.Data)]
	tensor.SoftmaxCrossentropyGrad(d, logits.Data, yTrue.Data, l.lse.of(logits).buf, n, 1-l.smoothing, l.smoothing/float64(n))
	scaleLanes(d, logits)
}

func (l *categoricalCrossentropy) FromLogits() bool         { return l.fromLogits }
func (l *categoricalCrossentropy) LogitsActivation() string { return "softmax" }

func (l *categoricalCrossentropy) Validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	return checkDenseTargets("loss", l.name, yTrue.Shape, yPredShape)
}

func (l *categoricalCrossentropy) Config() Config {
	return l.config("CategoricalCrossentropy", map[string]any{
		"from_logits": l.fromLogits, "label_smoothing": l.smoothing, "axis": -1})
}

// sparseCategoricalCrossentropy is Keras's SparseCategoricalCrossentropy:
// y_true holds class indices.
type sparseCategoricalCrossentropy struct {
	lossBase
	fromLogits bool
	lse        laneLSE
}

func (l *sparseCategoricalCrossentropy) Forward(out []float64, yTrue, yPred *tensor.Tensor) {
	if l.fromLogits {
		l.ForwardLogits(out, yTrue, yPred)
		return
	}
	laneForward(out, yTrue, yPred, 1, func(t, p []float32) float64 {
		var sum float64
		for _, v := range p {
			pc, _ := lossClip(float64(v))
			sum += pc
		}
		py, _ := lossClip(float64(p[int(t[0])]))
		return math.Log(sum) - math.Log(py)
	})
}

// Backward: ∂/∂p_j = [p_j unclipped]·(1/Σp̂ − [j = y]/p̂_y).
func (l *sparseCategoricalCrossentropy) Backward(dPred, yTrue, yPred *tensor.Tensor) {
	if l.fromLogits {
		l.BackwardLogits(dPred, yTrue, yPred)
		return
	}
	laneBackward(dPred, yTrue, yPred, 1, func(d, t, p []float32) {
		var sum float64
		for _, v := range p {
			pc, _ := lossClip(float64(v))
			sum += pc
		}
		y := int(t[0])
		for j, v := range p {
			pc, in := lossClip(float64(v))
			g := 0.0
			if in {
				g = 1 / sum
				if j == y {
					g -= 1 / pc
				}
			}
			d[j] = float32(g)
		}
	})
}

func (l *sparseCategoricalCrossentropy) ForwardLogits(out []float64, yTrue, logits *tensor.Tensor) {
	lses := l.lse.of(logits)
	laneForward(out, yTrue, logits, 1, func(t, z []float32) float64 {
		return lses.next() - float64(z[int(t[0])])
	})
}

// BackwardLogits writes softmax(z) − onehot(y) (tensor.SoftmaxCrossentropyGrad
// from the lanes' log-sum-exps, then the one-hot subtracted).
func (l *sparseCategoricalCrossentropy) BackwardLogits(dLogits, yTrue, logits *tensor.Tensor) {
	n := logits.Dim(-1)
	if n == 0 {
		return
	}
	d, lse := dLogits.Data[:len(logits.Data)], l.lse.of(logits).buf
	tensor.SoftmaxCrossentropyGrad(d, logits.Data, nil, lse, n, 1, 0)
	for k := range lse {
		d[k*n+int(yTrue.Data[k])]--
	}
	scaleLanes(d, logits)
}

func (l *sparseCategoricalCrossentropy) FromLogits() bool         { return l.fromLogits }
func (l *sparseCategoricalCrossentropy) LogitsActivation() string { return "softmax" }

func (l *sparseCategoricalCrossentropy) Validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	return checkSparseTargets("loss", l.name, yTrue, yPredShape)
}

func (l *sparseCategoricalCrossentropy) Config() Config {
	return l.config("SparseCategoricalCrossentropy", map[string]any{
		"from_logits": l.fromLogits, "ignore_class": nil})
}

func init() {
	losses.add("BinaryCrossentropy", []string{"from_logits", "label_smoothing", "axis", "reduction", "name"}, func(m map[string]any) (Loss, error) {
		a := NewArgs("BinaryCrossentropy", m)
		l := &binaryCrossentropy{lossBase: parseLossBase(a, "binary_crossentropy"),
			fromLogits: a.Bool("from_logits", false), smoothing: readLabelSmoothing(a)}
		readLastAxis(a)
		return l, a.Err()
	}, "binary_crossentropy", "bce")
	losses.add("CategoricalCrossentropy", []string{"from_logits", "label_smoothing", "axis", "reduction", "name"}, func(m map[string]any) (Loss, error) {
		a := NewArgs("CategoricalCrossentropy", m)
		l := &categoricalCrossentropy{lossBase: parseLossBase(a, "categorical_crossentropy"),
			fromLogits: a.Bool("from_logits", false), smoothing: readLabelSmoothing(a)}
		readLastAxis(a)
		return l, a.Err()
	}, "categorical_crossentropy")
	losses.add("SparseCategoricalCrossentropy", []string{"from_logits", "ignore_class", "reduction", "name"}, func(m map[string]any) (Loss, error) {
		a := NewArgs("SparseCategoricalCrossentropy", m)
		l := &sparseCategoricalCrossentropy{lossBase: parseLossBase(a, "sparse_categorical_crossentropy"),
			fromLogits: a.Bool("from_logits", false)}
		readIgnoreClass(a)
		readLastAxis(a)
		return l, a.Err()
	}, "sparse_categorical_crossentropy")
}

// readIgnoreClass accepts only ignore_class=None: masking a class out is not
// implemented.
func readIgnoreClass(a *Args) {
	a.Unsupported("ignore_class", "null (ignore_class is not implemented)")
}
