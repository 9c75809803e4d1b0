package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// DepthwiseConv2D convolves each input channel with its own
// depth_multiplier filters: output channel c·depth_multiplier + m is input
// channel c convolved with depthwise_kernel[:, :, c, m], plus bias, through
// the activation. The kernel is (kh, kw, in, depth_multiplier) and the
// bias (in·depth_multiplier), as in Keras.
// Keras: keras/src/layers/convolutional/depthwise_conv2d.py and
// base_depthwise_conv.py.
//
// Porting note: Keras 3 names the kernel "kernel"; tf.keras and TF.js name
// it "depthwise_kernel", which keraswasm keeps (the dialect of TF.js
// files).
type DepthwiseConv2D struct {
	LayerBase
	KernelSize      [2]int
	Strides         [2]int
	Padding         string
	DepthMultiplier int
	DataFormat      string
	DilationRate    [2]int
	Activation      Activation
	UseBias         bool
	kernelSpec      weightSpec
	biasSpec        weightSpec

	kernel, bias *Param
	in           int

	act            activity
	geom           tensor.ConvGeom
	x              *tensor.Tensor // the input, channels last
	xT, zT, dzT    *tensor.Tensor // channels_first transposes
	z, y, dz, dx   *tensor.Tensor
	dxT, logits    *tensor.Tensor
	inShape, shape []int
}

// depthwiseArgs is DepthwiseConv2D's Keras positional signature.
var depthwiseArgs = []string{"kernel_size", "strides", "padding", "depth_multiplier", "data_format", "dilation_rate",
	"activation", "use_bias", "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "bias_regularizer",
	"activity_regularizer", "depthwise_constraint", "bias_constraint"}

func init() {
	layers.add("DepthwiseConv2D", depthwiseArgs, func(m map[string]any) (Layer, error) { return newDepthwiseFromConfig(m) })
}

// NewDepthwiseConv2D returns a DepthwiseConv2D layer of the given kernel
// size; opts holds the other Keras arguments by config key.
func NewDepthwiseConv2D(kernelSize []int, opts map[string]any) (*DepthwiseConv2D, error) {
	m, err := withArgs("DepthwiseConv2D", opts, "kernel_size", kernelSize)
	if err != nil {
		return nil, err
	}
	return newDepthwiseFromConfig(m)
}

func newDepthwiseFromConfig(m map[string]any) (*DepthwiseConv2D, error) {
	a := NewArgs("DepthwiseConv2D", m)
	c := &DepthwiseConv2D{LayerBase: ParseBase(a, "DepthwiseConv2D")}
	if !a.Has("kernel_size") {
		a.Fail("kernel_size", nil, "an integer or a list of 2 integers (DepthwiseConv2D needs kernel_size)")
	} else {
		c.KernelSize = readPair(a, "kernel_size", [2]int{1, 1})
	}
	c.Strides = readPair(a, "strides", [2]int{1, 1})
	c.DilationRate = readPair(a, "dilation_rate", [2]int{1, 1})
	c.Padding = readPadding(a)
	c.DataFormat = readDataFormat(a)
	if c.DepthMultiplier = a.Int("depth_multiplier", 1); c.DepthMultiplier < 1 {
		a.Fail("depth_multiplier", c.DepthMultiplier, "a positive integer (the filters per input channel)")
	}
	if max(c.Strides[0], c.Strides[1]) > 1 && max(c.DilationRate[0], c.DilationRate[1]) > 1 {
		a.Fail("strides", pairList(c.Strides), "strides of 1 when dilation_rate is above 1 (Keras does not support both)")
	}
	c.Activation = readLayerActivation(a)
	c.UseBias = a.Bool("use_bias", true)
	c.kernelSpec = readWeightSpec(a, "depthwise", "glorot_uniform")
	c.biasSpec = readWeightSpec(a, "bias", "zeros")
	if err := a.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *DepthwiseConv2D) layerName() string {
	if c.Name != "" {
		return c.Name
	}
	return "DepthwiseConv2D"
}

