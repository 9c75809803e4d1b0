package nn

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Entry is one name of the catalog: a Keras class (or, for activations and
// metric functions, a Keras function) with every other name that makes it
// and its Keras positional signature. The JS namespace is built from the
// entries alone, so what an entry lists is exactly what JS offers.
type Entry struct {
	// Name is the Keras class name ("Dense", "GlorotUniform") or, for a
	// function entry, the function name ("relu", "binary_accuracy").
	Name string `json:"name"`
	// Function is set when Name is a function, not a class.
	Function bool `json:"function,omitempty"`
	// Args are the Keras positional arguments in order (Keras 2 / tf.keras):
	// Dense(units, activation, ...); a function's are its call arguments
	// (x, or y_true and y_pred).
	Args []string `json:"args"`
	// Aliases are other class-style names of the class (Keras 2's
	// Convolution2D, MaxPool2D).
	Aliases []string `json:"aliases,omitempty"`
	// Functions are the function-style names that make the same thing
	// (mse and mean_squared_error for MeanSquaredError; glorot_uniform).
	Functions []string `json:"functions,omitempty"`
	// Host marks a class the host implements, not Go (a JS callback that
	// wraps JS functions): Go lists it so that JS offers it.
	Host bool `json:"host,omitempty"`
}

// names returns every spelling of e: its name and all aliases.
func (e *Entry) names() []string {
	return append(append([]string{e.Name}, e.Aliases...), e.Functions...)
}

// registry maps Keras class names (and their snake_case and legacy aliases)
// to constructors that read a config map. There is one registry per kind of
// object (layers, optimizers, losses, ...); each implementation file adds its
// classes in an init function, with their positional signature.
//
// Names are matched without regard to case or underscores, as Keras's
// get() accepts both "glorot_uniform" and "GlorotUniform".
type registry[T any] struct {
	kind    string // "layer", "loss", ...
	plural  string // "layers", "losses"
	entries []*Entry
	ctors   map[string]func(map[string]any) (T, error)
	names   map[string]string // normalized name → canonical name
	// snake: every class also gets its SnakeCase name as a function-style
	// alias (initializers, regularizers and constraints, as in Keras).
	snake bool
	// missing maps the normalized names of Keras classes keraswasm does
	// not implement to their spelling, and hints says what to do instead.
	missing map[string]string
	hints   map[string]string
}

func newRegistry[T any](kind, plural string) *registry[T] {
	return &registry[T]{kind: kind, plural: plural, ctors: map[string]func(map[string]any) (T, error){},
		names: map[string]string{}, missing: map[string]string{}, hints: map[string]string{}}
}

func normalizeName(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// add registers name, whose Keras positional arguments are args, with its
// constructor; aliases are other names that make the same thing (Keras's
// snake_case function names, "mse", Keras 2's "Convolution2D"): those
// without capitals are function-style, the others class-style. A name
// without capitals is itself a function (an activation). It panics on a
// duplicate, which is a programming error.
func (r *registry[T]) add(name string, args []string, ctor func(map[string]any) (T, error), aliases ...string) {
	if _, dup := r.ctors[name]; dup {
		panic("nn: " + r.kind + " " + name + " registered twice")
	}
	e := &Entry{Name: name, Function: functionStyle(name), Args: append([]string{}, args...)}
	if r.snake && !e.Function {
		aliases = append([]string{SnakeCase(name)}, aliases...)
	}
	for _, a := range aliases {
		if functionStyle(a) {
			e.Functions = appendNew(e.Functions, a)
		} else {
			e.Aliases = appendNew(e.Aliases, a)
		}
	}
	r.ctors[name] = ctor
	r.entries = append(r.entries, e)
	for _, n := range e.names() {
		key := normalizeName(n)
		if prev, dup := r.names[key]; dup && prev != name {
			panic("nn: " + r.kind + " name " + n + " means both " + prev + " and " + name)
		}
		if _, dup := r.missing[key]; dup {
			panic("nn: " + r.kind + " " + n + " is both registered and listed as not implemented")
		}
		r.names[key] = name
	}
}

// notImplemented lists Keras classes (and their other spellings) that
// keraswasm does not build: making one is a NotImplementedError, not an
// unknown name. hint says what to use instead (may be empty).
func (r *registry[T]) notImplemented(hint string, names ...string) {
	for _, n := range names {
		spellings := []string{n}
		if r.snake && !functionStyle(n) {
			spellings = append(spellings, SnakeCase(n))
		}
		for _, s := range spellings {
			key := normalizeName(s)
			if _, dup := r.names[key]; dup {
				panic("nn: " + r.kind + " " + s + " is both registered and listed as not implemented")
			}
			r.missing[key] = s
			r.hints[key] = hint
		}
	}
}

func appendNew(s []string, v string) []string {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// lookup returns the canonical name for name: a NotImplemented error for a
// Keras class keraswasm does not build, an UnknownNameError otherwise.
func (r *registry[T]) lookup(name string) (string, error) {
	key := normalizeName(name)
	if c, ok := r.names[key]; ok {
		return c, nil
	}
	if m, ok := r.missing[key]; ok {
		return "", r.notImplementedError(m, r.hints[key])
	}
	return "", r.unknown(name)
}

func (r *registry[T]) notImplementedError(name, hint string) error {
	have := fmt.Sprintf("the %s keraswasm has are: %s", r.plural, strings.Join(familyNames(r.catalog(), functionStyle(name)), ", "))
	if hint != "" {
		have = hint + "; " + have
	}
	return &NotImplemented{What: fmt.Sprintf("the %s %s", r.kind, name), Hint: have}
}

// unknown is the error for a name that is neither registered nor a known
// Keras class.
func (r *registry[T]) unknown(name string, more ...Entry) error {
	return NewUnknownNameError(r.kind, r.plural, name, append(r.catalog(), more...))
}

// fromConfig makes the object a config describes.
func (r *registry[T]) fromConfig(c Config) (T, error) {
	var zero T
	name, err := r.lookup(c.ClassName)
	if err != nil {
		return zero, err
	}
	return r.ctors[name](c.Config)
}

// get makes an object from any of the forms Keras's get() accepts: the
// object itself, a name ("relu"), a Config, or a decoded JSON dict
// {"class_name": ..., "config": {...}}.
func (r *registry[T]) get(v any) (T, error) {
	var zero T
	switch x := v.(type) {
	case T:
		return x, nil
	case string:
		return r.fromConfig(Config{ClassName: x})
	case Config:
		return r.fromConfig(x)
	case *Config:
		return r.fromConfig(*x)
	case map[string]any:
		c, err := configFromMap(x)
		if err != nil {
			return zero, fmt.Errorf("%s: %w", r.kind, err)
		}
		return r.fromConfig(c)
	}
	return zero, fmt.Errorf("cannot make a %s from %s: expected a name such as %q or a config {\"class_name\": ..., \"config\": {...}}",
		r.kind, formatValue(v), r.entries[0].Name)
}

// classNames returns every canonical name, sorted.
func (r *registry[T]) classNames() []string {
	s := make([]string, len(r.entries))
	for i, e := range r.entries {
		s[i] = e.Name
	}
	sort.Strings(s)
	return s
}

// catalog returns copies of the entries, in registration order.
func (r *registry[T]) catalog() []Entry {
	out := make([]Entry, len(r.entries))
	for i, e := range r.entries {
		out[i] = *e
	}
	return out
}

// missingNames returns the names listed as not implemented, sorted.
func (r *registry[T]) missingNames() []string {
	s := make([]string, 0, len(r.missing))
	for _, n := range r.missing {
		s = append(s, n)
	}
	sort.Strings(s)
	return s
}

// configFromMap reads a decoded JSON {"class_name", "config"} dict.
func configFromMap(m map[string]any) (Config, error) {
	name, ok := m["class_name"].(string)
	if !ok {
		return Config{}, fmt.Errorf("a config needs a string \"class_name\"; received %s", formatValue(m))
	}
	for k := range m {
		switch k {
		case "class_name", "config", "module", "registered_name":
		default:
			return Config{}, fmt.Errorf("unknown key %q in the config of %s: expected class_name and config", k, name)
		}
	}
	c := Config{ClassName: name}
	switch inner := m["config"].(type) {
	case nil:
	case map[string]any:
		c.Config = inner
	default:
		return Config{}, fmt.Errorf("the \"config\" of %s must be a dict; received %s", name, formatValue(inner))
	}
	return c, nil
}

// ParseConfig decodes a JSON config {"class_name": ..., "config": {...}}.
// Numbers become float64, as Args expects.
func ParseConfig(data []byte) (Config, error) {
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return Config{}, fmt.Errorf("a config must be a JSON object; %s", JSONProblem(err))
	}
	return configFromMap(m)
}

// withSnakeAliases makes every class of r also answer to its SnakeCase name
// (GlorotUniform and glorot_uniform), as Keras's initializers, regularizers
// and constraints do.
func (r *registry[T]) withSnakeAliases() *registry[T] {
	r.snake = true
	return r
}
