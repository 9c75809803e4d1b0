package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Conv2DTranspose is the transposed ("deconvolution") layer: the gradient
// of a convolution with respect to its input, used to upsample. With
// strides s an H×W input gives an output of about H·s × W·s (Keras's
// deconv_output_length, with output_padding). The kernel is (kh, kw,
// filters, in), as in Keras, and the bias (filters).
// Keras: keras/src/layers/convolutional/conv2d_transpose.py,
// base_conv_transpose.py and keras/src/ops/operation_utils.py
// (compute_conv_transpose_output_shape).
type Conv2DTranspose struct {
	LayerBase
	Filters       int
	KernelSize    [2]int
	Strides       [2]int
	Padding       string
	OutputPadding *[2]int // nil for Keras's None
	DataFormat    string
	DilationRate  [2]int
	Activation    Activation
	UseBias       bool
	kernelSpec    weightSpec
	biasSpec      weightSpec

	kernel, bias *Param
	in           int

	act          activity
	geom         tensor.ConvGeom // the convolution this layer transposes: from the output's size to the input's
	x            *tensor.Tensor  // the input, channels last
	xT, zT, dzT  *tensor.Tensor
	z, y, dz, dx *tensor.Tensor
	dxT, logits  *tensor.Tensor
	inShape      []int
}

func init() {
	layers.add("Conv2DTranspose", conv2DTransposeArgs, func(m map[string]any) (Layer, error) { return newConv2DTransposeFromConfig(m) }, "Convolution2DTranspose")
}

// conv2DTransposeArgs is Conv2DTranspose's Keras positional signature.
var conv2DTransposeArgs = []string{"filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate",
	"activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
	"activity_regularizer", "kernel_constraint", "bias_constraint"}

// NewConv2DTranspose returns a Conv2DTranspose layer of the given filters
// and kernel size; opts holds the other Keras arguments by config key.
func NewConv2DTranspose(filters int, kernelSize []int, opts map[string]any) (*Conv2DTranspose, error) {
	m, err := withArgs("Conv2DTranspose", opts, "filters", filters, "kernel_size", kernelSize)
	if err != nil {
		return nil, err
	}
	return newConv2DTransposeFromConfig(m)
}

