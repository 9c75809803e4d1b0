package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Dropout sets a fraction rate of its inputs to 0 during training and scales
// the others by 1/(1 − rate) (inverted dropout), so that nothing changes at
// inference, where it passes its input through.
//
// noise_shape, as in Keras, is the shape of the keep mask including the
// batch axis: null entries take the input's dimension and entries of 1 share
// one mask value along that axis, e.g. (None, 1, features) drops whole
// feature columns for every timestep. The mask comes from the layer's own
// source: a new one from seed when seed is given, else a child of the model's
// source passed to Build. Keras: keras/src/layers/regularization/dropout.py
// (and tf.nn.dropout: an element is kept when its uniform draw is >= rate).
//
// Porting note: Keras's constructor accepts rate = 1, but training then
// fails (tf.nn.dropout requires rate < 1) or divides by zero; keraswasm
// rejects rate = 1 up front, so the error comes when the model is made.
type Dropout struct {
	LayerBase
	Rate       float64
	NoiseShape []int  // nil for none; includes the batch axis; -1 for None
	Seed       *int64 // nil for none

	rng      *tensor.RNG
	act      activity
	applied  bool           // whether the last Forward dropped anything
	mask     *tensor.Tensor // keep mask over the noise shape: 0 or 1/(1−rate)
	full     *tensor.Tensor // mask broadcast to the input's shape
	y        *tensor.Tensor // the last output: x itself when nothing was dropped, else out
	out      *tensor.Tensor // owned; kept apart from y so that it never aliases an input
	dxBuffer                // dx: the layer's or the model's shared one (DxSharer)
	noise    []int          // scratch: the noise shape resolved against the input
}

func init() {
	layers.add("Dropout", []string{"rate", "noise_shape", "seed"}, func(m map[string]any) (Layer, error) { return newDropoutFromConfig(m) })
}

// NewDropout returns a Dropout layer dropping the fraction rate of its
// inputs; opts holds the other Keras arguments ("noise_shape", "seed", ...).
func NewDropout(rate float64, opts map[string]any) (*Dropout, error) {
	m, err := withArgs("Dropout", opts, "rate", rate)
	if err != nil {
		return nil, err
	}
	return newDropoutFromConfig(m)
}

func newDropoutFromConfig(m map[string]any) (*Dropout, error) {
	a := NewArgs("Dropout", m)
	d := &Dropout{LayerBase: ParseBase(a, "Dropout")}
	if !a.Has("rate") {
		a.Fail("rate", nil, "a number in [0, 1), the fraction of inputs to drop (Dropout needs one)")
	} else if d.Rate = a.Float("rate", 0); d.Rate < 0 || d.Rate >= 1 {
		a.Fail("rate", d.Rate, "a number in [0, 1), the fraction of inputs to drop")
	}
	if ns, ok := a.Shape("noise_shape"); ok {
		d.NoiseShape = ns
	}
	d.Seed = readSeed(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	if d.Seed != nil {
		d.rng = tensor.NewRNG(uint64(*d.Seed))
	}
	return d, nil
}

// OutputShape returns in: dropout keeps the shape.
func (d *Dropout) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if d.NoiseShape == nil {
		return in.Clone(), nil
	}
	name := d.Name
	if name == "" {
		name = "Dropout"
	}
	want := fmt.Sprintf("an input that noise_shape %v fits: noise_shape needs %d entries (the batch axis, then one per input axis), each null, 1 or the input's dimension",
		tensor.Shape(d.NoiseShape), len(in)+1)
	if len(d.NoiseShape) != len(in)+1 {
		return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: want}
	}
	if b := d.NoiseShape[0]; b != -1 && b != 1 {
		return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: fmt.Sprintf(
			"noise_shape with null or 1 on the batch axis: a fixed batch entry (%d) is not supported; use null", b)}
	}
	for i, n := range d.NoiseShape[1:] {
		if n != -1 && n != 1 && in[i] >= 0 && n != in[i] {
			return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: want}
		}
	}
	return in.Clone(), nil
}

// Build checks that noise_shape fits and takes the mask's random source: a
// child of rng unless the layer has its own seed.
func (d *Dropout) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := d.OutputShape(in); err != nil {
		return err
	}
	if d.rng == nil {
		if rng == nil {
			return fmt.Errorf("Dropout: Build needs a random source (rng) when the layer has no seed")
		}
		d.rng = tensor.NewRNG(rng.Uint64())
	}
	d.Built = true
	return nil
}

