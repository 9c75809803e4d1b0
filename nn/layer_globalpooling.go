package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// GlobalPooling is GlobalAveragePooling1D/2D and GlobalMaxPooling1D/2D:
// the mean or the maximum of each channel over all steps or pixels, giving
// (batch, channels), or with keepdims the input's rank with every spatial
// dimension 1, as Keras. The maximum's gradient goes to the first maximum.
// Keras: keras/src/layers/pooling/base_global_pooling.py,
// global_average_pooling1d.py, global_max_pooling2d.py, ...
//
// GlobalAveragePooling1D takes a mask (from Embedding(mask_zero=True) or
// Masking) and averages over the unmasked steps only, as Keras 2's
// GlobalAveragePooling1D.call: sum(x·mask) / sum(mask), so a row whose steps
// are all masked gives 0/0 = NaN there, as in Keras. Its output has no mask.
// The other three refuse a mask (Keras 2's do not support masking).
//
// Porting note: TF.js's GlobalAveragePooling1D does not support masking; it
// raises on a mask. keraswasm follows Keras.
type GlobalPooling struct {
	LayerBase
	Max        bool
	Rank       int // spatial dimensions: 1 or 2
	DataFormat string
	Keepdims   bool

	act      activity
	inShape  []int
	outShape []int
	argmax   []int32   // per (sample, channel): the flat input index chosen
	mask     []bool    // (batch, steps) of the coming Forward (1-D average only), nil for none
	count    []float32 // per sample: the unmasked steps of the last masked Forward
	y, dx    *tensor.Tensor
}

func init() {
	args := []string{"data_format", "keepdims"}
	reg := func(class string, max bool, rank int, alias string) {
		layers.add(class, args, func(m map[string]any) (Layer, error) { return newGlobalPoolingFromConfig(class, max, rank, m) }, alias)
	}
	reg("GlobalAveragePooling1D", false, 1, "GlobalAvgPool1D")
	reg("GlobalAveragePooling2D", false, 2, "GlobalAvgPool2D")
	reg("GlobalMaxPooling1D", true, 1, "GlobalMaxPool1D")
	reg("GlobalMaxPooling2D", true, 2, "GlobalMaxPool2D")
}

// NewGlobalAveragePooling2D returns a GlobalAveragePooling2D layer; opts
// holds its Keras arguments ("data_format", "keepdims", ...).
func NewGlobalAveragePooling2D(opts map[string]any) (*GlobalPooling, error) {
	return newGlobalPoolingFromConfig("GlobalAveragePooling2D", false, 2, opts)
}

func newGlobalPoolingFromConfig(class string, max bool, rank int, m map[string]any) (*GlobalPooling, error) {
	a := NewArgs(class, m)
	p := &GlobalPooling{LayerBase: ParseBase(a, class), Max: max, Rank: rank}
	p.DataFormat = readDataFormat(a)
	p.Keepdims = a.Bool("keepdims", false)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// channels returns the channel count and the steps or pixels per channel
// (unknown as -1) of a shape without batch.
func (p *GlobalPooling) channels(in tensor.Shape) (c, inner int) {
	var sp tensor.Shape
	if p.DataFormat == channelsFirst {
		c, sp = in[0], in[1:]
	} else {
		c, sp = in[len(in)-1], in[:len(in)-1]
	}
	inner = 1
	for _, d := range sp {
		if d < 0 {
			return c, -1
		}
		inner *= d
	}
	return c, inner
}

// OutputShape returns (C,), or with keepdims (1, C) / (1, 1, C) (or
// channels first (C, 1) / (C, 1, 1)).
func (p *GlobalPooling) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if len(in) != p.Rank+1 {
		want := "(steps, channels)"
		if p.Rank == 2 {
			want = "(height, width, channels)"
		}
		if p.DataFormat == channelsFirst {
			want = "(channels, steps) for data_format \"channels_first\""
			if p.Rank == 2 {
				want = "(channels, height, width) for data_format \"channels_first\""
			}
		}
		name := p.Name
		if name == "" {
			name = p.ClassName
		}
		return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: want}
	}
	c, _ := p.channels(in)
	if !p.Keepdims {
		return tensor.Shape{c}, nil
	}
	out := make(tensor.Shape, len(in))
	for i := range out {
		out[i] = 1
	}
	if p.DataFormat == channelsFirst {
		out[0] = c
	} else {
		out[len(out)-1] = c
	}
	return out, nil
}

// Build checks the input's rank; global pooling has no weights.
func (p *GlobalPooling) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := p.OutputShape(in); err != nil {
		return err
	}
	p.Built = true
	return nil
}

// Params returns nil: global pooling has no weights.
func (p *GlobalPooling) Params() []*Param { return nil }

