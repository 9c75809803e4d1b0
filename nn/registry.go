package nn

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// registry maps Keras class names (and their snake_case and legacy aliases)
// to constructors that read a config map. There is one registry per kind of
// object (layers, optimizers, losses, ...); each implementation file adds its
// classes in an init function.
//
// Names are matched without regard to case or underscores, as Keras's
// get() accepts both "glorot_uniform" and "GlorotUniform".
type registry[T any] struct {
	kind  string
	ctors map[string]func(map[string]any) (T, error)
	names map[string]string // normalized name → canonical class name
	shown []string          // the names listed in errors
}

func newRegistry[T any](kind string) *registry[T] {
	return &registry[T]{kind: kind, ctors: map[string]func(map[string]any) (T, error){}, names: map[string]string{}}
}

func normalizeName(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// add registers className with its constructor; aliases are other names that
// make the same class (Keras's snake_case function names, "mse", "lr" ...).
// It panics on a duplicate, which is a programming error.
func (r *registry[T]) add(className string, ctor func(map[string]any) (T, error), aliases ...string) {
	if _, dup := r.ctors[className]; dup {
		panic("nn: " + r.kind + " " + className + " registered twice")
	}
	r.ctors[className] = ctor
	r.shown = append(r.shown, className)
	for _, n := range append([]string{className}, aliases...) {
		key := normalizeName(n)
		if prev, dup := r.names[key]; dup && prev != className {
			panic("nn: " + r.kind + " name " + n + " means both " + prev + " and " + className)
		}
		r.names[key] = className
	}
}

// lookup returns the canonical class name for name.
func (r *registry[T]) lookup(name string) (string, error) {
	c, ok := r.names[normalizeName(name)]
	if !ok {
		valid := append([]string(nil), r.shown...)
		sort.Strings(valid)
		return "", &UnknownNameError{Kind: r.kind, Name: name, Valid: valid}
	}
	return c, nil
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
			return zero, fmt.Errorf("nn: %s: %w", r.kind, err)
		}
		return r.fromConfig(c)
	}
	return zero, fmt.Errorf("nn: cannot make a %s from %s: expected a name such as %q or a config {\"class_name\": ..., \"config\": {...}}",
		r.kind, formatValue(v), r.shown[0])
}

// names returns every canonical class name, sorted.
func (r *registry[T]) classNames() []string {
	s := append([]string(nil), r.shown...)
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
		return Config{}, fmt.Errorf("nn: a config must be a JSON object: %w", err)
	}
	c, err := configFromMap(m)
	if err != nil {
		return Config{}, fmt.Errorf("nn: %w", err)
	}
	return c, nil
}
