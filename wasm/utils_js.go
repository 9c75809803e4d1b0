//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/keraswasm/keraswasm/tensor"
)

// addUtilFuncs adds keras.utils' functions that compute in the core.
func addUtilFuncs(add func(string, fn)) {
	addSplitFunc(add)
	add("padSequences", func(args []js.Value) (any, error) {
		t, dtype, err := PadSequences(arg(args, 0).String())
		if err != nil {
			return nil, err
		}
		o := tensorOut(t)
		o.Set("dtype", dtype)
		return o, nil
	})
	add("normalize", func(args []js.Value) (any, error) {
		x, err := tensorIn(arg(args, 0), "x")
		if err != nil {
			return nil, wrap("normalize", err)
		}
		return tensorResult(Normalize(x, arg(args, 1).String()))
	})
}

// addSplitFunc adds splitDataset: a JS array of tensors in, {left, right} arrays of tensors out.
func addSplitFunc(add func(string, fn)) {
	add("splitDataset", func(args []js.Value) (any, error) {
		list := arg(args, 0)
		arrays := make([]*tensor.Tensor, list.Length())
		for i := range arrays {
			t, err := tensorIn(list.Index(i), "dataset")
			if err != nil {
				return nil, wrap("split_dataset", err)
			}
			arrays[i] = t
		}
		left, right, err := SplitDataset(arrays, arg(args, 1).String())
		if err != nil {
			return nil, err
		}
		out := jsObject.New()
		for key, ts := range map[string][]*tensor.Tensor{"left": left, "right": right} {
			a := make([]any, len(ts))
			for i, t := range ts {
				a[i] = tensorOut(t)
			}
			out.Set(key, js.ValueOf(a))
		}
		return out, nil
	})
}
