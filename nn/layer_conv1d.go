package nn

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// Conv1D is Keras's temporal convolution: y = activation(conv1d(x, kernel)
// + bias) over the steps of x (batch, steps, channels) (or (batch, channels,
// steps) for channels_first). The kernel is (kernel_size, in, filters) and
// the bias (filters), as in Keras. padding "causal" pads
// dilation_rate·(kernel_size − 1) zeros before the first step, so that
// output t sees only inputs up to t.
//
// It runs as a Conv2D over a height of 1 (the same im2col and GEMM): the
// input (batch, steps, in) is the image (batch, 1, steps, in), the kernel
// the (1, kernel_size, in, filters) one, on the same memory.
// Keras: keras/src/layers/convolutional/conv1d.py and base_conv.py.
type Conv1D struct {
	LayerBase
	Filters      int
	KernelSize   int
	Strides      int
	Padding      string // "valid", "same" or "causal"
	DataFormat   string
	DilationRate int
	Activation   Activation
	UseBias      bool
	kernelSpec   weightSpec
	biasSpec     weightSpec

	kernel, bias *Param
	inner        *Conv2D // the convolution over (1, steps)
	in           int

	act     activity
	x4, dy4 tensor.Tensor // views of x (or the padded x) and dy as images
	y3, dx3 tensor.Tensor // views of the inner output and dx in 1-D shapes
	padded  *tensor.Tensor
	dx      *tensor.Tensor // causal: dx cropped from the padded input's gradient
	lastIn  tensor.Shape   // the last input's shape without the batch
	shape   []int          // scratch: a shape with the batch first
}

// batched returns (n, dims...) in c's scratch shape.
func (c *Conv1D) batched(n int, dims tensor.Shape) []int {
	c.shape = append(append(c.shape[:0], n), dims...)
	return c.shape
}

func init() {
	layers.add("Conv1D", conv2DArgs, func(m map[string]any) (Layer, error) { return newConv1DFromConfig(m) }, "Convolution1D")
}

// NewConv1D returns a Conv1D layer of the given filters and kernel size;
// opts holds the other Keras arguments by config key.
func NewConv1D(filters, kernelSize int, opts map[string]any) (*Conv1D, error) {
	m, err := withArgs("Conv1D", opts, "filters", filters, "kernel_size", kernelSize)
	if err != nil {
		return nil, err
	}
	return newConv1DFromConfig(m)
}

// readSingle reads a Keras 1-tuple argument (an integer or a list of one),
// which must be positive.
func readSingle(a *Args, key string, def int) int {
	v := a.Ints(key, 1, []int{def})
	if v[0] < 1 {
		a.Fail(key, v[0], "a positive integer (or a list of one)")
		return def
	}
	return v[0]
}

