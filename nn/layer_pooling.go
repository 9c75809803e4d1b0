package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Pooling is AveragePooling2D, MaxPooling1D and AveragePooling1D: the
// maximum or the mean of each pool_size window of each channel, moving by
// strides (pool_size when null), with 'valid' or 'same' padding. Padding
// never wins a maximum and is left out of a mean (TF's pooling, which
// Keras calls). A 1-D layer pools (steps, channels) as a (steps, 1,
// channels) image; channels_first input is transposed to channels_last and
// back, as in MaxPooling2D. Keras: keras/src/layers/pooling/base_pooling.py,
// average_pooling2d.py, max_pooling1d.py, average_pooling1d.py.
type Pooling struct {
	LayerBase
	Max        bool   // max pooling; else average
	Rank       int    // spatial dimensions: 1 or 2
	PoolSize   [2]int // 1-D: (pool_size, 1)
	Strides    [2]int // 1-D: (strides, 1)
	Padding    string
	DataFormat string

	act      activity
	geom     tensor.ConvGeom
	inShape  []int
	argmax   []int32
	y, dx    *tensor.Tensor // channels_last, as images
	xT, yT   *tensor.Tensor // channels_first: input as channels_last, output back
	dyT, dxT *tensor.Tensor
	yView    *tensor.Tensor
}

func init() {
	args := []string{"pool_size", "strides", "padding", "data_format"}
	reg := func(class string, max bool, rank int, alias string) {
		layers.add(class, args, func(m map[string]any) (Layer, error) { return newPoolingFromConfig(class, max, rank, m) }, alias)
	}
	reg("AveragePooling2D", false, 2, "AvgPool2D")
	reg("MaxPooling1D", true, 1, "MaxPool1D")
	reg("AveragePooling1D", false, 1, "AvgPool1D")
}

// NewAveragePooling2D returns an AveragePooling2D layer; opts holds its
// Keras arguments ("pool_size", "strides", "padding", "data_format", ...).
func NewAveragePooling2D(opts map[string]any) (*Pooling, error) {
	return newPoolingFromConfig("AveragePooling2D", false, 2, opts)
}

