//go:build js && wasm

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"syscall/js"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// startFit checks a fit call, marks the model as fitting and trains in a
// goroutine, which settles the Promise through resolve/reject (args 5, 6).
// The goroutine yields to the event loop through the loader's yielder (a
// setImmediate or MessageChannel post, never a clamped timer) and blocks on
// a channel until JS resumes it, so the page keeps running meanwhile.
func startFit(rt *Runtime, args []js.Value, yielder js.Value) error {
	mark := len(held)
	x, y, ex, err := modelDataIn(rt, "fit", args, 1, 2, 4)
	if err != nil {
		return wrap("fit", err)
	}
	resolve, reject := arg(args, 5), arg(args, 6)
	if resolve.Type() != js.TypeFunction || reject.Type() != js.TypeFunction {
		return errors.New("fit: the table's fit needs resolve and reject functions")
	}
	resumed := make(chan struct{}, 1)
	resume := js.FuncOf(func(js.Value, []js.Value) any {
		select {
		case resumed <- struct{}{}:
		default:
		}
		return nil
	})
	if yielder.Type() == js.TypeFunction {
		ex.Yield = func() error {
			yielder.Invoke(resume)
			<-resumed
			return nil
		}
	}
	run, err := rt.PrepareFit(arg(args, 0).Int(), x, y, arg(args, 3).String(), ex)
	if err != nil {
		resume.Release()
		return err
	}
	// The data copied in stays reserved until the fit ends.
	own := takeFrom(mark)
	go func() {
		defer func() {
			for _, r := range own {
				r()
			}
		}()
		defer resume.Release()
		defer func() {
			if p := recover(); p != nil {
				fmt.Fprintf(panicOut, "keraswasm: panic in fit: %v\n%s", p, debug.Stack())
				reject.Invoke(jsErr(&internalError{op: "fit", value: p}))
			}
		}()
		hist, err := run()
		if err != nil {
			reject.Invoke(jsErr(err))
			return
		}
		resolve.Invoke(historyOut(hist, metricNames(hist.Params)))
	}()
	return nil
}

// hookFunc calls JS callbacks through the dispatcher the JS package passes:
// dispatch(cb, hook, step, logs, batch) returns nothing, {error, name}, or
// {logs, then}: changed logs to copy back, and a Promise (that never
// rejects; it resolves to {error, name} or undefined) to wait for.
func hookFunc(dispatch js.Value) HookFunc {
	return func(cb int, hook string, step, batch int, logs sequential.Logs, order []string, canWait bool) error {
		o := logsOut(logs, order)
		r := dispatch.Invoke(cb, hook, step, o, batch)
		if r.Type() != js.TypeObject {
			return nil
		}
		if err := thrownIn(r); err != nil {
			return err
		}
		if l := r.Get("logs"); l.Type() == js.TypeObject {
			if err := logsIn(logs, l, fmt.Sprintf("callbacks[%d] (%s)", cb, hook)); err != nil {
				return err
			}
		}
		if p := r.Get("then"); p.Type() == js.TypeObject && canWait {
			if err := thrownIn(await(p)); err != nil {
				return err
			}
		}
		return nil
	}
}

// thrownIn reads what the JS side reports for an exception in a user's
// function: {error: message, name: the exception's name}. It returns nil
// when v reports none.
func thrownIn(v js.Value) error {
	if v.Type() != js.TypeObject {
		return nil
	}
	e := v.Get("error")
	if e.Type() != js.TypeString {
		return nil
	}
	t := &jsThrown{msg: e.String()}
	if n := v.Get("name"); n.Type() == js.TypeString {
		t.name = n.String()
	}
	return t
}

// await blocks the calling goroutine (never a JS call's own) until p settles.
func await(p js.Value) js.Value {
	done := make(chan js.Value, 1)
	f := js.FuncOf(func(_ js.Value, args []js.Value) any {
		done <- arg(args, 0)
		return nil
	})
	defer f.Release()
	p.Call("then", f)
	return <-done
}

// userFuncs calls the JS functions of a compile call (custom metrics and
// losses) through the JS package's runner: run(i, y_true, y_pred) returns
// the bytes of a Float32Array, or {error, name}.
func userFuncs(run js.Value) UserFunc {
	if run.Type() != js.TypeFunction {
		return nil
	}
	return func(i int, yTrue, yPred *tensor.Tensor) ([]float32, error) {
		r := run.Invoke(i, tensorOut(yTrue), tensorOut(yPred))
		if err := thrownIn(r); err != nil {
			return nil, err
		}
		return floatsIn(r)
	}
}

// metricNames reads the ordered log names Fit puts in its params.
func metricNames(params map[string]any) []string {
	names, _ := params["metrics"].([]string)
	return names
}

func jsonMarshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
