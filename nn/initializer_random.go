package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The random initializers: RandomNormal, RandomUniform, TruncatedNormal,
// VarianceScaling and its presets (GlorotUniform, GlorotNormal, HeNormal,
// HeUniform, LecunNormal, LecunUniform).
// Keras: keras/src/initializers/random_initializers.py.

// truncatedStddevCorrection is the standard deviation of a standard normal
// truncated to [−2, 2]; VarianceScaling divides by it so that the values
// drawn have the variance asked for after truncation.
const truncatedStddevCorrection = 0.87962566103423978

func init() {
	initializers.add("RandomNormal", []string{"mean", "stddev", "seed"}, func(m map[string]any) (Initializer, error) {
		return readNormal(m, "RandomNormal")
	}, "normal")
	initializers.add("TruncatedNormal", []string{"mean", "stddev", "seed"}, func(m map[string]any) (Initializer, error) {
		return readNormal(m, "TruncatedNormal")
	})
	initializers.add("RandomUniform", []string{"minval", "maxval", "seed"}, func(m map[string]any) (Initializer, error) {
		a := NewArgs("RandomUniform", m)
		u := randomUniform{minval: a.Float("minval", -0.05), maxval: a.Float("maxval", 0.05), seed: readSeed(a)}
		if u.maxval < u.minval {
			a.Fail("maxval", u.maxval, "a number no smaller than minval="+formatValue(u.minval))
		}
		return u, a.Err()
	}, "uniform")
	initializers.add("VarianceScaling", []string{"scale", "mode", "distribution", "seed"}, func(m map[string]any) (Initializer, error) {
		a := NewArgs("VarianceScaling", m)
		v := readVarianceScaling(a, varianceScaling{class: "VarianceScaling", scale: 1, mode: "fan_in", distribution: "truncated_normal"})
		return v, a.Err()
	})
	for _, p := range []varianceScaling{
		{class: "GlorotUniform", scale: 1, mode: "fan_avg", distribution: "uniform"},
		{class: "GlorotNormal", scale: 1, mode: "fan_avg", distribution: "truncated_normal"},
		{class: "HeNormal", scale: 2, mode: "fan_in", distribution: "truncated_normal"},
		{class: "HeUniform", scale: 2, mode: "fan_in", distribution: "uniform"},
		{class: "LecunNormal", scale: 1, mode: "fan_in", distribution: "truncated_normal"},
		{class: "LecunUniform", scale: 1, mode: "fan_in", distribution: "uniform"},
	} {
		initializers.add(p.class, []string{"seed"}, presetFromConfig(p))
	}
}

// randomNormal draws from N(mean, stddev²); truncated redraws values more
// than two standard deviations from the mean (TruncatedNormal).
type randomNormal struct {
	class        string
	mean, stddev float64
	seed         *int64
}

func readNormal(m map[string]any, class string) (Initializer, error) {
	a := NewArgs(class, m)
	n := randomNormal{class: class, mean: a.Float("mean", 0), stddev: a.Float("stddev", 0.05), seed: readSeed(a)}
	if n.stddev < 0 {
		a.Fail("stddev", n.stddev, "a non-negative number")
	}
	return n, a.Err()
}

func (n randomNormal) Initialize(t *tensor.Tensor, rng *tensor.RNG) error {
	r, err := seededRNG(n.class, n.seed, rng)
	if err != nil {
		return err
	}
	if n.class == "TruncatedNormal" {
		r.TruncatedNormal(t.Data, n.mean, n.stddev)
	} else {
		r.Normal(t.Data, n.mean, n.stddev)
	}
	return nil
}

func (n randomNormal) Config() Config {
	return Config{ClassName: n.class, Config: map[string]any{"mean": n.mean, "stddev": n.stddev, "seed": seedConfig(n.seed)}}
}

// randomUniform draws from U[minval, maxval).
type randomUniform struct {
	minval, maxval float64
	seed           *int64
}

func (u randomUniform) Initialize(t *tensor.Tensor, rng *tensor.RNG) error {
	r, err := seededRNG("RandomUniform", u.seed, rng)
	if err != nil {
		return err
	}
	r.Uniform(t.Data, u.minval, u.maxval)
	return nil
}

func (u randomUniform) Config() Config {
	return Config{ClassName: "RandomUniform", Config: map[string]any{"minval": u.minval, "maxval": u.maxval, "seed": seedConfig(u.seed)}}
}

