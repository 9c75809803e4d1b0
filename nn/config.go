package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Config is a Keras object config: the class name and its arguments with
// Keras's snake_case keys, as in
// {"class_name": "Dense", "config": {"units": 32, "activation": "relu"}}.
// It is the one way layers, optimizers, losses, metrics, initializers,
// regularizers and constraints are made (see the registry).
type Config struct {
	ClassName string         `json:"class_name"`
	Config    map[string]any `json:"config"`
}

// MarshalJSON writes an empty config as {} rather than null.
func (c Config) MarshalJSON() ([]byte, error) {
	m := c.Config
	if m == nil {
		m = map[string]any{}
	}
	return json.Marshal(struct {
		ClassName string         `json:"class_name"`
		Config    map[string]any `json:"config"`
	}{c.ClassName, m})
}

// ArgError says that one argument of a Keras object was wrong. Its message
// names the object, the argument and the value received, and says what is
// expected, in Keras's words.
type ArgError struct {
	Owner string // the class, e.g. "Dense"
	Key   string // the argument, e.g. "units"
	Value any    // what was received
	Want  string // what is expected, e.g. "a positive integer"
	// Class is the Keras error class (ValueError when empty); Unsupported
	// sets NotImplementedError.
	Class string
}

// KerasClass reports the Keras class of the error (ValueError by default).
func (e *ArgError) KerasClass() string {
	if e.Class == "" {
		return ValueError
	}
	return e.Class
}

func (e *ArgError) Error() string {
	return fmt.Sprintf("%s: invalid argument %s: expected %s. Received: %s=%s",
		e.Owner, e.Key, e.Want, e.Key, formatValue(e.Value))
}

// UnknownNameError says that a name (a class, a loss, an activation ...) is
// not known. It lists the valid names of the user's spelling family: the
// function names ("mse", "glorot_uniform") for a name without capitals, the
// class names ("MeanSquaredError") for one with capitals, and first the
// nearest of them, when one is close.
type UnknownNameError struct {
	Kind       string   // "layer", "optimizer", "loss", ...
	Name       string   // what the user wrote
	Family     string   // what Valid lists: "loss functions", "loss classes", "layers", ...
	Suggestion string   // the nearest valid name, or ""
	Valid      []string // the valid names of the family, sorted
}

// KerasClass reports ValueError, what Keras raises for an unknown identifier.
func (e *UnknownNameError) KerasClass() string { return ValueError }

func (e *UnknownNameError) Error() string {
	s := fmt.Sprintf("unknown %s %q", e.Kind, e.Name)
	if e.Suggestion != "" {
		s += fmt.Sprintf(": did you mean %q?", e.Suggestion)
	} else {
		s += "."
	}
	return s + fmt.Sprintf(" Valid %s: %s", e.Family, strings.Join(e.Valid, ", "))
}

func formatValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case nil:
		return "None"
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}

// Args reads the arguments of one Keras object from its config map, with
// Keras's defaults, and collects what was wrong. Every key read is
// remembered, so Err can reject the keys nobody asked for: an argument is
// never accepted and silently ignored.
//
// Numbers may arrive as float64 (decoded JSON) or as Go ints and floats.
type Args struct {
	owner   string
	m       map[string]any
	asked   map[string]bool
	refused map[string]bool // asked only to be refused: not listed among what the object takes
	errs    []error
}

// NewArgs starts reading config m of the object named owner (e.g. "Dense").
func NewArgs(owner string, m map[string]any) *Args {
	return &Args{owner: owner, m: m, asked: map[string]bool{}, refused: map[string]bool{}}
}

// Owner returns the class name the arguments belong to.
func (a *Args) Owner() string { return a.owner }

// Value returns the raw value of key and whether it is present and not null.
func (a *Args) Value(key string) (any, bool) {
	a.asked[key] = true
	v, ok := a.m[key]
	if !ok || v == nil {
		return nil, false
	}
	return v, true
}

