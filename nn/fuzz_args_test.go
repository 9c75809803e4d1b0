package nn

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// fzRetype gives v another Go form, picked by kind: the forms a Go caller
// or the JavaScript bridge may pass where decoded JSON has float64 and
// []any (ints, int64, float32, json.Number, ±Inf, NaN, typed slices, nil).
// Nested lists and maps are retyped element by element from kinds.
func fzRetype(v any, kinds []byte) any {
	if len(kinds) == 0 {
		return v
	}
	kind, rest := kinds[0], kinds[1:]
	f, isNum := v.(float64)
	switch kind % 13 {
	case 1:
		if isNum && math.Abs(f) < 1<<62 {
			return int(f)
		}
	case 2:
		if isNum && math.Abs(f) < 1<<62 {
			return int64(f)
		}
	case 3:
		if isNum {
			return float32(f)
		}
	case 4:
		if isNum {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
		if s, ok := v.(string); ok {
			return json.Number(s)
		}
	case 5:
		return math.Inf(1)
	case 6:
		return math.NaN()
	case 7:
		return math.Inf(-1)
	case 8, 9:
		if list, ok := v.([]any); ok {
			return fzTypedList(list, kind%13 == 8)
		}
	case 10:
		return nil
	case 11:
		return []any{math.NaN(), math.Inf(1), nil}
	}
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fzRetype(e, rest[min(i, len(rest)):])
		}
		return out
	case map[string]any:
		return fzRetypeMap(x, rest)
	}
	return v
}

// fzTypedList returns list as []int or []float64 when its entries are
// numbers (truncated for []int), else list itself.
func fzTypedList(list []any, asInt bool) any {
	ints, floats := make([]int, len(list)), make([]float64, len(list))
	for i, e := range list {
		f, ok := e.(float64)
		if !ok || math.Abs(f) >= 1<<62 {
			return list
		}
		ints[i], floats[i] = int(f), f
	}
	if asInt {
		return ints
	}
	return floats
}

// fzRetypeMap retypes m's values in key order, one kind byte each.
func fzRetypeMap(m map[string]any, kinds []byte) map[string]any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]any, len(m))
	for i, k := range keys {
		out[k] = fzRetype(m[k], kinds[min(i, len(kinds)):])
	}
	return out
}

// fzReadAll asks every reader of Args (and the shared readers of layers)
// for key, then collects the error.
func fzReadAll(t *testing.T, m map[string]any, key string) {
	a := NewArgs("Fuzz", m)
	a.Value(key)
	a.Has(key)
	a.Float(key, 1)
	a.Int(key, 1)
	a.Bool(key, true)
	a.String(key, "x")
	a.Choice(key, "valid", "valid", "same")
	for n := range 4 {
		a.Ints(key, n, []int{1, 1, 1}[:n])
	}
	a.Shape(key)
	readAxes(a, key, -1)
	readPair(a, key, [2]int{1, 1})
	a.Alias(key, "other")
	a.Alias("other", key)
	ParseBase(a, "Fuzz")
	readWeightSpec(a, "kernel", "glorot_uniform")
	readLayerActivation(a)
	readPadding(a)
	readDataFormat(a)
	readSeed(a)
	rejectLoRA(a)
	if err := a.Err(); err != nil {
		fzErr(t, err)
	}
}

// fzAllCtors gives m as the config of every registered class of every
// kind and exercises what is made.
func fzAllCtors(t *testing.T, m map[string]any, in tensor.Shape, pick []byte) {
	for _, name := range layers.classNames() {
		if l, err := NewLayer(Config{ClassName: name, Config: m}); err != nil {
			fzErr(t, err)
		} else {
			fzExerciseLayer(t, l, in, 2, 1)
		}
	}
	for _, name := range activations.classNames() {
		fzGetters(t, Config{ClassName: name, Config: m}, pick)
	}
	for _, r := range []interface{ classNames() []string }{initializers, regularizers, constraints, losses, optimizers} {
		for _, name := range r.classNames() {
			fzGetters(t, Config{ClassName: name, Config: m}, pick)
		}
	}
}

var fzArgsShapes = []tensor.Shape{{4}, {3, 4}, {5, 5, 2}, {2, 6, 6}, {-1, 3}, {}}

// FuzzArgs: any argument map, its values in any Go form a caller can pass,
// read by every Args reader and given to every constructor of every
// registry, gives errors or objects, never a panic.
func FuzzArgs(f *testing.F) {
	seeds := []string{
		`{"units": 3, "activation": "relu", "use_bias": false, "input_shape": [4]}`,
		`{"filters": 2, "kernel_size": [3, 3], "strides": 1, "padding": "same", "data_format": "channels_first", "dilation_rate": [1, 1]}`,
		`{"pool_size": 2, "strides": null, "padding": "valid"}`,
		`{"rate": 0.5, "noise_shape": [null, 1], "seed": 7}`,
		`{"axis": [-1, 1], "max_value": 2, "min_value": 0, "rate": 1}`,
		`{"learning_rate": 0.1, "lr": 0.1, "momentum": 0.9, "clipnorm": 1, "decay": 0.01}`,
		`{"from_logits": true, "label_smoothing": 0.1, "reduction": "auto", "name": "x"}`,
		`{"l1": 0.01, "l2": 0.02, "l": 0.1}`,
		`{"gain": 1, "seed": 1, "mean": 0, "stddev": 1, "minval": -1, "maxval": 1, "scale": 2, "mode": "fan_in", "distribution": "normal"}`,
		`{"batch_input_shape": [null, 28, 28, 1], "input_dim": 4, "input_length": 2, "batch_size": 8, "dtype": "float32"}`,
		`{"kernel_initializer": {"class_name": "Orthogonal", "config": {"seed": 1}}, "kernel_regularizer": {"class_name": "L2", "config": {}}, "kernel_constraint": "max_norm", "units": 1}`,
		`{"activity_regularizer": "l1", "trainable": false, "name": "d"}`,
		`{"negative_slope": 0.3, "alpha": 0.3, "threshold": 0, "delta": 1}`,
		`{}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
		f.Add([]byte(s), []byte{})
	}
	f.Fuzz(func(t *testing.T, data, kinds []byte) {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return
		}
		m, ok := v.(map[string]any)
		if !ok {
			m = map[string]any{"value": v}
		}
		m = fzRetypeMap(m, kinds)
		for k := range m {
			fzReadAll(t, m, k)
		}
		fzReadAll(t, m, "missing")
		fzReadAll(t, nil, "missing")
		in := fzArgsShapes[len(data)%len(fzArgsShapes)]
		fzAllCtors(t, m, in, kinds)
	})
}
