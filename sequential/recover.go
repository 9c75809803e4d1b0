package sequential

import (
	"fmt"
	"runtime/debug"
)

// PanicError is a panic from a layer, loss, metric or optimizer caught at a
// model entry point (Fit, Evaluate, Predict, ...). It should not happen:
// everything a caller can get wrong is checked first and returned as an
// ordinary error. It is the last line of defence that keeps a program (or a
// page running the model) alive; the model stays usable.
type PanicError struct {
	Op    string // the entry point, e.g. "Fit"
	Value any    // what was panicked with
	Stack string // the stack at the panic
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error in sequential.Model.%s (a bug in keraswasm; please report it): %v", e.Op, e.Value)
}

// recoverInto turns a panic into a *PanicError stored in *err. Use it as
// `defer recoverInto(&err, "Fit")` in a function with a named error result.
func recoverInto(err *error, op string) {
	if r := recover(); r != nil {
		*err = &PanicError{Op: op, Value: r, Stack: string(debug.Stack())}
	}
}
