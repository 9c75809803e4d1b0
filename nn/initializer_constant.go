package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// The initializers that draw nothing: Zeros, Ones, Constant, Identity.
// Keras: keras/src/initializers/constant_initializers.py.

func init() {
	initializers.add("Zeros", []string{}, func(m map[string]any) (Initializer, error) {
		return zeros{}, NewArgs("Zeros", m).Err()
	}, "zero")
	initializers.add("Ones", []string{}, func(m map[string]any) (Initializer, error) {
		return constant{class: "Ones", value: 1}, NewArgs("Ones", m).Err()
	}, "one")
	initializers.add("Constant", []string{"value"}, func(m map[string]any) (Initializer, error) {
		a := NewArgs("Constant", m)
		c := constant{class: "Constant", value: a.Float("value", 0)}
		return c, a.Err()
	})
	initializers.add("Identity", []string{"gain"}, func(m map[string]any) (Initializer, error) {
		a := NewArgs("Identity", m)
		id := identity{gain: a.Float("gain", 1)}
		return id, a.Err()
	}, "IdentityInitializer")
}

// zeros fills with 0, Keras's default bias initializer.
type zeros struct{}

func (zeros) Initialize(t *tensor.Tensor, _ *tensor.RNG) error { t.Zero(); return nil }
func (zeros) Config() Config                                   { return Config{ClassName: "Zeros", Config: map[string]any{}} }

// constant fills with one value: Constant(value), or Ones.
type constant struct {
	class string
	value float64
}

func (c constant) Initialize(t *tensor.Tensor, _ *tensor.RNG) error {
	t.Fill(float32(c.value))
	return nil
}

func (c constant) Config() Config {
	if c.class == "Ones" {
		return Config{ClassName: "Ones", Config: map[string]any{}}
	}
	return Config{ClassName: "Constant", Config: map[string]any{"value": c.value}}
}

// identity fills a matrix (rows, cols) with gain on the diagonal, Keras's
// gain·eye(rows, cols); only 2-D shapes are taken.
type identity struct{ gain float64 }

func (id identity) Initialize(t *tensor.Tensor, _ *tensor.RNG) error {
	if len(t.Shape) != 2 {
		return fmt.Errorf("Identity matrix initializer can only be used for 2D matrices. Received: shape=%v of rank %d",
			t.Shape, len(t.Shape))
	}
	t.Zero()
	rows, cols := t.Shape[0], t.Shape[1]
	for i := 0; i < min(rows, cols); i++ {
		t.Data[i*cols+i] = float32(id.gain)
	}
	return nil
}

func (id identity) Config() Config {
	return Config{ClassName: "Identity", Config: map[string]any{"gain": id.gain}}
}
