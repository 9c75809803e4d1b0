package nn

import (
	"errors"
	"fmt"
)

// Keras's exception classes. Every error a user can cause has one; the wasm
// door gives it to JS as err.name, so a Keras or TF.js user can branch on
// it as they would in Python (except ValueError) or in tfjs-layers.
const (
	// ValueError: a bad value, shape or name (Keras raises ValueError).
	ValueError = "ValueError"
	// TypeError: a value of the wrong kind where no conversion makes sense.
	TypeError = "TypeError"
	// NotImplementedError: a Keras feature, class or argument value that
	// keraswasm does not build (yet).
	NotImplementedError = "NotImplementedError"
	// ResourceExhaustedError: an operation would need more memory than the
	// runtime's memory budget has left (TensorFlow's class for running out
	// of memory, tf.errors.ResourceExhaustedError).
	ResourceExhaustedError = "ResourceExhaustedError"
)

// Classed is implemented by errors that know their Keras class.
type Classed interface {
	error
	KerasClass() string
}

// ErrorClass returns the Keras class of err: that of the outermost error in
// its chain that has one, or ValueError, what Keras raises for nearly every
// mistake a caller can make. A joined error takes the class of its first
// classed part.
func ErrorClass(err error) string {
	var c Classed
	if errors.As(err, &c) {
		return c.KerasClass()
	}
	return ValueError
}

// NotImplemented is the error for a Keras feature keraswasm does not build:
// What names it ("the layer LSTM", "shuffle=\"batch\""), Hint says what to
// do instead (may be empty).
type NotImplemented struct {
	What string
	Hint string
}

func (e *NotImplemented) Error() string {
	s := fmt.Sprintf("%s is not implemented in keraswasm", e.What)
	if e.Hint != "" {
		s += "; " + e.Hint
	}
	return s
}

// KerasClass reports NotImplementedError.
func (e *NotImplemented) KerasClass() string { return NotImplementedError }