func newConv2DTransposeFromConfig(m map[string]any) (*Conv2DTranspose, error) {
	a := NewArgs("Conv2DTranspose", m)
	c := &Conv2DTranspose{LayerBase: ParseBase(a, "Conv2DTranspose")}
	if !a.Has("filters") {
		a.Fail("filters", nil, "a positive integer (Conv2DTranspose needs filters, the number of output channels)")
	} else if c.Filters = a.Int("filters", 0); c.Filters < 1 {
		a.Fail("filters", c.Filters, "a positive integer")
	}
	if !a.Has("kernel_size") {
		a.Fail("kernel_size", nil, "an integer or a list of 2 integers (Conv2DTranspose needs kernel_size)")
	} else {
		c.KernelSize = readPair(a, "kernel_size", [2]int{1, 1})
	}
	c.Strides = readPair(a, "strides", [2]int{1, 1})
	c.DilationRate = readPair(a, "dilation_rate", [2]int{1, 1})
	c.Padding = readPadding(a)
	c.DataFormat = readDataFormat(a)
	if a.Has("output_padding") {
		v := a.Ints("output_padding", 2, []int{0, 0})
		for i, p := range v {
			if p < 0 || p >= c.Strides[i] {
				a.Fail("output_padding", v, fmt.Sprintf("values in [0, strides) (strides=%s): the output padding must be smaller than the stride", formatValue(c.Strides[:])))
				break
			}
		}
		c.OutputPadding = &[2]int{v[0], v[1]}
	}
	if max(c.Strides[0], c.Strides[1]) > 1 && max(c.DilationRate[0], c.DilationRate[1]) > 1 {
		a.Fail("strides", pairList(c.Strides), "strides of 1 when dilation_rate is above 1 (Keras does not support both)")
	}
	c.Activation = readLayerActivation(a)
	c.UseBias = a.Bool("use_bias", true)
	c.kernelSpec = readWeightSpec(a, "kernel", "glorot_uniform")
	c.biasSpec = readWeightSpec(a, "bias", "zeros")
	a.Unsupported("groups", "1 (grouped transposed convolution is not implemented)")
	rejectLoRA(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Conv2DTranspose) layerName() string {
	if c.Name != "" {
		return c.Name
	}
	return "Conv2DTranspose"
}

// deconvLength is Keras's deconv_output_length for one axis (-1 stays -1).
func deconvLength(in, kernel, stride, dilation int, padding string, outputPadding *int) int {
	if in < 0 {
		return -1
	}
	k := kernel + (kernel-1)*(dilation-1)
	if outputPadding == nil {
		if padding == "same" {
			return in * stride
		}
		return in*stride + max(k-stride, 0)
	}
	pad := 0
	if padding == "same" {
		pad = k / 2
	}
	return (in-1)*stride + k - 2*pad + *outputPadding
}

// outSize returns the output height and width for an input of h×w.
func (c *Conv2DTranspose) outSize(h, w int) (oh, ow int) {
	var ph, pw *int
	if c.OutputPadding != nil {
		ph, pw = &c.OutputPadding[0], &c.OutputPadding[1]
	}
	return deconvLength(h, c.KernelSize[0], c.Strides[0], c.DilationRate[0], c.Padding, ph),
		deconvLength(w, c.KernelSize[1], c.Strides[1], c.DilationRate[1], c.Padding, pw)
}

// geometry is the convolution this layer transposes, for n inputs of h×w
// and ch channels; it fails when that convolution does not give back h×w.
func (c *Conv2DTranspose) geometry(n, h, w int) (tensor.ConvGeom, error) {
	oh, ow := c.outSize(h, w)
	if oh < 1 || ow < 1 {
		return tensor.ConvGeom{}, fmt.Errorf("the output would be %dx%d", oh, ow)
	}
	g, err := tensor.NewConvGeom(n, oh, ow, c.Filters, c.KernelSize[0], c.KernelSize[1], c.Strides[0], c.Strides[1],
		c.DilationRate[0], c.DilationRate[1], c.Padding)
	if err != nil {
		return g, err
	}
	if g.OH != h || g.OW != w {
		return g, fmt.Errorf("an output of %dx%d does not convolve back to %dx%d with padding %q; change output_padding", oh, ow, h, w, c.Padding)
	}
	return g, nil
}

// OutputShape returns (OH, OW, filters) (or (filters, OH, OW)).
func (c *Conv2DTranspose) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	h, w, ch, ok := spatial(in, c.DataFormat)
	if !ok || ch < 1 {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: expectedImage(c.DataFormat) + " with a known number of channels"}
	}
	if c.Built && ch != c.in {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s with %d channels, as the kernel was built for", expectedImage(c.DataFormat), c.in)}
	}
	kh, kw := max(h, 1), max(w, 1)
	if _, err := c.geometry(1, kh, kw); err != nil {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s that kernel_size %s, strides %s and padding %q can transpose (%v)",
			expectedImage(c.DataFormat), formatValue(c.KernelSize[:]), formatValue(c.Strides[:]), c.Padding, err)}
	}
	oh, ow := c.outSize(h, w)
	return imageShape(oh, ow, c.Filters, c.DataFormat), nil
}

// Build creates the kernel (kh, kw, filters, in) and the bias (filters).
func (c *Conv2DTranspose) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := c.OutputShape(in); err != nil {
		return err
	}
	if c.Built {
		return nil
	}
	_, _, c.in, _ = spatial(in, c.DataFormat)
	var err error
	if c.kernel, err = c.kernelSpec.newParam("Conv2DTranspose", "kernel", rng, c.KernelSize[0], c.KernelSize[1], c.Filters, c.in); err != nil {
		return err
	}
	if c.UseBias {
		if c.bias, err = c.biasSpec.newParam("Conv2DTranspose", "bias", rng, c.Filters); err != nil {
			return err
		}
	}
	c.Built = true
	return nil
}

// Params returns [kernel, bias] (or [kernel]).
func (c *Conv2DTranspose) Params() []*Param {
	if !c.Built {
		return nil
	}
	if c.UseBias {
		return []*Param{c.kernel, c.bias}
	}
	return []*Param{c.kernel}
}

