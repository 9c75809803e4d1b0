//go:build js && wasm

package main

import "syscall/js"

// addTFJSFileFuncs adds the TF.js artifacts functions (tfjsfile.go);
// js/src/io/router.mjs calls them.
func addTFJSFileFuncs(rt *Runtime, add func(string, fn)) {
	op := func(args []js.Value, i int, def string) string {
		if v := arg(args, i); v.Type() == js.TypeString {
			return v.String()
		}
		return def
	}
	// saveTFJS(h, includeOptimizer, weightsOnly, op) → [artifactsJSON, Uint8Array]
	add("saveTFJS", func(args []js.Value) (any, error) {
		s, b, err := rt.SaveTFJS(arg(args, 0).Int(), arg(args, 1).Truthy(), arg(args, 2).Truthy(), op(args, 3, "save"))
		if err != nil {
			return nil, err
		}
		u := jsUint8Array.New(len(b)) // never null: a model without weights has 0 bytes
		js.CopyBytesToJS(u, b)
		return []any{s, u}, nil
	})
	// loadTFJS(artifactsJSON, Uint8Array, op) → handle
	add("loadTFJS", func(args []js.Value) (any, error) {
		name := op(args, 2, "load_model")
		b, err := bytesIn(arg(args, 1), name)
		if err != nil {
			return nil, err
		}
		return rt.LoadTFJS(arg(args, 0).String(), b, name)
	})
	// loadTFJSWeights(h, artifactsJSON, Uint8Array, op)
	add("loadTFJSWeights", func(args []js.Value) (any, error) {
		name := op(args, 3, "load_weights")
		b, err := bytesIn(arg(args, 2), name)
		if err != nil {
			return nil, err
		}
		return nil, rt.LoadTFJSWeights(arg(args, 0).Int(), arg(args, 1).String(), b, name)
	})
	// loadTFJSState(h, artifactsJSON, Uint8Array, op): weights by position and the optimizer's state
	add("loadTFJSState", func(args []js.Value) (any, error) {
		name := op(args, 3, "BackupAndRestore")
		b, err := bytesIn(arg(args, 2), name)
		if err != nil {
			return nil, err
		}
		return nil, rt.LoadTFJSState(arg(args, 0).Int(), arg(args, 1).String(), b, name)
	})
}