// Has reports whether key is present and not null.
func (a *Args) Has(key string) bool {
	_, ok := a.Value(key)
	return ok
}

// Alias lets a Keras 2 (or TF.js) spelling stand for the Keras 3 key: if old
// is given and key is not, old's value is read as key. Giving both is an error.
func (a *Args) Alias(key, old string) {
	a.asked[old] = true
	v, ok := a.m[old]
	if !ok {
		return
	}
	if _, both := a.m[key]; both {
		a.Fail(old, v, fmt.Sprintf("either %s or %s, not both", key, old))
		return
	}
	if a.m == nil {
		a.m = map[string]any{}
	}
	m := make(map[string]any, len(a.m))
	for k, x := range a.m {
		m[k] = x
	}
	m[key] = v
	delete(m, old)
	a.m = m
}

// Ignore accepts keys that Keras writes into configs but that change nothing
// here (say "dtype": "float32"); use it only where that is really so.
func (a *Args) Ignore(keys ...string) {
	for _, k := range keys {
		a.asked[k] = true
	}
}

// Fail records that key's value v is wrong; want says what is expected.
// Only a key's first failure is recorded: a reader that checks the value
// further gets the default back after a failed read, and that default's
// error ("batch_size=0" after "batch_size=1e+300") would be noise.
func (a *Args) Fail(key string, v any, want string) {
	for _, e := range a.errs {
		if ae, ok := e.(*ArgError); ok && ae.Key == key {
			return
		}
	}
	a.errs = append(a.errs, &ArgError{Owner: a.owner, Key: key, Value: v, Want: want})
}

// Unimplemented records that key's value v asks for a Keras feature that
// keraswasm does not build (a NotImplementedError); want says what works. Unlike
// Unsupported, key is one the object takes (its default, at least, works).
func (a *Args) Unimplemented(key string, v any, want string) {
	a.errs = append(a.errs, &ArgError{Owner: a.owner, Key: key, Value: v, Want: want, Class: NotImplementedError})
}

// Unsupported refuses key, a Keras argument keraswasm does not implement
// (or implements only with its default): if key is present and not null the
// error is a NotImplementedError whose expectation is want. An unsupported
// key is not listed among the arguments the object takes.
func (a *Args) Unsupported(key, want string) {
	a.refused[key] = true
	if v, ok := a.Value(key); ok {
		a.errs = append(a.errs, &ArgError{Owner: a.owner, Key: key, Value: v, Want: want, Class: NotImplementedError})
	}
}

// Refuse marks key as one the object does not take (a Python-only argument,
// or data that JSON options cannot carry): it is read so that Err does not
// call it unknown, but it is not listed among the arguments the object
// takes. The caller reports the key's error itself (with Fail).
func (a *Args) Refuse(key string) { a.refused[key] = true }

// Float returns key as a number, or def when absent.
func (a *Args) Float(key string, def float64) float64 {
	v, ok := a.Value(key)
	if !ok {
		return def
	}
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) {
		a.Fail(key, v, "a number")
		return def
	}
	return f
}

// Int returns key as an integer, or def when absent.
func (a *Args) Int(key string, def int) int {
	v, ok := a.Value(key)
	if !ok {
		return def
	}
	n, ok := toInt(v)
	if !ok {
		a.Fail(key, v, "an integer")
		return def
	}
	return n
}

// Bool returns key as a boolean, or def when absent.
func (a *Args) Bool(key string, def bool) bool {
	v, ok := a.Value(key)
	if !ok {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		a.Fail(key, v, "true or false")
		return def
	}
	return b
}

// String returns key as a string, or def when absent.
func (a *Args) String(key string, def string) string {
	v, ok := a.Value(key)
	if !ok {
		return def
	}
	s, ok := v.(string)
	if !ok {
		a.Fail(key, v, "a string")
		return def
	}
	return s
}

