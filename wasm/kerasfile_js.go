//go:build js && wasm

package main

import (
	"errors"
	"fmt"

	"syscall/js"
)

// addKerasFileFuncs adds the .keras / .weights.h5 byte functions
// (kerasfile.go); js/src/kerasfile.mjs calls them.
func addKerasFileFuncs(rt *Runtime, add func(string, fn)) {
	op := func(args []js.Value, i int, def string) string {
		if v := arg(args, i); v.Type() == js.TypeString {
			return v.String()
		}
		return def
	}
	add("saveKeras", func(args []js.Value) (any, error) {
		// saveKeras(h, includeOptimizer, op): includeOptimizer true unless false.
		b, err := rt.SaveKeras(arg(args, 0).Int(), arg(args, 1).Type() != js.TypeBoolean || arg(args, 1).Bool(), op(args, 2, "saveKerasBytes"))
		return bytesOut(b), err
	})
	add("loadKeras", func(args []js.Value) (any, error) {
		name := op(args, 1, "loadKerasBytes")
		b, err := bytesIn(arg(args, 0), name)
		if err != nil {
			return nil, err
		}
		return rt.LoadKeras(b, name)
	})
	add("saveWeightsH5", func(args []js.Value) (any, error) {
		b, err := rt.SaveWeightsH5(arg(args, 0).Int(), op(args, 1, "saveWeightsH5Bytes"))
		return bytesOut(b), err
	})
	add("loadWeightsH5", func(args []js.Value) (any, error) {
		name := op(args, 2, "loadWeightsH5Bytes")
		b, err := bytesIn(arg(args, 1), name)
		if err != nil {
			return nil, err
		}
		return nil, rt.LoadWeightsH5(arg(args, 0).Int(), b, name)
	})
}

// bytesIn copies a Uint8Array into Go.
func bytesIn(v js.Value, op string) ([]byte, error) {
	if !v.InstanceOf(jsUint8Array) {
		return nil, &callError{op: op, err: errors.New("expected the file's bytes as a Uint8Array")}
	}
	n := v.Length()
	if doorBudget != nil && n > 0 {
		release, err := doorBudget.Reserve(op, fmt.Sprintf("the file's %d bytes", n), float64(n))
		if err != nil {
			return nil, &callError{op: op, err: err}
		}
		held = append(held, release) // released when the call returns (export)
	}
	b := make([]byte, n)
	js.CopyBytesToGo(b, v)
	return b, nil
}

// bytesOut copies b into a new Uint8Array (nil stays null).
func bytesOut(b []byte) any {
	if b == nil {
		return nil
	}
	u := jsUint8Array.New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}