// OutputShape returns (OH, OW, in·depth_multiplier) (or channels first).
func (c *DepthwiseConv2D) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	h, w, ch, ok := spatial(in, c.DataFormat)
	if !ok || ch < 1 {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: expectedImage(c.DataFormat) + " with a known number of channels"}
	}
	if c.Built && ch != c.in {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s with %d channels, as the kernel was built for", expectedImage(c.DataFormat), c.in)}
	}
	oh, ow, err := windowOutput(h, w, c.KernelSize[0], c.KernelSize[1], c.Strides[0], c.Strides[1], c.DilationRate[0], c.DilationRate[1], c.Padding)
	if err != nil {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s large enough for kernel_size %s (%v)", expectedImage(c.DataFormat), formatValue(c.KernelSize[:]), err)}
	}
	return imageShape(oh, ow, ch*c.DepthMultiplier, c.DataFormat), nil
}

// Build creates depthwise_kernel (kh, kw, in, depth_multiplier) and bias
// (in·depth_multiplier).
func (c *DepthwiseConv2D) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := c.OutputShape(in); err != nil {
		return err
	}
	if c.Built {
		return nil
	}
	_, _, c.in, _ = spatial(in, c.DataFormat)
	var err error
	if c.kernel, err = c.kernelSpec.newParam("DepthwiseConv2D", "depthwise_kernel", rng, c.KernelSize[0], c.KernelSize[1], c.in, c.DepthMultiplier); err != nil {
		return err
	}
	if c.UseBias {
		if c.bias, err = c.biasSpec.newParam("DepthwiseConv2D", "bias", rng, c.in*c.DepthMultiplier); err != nil {
			return err
		}
	}
	c.Built = true
	return nil
}

// Params returns [depthwise_kernel, bias] (or [depthwise_kernel]).
func (c *DepthwiseConv2D) Params() []*Param {
	if !c.Built {
		return nil
	}
	if c.UseBias {
		return []*Param{c.kernel, c.bias}
	}
	return []*Param{c.kernel}
}

// Forward computes activation(depthwise(x) + bias) for x (N, H, W, in) (or
// (N, in, H, W)).
func (c *DepthwiseConv2D) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != 4 {
		panic(fmt.Sprintf("nn: DepthwiseConv2D.Forward: input %v is not rank 4", x.Shape))
	}
	c.inShape = append(c.inShape[:0], x.Shape...)
	xl := x
	if c.DataFormat == channelsFirst {
		n, ch, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
		c.xT = tensor.Ensure(c.xT, n, h, w, ch)
		toChannelsLast(c.xT.Data, x.Data, n, ch, h*w)
		xl = c.xT
	}
	c.x = xl
	g, err := tensor.NewConvGeom(xl.Shape[0], xl.Shape[1], xl.Shape[2], xl.Shape[3], c.KernelSize[0], c.KernelSize[1],
		c.Strides[0], c.Strides[1], c.DilationRate[0], c.DilationRate[1], c.Padding)
	if err != nil || g.C != c.in {
		panic(fmt.Sprintf("nn: DepthwiseConv2D.Forward: input %v does not fit the layer (%v)", x.Shape, err))
	}
	c.geom = g
	f := c.in * c.DepthMultiplier
	c.z = tensor.Ensure(c.z, g.N, g.OH, g.OW, f)
	tensor.DepthwiseConv(c.z.Data, xl.Data, c.kernel.Value.Data, g, c.DepthMultiplier)
	if c.UseBias {
		tensor.AddRowVector(c.z.Data, c.bias.Value.Data)
	}
	c.logits = c.z
	if c.DataFormat == channelsFirst {
		c.zT = tensor.Ensure(c.zT, g.N, f, g.OH, g.OW)
		toChannelsFirst(c.zT.Data, c.z.Data, g.N, f, g.OH*g.OW)
		c.logits = c.zT
	}
	y := c.logits
	if _, isLinear := c.Activation.(linear); !isLinear {
		c.y = tensor.Ensure(c.y, c.logits.Shape...)
		c.Activation.Forward(c.y, c.logits)
		y = c.y
	}
	c.act.forward(&c.LayerBase, y)
	return y
}

