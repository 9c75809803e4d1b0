//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"syscall/js"

	"github.com/keraswasm/keraswasm/tensor"
)

// main registers the function table and hands it to the JS loader, whose
// boot function is the global named by os.Args[1]; then it waits forever
// (the table's functions run as JS calls them).
func main() {
	if len(os.Args) < 2 || js.Global().Get(os.Args[1]).Type() != js.TypeFunction {
		fmt.Fprintln(os.Stderr, "keraswasm: start keras.wasm through loadKeras() (js/keras.mjs); it passes the boot function's name")
		return
	}
	boot := js.Global().Get(os.Args[1])
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	budget := newBudget(ms.Sys)
	setGoMemoryLimit = func(n int64) { debug.SetMemoryLimit(n) }
	setGoMemoryLimit(goMemoryLimit(budget.Limit()))
	rt := NewRuntimeWith(budget)
	fastRT, doorBudget = rt, rt.Budget()
	boot.Invoke(newTable(rt, boot.Get("yielder")))
	select {}
}

// fn is one table function: it reads its JS arguments and returns a value
// for JS, or an error that becomes a JS Error.
type fn func(args []js.Value) (any, error)

// export wraps f so that no panic escapes to the Go runtime, where it would
// end the program under the page: it becomes a JS Error instead.
func export(name string, f fn) js.Func {
	return js.FuncOf(func(this js.Value, args []js.Value) (result any) {
		defer releaseFrom(len(held))
		defer func() {
			if p := recover(); p != nil {
				fmt.Fprintf(panicOut, "keraswasm: panic in %s: %v\n%s", name, p, debug.Stack())
				result = jsErr(&internalError{op: name, value: p})
			}
		}()
		v, err := f(args)
		if err != nil {
			return jsErr(err)
		}
		return v
	})
}

// arg returns args[i], or undefined when JS passed fewer.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// newTable builds the JS object of functions over rt.
func newTable(rt *Runtime, yielder js.Value) js.Value {
	t := jsObject.New()
	add := func(name string, f fn) { t.Set(name, export(name, f)) }
	h := func(args []js.Value) int { return arg(args, 0).Int() }
	str := func(args []js.Value, i int) string { return arg(args, i).String() }

	add("version", func(args []js.Value) (any, error) { return Version, nil })
	add("lastError", func(args []js.Value) (any, error) {
		if fastErr == nil {
			return nil, nil
		}
		return jsErr(fastErr), nil
	})
	add("names", func(args []js.Value) (any, error) { return Names() })
	add("get", func(args []js.Value) (any, error) { return Get(str(args, 0), str(args, 1)) })
	add("setRandomSeed", func(args []js.Value) (any, error) {
		rt.SetRandomSeed(uint64(arg(args, 0).Float()))
		return nil, nil
	})
	add("newModel", func(args []js.Value) (any, error) { return rt.NewModel(str(args, 0)) })
	add("fromConfig", func(args []js.Value) (any, error) { return rt.FromConfig(str(args, 0)) })
	add("dispose", func(args []js.Value) (any, error) { return nil, rt.Dispose(h(args)) })
	add("add", func(args []js.Value) (any, error) { return nil, rt.Add(h(args), str(args, 1)) })
	add("pop", func(args []js.Value) (any, error) { return nil, rt.Pop(h(args)) })
	add("resetStates", func(args []js.Value) (any, error) { return nil, rt.ResetStates(h(args), arg(args, 1).Int()) })
	add("info", func(args []js.Value) (any, error) { return rt.Info(h(args)) })
	add("setTrainable", func(args []js.Value) (any, error) {
		return nil, rt.SetTrainable(h(args), arg(args, 1).Int(), arg(args, 2).Bool())
	})
	add("compile", func(args []js.Value) (any, error) {
		return nil, rt.Compile(h(args), str(args, 1), userFuncs(arg(args, 2)))
	})
	add("build", func(args []js.Value) (any, error) { return nil, rt.Build(h(args), str(args, 1)) })
	add("summary", func(args []js.Value) (any, error) { return rt.SummaryWith(h(args), arg(args, 1).Truthy()) })
	add("countParams", func(args []js.Value) (any, error) { return rt.CountParams(h(args)) })
	add("getConfig", func(args []js.Value) (any, error) { return rt.GetConfig(h(args)) })
	add("toJSON", func(args []js.Value) (any, error) { return rt.ToJSON(h(args)) })
	add("stopTraining", func(args []js.Value) (any, error) { return rt.StopTraining(h(args)) })
	add("setStopTraining", func(args []js.Value) (any, error) {
		return nil, rt.SetStopTraining(h(args), arg(args, 1).Bool())
	})
	add("learningRate", func(args []js.Value) (any, error) { return rt.LearningRate(h(args)) })
	add("setLearningRate", func(args []js.Value) (any, error) {
		return nil, rt.SetLearningRate(h(args), arg(args, 1).Float())
	})
	add("iterations", func(args []js.Value) (any, error) {
		n, err := rt.Iterations(h(args))
		return float64(n), err
	})
	add("optimizerConfig", func(args []js.Value) (any, error) { return rt.OptimizerConfig(h(args)) })
	add("setMemoryLimit", func(args []js.Value) (any, error) { return nil, rt.SetMemoryLimit(arg(args, 0).Float()) })
	add("memoryInfo", func(args []js.Value) (any, error) { return rt.MemoryInfo() })
	add("clearSession", func(args []js.Value) (any, error) { rt.ClearSession(); return nil, nil })
	add("reserveCheck", func(args []js.Value) (any, error) {
		return nil, rt.ReserveCheck(str(args, 0), str(args, 1), arg(args, 2).Float())
	})
	addDataFuncs(rt, add, yielder)
	addKerasFileFuncs(rt, add)
	addTFJSFileFuncs(rt, add)
	addUtilFuncs(add)
	addDatasetFuncs(rt, add)
	if len(os.Args) > 2 && os.Args[2] == "-test-doors" {
		// Only for tests: what JS does when the Go program ends
		// (js/test/runtime_exit.test.mjs), and a collection of Go's garbage,
		// which releases the JS values Go no longer holds
		// (js/test/reclaim.test.mjs). The loader passes the flag only when
		// asked to (loadKeras({__testDoors: true})).
		add("testExit", func(args []js.Value) (any, error) {
			os.Exit(arg(args, 0).Int())
			return nil, nil
		})
		add("testGC", func(args []js.Value) (any, error) {
			runtime.GC()
			return nil, nil
		})
	}
	return t
}

