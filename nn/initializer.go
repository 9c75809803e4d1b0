package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Initializer fills a new weight tensor. Keras: keras/src/initializers/.
type Initializer interface {
	// Initialize fills t (whose Shape is the weight's Keras shape) with
	// values drawn from rng, or from the initializer's own source when it
	// was given a seed. It returns an error when the shape does not suit it
	// (identity of a non-matrix, say).
	Initialize(t *tensor.Tensor, rng *tensor.RNG) error
	Config() Config
}

var initializers = newRegistry[Initializer]("initializer", "initializers").withSnakeAliases()

// GetInitializer returns the initializer named or configured by v ("zeros",
// {"class_name": "GlorotUniform", "config": {"seed": 1}}, or an Initializer).
func GetInitializer(v any) (Initializer, error) { return initializers.get(v) }

// Fans returns Keras's fan_in and fan_out for a weight shape: a matrix
// (in, out) gives (in, out); a convolution kernel (kh, kw, in, out) gives
// (kh·kw·in, kh·kw·out); a vector (n) gives (n, n); a scalar (1, 1).
// Keras: keras/src/initializers/random_initializers.py compute_fans.
func Fans(shape tensor.Shape) (fanIn, fanOut float64) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return float64(shape[0]), float64(shape[0])
	case 2:
		return float64(shape[0]), float64(shape[1])
	}
	receptive := 1.0
	for _, d := range shape[:len(shape)-2] {
		receptive *= float64(d)
	}
	return float64(shape[len(shape)-2]) * receptive, float64(shape[len(shape)-1]) * receptive
}

// seededRNG returns the source an initializer draws from: its own, made
// from its seed (so the same seed gives the same values every time, as an
// integer seed does in Keras 3), or the model's. With neither it is an error.
func seededRNG(class string, seed *int64, rng *tensor.RNG) (*tensor.RNG, error) {
	if seed != nil {
		return tensor.NewRNG(uint64(*seed)), nil
	}
	if rng == nil {
		return nil, fmt.Errorf("%s initializer needs a random source: pass a *tensor.RNG or give it a seed", class)
	}
	return rng, nil
}

func readSeed(a *Args) *int64 {
	if !a.Has("seed") {
		return nil
	}
	s := int64(a.Int("seed", 0))
	return &s
}

func seedConfig(seed *int64) any {
	if seed == nil {
		return nil
	}
	return *seed
}
