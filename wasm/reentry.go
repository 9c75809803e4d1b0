package main

import (
	"fmt"
)

// Reentrancy: JS can call the runtime again from inside a call (a callback
// hook, a custom metric or loss). The rules, Keras's where Keras has them:
//
//   - While a model runs fit, evaluate, predict or a *_on_batch call, calls
//     that change it (add, pop, compile, build, set_weights, trainable,
//     train_on_batch, fit) are refused: they would mix two models' results.
//   - A model's run is not reentered: its layers' buffers hold the running
//     batch, so predict/evaluate/test_on_batch on it from its own callbacks,
//     metrics or losses are refused with a RecursionError. The one exception
//     is predict (and predict_on_batch) during fit from outside a step (a
//     callback hook, a click while fit yields): the fit's batch is done
//     then and its next one starts with a forward pass.
//   - Whatever the models, runs nest at most maxNesting deep (a custom
//     metric that evaluates a fresh model whose metric does the same...), so
//     the Go stack under JS never overflows (Go's "defer on system stack").
//
// Porting note: Keras lets a callback call evaluate or predict on the model
// it runs for; keraswasm refuses it during evaluate/predict and from custom
// metrics/losses (the buffers are shared), and says so.

// maxNesting is how deep runs may nest (Python's recursion limit, scaled to
// a Go stack that the wasm host also uses).
const maxNesting = 8

// recursionError is the error of a refused reentry; JS sees RecursionError.
type recursionError struct{ msg string }

func (e *recursionError) Error() string      { return e.msg }
func (e *recursionError) KerasClass() string { return "RecursionError" }

// errRunning says that op cannot run while the model runs running.
func errRunning(op, running string) error {
	return fmt.Errorf("%s: the model is running %s (this call came from inside it: a callback, a custom metric or loss); "+
		"a model cannot change while it runs: call %s after %s returns", op, running, op, running)
}

// begin marks the model under h as running op (predict, evaluate,
// test_on_batch, train_on_batch, predict_on_batch) and returns the entry and
// the function that ends the run. mutates says op changes the model
// (train_on_batch).
func (r *Runtime) begin(h int, op string, mutates bool) (*entry, func(), error) {
	e, err := r.get(h, op, mutates)
	if err != nil {
		return nil, nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	predicts := op == "predict" || op == "predict_on_batch" || op == "call"
	switch {
	case e.inUser > 0:
		return nil, nil, &recursionError{msg: fmt.Sprintf("%s: called from a custom metric or loss of this same model while it "+
			"runs %s; its buffers hold that batch: compute the value from y_true and y_pred, or call %s after %s returns",
			op, e.runningOp(), op, e.runningOp())}
	case e.running != "":
		return nil, nil, &recursionError{msg: fmt.Sprintf("%s: called from a callback of this same model while it runs %s; "+
			"a model's run cannot be reentered: call %s after %s returns, or use a second model", op, e.running, op, e.running)}
	case e.fitting && !predicts:
		return nil, nil, errFitting(op)
	case r.nesting >= maxNesting:
		return nil, nil, &recursionError{msg: fmt.Sprintf("%s: maximum nesting depth (%d) exceeded: a callback, custom metric "+
			"or loss calls a model that calls back in turn; break the cycle", op, maxNesting)}
	}
	e.running = op
	r.nesting++
	return e, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		e.running = ""
		r.nesting--
	}, nil
}

// runningOp names what the model runs: fit or its current run.
func (e *entry) runningOp() string {
	if e.running != "" {
		return e.running
	}
	if e.fitting {
		return "fit"
	}
	return "a call"
}

// enterUser and leaveUser bracket a call of a user's JS metric or loss from
// inside one of the model's steps.
func (r *Runtime) enterUser(e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.inUser++
}

func (r *Runtime) leaveUser(e *entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.inUser--
}
