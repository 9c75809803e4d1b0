//go:build js && wasm

package main

import (
	"encoding/json"
	"io"
	"os"
	"testing"
	"time"

	"syscall/js"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// testTable is the function table as the JS package sees it, with a
// yielder that resumes through setImmediate, as Node's loader does.
func testTable(t *testing.T) (js.Value, *int) {
	t.Helper()
	yields := new(int)
	setImmediate := js.Global().Get("setImmediate")
	yielder := js.FuncOf(func(_ js.Value, args []js.Value) any {
		*yields++
		setImmediate.Invoke(args[0])
		return nil
	})
	t.Cleanup(yielder.Release)
	return newTable(NewRuntime(), yielder.Value), yields
}

// jsTensor is what the JS package sends for a tensor: a byte view and a shape.
func jsTensor(t *tensor.Tensor) js.Value {
	o := tensorOut(t)
	data := o.Get("data")
	o.Set("bytes", jsUint8Array.New(data.Get("buffer"), data.Get("byteOffset"), data.Get("byteLength")))
	return o
}

func call(t *testing.T, table js.Value, name string, args ...any) js.Value {
	t.Helper()
	r := table.Call(name, args...)
	if r.InstanceOf(jsError) {
		t.Fatalf("%s: %s", name, r.Get("message").String())
	}
	return r
}

func TestTensorsCrossInOneCopyEachWay(t *testing.T) {
	in := tensor.FromSlice([]float32{1, -2.5, 3, 4e-8, 5, 6}, 2, 3)
	back, err := tensorIn(jsTensor(in), "x")
	require.NoError(t, err)
	assert.Equal(t, in.Shape, back.Shape)
	assert.Equal(t, in.Data, back.Data)
	o := tensorOut(in)
	assert.True(t, o.Get("data").InstanceOf(jsFloat32Array))
	assert.Equal(t, -2.5, o.Get("data").Index(1).Float())

	bad := jsTensor(in)
	bad.Set("shape", js.ValueOf([]any{4, 2}))
	_, err = tensorIn(bad, "x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "shape [4 2] holds 8 values but 24 bytes were sent")
}

func TestLogsCrossBothWays(t *testing.T) {
	logs := sequential.Logs{"loss": 0.5, "accuracy": 0.25}
	o := logsOut(logs, logOrder(logs, []string{"loss", "accuracy"}))
	assert.Equal(t, []any{"loss", "accuracy"}, []any{jsObject.Call("keys", o).Index(0).String(), jsObject.Call("keys", o).Index(1).String()})
	o.Set("lr", 0.01)
	o.Delete("accuracy")
	require.NoError(t, logsIn(logs, o, "cb"))
	assert.Equal(t, sequential.Logs{"loss": 0.5, "lr": 0.01}, logs)
	o.Set("note", "high")
	err := logsIn(logs, o, "callbacks[0]")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `callbacks[0] set logs["note"] to a string`)
}

// TestAPanicInATableFunctionIsAJSError: a table function called against its
// contract (a handle that is not a number: a bug of the JS package, the
// table's only caller) panics inside syscall/js; the table turns the panic
// into a JS Error and the runtime lives on. The shipped table has no
// test-only entry: this is a real path to the same recover.
func TestAPanicInATableFunctionIsAJSError(t *testing.T) {
	panicOut = io.Discard
	defer func() { panicOut = os.Stderr }()
	table, _ := testTable(t)
	r := table.Call("info", "not a handle")
	require.True(t, r.InstanceOf(jsError))
	assert.Contains(t, r.Get("message").String(), "info: internal error")
	assert.Contains(t, r.Get("message").String(), "please report")
	assert.Equal(t, Version, call(t, table, "version").String(), "the runtime lives on")
	assert.True(t, table.Get("_panicForTest").IsUndefined(), "no test-only entry in the shipped table")
}

func TestFitThroughTheTableYieldsAndResolves(t *testing.T) {
	table, yields := testTable(t)
	h := call(t, table, "newModel", `{}`).Int()
	call(t, table, "add", h, `{"class_name": "Dense", "config": {"units": 8, "activation": "relu", "input_dim": 100}}`)
	call(t, table, "add", h, `{"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid"}}`)
	call(t, table, "compile", h, `{"loss": "binary_crossentropy", "metrics": ["accuracy"]}`)
	x, y := binaryData(9, 256, 100)

	done := make(chan js.Value, 1)
	resolve := js.FuncOf(func(_ js.Value, args []js.Value) any { done <- args[0]; return nil })
	reject := js.FuncOf(func(_ js.Value, args []js.Value) any { done <- args[0]; return nil })
	defer resolve.Release()
	defer reject.Release()
	extras := js.ValueOf(map[string]any{"yield_every": "batch"})
	call(t, table, "fit", h, jsTensor(x), jsTensor(y), `{"epochs": 2, "batch_size": 32, "verbose": 0}`, extras, resolve, reject)

	second := table.Call("fit", h, jsTensor(x), jsTensor(y), `{}`, js.Undefined(), resolve, reject)
	require.True(t, second.InstanceOf(jsError), "a second fit while the first yields is refused")
	assert.Contains(t, second.Get("message").String(), "already training")

	var hist js.Value
	select {
	case hist = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("fit did not settle")
	}
	require.False(t, hist.InstanceOf(jsError), "fit rejected: %v", hist)
	assert.Equal(t, 2, hist.Get("history").Get("loss").Length())
	assert.Equal(t, 2, hist.Get("params").Get("epochs").Int())
	assert.GreaterOrEqual(t, *yields, 16, "one yield per batch: 2 epochs of 8 batches")

	var info modelInfo
	require.NoError(t, json.Unmarshal([]byte(call(t, table, "info", h).String()), &info))
	assert.Equal(t, []string{"loss", "accuracy"}, info.MetricsNames)
}
