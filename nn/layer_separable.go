package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// SeparableConv2D is a depthwise convolution (each input channel with its
// own depth_multiplier filters, no bias) followed by a pointwise 1×1
// convolution to filters channels, plus bias, through the activation. The
// weights, in Keras's get_weights order: depthwise_kernel (kh, kw, in,
// depth_multiplier), pointwise_kernel (1, 1, in·depth_multiplier,
// filters), bias (filters).
//
// It runs as a DepthwiseConv2D and a Conv2D holding its own weights.
// Keras: keras/src/layers/convolutional/separable_conv2d.py and
// base_separable_conv.py.
type SeparableConv2D struct {
	LayerBase
	Filters         int
	KernelSize      [2]int
	Strides         [2]int
	Padding         string
	DataFormat      string
	DilationRate    [2]int
	DepthMultiplier int
	Activation      Activation
	UseBias         bool
	depthwiseSpec   weightSpec
	pointwiseSpec   weightSpec
	biasSpec        weightSpec

	depthwise *DepthwiseConv2D
	pointwise *Conv2D
	act       activity
	y         *tensor.Tensor
}

// separableArgs is SeparableConv2D's Keras positional signature.
var separableArgs = []string{"filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "depth_multiplier",
	"activation", "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer", "depthwise_regularizer",
	"pointwise_regularizer", "bias_regularizer", "activity_regularizer", "depthwise_constraint", "pointwise_constraint", "bias_constraint"}

func init() {
	layers.add("SeparableConv2D", separableArgs, func(m map[string]any) (Layer, error) { return newSeparableFromConfig(m) }, "SeparableConvolution2D")
}

// NewSeparableConv2D returns a SeparableConv2D layer of the given filters
// and kernel size; opts holds the other Keras arguments by config key.
func NewSeparableConv2D(filters int, kernelSize []int, opts map[string]any) (*SeparableConv2D, error) {
	m, err := withArgs("SeparableConv2D", opts, "filters", filters, "kernel_size", kernelSize)
	if err != nil {
		return nil, err
	}
	return newSeparableFromConfig(m)
}

func newSeparableFromConfig(m map[string]any) (*SeparableConv2D, error) {
	a := NewArgs("SeparableConv2D", m)
	c := &SeparableConv2D{LayerBase: ParseBase(a, "SeparableConv2D")}
	if !a.Has("filters") {
		a.Fail("filters", nil, "a positive integer (SeparableConv2D needs filters, the number of output channels)")
	} else if c.Filters = a.Int("filters", 0); c.Filters < 1 {
		a.Fail("filters", c.Filters, "a positive integer")
	}
	if !a.Has("kernel_size") {
		a.Fail("kernel_size", nil, "an integer or a list of 2 integers (SeparableConv2D needs kernel_size)")
	} else {
		c.KernelSize = readPair(a, "kernel_size", [2]int{1, 1})
	}
	c.Strides = readPair(a, "strides", [2]int{1, 1})
	c.DilationRate = readPair(a, "dilation_rate", [2]int{1, 1})
	c.Padding = readPadding(a)
	c.DataFormat = readDataFormat(a)
	if c.DepthMultiplier = a.Int("depth_multiplier", 1); c.DepthMultiplier < 1 {
		a.Fail("depth_multiplier", c.DepthMultiplier, "a positive integer (the depthwise filters per input channel)")
	}
	if max(c.Strides[0], c.Strides[1]) > 1 && max(c.DilationRate[0], c.DilationRate[1]) > 1 {
		a.Fail("strides", pairList(c.Strides), "strides of 1 when dilation_rate is above 1 (Keras does not support both)")
	}
	c.Activation = readLayerActivation(a)
	c.UseBias = a.Bool("use_bias", true)
	c.depthwiseSpec = readWeightSpec(a, "depthwise", "glorot_uniform")
	c.pointwiseSpec = readWeightSpec(a, "pointwise", "glorot_uniform")
	c.biasSpec = readWeightSpec(a, "bias", "zeros")
	if err := a.Err(); err != nil {
		return nil, err
	}
	c.depthwise = &DepthwiseConv2D{LayerBase: LayerBase{ClassName: "DepthwiseConv2D", Trainable: true}, KernelSize: c.KernelSize,
		Strides: c.Strides, Padding: c.Padding, DepthMultiplier: c.DepthMultiplier, DataFormat: c.DataFormat,
		DilationRate: c.DilationRate, Activation: linear{}}
	c.pointwise = &Conv2D{LayerBase: LayerBase{ClassName: "Conv2D", Trainable: true}, Filters: c.Filters,
		KernelSize: [2]int{1, 1}, Strides: [2]int{1, 1}, Padding: "valid", DataFormat: c.DataFormat,
		DilationRate: [2]int{1, 1}, Activation: c.Activation, UseBias: c.UseBias}
	return c, nil
}

