package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// FuzzDoor drives the door's Runtime as the JS table does: a program of
// calls decoded from prog (one byte picks the call, the next ones its
// arguments) on a few models, with JSON arguments taken from the lines of
// text (fuzzed configs and options) or from small valid templates. Each
// call must either work or fail as JS would want it to: one of the Keras
// classes (never a recovered panic), the JS method's prefix, no Go syntax;
// after a failed call the model keeps its weights and predicts as before,
// and every handle still names its model (or says it was disposed). Run
// bounded in `make test` (doorfuzz); explore with
//
//	go test -run '^$' -fuzz FuzzDoor -parallel 1 ./wasm/
func FuzzDoor(f *testing.F) {
	for _, s := range doorSeeds {
		f.Add(s.prog, s.text)
	}
	f.Fuzz(func(t *testing.T, prog []byte, text string) {
		d := &doorRun{t: t, rt: NewRuntimeWith(sequential.NewBudget(64<<20, 0)), prog: prog, lines: strings.Split(text, "\n")}
		for steps := 0; d.pos < len(prog) && steps < 24; steps++ {
			d.step()
		}
		d.checkHandles()
	})
}

// doorSeeds start the corpus (more under testdata/fuzz/FuzzDoor): a model
// built, compiled, trained, saved and loaded; bad options on each call.
var doorSeeds = []struct {
	prog []byte
	text string
}{
	// new, add, add, compile, fit, evaluate, predict, train_on_batch,
	// get/set_weights, to_json + model_from_json, fit the copy, dispose,
	// predict on the disposed model.
	{[]byte{0, 0, 1, 0, 0, 1, 1, 0, 2, 0, 0, 3, 0, 0, 0, 4, 4, 0, 0, 0, 4, 5, 0, 0, 0, 3, 6, 0, 0, 0, 2,
		10, 0, 0xff, 0, 9, 0, 0, 2, 1, 1, 3, 0, 1, 0, 4, 8, 0, 5, 0, 0, 0, 2}, ""},
	// The same calls with fuzzed arguments (lines of text).
	{[]byte{0, 0, 1, 0, 0, 1, 1, 0, 2, 0, 0, 1, 0x80, 0, 2, 0x81, 0, 3, 0x82, 0, 0, 4, 4, 0x83, 0, 0, 4,
		5, 0x83, 0, 0, 3, 6, 0x82, 0, 0, 2, 12, 0, 0x80},
		`{"units": -1}` + "\n" + `{"loss": "msee"}` + "\n" + `{"epochs": "2", "batch_size": 1e300}` + "\n" + `{"__proto__": 1}`},
	// Bad shapes and values: a rank-3 x, Inf in x and y, wrong weights.
	{[]byte{0, 0, 1, 0, 0, 1, 1, 0, 2, 1, 0, 3, 0, 0, 0x46, 4, 3, 0, 0, 0x30, 3, 6, 0, 0, 0x20, 2,
		10, 0, 0xff, 1, 0x47, 3, 11, 0, 11, 0, 11, 0, 5, 0, 0, 0, 2}, ""},
	// Fuzzed model and layer configs, huge layers, model JSON with no config.
	{[]byte{0, 0x80, 1, 0x81, 0, 0, 0, 1, 0x81, 0, 9, 0x82, 9, 0x83, 5, 0, 1, 0, 2, 12, 0, 0},
		`{"name": 3}` + "\n" + `{"class_name": "Dense", "config": {"units": 1e9, "input_dim": 1e9}}` + "\n" +
			`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 2, "batch_input_shape": [null, 3]}}]}}` + "\n" +
			`{"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense"}]}}`},
}

// doorRun is one fuzz program's state.
type doorRun struct {
	t       *testing.T
	rt      *Runtime
	prog    []byte
	pos     int
	lines   []string
	handles []int
	gone    map[int]bool
}

func (d *doorRun) byte() byte {
	if d.pos >= len(d.prog) {
		return 0
	}
	b := d.prog[d.pos]
	d.pos++
	return b
}

// text returns a JSON argument: a fuzzed line when the high bit of b is set,
// else the template templates[b].
func (d *doorRun) text(b byte, templates []string) string {
	if b&0x80 != 0 && len(d.lines) > 0 {
		return d.lines[int(b&0x7f)%len(d.lines)]
	}
	return templates[int(b)%len(templates)]
}

// handle picks a handle made so far (or 0, none) from b.
func (d *doorRun) handle(b byte) int {
	if len(d.handles) == 0 {
		return int(b) % 3
	}
	return d.handles[int(b)%len(d.handles)]
}

var doorLayers = []string{
	`{"class_name": "Dense", "config": {"units": 3, "activation": "relu", "input_dim": 4}}`,
	`{"class_name": "Dense", "config": {"units": 2, "activation": "softmax"}}`,
	`{"class_name": "Dropout", "config": {"rate": 0.5}}`,
	`{"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid", "input_shape": [2, 3]}}`,
	`{"class_name": "Flatten", "config": {}}`,
	`{"class_name": "BatchNormalization", "config": {}}`,
}