func newConv1DFromConfig(m map[string]any) (*Conv1D, error) {
	a := NewArgs("Conv1D", m)
	c := &Conv1D{LayerBase: ParseBase(a, "Conv1D")}
	if !a.Has("filters") {
		a.Fail("filters", nil, "a positive integer (Conv1D needs filters, the number of output channels)")
	} else if c.Filters = a.Int("filters", 0); c.Filters < 1 {
		a.Fail("filters", c.Filters, "a positive integer")
	}
	if !a.Has("kernel_size") {
		a.Fail("kernel_size", nil, "an integer or a list of 1 integer (Conv1D needs kernel_size)")
	} else {
		c.KernelSize = readSingle(a, "kernel_size", 1)
	}
	c.Strides = readSingle(a, "strides", 1)
	c.DilationRate = readSingle(a, "dilation_rate", 1)
	raw := a.String("padding", "valid")
	c.Padding = strings.ToLower(raw)
	if c.Padding != "valid" && c.Padding != "same" && c.Padding != "causal" {
		a.Fail("padding", raw, `one of "valid", "same", "causal"`)
		c.Padding = "valid"
	}
	c.DataFormat = readDataFormat(a)
	if g := a.Int("groups", 1); g != 1 {
		a.Unimplemented("groups", g, "1 (grouped convolution is not implemented in keraswasm)")
	}
	if c.Strides > 1 && c.DilationRate > 1 {
		a.Fail("strides", c.Strides, fmt.Sprintf("1 when dilation_rate is above 1: Keras does not support strides > 1 together with dilation_rate > 1 (dilation_rate=%d)", c.DilationRate))
	}
	c.Activation = readLayerActivation(a)
	c.UseBias = a.Bool("use_bias", true)
	c.kernelSpec = readWeightSpec(a, "kernel", "glorot_uniform")
	c.biasSpec = readWeightSpec(a, "bias", "zeros")
	rejectLoRA(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	innerPadding := c.Padding
	if innerPadding == "causal" {
		innerPadding = "valid"
	}
	c.inner = &Conv2D{LayerBase: LayerBase{ClassName: "Conv2D", Trainable: true}, Filters: c.Filters,
		KernelSize: [2]int{1, c.KernelSize}, Strides: [2]int{1, c.Strides}, Padding: innerPadding,
		DataFormat: c.DataFormat, DilationRate: [2]int{1, c.DilationRate}, Activation: c.Activation, UseBias: c.UseBias}
	return c, nil
}

func (c *Conv1D) layerName() string {
	if c.Name != "" {
		return c.Name
	}
	return "Conv1D"
}

// causalPad is the number of zeros causal padding puts before the first step.
func (c *Conv1D) causalPad() int {
	if c.Padding != "causal" {
		return 0
	}
	return c.DilationRate * (c.KernelSize - 1)
}

// steps splits in (without the batch) into steps and channels.
func (c *Conv1D) steps(in tensor.Shape) (steps, ch int, ok bool) {
	if len(in) != 2 {
		return 0, 0, false
	}
	if c.DataFormat == channelsFirst {
		return in[1], in[0], true
	}
	return in[0], in[1], true
}

// image is the inner Conv2D's input shape for a 1-D input shape in.
func (c *Conv1D) image(steps, ch int) tensor.Shape {
	if steps >= 0 {
		steps += c.causalPad()
	}
	return imageShape(1, steps, ch, c.DataFormat)
}

// OutputShape returns (new_steps, filters) (or (filters, new_steps)).
func (c *Conv1D) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	want := "(steps, channels)"
	if c.DataFormat == channelsFirst {
		want = "(channels, steps) for data_format \"channels_first\""
	}
	steps, ch, ok := c.steps(in)
	if !ok || ch < 1 {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: want + " with a known number of channels"}
	}
	if c.Built && ch != c.in {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s with %d channels, as the kernel was built for", want, c.in)}
	}
	_, ow, err := windowOutput(1, steps+c.causalPad(), 1, c.KernelSize, 1, c.Strides, 1, c.DilationRate, c.inner.Padding)
	if steps < 0 {
		_, ow, err = windowOutput(1, -1, 1, c.KernelSize, 1, c.Strides, 1, c.DilationRate, c.inner.Padding)
	}
	if err != nil {
		return nil, &ShapeError{Layer: c.layerName(), Got: in.Clone(), Want: fmt.Sprintf("%s with at least %d steps for kernel_size %d and dilation_rate %d", want, (c.KernelSize-1)*c.DilationRate+1, c.KernelSize, c.DilationRate)}
	}
	if c.DataFormat == channelsFirst {
		return tensor.Shape{c.Filters, ow}, nil
	}
	return tensor.Shape{ow, c.Filters}, nil
}

// Build creates the kernel (kernel_size, in, filters) and the bias
// (filters), and points the inner Conv2D at them.
func (c *Conv1D) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := c.OutputShape(in); err != nil {
		return err
	}
	if c.Built {
		return nil
	}
	_, c.in, _ = c.steps(in)
	var err error
	if c.kernel, err = c.kernelSpec.newParam("Conv1D", "kernel", rng, c.KernelSize, c.in, c.Filters); err != nil {
		return err
	}
	if c.UseBias {
		if c.bias, err = c.biasSpec.newParam("Conv1D", "bias", rng, c.Filters); err != nil {
			return err
		}
	}
	// The inner kernel (1, k, in, filters) is the same memory as ours.
	shape := tensor.Shape{1, c.KernelSize, c.in, c.Filters}
	c.inner.kernel = &Param{Name: "kernel", Trainable: true,
		Value: &tensor.Tensor{Shape: shape, Data: c.kernel.Value.Data},
		Grad:  &tensor.Tensor{Shape: shape.Clone(), Data: c.kernel.Grad.Data}}
	c.inner.bias = c.bias
	c.inner.in = c.in
	c.inner.Built = true
	c.Built = true
	return nil
}

// Params returns [kernel, bias] (or [kernel]), Keras's get_weights order.
func (c *Conv1D) Params() []*Param {
	if !c.Built {
		return nil
	}
	if c.UseBias {
		return []*Param{c.kernel, c.bias}
	}
	return []*Param{c.kernel}
}

// view points t at data with the given shape (no copy).
func view(t *tensor.Tensor, data []float32, shape ...int) *tensor.Tensor {
	t.Shape = append(t.Shape[:0], shape...)
	t.Data = data
	return t
}