// addDataFuncs adds the functions that carry tensors.
func addDataFuncs(rt *Runtime, add func(string, fn), yielder js.Value) {
	h := func(args []js.Value) int { return arg(args, 0).Int() }
	add("fit", func(args []js.Value) (any, error) { return nil, startFit(rt, args, yielder) })
	add("evaluate", func(args []js.Value) (any, error) {
		x, y, ex, err := modelDataIn(rt, "evaluate", args, 1, 2, 4)
		if err != nil {
			return nil, wrap("evaluate", err)
		}
		s, err := rt.Evaluate(h(args), x, y, arg(args, 3).String(), ex)
		return floatsOut(s), err
	})
	add("predict", func(args []js.Value) (any, error) {
		x, _, ex, err := modelDataIn(rt, "predict", args, 1, -1, 3)
		if err != nil {
			return nil, wrap("predict", err)
		}
		return tensorResult(rt.Predict(h(args), x, arg(args, 2).String(), ex))
	})
	for _, name := range []string{"trainOnBatch", "testOnBatch"} {
		call, op := rt.TrainOnBatch, "train_on_batch"
		if name == "testOnBatch" {
			call, op = rt.TestOnBatch, "test_on_batch"
		}
		add(name, func(args []js.Value) (any, error) {
			x, y, ex, err := modelDataIn(rt, op, args, 1, 2, 4)
			if err != nil {
				return nil, wrap(op, err)
			}
			s, err := call(h(args), x, y, arg(args, 3).String(), ex)
			return floatsOut(s), err
		})
	}
	add("call", func(args []js.Value) (any, error) {
		x, err := tensorIn(arg(args, 2), "x")
		if err != nil {
			return nil, wrap("call", err)
		}
		return tensorResult(rt.Call(h(args), arg(args, 1).Int(), x, arg(args, 3).Truthy()))
	})
	add("predictOnBatch", func(args []js.Value) (any, error) {
		x, err := tensorIn(arg(args, 1), "x")
		if err != nil {
			return nil, wrap("predict_on_batch", err)
		}
		return tensorResult(rt.PredictOnBatch(h(args), x))
	})
	addWeightFuncs(rt, add)
	addParallelFuncs(rt, add)
	addCallFuncs(add)
}

