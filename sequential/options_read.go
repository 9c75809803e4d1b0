package sequential

import (
	"strconv"

	"github.com/keraswasm/keraswasm/nn"
)

// The readers of the keyword arguments that several calls share (verbose,
// batch_size, sample_weight ...), so that fit, evaluate, predict and the
// on-batch calls read each one by the same rule.

// readVerbose reads verbose: 0, 1, 2 or "auto", which is 1 (tf.keras's
// "auto" is 1 except under a ParameterServerStrategy); def is the value
// when it is absent.
func readVerbose(a *nn.Args, def int) int {
	v, ok := a.Value("verbose")
	if !ok {
		return def
	}
	if s, isStr := v.(string); isStr {
		if s != "auto" {
			a.Fail("verbose", s, `0, 1, 2 or "auto"`)
		}
		return 1
	}
	n := a.Int("verbose", def)
	if n < 0 || n > 2 {
		a.Fail("verbose", n, `0 (silent), 1 (progress bar), 2 (one line) or "auto"`)
		return def
	}
	return n
}

// readBatchSize reads batch_size: a positive integer, or null for 32 (0).
func readBatchSize(a *nn.Args) int {
	if !a.Has("batch_size") {
		return 0
	}
	bs := a.Int("batch_size", 0)
	if bs < 1 {
		a.Fail("batch_size", bs, "a positive integer (or null for 32)")
	}
	return bs
}

// readSteps reads steps: a positive integer, or null (0) for all the data.
func readSteps(a *nn.Args) int {
	n := a.Int("steps", 0)
	if n < 0 {
		a.Fail("steps", n, "a positive integer, or null for all the data")
		return 0
	}
	return n
}

// readShuffle reads shuffle: true or false; Keras's "batch" (for HDF5
// data) is not implemented.
func readShuffle(a *nn.Args) bool {
	v, ok := a.Value("shuffle")
	if !ok {
		return true
	}
	if s, isStr := v.(string); isStr {
		a.Fail("shuffle", s, `true or false (shuffle="batch" is not implemented here)`)
		return true
	}
	return a.Bool("shuffle", true)
}

// readClassWeight reads class_weight: a dict from class index (a JSON key
// is a string, "0") to weight.
func readClassWeight(a *nn.Args) map[int]float64 {
	v, ok := a.Value("class_weight")
	if !ok {
		return nil
	}
	want := `a dict from class index to weight, such as {"0": 1, "1": 5}`
	out := map[int]float64{}
	switch d := v.(type) {
	case map[string]any:
		for k, w := range d {
			c, err := strconv.Atoi(k)
			f, okF := nn.Number(w)
			if err != nil || !okF {
				a.Fail("class_weight", v, want)
				return nil
			}
			out[c] = f
		}
	case map[int]float64:
		for k, w := range d {
			out[k] = w
		}
	default:
		a.Fail("class_weight", v, want)
		return nil
	}
	return out
}

// readSampleWeight reads sample_weight: a list of numbers, one per sample.
func readSampleWeight(a *nn.Args) []float32 {
	v, ok := a.Value("sample_weight")
	if !ok {
		return nil
	}
	return readFloats(a, "sample_weight", v)
}

// readFloats reads a list of numbers.
func readFloats(a *nn.Args, key string, v any) []float32 {
	switch x := v.(type) {
	case []float32:
		return x
	case []float64:
		out := make([]float32, len(x))
		for i, f := range x {
			out[i] = float32(f)
		}
		return out
	case []any:
		out := make([]float32, len(x))
		for i, e := range x {
			f, ok := nn.Number(e)
			if !ok {
				a.Fail(key, v, "a list of numbers, one per sample")
				return nil
			}
			out[i] = float32(f)
		}
		return out
	}
	a.Fail(key, v, "a list of numbers, one per sample")
	return nil
}

// readReturnDict reads return_dict, which the JS package handles (it names
// the list the core returns); here only false means something.
func readReturnDict(a *nn.Args) {
	if v, ok := a.Value("return_dict"); ok && v != false {
		a.Fail("return_dict", v, "false: the list [loss, metrics...] comes back, and MetricsNames names it")
	}
}

// besideOptions reads keys the call takes that JSON cannot carry (callbacks
// are objects, validation_data tensors): the caller passes them beside the
// options, in the options struct's fields.
func besideOptions(a *nn.Args, keys ...string) {
	for _, k := range keys {
		if v, ok := a.Value(k); ok {
			a.Fail(k, v, k+" beside the JSON options (they carry no objects or tensors), in the options struct")
		}
	}
}

// refuseData refuses the data keys (x, y): they are the call's positional
// arguments, never among its options, and not listed as options it takes.
func refuseData(a *nn.Args, keys ...string) {
	for _, k := range keys {
		a.Refuse(k)
		if v, ok := a.Value(k); ok {
			a.Fail(k, v, "no "+k+" among the options: pass it as a positional argument, before them")
		}
	}
}

// refuseGeneratorArgs refuses Keras's arguments for Python generators, which
// mean nothing in JavaScript; they are not listed as arguments the call takes.
func refuseGeneratorArgs(a *nn.Args) {
	for _, k := range []string{"max_queue_size", "workers", "use_multiprocessing"} {
		a.Refuse(k)
		if v, ok := a.Value(k); ok {
			a.Fail(k, v, "nothing: "+k+" serves Python generators and is not supported here")
		}
	}
}
