package nn

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// Conv2D is Keras's 2-D convolution (a cross-correlation, as in Keras):
// y = activation(conv(x, kernel) + bias), with the kernel (kh, kw, in,
// filters) and the bias (filters) in Keras's layout.
//
// It computes through im2col: the input patches become a matrix
// cols (N·OH·OW, kh·kw·in), so the forward pass is the product
// cols·kernel, the kernel gradient colsᵀ·dz, and the input gradient
// dz·kernelᵀ folded back with col2im. The matrix is never held whole: it
// is made one tile of rows at a time (tensor.ColTiles, about 1 MiB) and
// made again in Backward, so the layer's scratch does not grow with the
// batch (the whole matrix for the study note's first Conv2D on 32 images
// of 100×100×3 would be 340 MB, twice). Every buffer is owned and reused,
// so a steady-state step allocates nothing.
//
// data_format channels_first (N, C, H, W) is accepted: the input is
// transposed to channels_last on the way in and the convolution's result
// back before the activation, which costs two copies but gives Keras's
// numbers (a softmax activation is over the output's last axis, as Keras
// applies it). groups other than 1
// is rejected as not implemented. Keras: keras/src/layers/convolutional/
// base_conv.py and conv2d.py.
type Conv2D struct {
	LayerBase
	Filters      int
	KernelSize   [2]int
	Strides      [2]int
	Padding      string // "valid" or "same"
	DataFormat   string // "channels_last" or "channels_first"
	DilationRate [2]int
	Activation   Activation
	UseBias      bool
	kernelSpec   weightSpec
	biasSpec     weightSpec

	kernel, bias *Param
	in           int // input channels, set by Build

	act      activity
	geom     tensor.ConvGeom
	inShape  []int           // the last input's shape as given (batch first)
	x        *tensor.Tensor  // the last input as (N, H, W, in), kept for Backward
	tiles    tensor.ColTiles // the tiles of im2col rows the products go by
	cols     *tensor.Tensor  // (tile rows, kh·kw·in): one tile of the im2col of x
	dcols    *tensor.Tensor  // (tile rows, kh·kw·in): one tile of its gradient
	dzTile   *tensor.Tensor  // relu: (tile rows, filters), one tile of dz
	biasSum  []float64       // relu: the bias gradient summed over the tiles
	z        *tensor.Tensor  // the convolution plus bias, (N, OH, OW, filters)
	logits   *tensor.Tensor  // the pre-activation in the output's layout: z, or zT
	y        *tensor.Tensor  // the activation of logits
	dz       *tensor.Tensor  // ∂loss/∂logits, in the output's layout
	dxBuffer                 // dx (N, H, W, in): the layer's or the model's shared one (DxSharer)
	xT, zT   *tensor.Tensor  // channels_first: input as NHWC, z as NCHW
	dzT, dxT *tensor.Tensor  // channels_first: dz as NHWC, dx as NCHW
}

// conv2DArgs is Conv2D's Keras positional signature.
var conv2DArgs = []string{"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
	"activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
	"activity_regularizer", "kernel_constraint", "bias_constraint"}

func init() {
	layers.add("Conv2D", conv2DArgs, func(m map[string]any) (Layer, error) { return newConv2DFromConfig(m) }, "Convolution2D")
}

// NewConv2D returns a Conv2D layer with the given number of filters and
// kernel size ([kh, kw]); opts holds any other Keras argument by its config
// key ("strides", "padding", "activation", "input_shape", ...).
func NewConv2D(filters int, kernelSize []int, opts map[string]any) (*Conv2D, error) {
	m, err := withArgs("Conv2D", opts, "filters", filters, "kernel_size", kernelSize)
	if err != nil {
		return nil, err
	}
	return newConv2DFromConfig(m)
}

