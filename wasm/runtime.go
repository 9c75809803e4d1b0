package main

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
)

// Runtime holds the models JS has made, under integer handles that are
// never reused, so a stale handle can only ever name a disposed model.
type Runtime struct {
	mu     sync.Mutex
	models map[int]*entry
	next   int

	nesting int // how many runs are in progress, nested (reentry.go)

	budget *sequential.Budget // the one memory budget of all its models (memory.go)

	names map[string]int // how many models got each automatic name (naming.go)

	seeded   bool   // set_random_seed was called
	seedBase uint64 // its seed
	seedNext uint64 // how many models were made since
}

// entry is one model and whether a fit is running on it.
type entry struct {
	m        *sequential.Model
	fitting  bool
	disposed bool   // dispose() came during a fit; the model goes when fit ends
	running  string // the synchronous run in progress (predict, evaluate, ...; reentry.go)
	inUser   int    // how many of its custom metrics/losses are running
}

// NewRuntime returns an empty runtime whose models share one memory budget
// of sequential.DefaultMemoryLimit (main sets the wasm limits).
func NewRuntime() *Runtime { return NewRuntimeWith(sequential.NewBudget(0, 0)) }

// NewRuntimeWith returns an empty runtime over memory budget b.
func NewRuntimeWith(b *sequential.Budget) *Runtime {
	return &Runtime{models: map[int]*entry{}, next: 1, budget: b}
}

// panicOut is where a recovered panic's stack goes (the console).
var panicOut io.Writer = os.Stderr

// guard turns a panic in op into an error, so that no input can end the Go
// program under the page. The stack goes to stderr (the console) for a bug
// report.
func guard(op string, err *error) {
	if p := recover(); p != nil {
		fmt.Fprintf(panicOut, "keraswasm: panic in %s: %v\n%s", op, p, debug.Stack())
		*err = &internalError{op: op, value: p}
	}
}

// internalError is a recovered panic: a bug in keraswasm, not a mistake of
// the caller. JS sees it as a plain Error (errorName).
type internalError struct {
	op    string
	value any
}

func (e *internalError) Error() string {
	return fmt.Sprintf("%s: internal error (a bug in keraswasm; please report it with the stack printed to the console): %v", e.op, e.value)
}

// callError is an error on its way out to JS, prefixed with the JS method
// the user called (op). It is the only prefix a message gets: the cores'
// messages carry Keras context, never Go package or method names.
type callError struct {
	op  string
	err error
}

func (e *callError) Error() string { return e.op + ": " + e.err.Error() }
func (e *callError) Unwrap() error { return e.err }

// wrap prefixes err with the JS method it came from, unless it already
// names one: an error wrapped before (by a helper of op), or one whose own
// text begins with op (the options of op read as nn.Args owned by op, such
// as "fit: invalid argument epochs ...").
func wrap(op string, err error) error {
	var named *callError
	var internal *internalError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &named), errors.As(err, &internal), strings.HasPrefix(err.Error(), op+": "):
		return err
	}
	return &callError{op: op, err: err}
}

// errorName is the name of the JS Error that err becomes: its Keras class
// (nn.ErrorClass: ValueError, TypeError, NotImplementedError), or plain
// "Error" for an internal error (a recovered panic, here or in sequential)
// and for a JS exception of another class that a user's callback threw.
func errorName(err error) string {
	var internal *internalError
	var pe *sequential.PanicError
	var thrown *jsThrown
	switch {
	case errors.As(err, &internal) || errors.As(err, &pe):
		return "Error"
	case errors.As(err, &thrown):
		return thrown.className()
	}
	return nn.ErrorClass(err)
}

// SetRandomSeed makes the models created from now on deterministic: the
// k-th model after set_random_seed(s) gets seed s+k (k = 0, 1, ...), the same
// seed a Go program passes to sequential.New.
func (r *Runtime) SetRandomSeed(seed uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seeded, r.seedBase, r.seedNext = true, seed, 0
}

// nextSeed returns the seed for a new model. Without set_random_seed a
// model is seeded at random, as in Keras.
func (r *Runtime) nextSeed() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.seeded {
		return rand.Uint64()
	}
	s := r.seedBase + r.seedNext
	r.seedNext++
	return s
}