func newPoolingFromConfig(class string, max bool, rank int, m map[string]any) (*Pooling, error) {
	a := NewArgs(class, m)
	p := &Pooling{LayerBase: ParseBase(a, class), Max: max, Rank: rank}
	if rank == 2 {
		p.PoolSize = readPair(a, "pool_size", [2]int{2, 2})
		p.Strides = readPair(a, "strides", p.PoolSize)
	} else {
		p.PoolSize = [2]int{readPositive1(a, "pool_size", 2), 1}
		p.Strides = [2]int{readPositive1(a, "strides", p.PoolSize[0]), 1}
	}
	p.Padding = readPadding(a)
	p.DataFormat = readDataFormat(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// readPositive1 reads a Keras 1-tuple argument (an integer or a list of
// one) that must be positive.
func readPositive1(a *Args, key string, def int) int {
	v := a.Ints(key, 1, []int{def})
	if v[0] < 1 {
		a.Fail(key, v[0], "a positive integer (or a list of one)")
		return def
	}
	return v[0]
}

func (p *Pooling) layerName() string {
	if p.Name != "" {
		return p.Name
	}
	return p.ClassName
}

// image splits a shape without batch into height, width and channels: a
// 1-D shape (steps, C) (or (C, steps)) is the image (steps, 1, C).
func (p *Pooling) image(in tensor.Shape) (h, w, c int, ok bool) {
	if p.Rank == 2 {
		return spatial(in, p.DataFormat)
	}
	if len(in) != 2 {
		return 0, 0, 0, false
	}
	if p.DataFormat == channelsFirst {
		return in[1], 1, in[0], true
	}
	return in[0], 1, in[1], true
}

func (p *Pooling) expected() string {
	if p.Rank == 2 {
		return expectedImage(p.DataFormat)
	}
	if p.DataFormat == channelsFirst {
		return "(channels, steps) for data_format \"channels_first\""
	}
	return "(steps, channels)"
}

// OutputShape returns (OH, OW, C) (or (C, OH, OW)); 1-D: (steps, C) or
// (C, steps).
func (p *Pooling) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	h, w, c, ok := p.image(in)
	if !ok {
		return nil, &ShapeError{Layer: p.layerName(), Got: in.Clone(), Want: p.expected()}
	}
	oh, ow, err := windowOutput(h, w, p.PoolSize[0], p.PoolSize[1], p.Strides[0], p.Strides[1], 1, 1, p.Padding)
	if err != nil {
		size := formatValue(p.PoolSize[:p.Rank])
		return nil, &ShapeError{Layer: p.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s large enough for pool_size %s (%v)", p.expected(), size, err)}
	}
	if p.Rank == 1 {
		if p.DataFormat == channelsFirst {
			return tensor.Shape{c, oh}, nil
		}
		return tensor.Shape{oh, c}, nil
	}
	return imageShape(oh, ow, c, p.DataFormat), nil
}

// Build checks the input shape; pooling has no weights.
func (p *Pooling) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := p.OutputShape(in); err != nil {
		return err
	}
	p.Built = true
	return nil
}

// Params returns nil: pooling has no weights.
func (p *Pooling) Params() []*Param { return nil }

// Forward pools x (N, H, W, C), (N, steps, C) or their channels_first
// forms. It panics if x is not of the layer's rank (the model checks
// shapes first).
func (p *Pooling) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != p.Rank+2 {
		panic(fmt.Sprintf("nn: %s.Forward: input %v is not rank %d: expected a batch of %s", p.ClassName, x.Shape, p.Rank+2, p.expected()))
	}
	p.inShape = append(p.inShape[:0], x.Shape...)
	n := x.Shape[0]
	h, w, c, _ := p.image(tensor.Shape(x.Shape[1:]))
	xl := x.Data
	if p.DataFormat == channelsFirst {
		p.xT = tensor.Ensure(p.xT, len(x.Data))
		toChannelsLast(p.xT.Data, x.Data, n, c, h*w)
		xl = p.xT.Data
	}
	g, err := tensor.NewConvGeom(n, h, w, c, p.PoolSize[0], p.PoolSize[1], p.Strides[0], p.Strides[1], 1, 1, p.Padding)
	if err != nil {
		panic(fmt.Sprintf("nn: %s.Forward: input %v: %v", p.ClassName, x.Shape, err))
	}
	p.geom = g
	p.y = tensor.Ensure(p.y, g.N, g.OH, g.OW, g.C)
	if p.Max {
		if cap(p.argmax) < len(p.y.Data) {
			p.argmax = make([]int32, len(p.y.Data))
		}
		p.argmax = p.argmax[:len(p.y.Data)]
		tensor.MaxPool(p.y.Data, p.argmax, xl, g)
	} else {
		tensor.AvgPool(p.y.Data, xl, g)
	}
	out := p.y.Data
	if p.DataFormat == channelsFirst {
		p.yT = tensor.Ensure(p.yT, len(p.y.Data))
		toChannelsFirst(p.yT.Data, p.y.Data, g.N, g.C, g.OH*g.OW)
		out = p.yT.Data
	}
	switch {
	case p.Rank == 2 && p.DataFormat == channelsFirst:
		p.yView = setView(p.yView, out, n, g.C, g.OH, g.OW)
	case p.Rank == 2:
		p.yView = setView(p.yView, out, n, g.OH, g.OW, g.C)
	case p.DataFormat == channelsFirst:
		p.yView = setView(p.yView, out, n, g.C, g.OH)
	default:
		p.yView = setView(p.yView, out, n, g.OH, g.C)
	}
	p.act.forward(&p.LayerBase, p.yView)
	return p.yView
}

// Backward returns dx: each dy value sent to its window's maximum, or
// spread evenly over its window's pixels.
func (p *Pooling) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	g := p.geom
	d := p.act.backward(&p.LayerBase, p.yView, dy).Data
	if p.DataFormat == channelsFirst {
		p.dyT = tensor.Ensure(p.dyT, len(d))
		toChannelsLast(p.dyT.Data, d, g.N, g.C, g.OH*g.OW)
		d = p.dyT.Data
	}
	p.dx = tensor.Ensure(p.dx, p.inShape...)
	p.dx.Zero()
	if p.Max {
		tensor.MaxPoolBackward(p.dx.Data, d, p.argmax)
	} else {
		tensor.AvgPoolBackward(p.dx.Data, d, g)
	}
	if p.DataFormat != channelsFirst {
		return p.dx
	}
	p.dxT = tensor.Ensure(p.dxT, p.inShape...)
	toChannelsFirst(p.dxT.Data, p.dx.Data, g.N, g.C, g.H*g.W)
	return p.dxT
}

// Config returns Keras's config; strides are written resolved, and a 1-D
// layer's sizes as lists of one, as Keras does.
func (p *Pooling) Config() Config {
	return Config{ClassName: p.ClassName, Config: p.BaseConfig(map[string]any{
		"pool_size":   pairList(p.PoolSize)[:p.Rank],
		"padding":     p.Padding,
		"strides":     pairList(p.Strides)[:p.Rank],
		"data_format": p.DataFormat,
	})}
}