var doorCompiles = []string{
	`{"optimizer": "adam", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}`,
	`{"optimizer": "sgd", "loss": "mse"}`,
	`{"optimizer": {"class_name": "RMSprop", "config": {"learning_rate": 0.01}}, "loss": "binary_crossentropy", "metrics": ["mae"]}`,
}

// doorOptions are the option templates of fit (3), evaluate (4), predict
// (5), train_on_batch (6) and test_on_batch (7).
var doorOptions = map[byte][]string{
	3: {`{"epochs": 2, "batch_size": 2, "verbose": 0}`, `{"verbose": 0, "validation_split": 0.5, "shuffle": false}`, `{}`},
	4: {`{"batch_size": 2, "verbose": 0}`, `{"return_dict": true, "verbose": 0}`, `{}`},
	5: {`{"batch_size": 1, "verbose": 0}`, `{"verbose": 0}`, `{}`},
	6: {`{}`, `{"reset_metrics": false}`},
	7: {`{}`, `{"reset_metrics": false}`},
}

// tensorFrom makes a small tensor from two bytes: its rank (1 to 3), its
// dims (0 to 4, or the model's input shape when fit is set) and values.
func (d *doorRun) tensorFrom(a, b byte, fit []int, inf bool) *tensor.Tensor {
	shape := []int{int(b%5) + 0}
	if fit != nil && a&0x40 == 0 {
		shape = append(shape, fit...)
	} else {
		for i := 0; i < int(a%3); i++ {
			shape = append(shape, int(a>>(2+i))%5)
		}
	}
	x := tensor.New(shape...)
	rng := tensor.NewRNG(uint64(a)<<8 | uint64(b))
	rng.Uniform(x.Data, 0, 1)
	if inf && len(x.Data) > 0 {
		x.Data[0] = float32(math.Inf(1)) // as JS can send
	}
	return x
}

// shapes returns the model's input and output shapes without the batch, a None
// dimension read as 2 (nil if unbuilt).
func (d *doorRun) shapes(h int) (in, out []int) {
	s, err := d.rt.Info(h)
	if err != nil {
		return nil, nil
	}
	var info struct {
		InputShape  []*int `json:"input_shape"`
		OutputShape []*int `json:"output_shape"`
	}
	if json.Unmarshal([]byte(s), &info) != nil || len(info.InputShape) == 0 {
		return nil, nil
	}
	dims := func(s []*int) []int {
		if len(s) == 0 {
			return nil
		}
		out := []int{}
		for _, p := range s[1:] {
			if p == nil {
				out = append(out, 2)
			} else {
				out = append(out, *p)
			}
		}
		return out
	}
	return dims(info.InputShape), dims(info.OutputShape)
}

// probe is what a model does now: its weights and its predictions on fixed
// data of its input shape (nil if it cannot predict).
type probe struct {
	weights []*tensor.Tensor
	pred    *tensor.Tensor
}

func (d *doorRun) probe(h int) probe {
	var p probe
	ws, err := d.rt.GetWeights(h, -1)
	if err != nil {
		return p
	}
	p.weights = ws
	in, _ := d.shapes(h)
	if in == nil {
		return p
	}
	x := tensor.New(append([]int{2}, in...)...)
	for i := range x.Data {
		x.Data[i] = float32(i%7) / 7
	}
	p.pred, _ = d.rt.Predict(h, x, `{"verbose": 0}`, Extras{})
	return p
}

// same fails the run if the model under h no longer does what before did.
func (d *doorRun) same(op string, h int, before probe) {
	d.t.Helper()
	if len(before.weights) == 0 {
		return // unbuilt: a failed fit may have built it from its data, as Keras's does
	}
	after := d.probe(h)
	if len(after.weights) != len(before.weights) {
		d.t.Fatalf("after a failed %s the model has %d weights, before %d", op, len(after.weights), len(before.weights))
	}
	for i := range before.weights {
		if !equalTensors(before.weights[i], after.weights[i]) {
			d.t.Fatalf("after a failed %s weight %d changed", op, i)
		}
	}
	if (before.pred == nil) != (after.pred == nil) || before.pred != nil && !equalTensors(before.pred, after.pred) {
		d.t.Fatalf("after a failed %s the model predicts differently", op)
	}
}

// equalTensors is bitwise equality (NaN equal to NaN).
func equalTensors(a, b *tensor.Tensor) bool {
	if !a.Shape.Equal(b.Shape) || len(a.Data) != len(b.Data) {
		return false
	}
	for i := range a.Data {
		if a.Data[i] != b.Data[i] && (a.Data[i] == a.Data[i] || b.Data[i] == b.Data[i]) {
			return false
		}
	}
	return true
}

// doorClasses are the JS error names a door error may have.
var doorClasses = map[string]bool{nn.ValueError: true, nn.TypeError: true, nn.NotImplementedError: true,
	nn.ResourceExhaustedError: true, "RecursionError": true, "IndexError": true, "RuntimeError": true}