func (c *SeparableConv2D) layerName() string {
	if c.Name != "" {
		return c.Name
	}
	return "SeparableConv2D"
}

// OutputShape returns (OH, OW, filters) (or (filters, OH, OW)).
func (c *SeparableConv2D) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	mid, err := c.depthwise.OutputShape(in)
	if err != nil {
		if e, ok := err.(*ShapeError); ok {
			return nil, &ShapeError{Layer: c.layerName(), Got: e.Got, Want: e.Want}
		}
		return nil, err
	}
	out, err := c.pointwise.OutputShape(mid)
	if err != nil {
		return nil, fmt.Errorf("layer %s: %w", c.layerName(), err)
	}
	return out, nil
}

// Build creates depthwise_kernel, pointwise_kernel and bias and hands them
// to the two inner convolutions.
func (c *SeparableConv2D) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := c.OutputShape(in); err != nil {
		return err
	}
	if c.Built {
		return nil
	}
	_, _, ch, _ := spatial(in, c.DataFormat)
	mid := ch * c.DepthMultiplier
	dk, err := c.depthwiseSpec.newParam("SeparableConv2D", "depthwise_kernel", rng, c.KernelSize[0], c.KernelSize[1], ch, c.DepthMultiplier)
	if err != nil {
		return err
	}
	pk, err := c.pointwiseSpec.newParam("SeparableConv2D", "pointwise_kernel", rng, 1, 1, mid, c.Filters)
	if err != nil {
		return err
	}
	if c.UseBias {
		if c.pointwise.bias, err = c.biasSpec.newParam("SeparableConv2D", "bias", rng, c.Filters); err != nil {
			return err
		}
	}
	c.depthwise.kernel, c.depthwise.in, c.depthwise.Built = dk, ch, true
	c.pointwise.kernel, c.pointwise.in, c.pointwise.Built = pk, mid, true
	c.Built = true
	return nil
}

// Params returns [depthwise_kernel, pointwise_kernel, bias] (or without
// bias).
func (c *SeparableConv2D) Params() []*Param {
	if !c.Built {
		return nil
	}
	ps := []*Param{c.depthwise.kernel, c.pointwise.kernel}
	if c.UseBias {
		ps = append(ps, c.pointwise.bias)
	}
	return ps
}

// Forward runs the depthwise then the pointwise convolution.
func (c *SeparableConv2D) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	c.y = c.pointwise.Forward(c.depthwise.Forward(x, training), training)
	c.act.forward(&c.LayerBase, c.y)
	return c.y
}

// Backward accumulates the three weights' gradients and returns dx (nil
// when needDx is false).
func (c *SeparableConv2D) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = c.act.backward(&c.LayerBase, c.y, dy)
	return c.depthwise.Backward(c.pointwise.Backward(dy, true), needDx)
}

// Config returns Keras's SeparableConv2D config.
func (c *SeparableConv2D) Config() Config {
	m := map[string]any{
		"filters":              c.Filters,
		"kernel_size":          pairList(c.KernelSize),
		"strides":              pairList(c.Strides),
		"padding":              c.Padding,
		"data_format":          c.DataFormat,
		"dilation_rate":        pairList(c.DilationRate),
		"depth_multiplier":     c.DepthMultiplier,
		"activation":           c.Activation.Name(),
		"use_bias":             c.UseBias,
		"activity_regularizer": nil,
	}
	c.depthwiseSpec.config(m, "depthwise")
	c.pointwiseSpec.config(m, "pointwise")
	c.biasSpec.config(m, "bias")
	return Config{ClassName: "SeparableConv2D", Config: c.BaseConfig(m)}
}

// footprint is the two inner convolutions'.
func (c *SeparableConv2D) footprint(in tensor.Shape) Footprint {
	f := c.depthwise.footprint(in)
	if mid, err := c.depthwise.OutputShape(in); err == nil {
		p := c.pointwise.footprint(mid)
		f.Weights += p.Weights
		f.Forward += p.Forward
		f.Backward += p.Backward
		f.Scratch += p.Scratch
		if out, err := c.pointwise.OutputShape(mid); err == nil {
			f.Backward += activityValues(&c.LayerBase, shapeValues(out))
		}
	}
	return f
}
