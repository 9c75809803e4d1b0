package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// MaxPooling2D takes the maximum of each pool_size window of each channel,
// moving by strides (pool_size when null, as in Keras), with 'valid' or
// 'same' padding (padding never wins a window). Backward sends each output
// gradient to the input that was the maximum (the first one on ties).
// channels_first input is transposed to channels_last and back, as in
// Conv2D. Keras: keras/src/layers/pooling/max_pooling2d.py and
// base_pooling.py.
type MaxPooling2D struct {
	LayerBase
	PoolSize   [2]int
	Strides    [2]int
	Padding    string
	DataFormat string

	act      activity
	geom     tensor.ConvGeom
	inShape  []int
	argmax   []int32        // flat index into the channels_last input of each output
	y        *tensor.Tensor // channels_last
	dxBuffer                // dx, channels_last: the layer's or the model's shared one (DxSharer)
	xT, yT   *tensor.Tensor // channels_first: input as NHWC, output as NCHW
	dyT, dxT *tensor.Tensor // channels_first: dy as NHWC, dx as NCHW
}

func init() {
	layers.add("MaxPooling2D", []string{"pool_size", "strides", "padding", "data_format"}, func(m map[string]any) (Layer, error) { return newMaxPooling2DFromConfig(m) }, "MaxPool2D")
}

// NewMaxPooling2D returns a MaxPooling2D layer; opts holds its Keras
// arguments ("pool_size", "strides", "padding", "data_format", ...).
func NewMaxPooling2D(opts map[string]any) (*MaxPooling2D, error) {
	m, err := withArgs("MaxPooling2D", opts)
	if err != nil {
		return nil, err
	}
	return newMaxPooling2DFromConfig(m)
}

func newMaxPooling2DFromConfig(m map[string]any) (*MaxPooling2D, error) {
	a := NewArgs("MaxPooling2D", m)
	p := &MaxPooling2D{LayerBase: ParseBase(a, "MaxPooling2D")}
	p.PoolSize = readPair(a, "pool_size", [2]int{2, 2})
	p.Strides = readPair(a, "strides", p.PoolSize)
	p.Padding = readPadding(a)
	p.DataFormat = readDataFormat(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *MaxPooling2D) layerName() string {
	if p.Name != "" {
		return p.Name
	}
	return "MaxPooling2D"
}

// OutputShape returns (OH, OW, channels) (or (channels, OH, OW)).
func (p *MaxPooling2D) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	h, w, c, ok := spatial(in, p.DataFormat)
	if !ok {
		return nil, &ShapeError{Layer: p.layerName(), Got: in.Clone(), Want: expectedImage(p.DataFormat)}
	}
	oh, ow, err := windowOutput(h, w, p.PoolSize[0], p.PoolSize[1], p.Strides[0], p.Strides[1], 1, 1, p.Padding)
	if err != nil {
		return nil, &ShapeError{Layer: p.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s large enough for pool_size %s (%v)",
			expectedImage(p.DataFormat), formatValue(p.PoolSize[:]), err)}
	}
	return imageShape(oh, ow, c, p.DataFormat), nil
}

// Build checks the input shape; pooling has no weights.
func (p *MaxPooling2D) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := p.OutputShape(in); err != nil {
		return err
	}
	p.Built = true
	return nil
}

// Params returns nil: pooling has no weights.
func (p *MaxPooling2D) Params() []*Param { return nil }

// Forward returns the window maxima of x (N, H, W, C) (or (N, C, H, W)),
// remembering where each came from. It panics if x is not rank 4 or smaller
// than a 'valid' window (the model checks shapes first).
func (p *MaxPooling2D) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != 4 {
		panic(fmt.Sprintf("nn: MaxPooling2D.Forward: input %v is not rank 4: expected a batch of %s", x.Shape, expectedImage(p.DataFormat)))
	}
	p.inShape = append(p.inShape[:0], x.Shape...)
	xl := x
	if p.DataFormat == channelsFirst {
		n, c, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
		p.xT = tensor.Ensure(p.xT, n, h, w, c)
		toChannelsLast(p.xT.Data, x.Data, n, c, h*w)
		xl = p.xT
	}
	g, err := tensor.NewConvGeom(xl.Shape[0], xl.Shape[1], xl.Shape[2], xl.Shape[3], p.PoolSize[0], p.PoolSize[1],
		p.Strides[0], p.Strides[1], 1, 1, p.Padding)
	if err != nil {
		panic(fmt.Sprintf("nn: MaxPooling2D.Forward: input %v: %v", x.Shape, err))
	}
	p.geom = g
	p.y = tensor.Ensure(p.y, g.N, g.OH, g.OW, g.C)
	if cap(p.argmax) < len(p.y.Data) {
		p.argmax = make([]int32, len(p.y.Data))
	}
	p.argmax = p.argmax[:len(p.y.Data)]
	tensor.MaxPool(p.y.Data, p.argmax, xl.Data, g)
	y := p.y
	if p.DataFormat == channelsFirst {
		p.yT = tensor.Ensure(p.yT, g.N, g.C, g.OH, g.OW)
		toChannelsFirst(p.yT.Data, p.y.Data, g.N, g.C, g.OH*g.OW)
		y = p.yT
	}
	p.act.forward(&p.LayerBase, y)
	return y
}

// Backward returns dx: each dy value added at its window's maximum.
func (p *MaxPooling2D) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	g := p.geom
	if p.DataFormat == channelsFirst {
		dy = p.act.backward(&p.LayerBase, p.yT, dy)
		p.dyT = tensor.Ensure(p.dyT, g.N, g.OH, g.OW, g.C)
		toChannelsLast(p.dyT.Data, dy.Data, g.N, g.C, g.OH*g.OW)
		dy = p.dyT
	} else {
		dy = p.act.backward(&p.LayerBase, p.y, dy)
	}
	dx := p.ensureDx(g.N, g.H, g.W, g.C)
	dx.Zero()
	tensor.MaxPoolBackward(dx.Data, dy.Data, p.argmax)
	if p.DataFormat != channelsFirst {
		return dx
	}
	p.dxT = tensor.Ensure(p.dxT, p.inShape...)
	toChannelsFirst(p.dxT.Data, dx.Data, g.N, g.C, g.H*g.W)
	return p.dxT
}

// Config returns Keras's MaxPooling2D config; strides are written resolved,
// as Keras does.
func (p *MaxPooling2D) Config() Config {
	return Config{ClassName: "MaxPooling2D", Config: p.BaseConfig(map[string]any{
		"pool_size":   pairList(p.PoolSize),
		"padding":     p.Padding,
		"strides":     pairList(p.Strides),
		"data_format": p.DataFormat,
	})}
}