// check fails the run if err, from the JS method op, is not fit for JS.
func (d *doorRun) check(op string, err error) {
	d.t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	d.t.Logf("%s: %s", op, msg)
	if name := errorName(err); !doorClasses[name] {
		d.t.Fatalf("%s: error class %q (an internal error?): %s", op, name, msg)
	}
	if !strings.HasPrefix(msg, op+": ") {
		d.t.Fatalf("%s: message lacks the prefix: %q", op, msg)
	}
	if strings.HasPrefix(strings.TrimPrefix(msg, op+": "), op+": ") {
		d.t.Fatalf("%s: prefix twice: %q", op, msg)
	}
	if goSyntax.MatchString(msg) {
		d.t.Fatalf("%s: Go syntax %q in %q", op, goSyntax.FindString(msg), msg)
	}
}

// call runs one door call on h, checks its error, and after a failure
// checks that the model is as before (unless it may change on failure).
func (d *doorRun) call(op string, h int, run func() error) {
	d.t.Helper()
	before := d.probe(h)
	err := run()
	if err == nil {
		d.t.Logf("%s on %d: ok", op, h)
	}
	d.check(op, err)
	if err != nil && !d.gone[h] {
		d.same(op, h, before)
	}
}

// step runs the next call of the program.
func (d *doorRun) step() {
	if d.gone == nil {
		d.gone = map[int]bool{}
	}
	c, a := d.byte(), d.byte()
	switch c % 13 {
	case 0:
		h, err := d.rt.NewModel(d.text(a, []string{`{"name": null}`, `{}`, `{"name": "m"}`}))
		d.check("Sequential", err)
		if err == nil {
			d.handles = append(d.handles, h)
		}
	case 1:
		h := d.handle(d.byte())
		d.call("add", h, func() error { return d.rt.Add(h, d.text(a, doorLayers)) })
	case 2:
		h := d.handle(d.byte())
		d.call("compile", h, func() error { return d.rt.Compile(h, d.text(a, doorCompiles), nil) })
	case 3, 4, 6, 7:
		h := d.handle(d.byte())
		in, out := d.shapes(h)
		b1, b2 := d.byte(), d.byte()
		x := d.tensorFrom(b1, b2, in, b1&0x20 != 0)
		y := d.tensorFrom(b1, b2, out, b1&0x10 != 0)
		opts := d.text(a, doorOptions[c%13])
		switch c % 13 {
		case 3:
			d.call("fit", h, func() error {
				run, err := d.rt.PrepareFit(h, x, y, opts, Extras{})
				if err != nil {
					return err
				}
				_, err = run()
				return err
			})
		case 4:
			d.call("evaluate", h, func() error { _, err := d.rt.Evaluate(h, x, y, opts, Extras{}); return err })
		case 6:
			d.call("train_on_batch", h, func() error { _, err := d.rt.TrainOnBatch(h, x, y, opts, Extras{}); return err })
		case 7:
			d.call("test_on_batch", h, func() error { _, err := d.rt.TestOnBatch(h, x, y, opts, Extras{}); return err })
		}
	case 5:
		h := d.handle(d.byte())
		in, _ := d.shapes(h)
		b1, b2 := d.byte(), d.byte()
		x := d.tensorFrom(b1, b2, in, b1&0x20 != 0)
		d.call("predict", h, func() error { _, err := d.rt.Predict(h, x, d.text(a, doorOptions[5]), Extras{}); return err })
	case 8:
		h := d.handle(a)
		err := d.rt.Dispose(h)
		d.check("dispose", err)
		if err == nil {
			d.gone[h] = true
		}
	case 9:
		src := d.text(a, []string{""})
		if a&0x80 == 0 {
			var err error
			if src, err = d.rt.ToJSON(d.handle(d.byte())); err != nil {
				d.check("to_json", err)
				return
			}
		}
		h, err := d.rt.FromConfig(src)
		d.check("model_from_json", err)
		if err == nil {
			d.handles = append(d.handles, h)
		}
	case 10:
		h := d.handle(a)
		ws, err := d.rt.GetWeights(h, int(int8(d.byte()))%4)
		d.check("get_weights", err)
		if err == nil && len(ws) > 0 && d.byte()&1 != 0 {
			ws[0] = d.tensorFrom(d.byte(), d.byte(), nil, false)
		}
		d.call("set_weights", h, func() error { return d.rt.SetWeights(h, -1, ws) })
	case 11:
		h := d.handle(a)
		d.call("pop", h, func() error { return d.rt.Pop(h) })
	case 12:
		h := d.handle(a)
		_, err := d.rt.Summary(h)
		d.check("summary", err)
		_, err = d.rt.CountParams(h)
		d.check("count_params", err)
		d.call("build", h, func() error { return d.rt.Build(h, d.text(d.byte(), []string{`{"input_shape": [null, 4]}`, `{}`})) })
	}
}

// checkHandles: every handle made names its model, or says it was disposed.
func (d *doorRun) checkHandles() {
	for _, h := range d.handles {
		_, err := d.rt.Info(h)
		switch {
		case d.gone[h] && (err == nil || !strings.Contains(err.Error(), "disposed")):
			d.t.Fatalf("handle %d was disposed but Info says %v", h, err)
		case !d.gone[h] && err != nil:
			d.t.Fatalf("handle %d no longer names its model: %v", h, err)
		}
	}
}