// Params returns nil: Dropout has no weights.
func (d *Dropout) Params() []*Param { return nil }

// Forward returns x unchanged at inference (or with rate 0), and x times a
// fresh scaled keep mask in training.
func (d *Dropout) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	d.applied = training && d.Rate > 0
	if !d.applied {
		d.y = x
		d.act.forward(&d.LayerBase, x)
		return x
	}
	if d.rng == nil {
		panic("nn: Dropout.Forward before Build: the layer has no random source")
	}
	d.noise = append(d.noise[:0], x.Shape...)
	for i := range min(len(d.NoiseShape), len(d.noise)) {
		if d.NoiseShape[i] != -1 {
			d.noise[i] = d.NoiseShape[i]
		}
	}
	if d.NoiseShape != nil && (len(d.NoiseShape) != len(x.Shape) || !noiseFits(d.noise, x.Shape)) {
		panic(fmt.Sprintf("nn: Dropout.Forward: input %v does not fit noise_shape %v (the model checks shapes with OutputShape first)",
			x.Shape, tensor.Shape(d.NoiseShape)))
	}
	d.mask = tensor.Ensure(d.mask, d.noise...)
	scale := float32(1 / (1 - d.Rate))
	for i := range d.mask.Data {
		if d.rng.Float64() >= d.Rate {
			d.mask.Data[i] = scale
		} else {
			d.mask.Data[i] = 0
		}
	}
	full := d.mask
	if len(d.mask.Data) != len(x.Data) {
		d.full = tensor.Ensure(d.full, x.Shape...)
		broadcastInto(d.full.Data, x.Shape, d.mask.Data, d.noise)
		full = d.full
	}
	d.out = tensor.Ensure(d.out, x.Shape...)
	tensor.MulTo(d.out.Data, x.Data, full.Data)
	d.y = d.out
	d.act.forward(&d.LayerBase, d.y)
	return d.y
}

// noiseFits reports whether a mask of shape noise broadcasts to shape x (of
// the same rank): each dimension 1 or x's.
func noiseFits(noise, x []int) bool {
	for i, n := range noise {
		if n != 1 && n != x[i] {
			return false
		}
	}
	return true
}

// Backward returns dy times the mask of the last Forward (dy itself when
// nothing was dropped).
func (d *Dropout) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	dy = d.act.backward(&d.LayerBase, d.y, dy)
	if !d.applied {
		return dy
	}
	full := d.mask
	if len(d.mask.Data) != len(dy.Data) {
		full = d.full
	}
	dx := d.ensureDx(dy.Shape...)
	tensor.MulTo(dx.Data, dy.Data, full.Data)
	return dx
}

// broadcastInto writes src (shape sshape, each dimension 1 or equal to
// dshape's) into dst (shape dshape), repeating it along the size-1 axes.
func broadcastInto(dst []float32, dshape []int, src []float32, sshape []int) {
	if len(dshape) == 0 {
		dst[0] = src[0]
		return
	}
	dInner, sInner := 1, 1
	for i := 1; i < len(dshape); i++ {
		dInner *= dshape[i]
		sInner *= sshape[i]
	}
	for i := 0; i < dshape[0]; i++ {
		j := i
		if sshape[0] == 1 {
			j = 0
		}
		d, s := dst[i*dInner:(i+1)*dInner], src[j*sInner:(j+1)*sInner]
		if dInner == sInner {
			copy(d, s)
		} else {
			broadcastInto(d, dshape[1:], s, sshape[1:])
		}
	}
}

// Config returns Keras's Dropout config.
func (d *Dropout) Config() Config {
	m := map[string]any{"rate": d.Rate, "noise_shape": nil, "seed": seedConfig(d.Seed)}
	if d.NoiseShape != nil {
		ns := make([]any, len(d.NoiseShape))
		for i, n := range d.NoiseShape {
			if n >= 0 {
				ns[i] = n
			}
		}
		m["noise_shape"] = ns
	}
	return Config{ClassName: "Dropout", Config: d.BaseConfig(m)}
}
