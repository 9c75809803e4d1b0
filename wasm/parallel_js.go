//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"unsafe"

	"syscall/js"

	"github.com/keraswasm/keraswasm/tensor"
)

// addParallelFuncs adds the doors of data-parallel training (parallel.go);
// js/src/parallel.mjs calls them in each worker.
//
//	parallelBegin(h, x, y, sw|null, batchSize, replica) → gradient length
//	parallelCompute(h, idx Uint8Array of Int32Array, batch, reset, out Uint8Array) → [loss, state]
//	parallelApply(h, grads Uint8Array, loss, rows, state number[]) → {loss, logs}
//	parallelApplyParts(h, parts (Uint8Array|null)[], loss, rows, state number[]) → {loss, logs}
//	parallelProgress(h, verbose, epochs, print), parallelValidation(h, x, y, sw|null, batchSize)
//	parallelEpochBegin(h, epoch), parallelEpochEnd(h, epoch, validate) → logs
//	parallelMoving(h, out|null) → length, parallelSetMoving(h, bytes)
//	parallelEnd(h)
func addParallelFuncs(rt *Runtime, add func(string, fn)) {
	h := func(args []js.Value) int { return arg(args, 0).Int() }
	add("parallelBegin", func(args []js.Value) (any, error) {
		x, err := tensorIn(arg(args, 1), "x")
		if err != nil {
			return nil, err
		}
		y, err := tensorIn(arg(args, 2), "y")
		if err != nil {
			return nil, err
		}
		sw, err := tensorIn(arg(args, 3), "sample_weight")
		if err != nil {
			return nil, err
		}
		return rt.ParallelBegin(h(args), x, y, sw, arg(args, 4).Int(), arg(args, 5).Int())
	})
	add("parallelCompute", func(args []js.Value) (any, error) {
		run, err := rt.parallel(h(args))
		if err != nil {
			return nil, err
		}
		b := arg(args, 1)
		n := b.Length() / 4
		if cap(run.idx32) < n { // the run's buffers, reused from step to step
			run.idx32 = make([]int32, n)
		}
		run.idx32 = run.idx32[:n]
		if n > 0 {
			js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&run.idx32[0])), 4*n), b)
		}
		run.idx = run.idx[:0]
		for _, i := range run.idx32 {
			run.idx = append(run.idx, int(i))
		}
		grads, loss, state, err := rt.ParallelCompute(h(args), run.idx, arg(args, 2).Int(), arg(args, 3).Truthy())
		if err != nil {
			return nil, err
		}
		out := arg(args, 4)
		if out.Length() != 4*len(grads) {
			return nil, errors.New("fit: the gradient buffer has the wrong size")
		}
		if len(grads) > 0 {
			js.CopyBytesToJS(out, bytesOf(grads))
		}
		return js.ValueOf([]any{loss, floatsOut(state)}), nil
	})
	apply := func(args []js.Value, run *parallelRun) (any, error) {
		sv := arg(args, 4)
		state := make([]float64, sv.Length())
		for i := range state {
			state[i] = sv.Index(i).Float()
		}
		loss, logs, names, err := rt.ParallelApply(h(args), run.sum, arg(args, 2).Float(), arg(args, 3).Int(), state)
		if err != nil {
			return nil, err
		}
		o := jsObject.New()
		o.Set("loss", loss)
		o.Set("logs", logsOut(logs, logOrder(logs, names)))
		return o, nil
	}
	add("parallelApply", func(args []js.Value) (any, error) {
		run, err := rt.parallel(h(args))
		if err != nil {
			return nil, err
		}
		if err := gradientIn(run.sum, arg(args, 1)); err != nil {
			return nil, err
		}
		return apply(args, run)
	})
	// parallelApplyParts adds the replicas' gradients here, in replica order
	// (the sum is then the same bits in every replica, and the page adds
	// nothing): parts[k] is replica k's shared buffer, null for this
	// replica's own, which is still in run.grads.
	add("parallelApplyParts", func(args []js.Value) (any, error) {
		run, err := rt.parallel(h(args))
		if err != nil {
			return nil, err
		}
		parts := arg(args, 1)
		if parts.Type() != js.TypeObject || parts.Length() < 1 {
			return nil, errors.New("fit: gradients: expected one buffer per replica")
		}
		for k := 0; k < parts.Length(); k++ {
			part, src := parts.Index(k), run.grads
			if !part.IsNull() {
				if k == 0 {
					src = run.sum
				} else {
					if len(run.scratch) != len(run.sum) {
						run.scratch = make([]float32, len(run.sum))
					}
					src = run.scratch
				}
				if err := gradientIn(src, part); err != nil {
					return nil, err
				}
			}
			if k == 0 {
				copy(run.sum, src)
			} else {
				tensor.Add(run.sum, src)
			}
		}
		return apply(args, run)
	})
	add("parallelProgress", func(args []js.Value) (any, error) {
		print := arg(args, 3)
		if print.Type() != js.TypeFunction {
			return nil, errors.New("fit: progress needs a print function")
		}
		return nil, rt.ParallelProgress(h(args), arg(args, 1).Int(), arg(args, 2).Int(), func(s string) { print.Invoke(s) })
	})
	// parallelMoving(h, out|null): the moving statistics' length, and with
	// out (a Uint8Array of that many float32s) their values in it.
	add("parallelMoving", func(args []js.Value) (any, error) {
		v, err := rt.ParallelMoving(h(args))
		if err != nil {
			return nil, err
		}
		if out := arg(args, 1); !out.IsNull() && !out.IsUndefined() {
			if !out.InstanceOf(jsUint8Array) || out.Length() != 4*len(v) {
				return nil, fmt.Errorf("fit: moving statistics: expected the bytes of a Float32Array of %d values", len(v))
			}
			if len(v) > 0 {
				js.CopyBytesToJS(out, bytesOf(v))
			}
		}
		return len(v), nil
	})
	add("parallelSetMoving", func(args []js.Value) (any, error) {
		b := arg(args, 1)
		if !b.InstanceOf(jsUint8Array) || b.Length()%4 != 0 {
			return nil, errors.New("fit: moving statistics: expected the bytes of a Float32Array")
		}
		v := make([]float32, b.Length()/4)
		if err := gradientIn(v, b); err != nil {
			return nil, err
		}
		return nil, rt.ParallelSetMoving(h(args), v)
	})
	add("parallelEpochBegin", func(args []js.Value) (any, error) {
		return nil, rt.ParallelEpochBegin(h(args), arg(args, 1).Int())
	})
	add("parallelEpochEnd", func(args []js.Value) (any, error) {
		logs, names, err := rt.ParallelEpochEnd(h(args), arg(args, 1).Int(), arg(args, 2).Truthy())
		if err != nil {
			return nil, err
		}
		return logsOut(logs, logOrder(logs, names)), nil
	})
	add("parallelValidation", func(args []js.Value) (any, error) {
		var ts [3]*tensor.Tensor
		for i, what := range []string{"validation_data x", "validation_data y", "validation_data sample weights"} {
			t, err := tensorIn(arg(args, 1+i), what)
			if err != nil {
				return nil, err
			}
			ts[i] = t
		}
		return nil, rt.ParallelValidation(h(args), ts[0], ts[1], ts[2], arg(args, 4).Int())
	})
	add("parallelEnd", func(args []js.Value) (any, error) { return nil, rt.ParallelEnd(h(args)) })
}

// gradientIn copies the bytes of a Float32Array of len(dst) values (a
// Uint8Array over it) into dst.
func gradientIn(dst []float32, g js.Value) error {
	if !g.InstanceOf(jsUint8Array) || g.Length() != 4*len(dst) {
		return fmt.Errorf("fit: gradients: expected the bytes of a Float32Array of %d values", len(dst))
	}
	if len(dst) > 0 {
		js.CopyBytesToGo(bytesOf(dst), g)
	}
	return nil
}