func (r *Runtime) register(m *sequential.Model) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.next
	r.next++
	r.models[h] = &entry{m: m}
	return h
}

// NewModel makes an empty Sequential model from {"name": ..., "trainable": ...}.
func (r *Runtime) NewModel(cfgJSON string) (h int, err error) {
	const op = "Sequential"
	defer guard(op, &err)
	m, err := decodeObject(op, "the arguments", cfgJSON)
	if err != nil {
		return 0, err
	}
	a := nn.NewArgs("Sequential", m)
	name := a.String("name", "")
	if !a.Bool("trainable", true) {
		a.Unimplemented("trainable", false, "true (freezing a whole model is not implemented; set trainable: false on its layers)")
	}
	if err := a.Err(); err != nil {
		return 0, wrap(op, err)
	}
	if name == "" {
		name = r.autoName("sequential")
	}
	return r.register(sequential.NewIn(r.budget, name, r.nextSeed())), nil
}

// FromConfig makes a model from a Keras Sequential config or model JSON:
// tf.keras's, Keras 3's (built from build_config, compiled from
// compile_config) or TF.js's modelTopology (sequential.FromJSON).
func (r *Runtime) FromConfig(cfgJSON string) (h int, err error) {
	const op = "model_from_json"
	defer guard(op, &err)
	m, err := sequential.FromJSONIn(r.budget, cfgJSON, r.nextSeed())
	if err != nil {
		return 0, wrap(op, err)
	}
	return r.register(m), nil
}

// errFitting says that op cannot run while the model trains.
func errFitting(op string) error {
	return fmt.Errorf("%s: the model is training (a fit is running on it); wait for the fit Promise to settle, "+
		"or stop it with model.stop_training = true", op)
}

// get returns the model under h for op; mutating ops are refused during a fit.
func (r *Runtime) get(h int, op string, mutates bool) (*entry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.models[h]
	switch {
	case !ok && h > 0 && h < r.next:
		return nil, fmt.Errorf("%s: this model was disposed (dispose() was called); make a new one with keras.Sequential()", op)
	case !ok:
		return nil, fmt.Errorf("%s: no model has handle %d", op, h)
	case e.disposed:
		return nil, fmt.Errorf("%s: this model was disposed (dispose() was called during fit); make a new one with keras.Sequential()", op)
	case mutates && e.fitting:
		return nil, errFitting(op)
	case mutates && e.running != "":
		return nil, errRunning(op, e.running)
	}
	return e, nil
}

// model is get for the ops that return only an error.
func (r *Runtime) model(h int, op string, mutates bool) (*sequential.Model, error) {
	e, err := r.get(h, op, mutates)
	if err != nil {
		return nil, err
	}
	return e.m, nil
}

// Dispose frees a model. During a fit it asks the fit to stop and frees the
// model when it ends (the fit Promise then rejects). Disposing twice is
// harmless.
func (r *Runtime) Dispose(h int) (err error) {
	defer guard("dispose", &err)
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.models[h]
	if !ok {
		if h > 0 && h < r.next {
			return nil
		}
		return fmt.Errorf("dispose: no model has handle %d", h)
	}
	if e.fitting {
		e.disposed = true
		e.m.SetStopTraining(true)
		return nil
	}
	delete(r.models, h)
	e.m.Release()
	return nil
}

// Models returns how many models are alive (for tests and leak checks).
func (r *Runtime) Models() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.models)
}

// beginFit marks the model as fitting, refusing a second fit.
func (r *Runtime) beginFit(h int) (*entry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.models[h]
	if !ok || e.disposed {
		return nil, fmt.Errorf("fit: this model was disposed (dispose() was called); make a new one with keras.Sequential()")
	}
	if e.fitting {
		return nil, errors.New("fit: this model is already training (a fit is running on it); " +
			"await the first fit's Promise before calling fit again, or train a second model")
	}
	e.fitting = true
	return e, nil
}

// endFit clears the fitting mark and frees a model disposed during the fit;
// it reports whether that happened.
func (r *Runtime) endFit(h int, e *entry) (disposed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.fitting = false
	if e.disposed {
		delete(r.models, h)
		e.m.Release()
		return true
	}
	return false
}
