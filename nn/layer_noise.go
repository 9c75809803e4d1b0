package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The noise layers act in training only and pass their input through at
// inference. Like Dropout, each draws from its own source: a new one from
// seed when seed is given, else a child of the model's source passed to
// Build, so the same model seed gives the same run. Keras:
// keras/src/layers/regularization/gaussian_noise.py, gaussian_dropout.py,
// alpha_dropout.py, spatial_dropout.py.

// noiseSource is the random source of a noise layer.
type noiseSource struct {
	Seed *int64 // nil for none
	rng  *tensor.RNG
}

func (s *noiseSource) read(a *Args) {
	s.Seed = readSeed(a)
	if s.Seed != nil {
		s.rng = tensor.NewRNG(uint64(*s.Seed))
	}
}

// build takes a child of rng unless the layer has its own seed.
func (s *noiseSource) build(class string, rng *tensor.RNG) error {
	if s.rng != nil {
		return nil
	}
	if rng == nil {
		return fmt.Errorf("%s: Build needs a random source (rng) when the layer has no seed", class)
	}
	s.rng = tensor.NewRNG(rng.Uint64())
	return nil
}

// readRate reads a dropout-like rate in [0, 1).
func readRate(a *Args, class string) float64 {
	if !a.Has("rate") {
		a.Fail("rate", nil, fmt.Sprintf("a number in [0, 1), the fraction of inputs to drop (%s needs one)", class))
		return 0
	}
	r := a.Float("rate", 0)
	if r < 0 || r >= 1 {
		a.Fail("rate", r, "a number in [0, 1), the fraction of inputs to drop")
		return 0
	}
	return r
}

// GaussianNoise adds zero-centred Gaussian noise of standard deviation
// stddev to its input in training: y = x + N(0, stddev²); dx = dy.
type GaussianNoise struct {
	LayerBase
	Stddev float64
	noiseSource

	act     activity
	applied bool
	y, out  *tensor.Tensor
}

// GaussianDropout multiplies its input in training by Gaussian noise of
// mean 1 and standard deviation sqrt(rate / (1 − rate)); dx = dy · noise.
type GaussianDropout struct {
	LayerBase
	Rate float64
	noiseSource

	act           activity
	applied       bool
	noise, y, out *tensor.Tensor
	dx            *tensor.Tensor
}

func init() {
	layers.add("GaussianNoise", []string{"stddev", "seed"}, func(m map[string]any) (Layer, error) {
		a := NewArgs("GaussianNoise", m)
		l := &GaussianNoise{LayerBase: ParseBase(a, "GaussianNoise")}
		if !a.Has("stddev") {
			a.Fail("stddev", nil, "a non-negative number, the noise's standard deviation (GaussianNoise needs one)")
		} else if l.Stddev = a.Float("stddev", 0); l.Stddev < 0 || math.IsInf(l.Stddev, 0) {
			a.Fail("stddev", l.Stddev, "a finite non-negative number, the noise's standard deviation")
		}
		l.read(a)
		return l, a.Err()
	})
	layers.add("GaussianDropout", []string{"rate", "seed"}, func(m map[string]any) (Layer, error) {
		a := NewArgs("GaussianDropout", m)
		l := &GaussianDropout{LayerBase: ParseBase(a, "GaussianDropout")}
		l.Rate = readRate(a, "GaussianDropout")
		l.read(a)
		return l, a.Err()
	})
}

// OutputShape returns in.
func (l *GaussianNoise) OutputShape(in tensor.Shape) (tensor.Shape, error) { return in.Clone(), nil }

// Build takes the noise's random source.
func (l *GaussianNoise) Build(in tensor.Shape, rng *tensor.RNG) error {
	if err := l.build("GaussianNoise", rng); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// Params returns nil: GaussianNoise has no weights.
func (l *GaussianNoise) Params() []*Param { return nil }

// Forward returns x plus fresh noise in training, x itself otherwise.
func (l *GaussianNoise) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.applied = training && l.Stddev > 0
	l.y = x
	if l.applied {
		if l.rng == nil {
			panic("nn: GaussianNoise.Forward before Build: the layer has no random source")
		}
		l.out = tensor.Ensure(l.out, x.Shape...)
		l.rng.Normal(l.out.Data, 0, l.Stddev)
		tensor.Add(l.out.Data, x.Data)
		l.y = l.out
	}
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns dy: the noise is added, so it passes the gradient.
func (l *GaussianNoise) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	return l.act.backward(&l.LayerBase, l.y, dy)
}

// Config returns Keras's GaussianNoise config.
func (l *GaussianNoise) Config() Config {
	return Config{ClassName: "GaussianNoise", Config: l.BaseConfig(map[string]any{"stddev": l.Stddev, "seed": seedConfig(l.Seed)})}
}

// OutputShape returns in.
func (l *GaussianDropout) OutputShape(in tensor.Shape) (tensor.Shape, error) { return in.Clone(), nil }

// Build takes the noise's random source.
func (l *GaussianDropout) Build(in tensor.Shape, rng *tensor.RNG) error {
	if err := l.build("GaussianDropout", rng); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// Params returns nil: GaussianDropout has no weights.
func (l *GaussianDropout) Params() []*Param { return nil }

// Forward returns x times fresh noise N(1, rate/(1−rate)) in training (with
// 0 < rate < 1, as Keras), x itself otherwise.
func (l *GaussianDropout) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.applied = training && l.Rate > 0
	l.y = x
	if l.applied {
		if l.rng == nil {
			panic("nn: GaussianDropout.Forward before Build: the layer has no random source")
		}
		l.noise = tensor.Ensure(l.noise, x.Shape...)
		l.rng.Normal(l.noise.Data, 1, math.Sqrt(l.Rate/(1-l.Rate)))
		l.out = tensor.Ensure(l.out, x.Shape...)
		tensor.MulTo(l.out.Data, x.Data, l.noise.Data)
		l.y = l.out
	}
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns dy times the last noise.
func (l *GaussianDropout) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	dy = l.act.backward(&l.LayerBase, l.y, dy)
	if !l.applied {
		return dy
	}
	l.dx = tensor.Ensure(l.dx, dy.Shape...)
	tensor.MulTo(l.dx.Data, dy.Data, l.noise.Data)
	return l.dx
}

// Config returns Keras's GaussianDropout config.
func (l *GaussianDropout) Config() Config {
	return Config{ClassName: "GaussianDropout", Config: l.BaseConfig(map[string]any{"rate": l.Rate, "seed": seedConfig(l.Seed)})}
}
