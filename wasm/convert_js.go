//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unsafe"

	"syscall/js"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

var (
	jsError        = js.Global().Get("Error")
	jsObject       = js.Global().Get("Object")
	jsJSON         = js.Global().Get("JSON")
	jsFloat32Array = js.Global().Get("Float32Array")
	jsUint8Array   = js.Global().Get("Uint8Array")
)

// jsErr makes the JS Error the table returns for err; the JS side throws it
// as the class its name says (js/src/errors.mjs): ValueError, TypeError,
// NotImplementedError, or Error for an internal error.
func jsErr(err error) js.Value {
	e := jsError.New(err.Error())
	e.Set("name", errorName(err))
	return e
}

// bytesOf views float32s as their bytes (wasm is little-endian, as are JS
// typed arrays on every platform that runs them).
func bytesOf(f []float32) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 4*len(f))
}

// tensorIn reads a tensor sent as {bytes: Uint8Array, shape: number[]}: one
// bulk copy into Go memory. null or undefined give nil.
func tensorIn(v js.Value, what string) (*tensor.Tensor, error) {
	if v.IsNull() || v.IsUndefined() {
		return nil, nil
	}
	sv := v.Get("shape")
	shape := make([]int, sv.Length())
	size := 1
	for i := range shape {
		shape[i] = sv.Index(i).Int()
		if shape[i] < 0 {
			return nil, fmt.Errorf("%s: negative dimension in shape %v", what, shape)
		}
		size *= shape[i]
	}
	b := v.Get("bytes")
	if n := b.Length(); n != 4*size {
		return nil, fmt.Errorf("%s: shape %v holds %d values but %d bytes were sent", what, shape, size, n)
	}
	if err := holdData(what, shape, size); err != nil {
		return nil, err
	}
	data := make([]float32, size)
	if size > 0 {
		js.CopyBytesToGo(bytesOf(data), b)
	}
	return tensor.FromSlice(data, shape...), nil
}

// held is the stack of the door's reservations for the data of the table
// calls in progress (JS runs one call at a time; a call made from inside
// another, by a callback, ends before it): export releases a call's own on
// return, and fit takes its own into its goroutine.
var held []func()

// doorBudget is the budget the door's copies reserve from (main sets it).
var doorBudget *sequential.Budget

// holdData reserves size float32s of tensor what for the call in progress.
func holdData(what string, shape []int, size int) error {
	if doorBudget == nil || size == 0 {
		return nil
	}
	bytes := 4 * float64(size)
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	release, err := doorBudget.Reserve("", fmt.Sprintf("%s, a tensor of shape [%s]", what, strings.Join(dims, ", ")), bytes)
	if err != nil {
		return err
	}
	held = append(held, release)
	return nil
}

// releaseFrom gives back the reservations made since mark.
func releaseFrom(mark int) {
	for _, r := range takeFrom(mark) {
		r()
	}
}

// takeFrom removes the reservations made since mark and returns them.
func takeFrom(mark int) []func() {
	if mark >= len(held) {
		return nil
	}
	own := append([]func(){}, held[mark:]...)
	held = held[:mark]
	return own
}

// tensorOut sends a tensor to JS as {data: Float32Array, shape: number[]}:
// one bulk copy out of Go memory.
func tensorOut(t *tensor.Tensor) js.Value {
	arr := jsFloat32Array.New(len(t.Data))
	if len(t.Data) > 0 {
		js.CopyBytesToJS(jsUint8Array.New(arr.Get("buffer")), bytesOf(t.Data))
	}
	shape := make([]any, len(t.Shape))
	for i, d := range t.Shape {
		shape[i] = d
	}
	o := jsObject.New()
	o.Set("data", arr)
	o.Set("shape", js.ValueOf(shape))
	return o
}

// floatsIn reads a Uint8Array view of float32 values a JS function returned.
func floatsIn(v js.Value) ([]float32, error) {
	if !v.InstanceOf(jsUint8Array) || v.Length()%4 != 0 {
		return nil, errors.New("expected the bytes of a Float32Array")
	}
	out := make([]float32, v.Length()/4)
	if len(out) > 0 {
		js.CopyBytesToGo(bytesOf(out), v)
	}
	return out, nil
}

// floatsOut makes a JS array of numbers (NaN stays NaN, which JSON cannot carry).
func floatsOut(f []float64) js.Value {
	a := make([]any, len(f))
	for i, v := range f {
		a[i] = v
	}
	return js.ValueOf(a)
}

// logsOut makes a JS object of a Logs map, its keys in order (see logOrder).
func logsOut(l sequential.Logs, order []string) js.Value {
	o := jsObject.New()
	for _, k := range order {
		o.Set(k, l[k])
	}
	return o
}

// logsIn replaces the contents of l with a JS object's (a callback may add,
// change or delete keys, as Keras callbacks do with the shared logs dict).
func logsIn(l sequential.Logs, o js.Value, where string) error {
	keys := jsObject.Call("keys", o)
	next := make(sequential.Logs, keys.Length())
	for i := 0; i < keys.Length(); i++ {
		k := keys.Index(i).String()
		v := o.Get(k)
		if v.Type() != js.TypeNumber {
			return fmt.Errorf("%s set logs[%q] to a %s; logs hold numbers", where, k, v.Type())
		}
		next[k] = v.Float()
	}
	clear(l)
	for k, v := range next {
		l[k] = v
	}
	return nil
}

// historyOut makes the JS History fields {history, epoch, params}, the
// history's keys in Keras's order (names: loss and the metrics).
func historyOut(h *sequential.History, names []string) js.Value {
	o := jsObject.New()
	hist := jsObject.New()
	lens := make(map[string]float64, len(h.History))
	for k := range h.History {
		lens[k] = 0
	}
	for _, k := range logOrder(lens, names) {
		hist.Set(k, floatsOut(h.History[k]))
	}
	o.Set("history", hist)
	epochs := make([]any, len(h.Epoch))
	for i, e := range h.Epoch {
		epochs[i] = e
	}
	o.Set("epoch", js.ValueOf(epochs))
	params := "{}"
	if b, err := jsonMarshal(h.Params); err == nil {
		params = b
	}
	o.Set("params", jsJSON.Call("parse", params))
	return o
}
