package sequential

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// LossFunc is a user-defined loss (Keras: a function of y_true and y_pred
// passed as compile's loss). Fn returns one loss per sample. Grad, if given,
// writes into dPred (y_pred's shape) each sample's gradient ∂loss_i/∂y_pred_i;
// without it the gradient is taken by central differences on Fn (two calls
// of Fn per output value of a sample), which suits small outputs.
type LossFunc struct {
	Name string
	Fn   func(yTrue, yPred *tensor.Tensor) ([]float32, error)
	Grad func(dPred, yTrue, yPred *tensor.Tensor) error
}

// lossFn is the model's loss: an nn.Loss, or a user's LossFunc.
type lossFn interface {
	name() string
	validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error
	// forward writes each sample's loss into out (len batch).
	forward(out []float64, yTrue, yPred *tensor.Tensor) error
	// backward writes ∂loss_i/∂yPred_i into dPred.
	backward(dPred, yTrue, yPred *tensor.Tensor) error
	// logits returns the loss's logits form, or nil.
	logits() nn.LogitsLoss
}

func newLossFn(v any) (lossFn, error) {
	switch f := v.(type) {
	case LossFunc:
		return newUserLoss(f)
	case *LossFunc:
		return newUserLoss(*f)
	}
	l, err := nn.GetLoss(v)
	if err != nil {
		return nil, err
	}
	return nnLoss{l}, nil
}

// nnLoss is a Keras loss from the nn registry.
type nnLoss struct{ l nn.Loss }

func (n nnLoss) name() string { return n.l.Name() }
func (n nnLoss) validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	return n.l.Validate(yTrue, yPredShape)
}
func (n nnLoss) forward(out []float64, yTrue, yPred *tensor.Tensor) error {
	n.l.Forward(out, yTrue, yPred)
	return nil
}
func (n nnLoss) backward(dPred, yTrue, yPred *tensor.Tensor) error {
	n.l.Backward(dPred, yTrue, yPred)
	return nil
}
func (n nnLoss) logits() nn.LogitsLoss {
	if ll, ok := n.l.(nn.LogitsLoss); ok && !ll.FromLogits() {
		return ll
	}
	return nil
}

// userLoss wraps a LossFunc.
type userLoss struct {
	f                   LossFunc
	plus, minus, hi, lo []float64
	orig                []float32
}

func newUserLoss(f LossFunc) (*userLoss, error) {
	if f.Name == "" || f.Fn == nil {
		return nil, fmt.Errorf("a LossFunc needs a Name and a Fn")
	}
	return &userLoss{f: f}, nil
}

func (u *userLoss) name() string          { return u.f.Name }
func (u *userLoss) logits() nn.LogitsLoss { return nil }

// validate checks that y_true has y_pred's shape, the one rule a function
// of (y_true, y_pred) can rely on.
func (u *userLoss) validate(yTrue *tensor.Tensor, yPredShape tensor.Shape) error {
	if len(yTrue.Shape) != len(yPredShape) || !yTrue.Shape[1:].Equal(yPredShape[1:]) {
		return fmt.Errorf("loss %s: y_true has shape %v but the model's output has shape %v: expected the same shape",
			u.f.Name, yTrue.Shape, yPredShape)
	}
	return nil
}

func (u *userLoss) forward(out []float64, yTrue, yPred *tensor.Tensor) error {
	vals, err := u.f.Fn(yTrue, yPred)
	if err != nil {
		return fmt.Errorf("loss %s: %w", u.f.Name, err)
	}
	if len(vals) != len(out) {
		return fmt.Errorf("loss %s returned %d values for a batch of %d: expected one loss per sample", u.f.Name, len(vals), len(out))
	}
	for i, v := range vals {
		out[i] = float64(v)
	}
	return nil
}

func (u *userLoss) backward(dPred, yTrue, yPred *tensor.Tensor) error {
	if u.f.Grad != nil {
		if err := u.f.Grad(dPred, yTrue, yPred); err != nil {
			return fmt.Errorf("loss %s: gradient: %w", u.f.Name, err)
		}
		return nil
	}
	return u.numericGrad(dPred, yTrue, yPred)
}

// numericGrad takes ∂loss_i/∂yPred_i by central differences. Samples are
// independent, so one output position is moved in every sample at once:
// two calls of Fn per position. Steps are measured after rounding to float32.
func (u *userLoss) numericGrad(dPred, yTrue, yPred *tensor.Tensor) error {
	batch := yPred.Shape[0]
	if batch == 0 {
		return nil
	}
	per := len(yPred.Data) / batch
	u.plus, u.minus = ensureFloats(u.plus, batch), ensureFloats(u.minus, batch)
	u.hi, u.lo = ensureFloats(u.hi, batch), ensureFloats(u.lo, batch)
	if cap(u.orig) < batch {
		u.orig = make([]float32, batch)
	}
	u.orig = u.orig[:batch]
	for j := 0; j < per; j++ {
		for i := 0; i < batch; i++ {
			k := i*per + j
			u.orig[i] = yPred.Data[k]
			h := 1e-3 * math.Max(1, math.Abs(float64(u.orig[i])))
			u.hi[i] = float64(float32(float64(u.orig[i]) + h))
			u.lo[i] = float64(float32(float64(u.orig[i]) - h))
		}
		err := u.at(u.plus, yTrue, yPred, j, per, u.hi)
		if err == nil {
			err = u.at(u.minus, yTrue, yPred, j, per, u.lo)
		}
		for i := 0; i < batch; i++ {
			k := i*per + j
			yPred.Data[k] = u.orig[i]
			dPred.Data[k] = float32((u.plus[i] - u.minus[i]) / (u.hi[i] - u.lo[i]))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// at evaluates Fn with position j of every sample set to vals, writing the
// losses into dst.
func (u *userLoss) at(dst []float64, yTrue, yPred *tensor.Tensor, j, per int, vals []float64) error {
	for i, v := range vals {
		yPred.Data[i*per+j] = float32(v)
	}
	return u.forward(dst, yTrue, yPred)
}

func ensureFloats(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}