// Forward reduces x (N, spatial..., C) (or (N, C, spatial...)) to one
// value per sample and channel. It panics if x has the wrong rank.
func (p *GlobalPooling) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != p.Rank+2 {
		panic(fmt.Sprintf("nn: %s.Forward: input %v is not rank %d", p.ClassName, x.Shape, p.Rank+2))
	}
	p.inShape = append(p.inShape[:0], x.Shape...)
	n := x.Shape[0]
	c, inner := p.channels(tensor.Shape(x.Shape[1:]))
	p.outShape = append(p.outShape[:0], n)
	if p.Keepdims {
		for range p.Rank + 1 {
			p.outShape = append(p.outShape, 1)
		}
		if p.DataFormat == channelsFirst {
			p.outShape[1] = c
		} else {
			p.outShape[p.Rank+1] = c
		}
	} else {
		p.outShape = append(p.outShape, c)
	}
	p.y = tensor.Ensure(p.y, p.outShape...)
	if p.Max {
		if cap(p.argmax) < n*c {
			p.argmax = make([]int32, n*c)
		}
		p.argmax = p.argmax[:n*c]
	}
	if p.mask != nil {
		if len(p.mask) != n*inner {
			panic(fmt.Sprintf("nn: %s.Forward: a mask of %d entries for input %v", p.ClassName, len(p.mask), x.Shape))
		}
		p.maskedMean(x.Data, n, c, inner)
		p.act.forward(&p.LayerBase, p.y)
		return p.y
	}
	for b := 0; b < n; b++ {
		for ch := 0; ch < c; ch++ {
			// element s of channel ch of sample b is at base + s·stride
			base, stride := p.at(b, ch, c, inner)
			p.y.Data[b*c+ch] = p.reduce(x.Data, b*c+ch, base, stride, inner)
		}
	}
	p.act.forward(&p.LayerBase, p.y)
	return p.y
}

// at returns where channel ch of sample b starts and the stride of its
// steps or pixels.
func (p *GlobalPooling) at(b, ch, c, inner int) (base, stride int) {
	if p.DataFormat == channelsFirst {
		return (b*c + ch) * inner, 1
	}
	return b*c*inner + ch, c
}

// maskedMean writes y = Σ_s x·mask / Σ_s mask per sample and channel, and
// the counts for Backward.
func (p *GlobalPooling) maskedMean(x []float32, n, c, steps int) {
	p.count = grow(p.count, n)
	for b := range n {
		var k float32
		for _, keep := range p.mask[b*steps : (b+1)*steps] {
			if keep {
				k++
			}
		}
		p.count[b] = k
		for ch := range c {
			base, stride := p.at(b, ch, c, steps)
			var sum float32
			for s := range steps {
				if p.mask[b*steps+s] {
					sum += x[base+s*stride]
				}
			}
			p.y.Data[b*c+ch] = sum / k
		}
	}
}

// SetMask gives the next Forward its input's mask, (batch, steps), true
// where a step is real; nil for none. Only GlobalAveragePooling1D is given
// one (OutputMasked refuses the others).
func (p *GlobalPooling) SetMask(mask []bool) {
	if mask == nil {
		p.mask = nil
		return
	}
	p.mask = append(p.mask[:0], mask...)
}

// ComputeMask returns nil: the pooled output has no time axis.
func (p *GlobalPooling) ComputeMask([]bool) []bool { return nil }

// outputMasked: GlobalAveragePooling1D consumes a mask; the others do not
// support one.
func (p *GlobalPooling) outputMasked(in bool) (bool, error) {
	if in && (p.Max || p.Rank != 1) {
		return false, &MaskError{Layer: p.Name, Class: p.ClassName}
	}
	return false, nil
}

// reduce returns the mean or the maximum of the inner values at base,
// base+stride, ..., recording the maximum's index at argmax[o].
func (p *GlobalPooling) reduce(x []float32, o, base, stride, inner int) float32 {
	if inner == 0 {
		if p.Max {
			p.argmax[o] = -1
		}
		return 0
	}
	if p.Max {
		best, at := x[base], base
		for s := 1; s < inner; s++ {
			if v := x[base+s*stride]; v > best {
				best, at = v, base+s*stride
			}
		}
		p.argmax[o] = int32(at)
		return best
	}
	var sum float32
	for s := 0; s < inner; s++ {
		sum += x[base+s*stride]
	}
	return sum / float32(inner)
}

// Backward returns dx: each dy value at its channel's maximum, or divided
// evenly over the channel's steps or pixels.
func (p *GlobalPooling) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	d := p.act.backward(&p.LayerBase, p.y, dy).Data
	p.dx = tensor.Ensure(p.dx, p.inShape...)
	p.dx.Zero()
	if p.Max {
		tensor.MaxPoolBackward(p.dx.Data, d, p.argmax)
		return p.dx
	}
	n := p.inShape[0]
	c, inner := p.channels(tensor.Shape(p.inShape[1:]))
	if inner == 0 {
		return p.dx
	}
	inv := 1 / float32(inner)
	for b := 0; b < n; b++ {
		if p.mask != nil {
			inv = 1 / p.count[b]
		}
		for ch := 0; ch < c; ch++ {
			g := d[b*c+ch] * inv
			base, stride := p.at(b, ch, c, inner)
			for s := 0; s < inner; s++ {
				if p.mask == nil || p.mask[b*inner+s] {
					p.dx.Data[base+s*stride] = g
				}
			}
		}
	}
	return p.dx
}

// Config returns Keras's config.
func (p *GlobalPooling) Config() Config {
	return Config{ClassName: p.ClassName, Config: p.BaseConfig(map[string]any{
		"data_format": p.DataFormat,
		"keepdims":    p.Keepdims,
	})}
}
