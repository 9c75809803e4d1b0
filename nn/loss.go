package nn

import (
	"github.com/keraswasm/keraswasm/tensor"
)

// Loss is a Keras loss function. Keras: keras/src/losses/losses.py; the math
// follows tf.keras (tf_keras/losses.py and tf_keras/backend.py), the dialect
// of the user's study note (testdata/studynote/).
//
// yTrue and yPred have the model's output shape (batch, ...), except for
// sparse_categorical_crossentropy, whose yTrue holds one integer class per
// position: (batch, ...) or (batch, ..., 1) for yPred (batch, ..., classes).
// A yTrue of (batch,) also serves a yPred of (batch, 1), as Keras squeezes.
//
// A loss works per sample: Forward writes each sample's loss (Keras's loss
// function, which reduces the last axis, then averaged over any inner
// positions such as time steps), and the model reduces those the way Keras's
// "sum_over_batch_size" does: Σ_i w_i·loss_i / batch. (Keras divides by
// batch·positions; with the same number of positions in every sample that is
// the same number.)
//
// Forward and Backward trust their inputs: the model calls Validate first
// (once per batch, or once for a whole dataset) and gets an error for
// y_true of the wrong shape or with invalid values.
type Loss interface {
	// Name is the loss's Keras name: the "name" argument, by default the
	// function name ("categorical_crossentropy"; "huber_loss" for Huber).
	Name() string
	// Forward writes the loss of each sample i into out[i] (len(out) is the
	// batch size).
	Forward(out []float64, yTrue, yPred *tensor.Tensor)
	// Backward writes into dPred (yPred's shape) the gradient of each
	// sample's loss with respect to its own row of yPred: row i holds
	// ∂loss_i/∂yPred_i. The caller scales rows by w_i/batch.
	Backward(dPred, yTrue, yPred *tensor.Tensor)
	// Validate checks y_true against the shape of the model's output
	// (yPredShape; its first, batch, dimension may be -1 for unknown): the
	// shapes must agree, and sparse labels must be integers in
	// [0, classes). The error says what was received and how to fix it.
	Validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error
	Config() Config
}

// LogitsLoss is implemented by the crossentropies (binary, categorical and
// sparse categorical), which can be computed from logits: the input of the
// output's sigmoid or softmax.
//
// It exists for stability. tf.keras computes these losses from the logits
// whenever the model's output came out of a softmax (categorical) or a
// sigmoid (binary) activation — backend._get_logits finds the activation's
// input — so that confident wrong answers give large finite losses instead
// of the clipped log(1e-7), and the gradient is the exact softmax(z) − y.
// A model whose last activation is LogitsActivation() and whose loss does
// not already take logits (FromLogits() false) should call ForwardLogits and
// BackwardLogits with the activation's input and skip that activation's
// Backward: BackwardLogits writes ∂loss_i/∂z_i directly. With
// from_logits=true, Forward and Backward are ForwardLogits and
// BackwardLogits.
//
// Gradients per sample, before the w_i/batch scaling:
//
//	categorical: Σ_k y_k · softmax(z) − y (= softmax(z) − y for one-hot and
//	             smoothed labels), divided by the number of positions;
//	sparse:      softmax(z) − onehot(y), divided by the number of positions;
//	binary:      (sigmoid(z) − y) / (elements per sample).
type LogitsLoss interface {
	Loss
	// FromLogits reports the from_logits argument: yPred already holds logits.
	FromLogits() bool
	// LogitsActivation is the activation whose input are the logits:
	// "softmax" or "sigmoid".
	LogitsActivation() string
	// ForwardLogits writes each sample's loss computed from logits
	// (yPred's shape).
	ForwardLogits(out []float64, yTrue, logits *tensor.Tensor)
	// BackwardLogits writes ∂loss_i/∂logits_i into dLogits (logits' shape).
	BackwardLogits(dLogits, yTrue, logits *tensor.Tensor)
}

var losses = newRegistry[Loss]("loss", "losses")

// lossTail ends the positional signature of every Keras loss class:
// MeanSquaredError(reduction, name), Huber(delta, reduction, name).
var lossTail = []string{"reduction", "name"}

// GetLoss returns the loss named or configured by v ("mse",
// "categorical_crossentropy", {"class_name": "CategoricalCrossentropy",
// "config": {"from_logits": true}}, or a Loss).
func GetLoss(v any) (Loss, error) { return losses.get(v) }

// LossNames returns the registered loss class names, sorted.
func LossNames() []string { return losses.classNames() }

// lossEpsilon is Keras's backend.epsilon() as the float32 it becomes in a
// float32 graph; lossClipHi is the float32 1 − epsilon that clip_by_value
// uses (0.99999988). Clipping with these float32 bounds gives Keras's values
// at the bounds exactly.
var (
	lossEpsilon = float64(float32(1e-7))
	lossClipHi  = float64(float32(1) - float32(1e-7))
)