func newConv2DFromConfig(m map[string]any) (*Conv2D, error) {
	a := NewArgs("Conv2D", m)
	c := &Conv2D{LayerBase: ParseBase(a, "Conv2D")}
	if !a.Has("filters") {
		a.Fail("filters", nil, "a positive integer (Conv2D needs filters, the number of output channels)")
	} else if c.Filters = a.Int("filters", 0); c.Filters < 1 {
		a.Fail("filters", c.Filters, "a positive integer")
	}
	if !a.Has("kernel_size") {
		a.Fail("kernel_size", nil, "an integer or a list of 2 integers (Conv2D needs kernel_size)")
	} else {
		c.KernelSize = readPair(a, "kernel_size", [2]int{1, 1})
	}
	c.Strides = readPair(a, "strides", [2]int{1, 1})
	c.DilationRate = readPair(a, "dilation_rate", [2]int{1, 1})
	c.Padding = readPadding(a)
	c.DataFormat = readDataFormat(a)
	if g := a.Int("groups", 1); g != 1 {
		a.Unimplemented("groups", g, "1 (grouped convolution is not implemented in keraswasm)")
	}
	if max(c.Strides[0], c.Strides[1]) > 1 && max(c.DilationRate[0], c.DilationRate[1]) > 1 {
		a.Fail("strides", pairList(c.Strides), fmt.Sprintf(
			"strides of 1 when dilation_rate is above 1: Keras does not support strides > 1 together with dilation_rate > 1 (dilation_rate=%s)",
			formatValue(c.DilationRate[:])))
	}
	c.Activation = readLayerActivation(a)
	c.UseBias = a.Bool("use_bias", true)
	c.kernelSpec = readWeightSpec(a, "kernel", "glorot_uniform")
	c.biasSpec = readWeightSpec(a, "bias", "zeros")
	rejectLoRA(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// readPair reads a Keras 2-tuple argument (an integer stands for both) whose
// entries must be positive.
func readPair(a *Args, key string, def [2]int) [2]int {
	v := a.Ints(key, 2, def[:])
	for _, x := range v {
		if x < 1 {
			a.Fail(key, v, "positive integers (an integer or a list of 2 integers, each >= 1)")
			return def
		}
	}
	return [2]int{v[0], v[1]}
}

// pairList returns p as a new list, the form configs hold.
func pairList(p [2]int) []int { return []int{p[0], p[1]} }

// readPadding reads Keras's padding argument, "valid" or "same" in any case.
func readPadding(a *Args) string {
	raw := a.String("padding", "valid")
	p := strings.ToLower(raw)
	if p != "valid" && p != "same" {
		a.Fail("padding", raw, `one of "valid", "same" ("causal" is for Conv1D only)`)
		return "valid"
	}
	return p
}

// spatial splits an input shape without batch into height, width and
// channels according to the data format; ok is false if it is not rank 3.
func spatial(in tensor.Shape, format string) (h, w, c int, ok bool) {
	if len(in) != 3 {
		return 0, 0, 0, false
	}
	if format == channelsFirst {
		return in[1], in[2], in[0], true
	}
	return in[0], in[1], in[2], true
}

// imageShape writes an output shape in the data format.
func imageShape(h, w, c int, format string) tensor.Shape {
	if format == channelsFirst {
		return tensor.Shape{c, h, w}
	}
	return tensor.Shape{h, w, c}
}

// expectedImage describes the input an image layer takes.
func expectedImage(format string) string {
	if format == channelsFirst {
		return "(channels, height, width) for data_format \"channels_first\""
	}
	return "(height, width, channels)"
}

// windowOutput works out the output height and width of a window operation
// (conv or pooling); an unknown (-1) input dimension gives an unknown one.
func windowOutput(h, w, kh, kw, sh, sw, dh, dw int, padding string) (oh, ow int, err error) {
	hh, ww := h, w
	if h < 0 || w < 0 {
		// Check the known dimension against a window on an input at least
		// as large as the window in the unknown one.
		if h < 0 {
			hh = (kh-1)*dh + 1
		}
		if w < 0 {
			ww = (kw-1)*dw + 1
		}
	}
	g, err := tensor.NewConvGeom(1, hh, ww, 1, kh, kw, sh, sw, dh, dw, padding)
	if err != nil {
		return 0, 0, err
	}
	oh, ow = g.OH, g.OW
	if h < 0 {
		oh = -1
	}
	if w < 0 {
		ow = -1
	}
	return oh, ow, nil
}

func (c *Conv2D) layerName() string {
	if c.Name != "" {
		return c.Name
	}
	return "Conv2D"
}

// OutputShape returns (OH, OW, filters) (or (filters, OH, OW) for
// channels_first), with Keras's valid/same rules.
func (c *Conv2D) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	h, w, ch, ok := spatial(in, c.DataFormat)
	if !ok {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: expectedImage(c.DataFormat)}
	}
	if ch < 1 {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: expectedImage(c.DataFormat) + " with a known number of channels"}
	}
	if c.Built && ch != c.in {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s with %d channels, as the kernel was built for", expectedImage(c.DataFormat), c.in)}
	}
	oh, ow, err := windowOutput(h, w, c.KernelSize[0], c.KernelSize[1], c.Strides[0], c.Strides[1], c.DilationRate[0], c.DilationRate[1], c.Padding)
	if err != nil {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s large enough for kernel_size %s (%v)", expectedImage(c.DataFormat), formatValue(c.KernelSize[:]), err)}
	}
	return imageShape(oh, ow, c.Filters, c.DataFormat), nil
}

// Build creates the kernel (kh, kw, in, filters) and bias (filters).
func (c *Conv2D) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := c.OutputShape(in); err != nil {
		return err
	}
	if c.Built {
		return nil
	}
	_, _, c.in, _ = spatial(in, c.DataFormat)
	var err error
	if c.kernel, err = c.kernelSpec.newParam("Conv2D", "kernel", rng, c.KernelSize[0], c.KernelSize[1], c.in, c.Filters); err != nil {
		return err
	}
	if c.UseBias {
		if c.bias, err = c.biasSpec.newParam("Conv2D", "bias", rng, c.Filters); err != nil {
			return err
		}
	}
	c.Built = true
	return nil
}

// Params returns [kernel, bias] (or [kernel]), Keras's get_weights order.
func (c *Conv2D) Params() []*Param {
	if !c.Built {
		return nil
	}
	ps := []*Param{c.kernel}
	if c.UseBias {
		ps = append(ps, c.bias)
	}
	return ps
}

// Config returns Keras's Conv2D config.
func (c *Conv2D) Config() Config {
	m := map[string]any{
		"filters":              c.Filters,
		"kernel_size":          pairList(c.KernelSize),
		"strides":              pairList(c.Strides),
		"padding":              c.Padding,
		"data_format":          c.DataFormat,
		"dilation_rate":        pairList(c.DilationRate),
		"groups":               1,
		"activation":           c.Activation.Name(),
		"use_bias":             c.UseBias,
		"activity_regularizer": nil,
	}
	c.kernelSpec.config(m, "kernel")
	c.biasSpec.config(m, "bias")
	return Config{ClassName: "Conv2D", Config: c.BaseConfig(m)}
}
