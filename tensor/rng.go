package tensor

import (
	"math"
	"math/rand/v2"
)

// RNG is the one seeded source of randomness: initializers, dropout masks and
// shuffling all draw from an RNG the model owns, so one seed gives one run,
// natively and in the browser alike. It is not safe for concurrent use.
type RNG struct {
	src *rand.PCG
	r   *rand.Rand
}

// NewRNG returns a source seeded with seed.
func NewRNG(seed uint64) *RNG {
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	return &RNG{src: src, r: rand.New(src)}
}

// Seed restarts the source from seed.
func (g *RNG) Seed(seed uint64) { g.src.Seed(seed, seed^0x9e3779b97f4a7c15) }

// Uint64 returns a uniformly distributed 64-bit value; it is the way to derive
// the seed of a child source (NewRNG(g.Uint64())).
func (g *RNG) Uint64() uint64 { return g.r.Uint64() }

// Float64 returns a uniform value in [0, 1).
func (g *RNG) Float64() float64 { return g.r.Float64() }

// IntN returns a uniform value in [0, n). It panics if n <= 0.
func (g *RNG) IntN(n int) int { return g.r.IntN(n) }

// Shuffle permutes p in place (Fisher–Yates).
func (g *RNG) Shuffle(p []int) {
	g.r.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
}

// Uniform fills dst with values uniform in [lo, hi).
func (g *RNG) Uniform(dst []float32, lo, hi float64) {
	for i := range dst {
		dst[i] = float32(lo + (hi-lo)*g.r.Float64())
	}
}

// Normal fills dst with values drawn from N(mean, stddev²).
func (g *RNG) Normal(dst []float32, mean, stddev float64) {
	for i := range dst {
		dst[i] = float32(mean + stddev*g.r.NormFloat64())
	}
}

// TruncatedNormal fills dst with values from N(mean, stddev²) redrawn until
// they fall within two standard deviations of the mean, as Keras's
// TruncatedNormal initializer does.
func (g *RNG) TruncatedNormal(dst []float32, mean, stddev float64) {
	for i := range dst {
		z := g.r.NormFloat64()
		for math.Abs(z) > 2 {
			z = g.r.NormFloat64()
		}
		dst[i] = float32(mean + stddev*z)
	}
}