// Choice returns key as one of the strings in valid, or def when absent.
func (a *Args) Choice(key string, def string, valid ...string) string {
	s := a.String(key, def)
	for _, v := range valid {
		if s == v {
			return s
		}
	}
	a.Fail(key, s, "one of "+quoteAll(valid))
	return def
}

// Ints returns key as n integers: Keras lets a single integer stand for the
// same value in every position (kernel_size=3 is (3, 3)). def is used when
// the key is absent.
func (a *Args) Ints(key string, n int, def []int) []int {
	v, ok := a.Value(key)
	if !ok {
		return def
	}
	if x, ok := toInt(v); ok {
		out := make([]int, n)
		for i := range out {
			out[i] = x
		}
		return out
	}
	list, ok := toList(v)
	if !ok || len(list) != n {
		a.Fail(key, v, fmt.Sprintf("an integer or a list of %d integers", n))
		return def
	}
	out := make([]int, n)
	for i, e := range list {
		x, ok := toInt(e)
		if !ok {
			a.Fail(key, v, fmt.Sprintf("an integer or a list of %d integers", n))
			return def
		}
		out[i] = x
	}
	return out
}

// Shape returns key as a list of dimensions in which null (None) stands for an
// unknown dimension, returned as -1; ok is false when the key is absent.
func (a *Args) Shape(key string) (dims []int, ok bool) {
	v, present := a.Value(key)
	if !present {
		return nil, false
	}
	if n, isInt := toInt(v); isInt {
		return []int{n}, true
	}
	list, isList := toList(v)
	if !isList {
		a.Fail(key, v, "a list of dimensions such as [28, 28, 1]")
		return nil, false
	}
	dims = make([]int, len(list))
	for i, e := range list {
		if e == nil {
			dims[i] = -1
			continue
		}
		n, isInt := toInt(e)
		if !isInt || n < 1 {
			a.Fail(key, v, "a list of positive integers (or null for an unknown dimension)")
			return nil, false
		}
		dims[i] = n
	}
	return dims, true
}

// Err returns the collected errors, and one for every key that no reader asked
// for, listing the arguments the object takes. It returns nil if all is well.
func (a *Args) Err() error {
	var unknown []string
	for k := range a.m {
		if !a.asked[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	errs := a.errs
	if len(unknown) > 0 {
		valid := make([]string, 0, len(a.asked))
		for k := range a.asked {
			if !a.refused[k] {
				valid = append(valid, k)
			}
		}
		sort.Strings(valid)
		errs = append(errs, fmt.Errorf("%s: unknown argument %s%s; %s takes: %s",
			a.owner, quoteAll(unknown), didYouMean(unknown, valid), a.owner, strings.Join(valid, ", ")))
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return joinErrors(errs)
}

// didYouMean suggests the nearest taken key for a single unknown one:
// ` (did you mean "epochs"?)`, or "".
func didYouMean(unknown, valid []string) string {
	if len(unknown) != 1 {
		return ""
	}
	if n := Nearest(unknown[0], valid); n != "" {
		return fmt.Sprintf(" (did you mean %q?)", n)
	}
	return ""
}

type multiError []error

func (m multiError) Error() string {
	s := make([]string, len(m))
	for i, e := range m {
		s[i] = e.Error()
	}
	return strings.Join(s, "; ")
}

func (m multiError) Unwrap() []error { return m }

func joinErrors(errs []error) error { return multiError(errs) }

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// Number reads v as a number in any of the forms a config value arrives in:
// float64 from decoded JSON, Go ints and floats, or json.Number. Readers
// outside nn (the fit options, say) use it so every door accepts the same forms.
func Number(v any) (float64, bool) { return toFloat(v) }

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func toInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case int64:
		return int(x), true
	case int32:
		return int(x), true
	}
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int(f), true
}

func toList(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case []int:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out, true
	case []float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out, true
	case [][]int: // nested amounts, ZeroPadding2D's ((top, bottom), (left, right))
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out, true
	}
	return nil, false
}
