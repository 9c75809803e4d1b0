package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// SpatialDropout is SpatialDropout1D and SpatialDropout2D, which drop whole
// channels: Dropout with the noise shape (batch, 1, channels), or (batch,
// 1, 1, channels) ((batch, channels, 1, 1) for channels_first), so that
// correlated neighbouring values are dropped together. Keras:
// keras/src/layers/regularization/spatial_dropout.py.
type SpatialDropout struct {
	Dropout
	Rank       int
	DataFormat string
}

// AlphaDropout keeps the mean and variance of its inputs, for SELU
// networks: in training a dropped value is set to SELU's negative
// saturation α' = −λα, then y = a·x + b with a = ((1 − rate)(1 +
// rate·α'²))^(−1/2) and b = −a·α'·rate; dx = a·dy where kept, 0 where
// dropped. The keep mask is a Dropout's (noise_shape and seed as there).
// Keras: keras/src/layers/regularization/alpha_dropout.py.
type AlphaDropout struct {
	LayerBase
	mask *Dropout // draws the keep mask

	act     activity
	applied bool
	ones    *tensor.Tensor
	kept    *tensor.Tensor // the mask: 1/(1−rate) kept, 0 dropped
	y       *tensor.Tensor // the last output: x itself when nothing was dropped, else out
	out, dx *tensor.Tensor
}

// seluAlphaP is −λα of SELU, the value AlphaDropout drops to.
const seluAlphaP = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946

func init() {
	layers.add("SpatialDropout1D", []string{"rate", "seed"}, func(m map[string]any) (Layer, error) { return newSpatialDropout("SpatialDropout1D", 1, m) })
	layers.add("SpatialDropout2D", []string{"rate", "data_format", "seed"}, func(m map[string]any) (Layer, error) {
		return newSpatialDropout("SpatialDropout2D", 2, m)
	})
	layers.add("AlphaDropout", []string{"rate", "noise_shape", "seed"}, func(m map[string]any) (Layer, error) { return newAlphaDropout(m) })
}

func newSpatialDropout(class string, rank int, m map[string]any) (*SpatialDropout, error) {
	a := NewArgs(class, m)
	s := &SpatialDropout{Dropout: Dropout{LayerBase: ParseBase(a, class)}, Rank: rank, DataFormat: channelsLast}
	s.Rate = readRate(a, class)
	if rank == 2 {
		s.DataFormat = readDataFormat(a)
	}
	if v, ok := a.Value("noise_shape"); ok { // tf.keras writes noise_shape: null
		a.Fail("noise_shape", v, "null: "+class+" drops whole channels, its noise shape is fixed")
	}
	s.Seed = readSeed(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	if s.Seed != nil {
		s.rng = tensor.NewRNG(uint64(*s.Seed))
	}
	switch {
	case rank == 1:
		s.NoiseShape = []int{-1, 1, -1}
	case s.DataFormat == channelsFirst:
		s.NoiseShape = []int{-1, -1, 1, 1}
	default:
		s.NoiseShape = []int{-1, 1, 1, -1}
	}
	return s, nil
}

// OutputShape returns in, which must be (steps, channels) or an image.
func (s *SpatialDropout) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	want := "(steps, channels)"
	if s.Rank == 2 {
		want = expectedImage(s.DataFormat)
	}
	if err := checkRank(&s.LayerBase, in, s.Rank+1, want); err != nil {
		return nil, err
	}
	return in.Clone(), nil
}

// Build checks the rank and takes the mask's random source.
func (s *SpatialDropout) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := s.OutputShape(in); err != nil {
		return err
	}
	return s.Dropout.Build(in, rng)
}

// Config returns Keras's config.
func (s *SpatialDropout) Config() Config {
	m := map[string]any{"rate": s.Rate, "seed": seedConfig(s.Seed)}
	if s.Rank == 2 {
		m["data_format"] = s.DataFormat
	}
	return Config{ClassName: s.ClassName, Config: s.BaseConfig(m)}
}

func newAlphaDropout(m map[string]any) (*AlphaDropout, error) {
	a := NewArgs("AlphaDropout", m)
	l := &AlphaDropout{LayerBase: ParseBase(a, "AlphaDropout")}
	mask := map[string]any{"rate": readRate(a, "AlphaDropout")}
	if v, ok := a.Value("noise_shape"); ok {
		mask["noise_shape"] = v
	}
	if v, ok := a.Value("seed"); ok {
		mask["seed"] = v
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	d, err := newDropoutFromConfig(mask)
	if err != nil {
		return nil, err
	}
	l.mask = d
	return l, nil
}

// OutputShape returns in (checking that noise_shape fits).
func (l *AlphaDropout) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	out, err := l.mask.OutputShape(in)
	if se, ok := err.(*ShapeError); ok {
		se.Layer = l.ClassName
		if l.Name != "" {
			se.Layer = l.Name
		}
	}
	return out, err
}

// Build checks noise_shape and takes the mask's random source.
func (l *AlphaDropout) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := l.OutputShape(in); err != nil {
		return err
	}
	if err := l.mask.Build(in, rng); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// Params returns nil: AlphaDropout has no weights.
func (l *AlphaDropout) Params() []*Param { return nil }

// coefficients returns Keras's a and b for the rate.
func (l *AlphaDropout) coefficients() (a, b float32) {
	r := l.mask.Rate
	av := math.Pow((1-r)*(1+r*seluAlphaP*seluAlphaP), -0.5)
	return float32(av), float32(-av * seluAlphaP * r)
}

// Forward applies alpha dropout in training with 0 < rate < 1, as Keras;
// otherwise it returns x.
func (l *AlphaDropout) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	l.applied = training && l.mask.Rate > 0
	l.y = x
	if l.applied {
		l.ones = tensor.Ensure(l.ones, x.Shape...)
		l.ones.Fill(1)
		l.kept = l.mask.Forward(l.ones, true)
		a, b := l.coefficients()
		l.out = tensor.Ensure(l.out, x.Shape...)
		l.y = l.out
		for i, v := range x.Data {
			if l.kept.Data[i] == 0 {
				v = seluAlphaP
			}
			l.y.Data[i] = a*v + b
		}
	}
	l.act.forward(&l.LayerBase, l.y)
	return l.y
}

// Backward returns a·dy where the last Forward kept the input, 0 elsewhere.
func (l *AlphaDropout) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	dy = l.act.backward(&l.LayerBase, l.y, dy)
	if !l.applied {
		return dy
	}
	a, _ := l.coefficients()
	l.dx = tensor.Ensure(l.dx, dy.Shape...)
	for i, g := range dy.Data {
		l.dx.Data[i] = 0
		if l.kept.Data[i] != 0 {
			l.dx.Data[i] = a * g
		}
	}
	return l.dx
}

// Config returns Keras's AlphaDropout config.
func (l *AlphaDropout) Config() Config {
	m := l.mask.Config().Config
	return Config{ClassName: "AlphaDropout", Config: l.BaseConfig(map[string]any{
		"rate": m["rate"], "noise_shape": m["noise_shape"], "seed": m["seed"],
	})}
}

// footprint counts, per sample, the ones, the mask Dropout's mask,
// broadcast mask and output, and the layer's own output forward; dx and the
// penalty's buffers backward.
func (l *AlphaDropout) footprint(in tensor.Shape) Footprint {
	n := shapeValues(in)
	return Footprint{Forward: 5 * n, Backward: n + activityValues(&l.LayerBase, n)}
}
