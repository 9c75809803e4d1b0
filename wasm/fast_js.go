//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/keraswasm/keraswasm/tensor"
)

// The fast path: predict_on_batch, train_on_batch and test_on_batch called
// in a JS loop (drawing on a canvas, a custom training loop) cross often
// with little data, where a js.FuncOf call (about 10-20 µs, plus the JS
// objects that carry tensors) costs as much as the work. These functions
// are exported to JS with //go:wasmexport (tens of ns a call): JS writes
// the tensors straight into staging buffers in Go's linear memory (one
// copy, no JS object), and reads the result from there. Errors return -1;
// JS then reads the error (a JS Error with its message and class, as the
// table's functions return) with the table's lastError.
//
// The staging buffers are package state because JS owns the sequence: it
// asks for buffers (kw_stage, which may grow memory), writes them, calls,
// and reads the output before any other call.

// stage holds the tensors of one fast call: 0 is x, 1 is y, 2 is sample weights.
var (
	stage      [3][]float32
	stageShape [3 * 8]int32 // up to rank 8 per tensor; JS writes dims, Go writes the output's
	stageRank  [3]int32
	outData    []float32
	outScores  []float64
	fastErr    error // the last fast call's error, for the table's lastError
	fastRT     *Runtime
	// stageRelease gives back each staging buffer's reservation.
	stageRelease [3]func()
)

// kwStage makes staging buffer i hold n float32s and returns its address.
//
//go:wasmexport kw_stage
func kwStage(i, n int32) int32 {
	if i < 0 || i > 2 || n < 0 {
		return 0
	}
	if cap(stage[i]) < int(n) {
		c := int(n) + int(n)/4 + 16
		if doorBudget != nil {
			// The staging buffers stay: they hold their reservation until they grow again.
			release, err := doorBudget.ReserveFor("the staging buffers of the on-batch calls", "", "a staging buffer", 4*float64(c))
			if err != nil {
				// JS prefixes the method called (runtime.mjs #stage).
				fastErr = &callError{op: [...]string{"x", "y", "sample_weight"}[i], err: err}
				return -1
			}
			if stageRelease[i] != nil {
				stageRelease[i]()
			}
			stageRelease[i] = release
		}
		stage[i] = make([]float32, n, c)
	}
	stage[i] = stage[i][:n]
	if n == 0 {
		return 0
	}
	return int32(uintptr(unsafe.Pointer(&stage[i][0])))
}

// kwShapes returns the address of the shape area: tensor i's dims start at
// 8*i (int32s); kwSetRank records each rank.
//
//go:wasmexport kw_shapes
func kwShapes() int32 { return int32(uintptr(unsafe.Pointer(&stageShape[0]))) }

//go:wasmexport kw_set_rank
func kwSetRank(i, rank int32) {
	if i >= 0 && i < 3 {
		stageRank[i] = rank
	}
}

// kwScores returns the address of the last scores (float64: loss, metrics).
//
//go:wasmexport kw_scores
func kwScores() int32 {
	if len(outScores) == 0 {
		return 0
	}
	return int32(uintptr(unsafe.Pointer(&outScores[0])))
}

// kwOut returns the address of the last output's data.
//
//go:wasmexport kw_out
func kwOut() int32 {
	if len(outData) == 0 {
		return 0
	}
	return int32(uintptr(unsafe.Pointer(&outData[0])))
}

// staged returns staging tensor i (nil when its rank is -1: absent).
func staged(i int) (*tensor.Tensor, error) {
	r := int(stageRank[i])
	if r < 0 {
		return nil, nil
	}
	if r > 8 {
		return nil, fmt.Errorf("rank %d is above 8", r)
	}
	shape := make([]int, r)
	size := 1
	for d := range shape {
		shape[d] = int(stageShape[8*i+d])
		size *= shape[d]
	}
	if size != len(stage[i]) {
		return nil, fmt.Errorf("shape %v holds %d values but %d were staged", shape, size, len(stage[i]))
	}
	return &tensor.Tensor{Shape: shape, Data: stage[i]}, nil
}

// fast runs f with panics and errors turned into -1 and fastErr.
func fast(op string, f func() (int32, error)) (n int32) {
	defer func() {
		if p := recover(); p != nil {
			fastErr = &internalError{op: op, value: p}
			n = -1
		}
	}()
	n, err := f()
	if err != nil {
		fastErr = wrap(op, err)
		return -1
	}
	return n
}

// kwPredictOnBatch predicts staged x; it writes the output's shape at the
// start of the shape area and returns its rank (or -1).
//
//go:wasmexport kw_predict_on_batch
func kwPredictOnBatch(h int32) int32 {
	return fast("predict_on_batch", func() (int32, error) {
		x, err := staged(0)
		if err != nil {
			return 0, fmt.Errorf("predict_on_batch: x: %v", err)
		}
		if x == nil {
			return 0, errors.New("predict_on_batch: x is missing: pass the batch of inputs, model.predict_on_batch(x)")
		}
		out, err := fastRT.PredictOnBatch(int(h), x)
		if err != nil {
			return 0, err
		}
		outData = out.Data
		for d, n := range out.Shape {
			stageShape[d] = int32(n)
		}
		return int32(len(out.Shape)), nil
	})
}

// kwOnBatch runs train_on_batch (train 1) or test_on_batch on staged x, y
// and sample weights; it returns how many scores it wrote (loss, metrics).
//
//go:wasmexport kw_on_batch
func kwOnBatch(h, train int32) int32 {
	op := "test_on_batch"
	call := fastRT.TestOnBatch
	if train != 0 {
		op, call = "train_on_batch", fastRT.TrainOnBatch
	}
	return fast(op, func() (int32, error) {
		var t [3]*tensor.Tensor
		for i := range t {
			var err error
			if t[i], err = staged(i); err != nil {
				return 0, err
			}
		}
		scores, err := call(int(h), t[0], t[1], "", Extras{SampleWeight: t[2]})
		if err != nil {
			return 0, err
		}
		outScores = append(outScores[:0], scores...)
		return int32(len(scores)), nil
	})
}