// Backward accumulates the kernel and bias gradients and returns dx (nil
// when needDx is false).
func (c *DepthwiseConv2D) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	y := c.logits
	_, isLinear := c.Activation.(linear)
	if !isLinear {
		y = c.y
	}
	dy = c.act.backward(&c.LayerBase, y, dy)
	dz := dy
	if !isLinear {
		c.dz = tensor.Ensure(c.dz, c.logits.Shape...)
		c.Activation.Backward(c.dz, c.logits, c.y, dy)
		dz = c.dz
	}
	g, f := c.geom, c.in*c.DepthMultiplier
	if c.DataFormat == channelsFirst {
		c.dzT = tensor.Ensure(c.dzT, g.N, g.OH, g.OW, f)
		toChannelsLast(c.dzT.Data, dz.Data, g.N, f, g.OH*g.OW)
		dz = c.dzT
	}
	if c.UseBias {
		tensor.SumRows(c.bias.Grad.Data, dz.Data)
	}
	var dx []float32
	if needDx {
		c.dx = tensor.Ensure(c.dx, g.N, g.H, g.W, g.C)
		dx = c.dx.Data
	}
	tensor.DepthwiseConvBackward(dx, c.kernel.Grad.Data, dz.Data, c.x.Data, c.kernel.Value.Data, g, c.DepthMultiplier)
	if !needDx {
		return nil
	}
	if c.DataFormat == channelsFirst {
		c.dxT = tensor.Ensure(c.dxT, c.inShape...)
		toChannelsFirst(c.dxT.Data, c.dx.Data, g.N, g.C, g.H*g.W)
		return c.dxT
	}
	return c.dx
}

// Config returns Keras's DepthwiseConv2D config.
func (c *DepthwiseConv2D) Config() Config {
	m := map[string]any{
		"kernel_size":          pairList(c.KernelSize),
		"strides":              pairList(c.Strides),
		"padding":              c.Padding,
		"depth_multiplier":     c.DepthMultiplier,
		"data_format":          c.DataFormat,
		"dilation_rate":        pairList(c.DilationRate),
		"activation":           c.Activation.Name(),
		"use_bias":             c.UseBias,
		"activity_regularizer": nil,
	}
	c.kernelSpec.config(m, "depthwise")
	c.biasSpec.config(m, "bias")
	return Config{ClassName: "DepthwiseConv2D", Config: c.BaseConfig(m)}
}

// footprint counts the weights, z and y forward and dz and dx backward,
// with the transposes of channels_first.
func (c *DepthwiseConv2D) footprint(in tensor.Shape) Footprint {
	_, _, ch, ok := spatial(in, c.DataFormat)
	if !ok {
		return Footprint{Forward: shapeValues(in), Backward: shapeValues(in)}
	}
	image := shapeValues(in)
	out := image * float64(c.DepthMultiplier)
	if o, err := c.OutputShape(in); err == nil {
		out = shapeValues(o)
	}
	k := float64(c.KernelSize[0]) * float64(c.KernelSize[1]) * float64(max(ch, 1)) * float64(c.DepthMultiplier)
	f := Footprint{Weights: k, Forward: 2 * out, Backward: out + image + activityValues(&c.LayerBase, out)}
	if c.UseBias {
		f.Weights += float64(max(ch, 1) * c.DepthMultiplier)
	}
	if c.DataFormat == channelsFirst {
		f.Forward += image + out
		f.Backward += image + out
	}
	return f
}