// Forward convolves x (batch, steps, in) (or (batch, in, steps)); the
// output is (batch, new_steps, filters) (or (batch, filters, new_steps)).
func (c *Conv1D) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != 3 {
		panic(fmt.Sprintf("nn: Conv1D.Forward: input %v is not (batch, steps, channels)", x.Shape))
	}
	n := x.Shape[0]
	c.lastIn = append(c.lastIn[:0], x.Shape[1:]...)
	steps, ch, _ := c.steps(c.lastIn)
	data := x.Data
	if p := c.causalPad(); p > 0 {
		c.padded = tensor.Ensure(c.padded, c.batched(n, c.image(steps, ch))...)
		padSteps(c.padded.Data, x.Data, n, steps, ch, p, c.DataFormat == channelsFirst)
		data = c.padded.Data
	}
	img := c.image(steps, ch)
	z := c.inner.Forward(view(&c.x4, data, n, img[0], img[1], img[2]), training)
	if c.DataFormat == channelsFirst {
		view(&c.y3, z.Data, n, z.Shape[1], z.Shape[3])
	} else {
		view(&c.y3, z.Data, n, z.Shape[2], z.Shape[3])
	}
	c.act.forward(&c.LayerBase, &c.y3)
	return &c.y3
}

// Backward accumulates the kernel and bias gradients and returns dx (or
// nil when needDx is false).
func (c *Conv1D) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = c.act.backward(&c.LayerBase, &c.y3, dy)
	n := dy.Shape[0]
	var d4 *tensor.Tensor
	if c.DataFormat == channelsFirst {
		d4 = view(&c.dy4, dy.Data, n, dy.Shape[1], 1, dy.Shape[2])
	} else {
		d4 = view(&c.dy4, dy.Data, n, 1, dy.Shape[1], dy.Shape[2])
	}
	dxImg := c.inner.Backward(d4, needDx)
	if !needDx {
		return nil
	}
	steps, ch, _ := c.steps(c.inShape())
	if p := c.causalPad(); p > 0 {
		c.dx = tensor.Ensure(c.dx, c.batched(n, c.inShape())...)
		cropSteps(c.dx.Data, dxImg.Data, n, steps, ch, p, c.DataFormat == channelsFirst)
		return c.dx
	}
	return view(&c.dx3, dxImg.Data, c.batched(n, c.inShape())...)
}

// inShape is the last input's shape without the batch.
func (c *Conv1D) inShape() tensor.Shape { return c.lastIn }

// padSteps copies x (n samples of steps×ch, or ch×steps when channelsFirst)
// into dst with p zero steps before the first.
func padSteps(dst, x []float32, n, steps, ch, p int, channelsFirst bool) {
	if channelsFirst {
		for r := 0; r < n*ch; r++ {
			row := dst[r*(steps+p) : (r+1)*(steps+p)]
			clear(row[:p])
			copy(row[p:], x[r*steps:(r+1)*steps])
		}
		return
	}
	per, perPad := steps*ch, (steps+p)*ch
	for b := 0; b < n; b++ {
		row := dst[b*perPad : (b+1)*perPad]
		clear(row[:p*ch])
		copy(row[p*ch:], x[b*per:(b+1)*per])
	}
}

// cropSteps is padSteps backward: dst gets src without its first p steps.
func cropSteps(dst, src []float32, n, steps, ch, p int, channelsFirst bool) {
	if channelsFirst {
		for r := 0; r < n*ch; r++ {
			copy(dst[r*steps:(r+1)*steps], src[r*(steps+p)+p:(r+1)*(steps+p)])
		}
		return
	}
	per, perPad := steps*ch, (steps+p)*ch
	for b := 0; b < n; b++ {
		copy(dst[b*per:(b+1)*per], src[b*perPad+p*ch:(b+1)*perPad])
	}
}

// Config returns Keras's Conv1D config.
func (c *Conv1D) Config() Config {
	m := map[string]any{
		"filters":              c.Filters,
		"kernel_size":          []int{c.KernelSize},
		"strides":              []int{c.Strides},
		"padding":              c.Padding,
		"data_format":          c.DataFormat,
		"dilation_rate":        []int{c.DilationRate},
		"groups":               1,
		"activation":           c.Activation.Name(),
		"use_bias":             c.UseBias,
		"activity_regularizer": nil,
	}
	c.kernelSpec.config(m, "kernel")
	c.biasSpec.config(m, "bias")
	return Config{ClassName: "Conv1D", Config: c.BaseConfig(m)}
}

// footprint is the inner Conv2D's on the (padded) image, plus the padded
// input and its cropped gradient for causal padding.
func (c *Conv1D) footprint(in tensor.Shape) Footprint {
	steps, ch, ok := c.steps(in)
	if !ok {
		return Footprint{Forward: shapeValues(in), Backward: shapeValues(in)}
	}
	f := c.inner.footprint(c.image(steps, ch))
	if c.causalPad() > 0 {
		f.Forward += shapeValues(c.image(steps, ch))
		f.Backward += shapeValues(in)
	}
	if out, err := c.OutputShape(in); err == nil {
		f.Backward += activityValues(&c.LayerBase, shapeValues(out))
	}
	return f
}