// varianceScaling draws with variance scale/n, n being fan_in, fan_out or
// their mean (at least 1): from a normal truncated at 2σ (its stddev
// corrected by truncatedStddevCorrection), an untruncated normal, or
// U[−limit, limit] with limit = sqrt(3·scale/n). The presets (GlorotUniform,
// HeNormal, ...) are varianceScaling with fixed arguments and a seed-only
// config, as in Keras.
type varianceScaling struct {
	class              string
	scale              float64
	mode, distribution string
	seed               *int64
}

// modeSpellings maps the accepted spellings of mode to Keras's; TF.js writes
// fanIn, fanOut, fanAvg in memory.
var modeSpellings = map[string]string{
	"fan_in": "fan_in", "fan_out": "fan_out", "fan_avg": "fan_avg",
	"fanIn": "fan_in", "fanOut": "fan_out", "fanAvg": "fan_avg",
}

// distributionSpellings maps the accepted distributions to Keras's; "normal"
// means truncated_normal, as in Keras 2, Keras 3 and TF.js.
var distributionSpellings = map[string]string{
	"truncated_normal": "truncated_normal", "untruncated_normal": "untruncated_normal", "uniform": "uniform",
	"normal": "truncated_normal", "truncatedNormal": "truncated_normal", "untruncatedNormal": "untruncated_normal",
}

// readVarianceScaling reads scale, mode, distribution and seed over the
// defaults in v.
func readVarianceScaling(a *Args, v varianceScaling) varianceScaling {
	v.scale = a.Float("scale", v.scale)
	if v.scale <= 0 || math.IsInf(v.scale, 0) {
		a.Fail("scale", v.scale, "a positive float")
	}
	mode := a.String("mode", v.mode)
	if v.mode = modeSpellings[mode]; v.mode == "" {
		a.Fail("mode", mode, `one of "fan_in", "fan_out", "fan_avg"`)
	}
	dist := a.String("distribution", v.distribution)
	if v.distribution = distributionSpellings[dist]; v.distribution == "" {
		a.Fail("distribution", dist, `one of "truncated_normal", "untruncated_normal", "uniform" ("normal" means truncated_normal)`)
	}
	v.seed = readSeed(a)
	return v
}

// presetFromConfig reads a preset's config: a seed, and, since TF.js writes
// them, scale, mode and distribution when they equal the preset's own.
func presetFromConfig(p varianceScaling) func(map[string]any) (Initializer, error) {
	return func(m map[string]any) (Initializer, error) {
		a := NewArgs(p.class, m)
		v := readVarianceScaling(a, p)
		if v.scale > 0 && v.scale != p.scale {
			a.Fail("scale", v.scale, formatValue(p.scale)+", the only scale of "+p.class+" (use VarianceScaling for another)")
		}
		if v.mode != "" && v.mode != p.mode {
			a.Fail("mode", v.mode, formatValue(p.mode)+", the only mode of "+p.class+" (use VarianceScaling for another)")
		}
		if v.distribution != "" && v.distribution != p.distribution {
			a.Fail("distribution", v.distribution, formatValue(p.distribution)+", the only distribution of "+p.class+" (use VarianceScaling for another)")
		}
		return v, a.Err()
	}
}

func (v varianceScaling) Initialize(t *tensor.Tensor, rng *tensor.RNG) error {
	r, err := seededRNG(v.class, v.seed, rng)
	if err != nil {
		return err
	}
	fanIn, fanOut := Fans(t.Shape)
	n := fanIn
	switch v.mode {
	case "fan_out":
		n = fanOut
	case "fan_avg":
		n = (fanIn + fanOut) / 2
	}
	scale := v.scale / math.Max(1, n)
	switch v.distribution {
	case "truncated_normal":
		r.TruncatedNormal(t.Data, 0, math.Sqrt(scale)/truncatedStddevCorrection)
	case "untruncated_normal":
		r.Normal(t.Data, 0, math.Sqrt(scale))
	default:
		limit := math.Sqrt(3 * scale)
		r.Uniform(t.Data, -limit, limit)
	}
	return nil
}

func (v varianceScaling) Config() Config {
	m := map[string]any{"seed": seedConfig(v.seed)}
	if v.class == "VarianceScaling" {
		m["scale"], m["mode"], m["distribution"] = v.scale, v.mode, v.distribution
	}
	return Config{ClassName: v.class, Config: m}
}
