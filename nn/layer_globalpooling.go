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
// Porting note: Keras's GlobalAveragePooling1D leaves masked steps out of
// the mean; keraswasm has no masks yet, so every step counts.
type GlobalPooling struct {
	LayerBase
	Max        bool
	Rank       int // spatial dimensions: 1 or 2
	DataFormat string
	Keepdims   bool

	act      activity
	inShape  []int
	outShape []int
	argmax   []int32 // per (sample, channel): the flat input index chosen
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
	for b := 0; b < n; b++ {
		for ch := 0; ch < c; ch++ {
			// element s of channel ch of sample b is at base + s·stride
			base, stride := b*c*inner+ch, c
			if p.DataFormat == channelsFirst {
				base, stride = (b*c+ch)*inner, 1
			}
			p.y.Data[b*c+ch] = p.reduce(x.Data, b*c+ch, base, stride, inner)
		}
	}
	p.act.forward(&p.LayerBase, p.y)
	return p.y
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
		for ch := 0; ch < c; ch++ {
			g := d[b*c+ch] * inv
			base, stride := b*c*inner+ch, c
			if p.DataFormat == channelsFirst {
				base, stride = (b*c+ch)*inner, 1
			}
			for s := 0; s < inner; s++ {
				p.dx.Data[base+s*stride] = g
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
