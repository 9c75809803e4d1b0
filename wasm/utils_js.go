//go:build js && wasm

package main

import "syscall/js"

// addUtilFuncs adds keras.utils' functions that compute in the core.
func addUtilFuncs(add func(string, fn)) {
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
