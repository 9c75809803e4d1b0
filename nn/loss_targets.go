package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// checkDenseTargets checks that y_true has the output's shape, allowing the
// one squeeze Keras allows (squeeze_or_expand_dimensions): a trailing
// dimension of 1 on one side only, so (batch,) serves (batch, 1). kind
// ("loss" or "metric") and name say whose targets they are.
func checkDenseTargets(kind, name string, yTrue tensor.Shape, yPred tensor.Shape) error {
	t, p := yTrue, yPred
	if len(t) == len(p)+1 && t[len(t)-1] == 1 {
		t = t[:len(t)-1]
	} else if len(p) == len(t)+1 && p[len(p)-1] == 1 {
		p = p[:len(p)-1]
	}
	ok := len(t) == len(p) && len(t) > 0
	for i := 0; ok && i < len(t); i++ {
		if t[i] != p[i] && (i > 0 || p[i] >= 0) {
			ok = false
		}
	}
	if ok {
		return nil
	}
	hint := "give targets of the model's output shape"
	if len(yPred) >= 2 && yPred[len(yPred)-1] > 1 && (len(yTrue) == len(yPred)-1 || yTrue[len(yTrue)-1] == 1) {
		hint = "the targets look like integer class labels: one-hot encode them (keras.utils.to_categorical) or use sparse_categorical_crossentropy"
	}
	return fmt.Errorf("%s %s: y_true has shape %v but the model's output has shape %v: expected the same shape; %s",
		kind, name, yTrue, noneBatch(yPred), hint)
}

// noneBatch returns s with an unknown batch dimension shown as None.
func noneBatch(s tensor.Shape) tensor.Shape {
	c := s.Clone()
	if len(c) > 0 && c[0] < 0 {
		c[0] = -1
	}
	return c
}

// checkSparseTargets checks integer class labels against an output of
// shape (batch, ..., classes): y_true must be (batch, ...) or
// (batch, ..., 1) and hold integers in [0, classes). kind ("loss" or
// "metric") and name say whose targets they are.
func checkSparseTargets(kind, name string, yTrue *tensor.Tensor, yPred tensor.Shape) error {
	if len(yPred) < 2 {
		return fmt.Errorf("%s %s: the model's output has shape %v: expected (batch, ..., classes)", kind, name, noneBatch(yPred))
	}
	classes := yPred[len(yPred)-1]
	want := yPred[:len(yPred)-1]
	t := yTrue.Shape
	if len(t) == len(yPred) && t[len(t)-1] == 1 {
		t = t[:len(t)-1]
	}
	ok := len(t) == len(want)
	for i := 0; ok && i < len(t); i++ {
		if t[i] != want[i] && (i > 0 || want[i] >= 0) {
			ok = false
		}
	}
	if !ok {
		hint := "give one integer class index per sample (and position)"
		if yTrue.Shape.Equal(yPred) || (len(yTrue.Shape) == len(yPred) && yTrue.Shape[len(yPred)-1] == classes) {
			hint = "the targets look one-hot encoded: use categorical_crossentropy, or give class indices"
		}
		return fmt.Errorf("%s %s: y_true has shape %v but the model's output has shape %v: expected class indices of shape %v or %v; %s",
			kind, name, yTrue.Shape, noneBatch(yPred), noneBatch(want), noneBatch(append(want.Clone(), 1)), hint)
	}
	for i, v := range yTrue.Data {
		f := float64(v)
		if f != math.Trunc(f) || f < 0 || f >= float64(classes) {
			return fmt.Errorf("%s %s: y_true holds %v at index %d: expected integer class indices in [0, %d) for an output of %d classes",
				kind, name, v, i, classes, classes)
		}
	}
	return nil
}