// Forward computes activation(conv_transpose(x, kernel) + bias).
func (c *Conv2DTranspose) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != 4 {
		panic(fmt.Sprintf("nn: Conv2DTranspose.Forward: input %v is not rank 4", x.Shape))
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
	g, err := c.geometry(xl.Shape[0], xl.Shape[1], xl.Shape[2])
	if err != nil || xl.Shape[3] != c.in {
		panic(fmt.Sprintf("nn: Conv2DTranspose.Forward: input %v does not fit the layer (%v)", x.Shape, err))
	}
	c.geom = g
	f := c.Filters
	c.z = tensor.Ensure(c.z, g.N, g.H, g.W, f)
	tensor.ConvTranspose(c.z.Data, xl.Data, c.kernel.Value.Data, g, c.in)
	if c.UseBias {
		tensor.AddRowVector(c.z.Data, c.bias.Value.Data)
	}
	c.logits = c.z
	if c.DataFormat == channelsFirst {
		c.zT = tensor.Ensure(c.zT, g.N, f, g.H, g.W)
		toChannelsFirst(c.zT.Data, c.z.Data, g.N, f, g.H*g.W)
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
func (c *Conv2DTranspose) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
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
	g, f := c.geom, c.Filters
	if c.DataFormat == channelsFirst {
		c.dzT = tensor.Ensure(c.dzT, g.N, g.H, g.W, f)
		toChannelsLast(c.dzT.Data, dz.Data, g.N, f, g.H*g.W)
		dz = c.dzT
	}
	if c.UseBias {
		tensor.SumRows(c.bias.Grad.Data, dz.Data)
	}
	var dx []float32
	if needDx {
		c.dx = tensor.Ensure(c.dx, g.N, g.OH, g.OW, c.in)
		dx = c.dx.Data
	}
	tensor.ConvTransposeBackward(dx, c.kernel.Grad.Data, dz.Data, c.x.Data, c.kernel.Value.Data, g, c.in)
	if !needDx {
		return nil
	}
	if c.DataFormat == channelsFirst {
		c.dxT = tensor.Ensure(c.dxT, c.inShape...)
		toChannelsFirst(c.dxT.Data, c.dx.Data, g.N, c.in, g.OH*g.OW)
		return c.dxT
	}
	return c.dx
}

// Config returns Keras's Conv2DTranspose config.
func (c *Conv2DTranspose) Config() Config {
	m := map[string]any{
		"filters":              c.Filters,
		"kernel_size":          pairList(c.KernelSize),
		"strides":              pairList(c.Strides),
		"padding":              c.Padding,
		"output_padding":       nil,
		"data_format":          c.DataFormat,
		"dilation_rate":        pairList(c.DilationRate),
		"activation":           c.Activation.Name(),
		"use_bias":             c.UseBias,
		"activity_regularizer": nil,
	}
	if c.OutputPadding != nil {
		m["output_padding"] = pairList(*c.OutputPadding)
	}
	c.kernelSpec.config(m, "kernel")
	c.biasSpec.config(m, "bias")
	return Config{ClassName: "Conv2DTranspose", Config: c.BaseConfig(m)}
}

// footprint counts the weights, z and y forward and dz and dx backward,
// with the transposes of channels_first.
func (c *Conv2DTranspose) footprint(in tensor.Shape) Footprint {
	_, _, ch, ok := spatial(in, c.DataFormat)
	if !ok {
		return Footprint{Forward: shapeValues(in), Backward: shapeValues(in)}
	}
	image := shapeValues(in)
	out := image
	if o, err := c.OutputShape(in); err == nil {
		out = shapeValues(o)
	}
	k := float64(c.KernelSize[0]) * float64(c.KernelSize[1]) * float64(max(ch, 1)) * float64(c.Filters)
	f := Footprint{Weights: k, Forward: 2 * out, Backward: out + image + activityValues(&c.LayerBase, out)}
	if c.UseBias {
		f.Weights += float64(c.Filters)
	}
	if c.DataFormat == channelsFirst {
		f.Forward += image + out
		f.Backward += image + out
	}
	return f
}