// lossBase holds the arguments every Keras loss takes: name and reduction.
type lossBase struct {
	name      string
	reduction string
}

// parseLossBase reads name, reduction and dtype. Only Keras's default
// reduction is implemented: "sum_over_batch_size" (Keras 3) or its Keras 2
// spelling "auto", which means the same inside fit.
func parseLossBase(a *Args, defaultName string) lossBase {
	b := lossBase{name: a.String("name", defaultName), reduction: a.String("reduction", "sum_over_batch_size")}
	switch b.reduction {
	case "sum_over_batch_size", "auto":
	default:
		a.Unimplemented("reduction", b.reduction, `"sum_over_batch_size" (or Keras 2's "auto"); the reductions "sum" and "none" are not implemented`)
	}
	if v, ok := a.Value("dtype"); ok && v != "float32" {
		a.Fail("dtype", v, `"float32" or null (losses compute in float32 and accumulate in float64)`)
	}
	return b
}

func (b lossBase) Name() string { return b.name }

// config returns the Keras config of class with the base keys and extra.
func (b lossBase) config(class string, extra map[string]any) Config {
	m := map[string]any{"name": b.name, "reduction": b.reduction}
	for k, v := range extra {
		m[k] = v
	}
	return Config{ClassName: class, Config: m}
}

// readLastAxis reads an axis argument; only the last axis is implemented.
func readLastAxis(a *Args) int {
	axis := a.Int("axis", -1)
	if axis != -1 {
		a.Unimplemented("axis", axis, "-1 (only the last axis is implemented; other axes are not implemented in keraswasm)")
	}
	return axis
}

// readLabelSmoothing reads label_smoothing, a number in [0, 1].
func readLabelSmoothing(a *Args) float64 {
	ls := a.Float("label_smoothing", 0)
	if ls < 0 || ls > 1 {
		a.Fail("label_smoothing", ls, "a number in [0, 1]")
		return 0
	}
	return ls
}

// lossRows returns the batch size and the number of values per sample.
func lossRows(t *tensor.Tensor) (batch, per int) {
	if len(t.Shape) == 0 || t.Shape[0] == 0 {
		return 0, 0
	}
	return t.Shape[0], len(t.Data) / t.Shape[0]
}

// elementForward writes, for each sample, the mean over its elements of
// f(t, p): Keras's mean over the last axis followed by the mean over inner
// positions. yTrue has yPred's number of elements.
func elementForward(out []float64, yTrue, yPred *tensor.Tensor, f func(t, p float64) float64) {
	batch, per := lossRows(yPred)
	for i := 0; i < batch; i++ {
		ts, ps := yTrue.Data[i*per:(i+1)*per], yPred.Data[i*per:(i+1)*per]
		var s float64
		for j, p := range ps {
			s += f(float64(ts[j]), float64(p))
		}
		out[i] = s / float64(per)
	}
}

// elementBackward writes df(t, p) / (elements per sample) for every element:
// the gradient of elementForward's per-sample mean.
func elementBackward(dPred, yTrue, yPred *tensor.Tensor, df func(t, p float64) float64) {
	_, per := lossRows(yPred)
	inv := 1 / float64(per)
	for j, p := range yPred.Data {
		dPred.Data[j] = float32(df(float64(yTrue.Data[j]), float64(p)) * inv)
	}
}

// laneForward writes, for each sample, the mean over its lanes (vectors of
// n values along the last axis) of f(t, p), where t is the lane's slice of
// yTrue (tw values per lane: n, or 1 for sparse labels).
func laneForward(out []float64, yTrue, yPred *tensor.Tensor, tw int, f func(t, p []float32) float64) {
	batch, per := lossRows(yPred)
	n := yPred.Dim(-1)
	if n == 0 {
		clear(out[:batch])
		return
	}
	lanes := per / n
	for i := 0; i < batch; i++ {
		var s float64
		for l := 0; l < lanes; l++ {
			k := i*lanes + l
			s += f(yTrue.Data[k*tw:(k+1)*tw], yPred.Data[k*n:(k+1)*n])
		}
		out[i] = s / float64(lanes)
	}
}

// laneBackward calls g for each lane to write the lane's gradient into d,
// then divides by the lanes per sample (laneForward's mean).
func laneBackward(dPred, yTrue, yPred *tensor.Tensor, tw int, g func(d, t, p []float32)) {
	_, per := lossRows(yPred)
	n := yPred.Dim(-1)
	if n == 0 || per == 0 {
		return
	}
	lanes := per / n
	inv := float32(1 / float64(lanes))
	for k := 0; k*n < len(yPred.Data); k++ {
		d := dPred.Data[k*n : (k+1)*n]
		g(d, yTrue.Data[k*tw:(k+1)*tw], yPred.Data[k*n:(k+1)*n])
		if lanes > 1 {
			for j := range d {
				d[j] *= inv
			}
		}
	}
}

// sign returns −1, 0 or 1, the derivative TensorFlow gives abs.
func lossSign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
