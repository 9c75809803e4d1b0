package main

import (
	"fmt"
	"time"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// Extras are what a data call (fit, evaluate, predict ...) passes besides x,
// y and its JSON options: tensors that are not JSON, the JS callbacks, and
// how to print and to yield.
type Extras struct {
	SampleWeight           *tensor.Tensor
	ValidationX            *tensor.Tensor
	ValidationY            *tensor.Tensor
	ValidationSampleWeight *tensor.Tensor
	Callbacks              string     // JSON list: {"config": {...}} or {"js": i, "hooks": [...]}
	Hook                   HookFunc   // calls hooks of the JS callbacks
	Params                 ParamsFunc // gives them the run's parameters
	Print                  func(string)
	YieldEvery             any          // fit's yield_every; nil is "auto"
	Yield                  func() error // gives the event loop a turn; nil never yields
	Now                    func() time.Time
}

// weights returns a sample-weight tensor's values, or nil.
func weights(t *tensor.Tensor) []float32 {
	if t == nil {
		return nil
	}
	return t.Data
}

// out returns the writer for verbose output and a function to flush it.
func (x *Extras) out() (*lineWriter, func()) {
	print := x.Print
	if print == nil {
		print = func(string) {}
	}
	w := newLineWriter(print)
	return w, w.Flush
}

// PrepareFit checks a fit call and marks the model as fitting (a second fit
// is refused from this moment); run trains and clears the mark. Running in
// a goroutine, run yields through ex.Yield and may wait on JS hooks.
func (r *Runtime) PrepareFit(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) (run func() (*sequential.History, error), err error) {
	const op = "fit"
	defer guard(op, &err)
	if _, err := r.get(h, op, false); err != nil {
		return nil, err
	}
	e, err := r.beginFit(h)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			r.endFit(h, e)
		}
	}()
	o, err := fitOptions(optsJSON, ex)
	if err != nil {
		return nil, err // named after fit already (decodeOptions)
	}
	cbs, err := buildCallbacks(ex.Callbacks, ex.Hook, ex.Params, true)
	if err != nil {
		return nil, wrap(op, err)
	}
	policy, err := parseYieldEvery(ex.YieldEvery)
	if err != nil {
		return nil, err
	}
	if ex.Yield != nil {
		cbs = append(cbs, newYieldCallback(policy, ex, cbs))
	}
	o.Callbacks = cbs
	w, flush := ex.out()
	o.Out = w
	run = func() (hist *sequential.History, err error) {
		defer guard(op, &err)
		defer flush()
		defer func() {
			if r.endFit(h, e) && err == nil {
				err = fmt.Errorf("%s: the model was disposed during fit; the History is lost", op)
			}
		}()
		hist, err = e.m.Fit(x, y, o)
		return hist, wrap(op, err)
	}
	return run, nil
}

// fitOptions reads fit's keyword arguments (sequential.FitOptionsFromMap)
// and takes the tensors among the extras.
func fitOptions(optsJSON string, ex Extras) (sequential.FitOptions, error) {
	m, err := decodeOptions("fit", optsJSON)
	if err != nil {
		return sequential.FitOptions{}, err
	}
	o, err := sequential.FitOptionsFromMap(m)
	if err != nil {
		return o, err
	}
	o.ValidationX, o.ValidationY = ex.ValidationX, ex.ValidationY
	o.ValidationSampleWeight = weights(ex.ValidationSampleWeight)
	if ex.SampleWeight != nil {
		o.SampleWeight = weights(ex.SampleWeight)
	}
	return o, nil
}

// yieldCallback yields to the event loop at batch and epoch ends as the
// policy says, and then runs the onYield hooks of the JS callbacks.
type yieldCallback struct {
	sequential.BaseCallback
	y    *yielder
	logs sequential.Logs
}

func newYieldCallback(p yieldPolicy, ex Extras, cbs []sequential.Callback) *yieldCallback {
	now := ex.Now
	if now == nil {
		now = time.Now
	}
	c := &yieldCallback{}
	c.y = newYielder(p, now, func(epoch, batch int) error {
		if err := ex.Yield(); err != nil {
			return err
		}
		for _, cb := range cbs {
			if j, ok := cb.(*jsCallback); ok && j.hooks["yield"] {
				if err := j.call("yield", epoch, batch, c.logs); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return c
}

func (c *yieldCallback) OnEpochBegin(epoch int, logs sequential.Logs) error {
	c.y.epochBegin(epoch)
	return nil
}

func (c *yieldCallback) OnTrainBatchEnd(batch int, logs sequential.Logs) error {
	c.logs = logs
	return c.y.batchEnd(batch)
}

func (c *yieldCallback) OnTestBatchEnd(batch int, logs sequential.Logs) error {
	return c.y.batchEnd(batch)
}

func (c *yieldCallback) OnEpochEnd(epoch int, logs sequential.Logs) error {
	c.logs = logs
	return c.y.epochEnd(epoch)
}