// addWeightFuncs adds get_weights and set_weights (of the model, or of one layer).
func addWeightFuncs(rt *Runtime, add func(string, fn)) {
	h := func(args []js.Value) int { return arg(args, 0).Int() }
	add("getWeights", func(args []js.Value) (any, error) {
		ws, err := rt.GetWeights(h(args), arg(args, 1).Int())
		if err != nil {
			return nil, err
		}
		out := make([]any, len(ws))
		for i, w := range ws {
			out[i] = tensorOut(w)
		}
		return js.ValueOf(out), nil
	})
	add("setWeights", func(args []js.Value) (any, error) {
		list := arg(args, 2)
		ws := make([]*tensor.Tensor, list.Length())
		for i := range ws {
			w, err := tensorIn(list.Index(i), fmt.Sprintf("weights[%d]", i))
			if err != nil {
				return nil, wrap("set_weights", err)
			}
			ws[i] = w
		}
		return nil, rt.SetWeights(h(args), arg(args, 1).Int(), ws)
	})
}

// addCallFuncs adds the functions that apply a loss, metric or activation to tensors.
func addCallFuncs(add func(string, fn)) {
	add("lossCall", func(args []js.Value) (any, error) {
		yt, yp, err := twoTensors(args)
		if err != nil {
			return nil, wrap("keras.losses."+arg(args, 0).String(), err)
		}
		return tensorResult(LossCall(arg(args, 0).String(), yt, yp))
	})
	add("metricCall", func(args []js.Value) (any, error) {
		yt, yp, err := twoTensors(args)
		if err != nil {
			return nil, wrap("keras.metrics."+arg(args, 0).String(), err)
		}
		return tensorResult(MetricCall(arg(args, 0).String(), yt, yp))
	})
	add("activationCall", func(args []js.Value) (any, error) {
		op := "keras.activations." + arg(args, 0).String()
		x, err := tensorIn(arg(args, 1), "x")
		if err == nil && x == nil {
			err = errors.New("x is required")
		}
		if err != nil {
			return nil, wrap(op, err)
		}
		return tensorResult(ActivationCall(arg(args, 0).String(), x))
	})
}

func twoTensors(args []js.Value) (a, b *tensor.Tensor, err error) {
	if a, err = tensorIn(arg(args, 1), "y_true"); err == nil {
		b, err = tensorIn(arg(args, 2), "y_pred")
	}
	if err == nil && (a == nil || b == nil) {
		err = errors.New("y_true and y_pred are required")
	}
	return a, b, err
}

func tensorResult(t *tensor.Tensor, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return tensorOut(t), nil
}

// modelDataIn is dataIn for a call on the model whose handle is args[0]:
// a disposed model is said so before its data is copied in (and reserved).
func modelDataIn(rt *Runtime, op string, args []js.Value, ix, iy, iex int) (x, y *tensor.Tensor, ex Extras, err error) {
	if _, err = rt.get(arg(args, 0).Int(), op, false); err != nil {
		return
	}
	return dataIn(args, ix, iy, iex)
}

// dataIn reads x (at ix), y (at iy; -1 for none) and the extras (at iex).
func dataIn(args []js.Value, ix, iy, iex int) (x, y *tensor.Tensor, ex Extras, err error) {
	if x, err = tensorIn(arg(args, ix), "x"); err != nil {
		return
	}
	if iy >= 0 {
		if y, err = tensorIn(arg(args, iy), "y"); err != nil {
			return
		}
	}
	ex, err = extrasIn(arg(args, iex))
	return
}

// extrasIn reads a call's extras object.
func extrasIn(v js.Value) (ex Extras, err error) {
	if v.IsUndefined() || v.IsNull() {
		return ex, nil
	}
	for _, f := range []struct {
		key string
		dst **tensor.Tensor
	}{
		{"sample_weight", &ex.SampleWeight}, {"validation_x", &ex.ValidationX},
		{"validation_y", &ex.ValidationY}, {"validation_sample_weight", &ex.ValidationSampleWeight},
	} {
		if *f.dst, err = tensorIn(v.Get(f.key), f.key); err != nil {
			return ex, err
		}
	}
	if cb := v.Get("callbacks"); cb.Type() == js.TypeString {
		ex.Callbacks = cb.String()
	}
	if d := v.Get("dispatch"); d.Type() == js.TypeFunction {
		ex.Hook = hookFunc(d)
		ex.Params = func(cb int, params string) { d.Invoke(cb, "set_params", 0, jsJSON.Call("parse", params), 0) }
	}
	if p := v.Get("print"); p.Type() == js.TypeFunction {
		ex.Print = func(s string) { p.Invoke(s) }
	}
	switch ye := v.Get("yield_every"); ye.Type() {
	case js.TypeString:
		ex.YieldEvery = ye.String()
	case js.TypeNumber:
		ex.YieldEvery = ye.Float()
	case js.TypeUndefined, js.TypeNull:
	default:
		ex.YieldEvery = "<a JS " + ye.Type().String() + ">"
	}
	return ex, nil
}
