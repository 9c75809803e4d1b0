//go:build js && wasm

package main

import "syscall/js"

// addDatasetFuncs adds keras.datasets' core: mnistSplit(imagesBytes,
// imagesName, labelsBytes, labelsName) → {count, rows, cols, pixels:
// Uint8Array, labels: Uint8Array} (datasets.go; js/src/datasets.mjs).
func addDatasetFuncs(rt *Runtime, add func(string, fn)) {
	add("mnistSplit", func(args []js.Value) (any, error) {
		const op = "mnist.load_data"
		images, err := bytesIn(arg(args, 0), op)
		if err != nil {
			return nil, err
		}
		labels, err := bytesIn(arg(args, 2), op)
		if err != nil {
			return nil, err
		}
		s, release, err := rt.ReadMNISTSplit(images, arg(args, 1).String(), labels, arg(args, 3).String())
		if err != nil {
			return nil, err
		}
		held = append(held, release) // released when the call returns (export)
		out := jsObject.New()
		out.Set("count", s.Count)
		out.Set("rows", s.Rows)
		out.Set("cols", s.Cols)
		out.Set("pixels", bytesOut(s.Pixels))
		out.Set("labels", bytesOut(s.Labels))
		return out, nil
	})
}
