package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Dense is Keras's densely connected layer: y = activation(x·kernel + bias).
// The kernel is (in, units) and the bias (units), as in Keras. An input of
// rank above 2, (batch, d1, ..., in), is multiplied on its last axis, as
// Keras's Dense does, giving (batch, d1, ..., units).
// Keras: keras/src/layers/core/dense.py.
type Dense struct {
	LayerBase
	Units      int
	Activation Activation
	UseBias    bool
	kernelSpec weightSpec
	biasSpec   weightSpec

	kernel, bias *Param
	in           int // the kernel's input size, set by Build

	act      activity
	x        *tensor.Tensor // the last input, kept for Backward
	z, y     *tensor.Tensor // pre-activation and output, (rows, units) viewed as the output shape
	dz       *tensor.Tensor
	dxBuffer       // dx, the layer's or the model's shared one (DxSharer)
	outShape []int // scratch for the output shape
}

// denseArgs is Dense's Keras positional signature.
var denseArgs = []string{"units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
	"kernel_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint"}

func init() {
	layers.add("Dense", denseArgs, func(m map[string]any) (Layer, error) { return newDenseFromConfig(m) })
}

// NewDense returns a Dense layer of the given units; opts holds any other
// Keras argument by its config key ("activation", "use_bias",
// "input_shape", ...). It is a thin front to the config path.
func NewDense(units int, opts map[string]any) (*Dense, error) {
	m, err := withArgs("Dense", opts, "units", units)
	if err != nil {
		return nil, err
	}
	return newDenseFromConfig(m)
}

func newDenseFromConfig(m map[string]any) (*Dense, error) {
	a := NewArgs("Dense", m)
	d := &Dense{LayerBase: ParseBase(a, "Dense")}
	if !a.Has("units") {
		a.Fail("units", nil, "a positive integer (Dense needs units, the size of its output)")
	} else if d.Units = a.Int("units", 0); d.Units < 1 {
		a.Fail("units", d.Units, "a positive integer")
	}
	d.Activation = readLayerActivation(a)
	d.UseBias = a.Bool("use_bias", true)
	d.kernelSpec = readWeightSpec(a, "kernel", "glorot_uniform")
	d.biasSpec = readWeightSpec(a, "bias", "zeros")
	rejectLoRA(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Dense) shapeError(in tensor.Shape, want string) error {
	name := d.Name
	if name == "" {
		name = "Dense"
	}
	return &ShapeError{Layer: name, Got: in.Clone(), Want: want}
}

// OutputShape returns in with its last dimension replaced by units.
func (d *Dense) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if len(in) == 0 {
		return nil, d.shapeError(in, "(..., input_dim) with at least one dimension after the batch")
	}
	last := in[len(in)-1]
	if last < 1 {
		return nil, d.shapeError(in, "a known last dimension (input_dim), not None")
	}
	if d.Built && last != d.in {
		return nil, d.shapeError(in, fmt.Sprintf("(..., %d): the last dimension must match the kernel's %d inputs", d.in, d.in))
	}
	out := in.Clone()
	out[len(out)-1] = d.Units
	return out, nil
}

// Build creates the kernel (in, units) and bias (units) for input shape in.
func (d *Dense) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := d.OutputShape(in); err != nil {
		return err
	}
	if d.Built {
		return nil
	}
	d.in = in[len(in)-1]
	var err error
	if d.kernel, err = d.kernelSpec.newParam("Dense", "kernel", rng, d.in, d.Units); err != nil {
		return err
	}
	if d.UseBias {
		if d.bias, err = d.biasSpec.newParam("Dense", "bias", rng, d.Units); err != nil {
			return err
		}
	}
	d.Built = true
	return nil
}

// Params returns [kernel, bias] (or [kernel] without bias), Keras's
// get_weights order.
func (d *Dense) Params() []*Param {
	if !d.Built {
		return nil
	}
	ps := []*Param{d.kernel}
	if d.UseBias {
		ps = append(ps, d.bias)
	}
	return ps
}

// Forward computes activation(x·kernel + bias). x is (batch, ..., in); the
// output is (batch, ..., units). It panics if x's last dimension is not the
// kernel's input size (the model checks shapes before calling it).
func (d *Dense) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) < 2 || x.Shape[len(x.Shape)-1] != d.in {
		panic(fmt.Sprintf("nn: Dense.Forward: input %v does not end in the kernel's %d inputs", x.Shape, d.in))
	}
	d.x = x
	rows := len(x.Data) / d.in
	// z (rows, units) = x (rows, in) · kernel (in, units)
	d.outShape = append(d.outShape[:0], x.Shape...)
	d.outShape[len(d.outShape)-1] = d.Units
	d.z = tensor.Ensure(d.z, d.outShape...)
	tensor.Gemm(false, false, rows, d.Units, d.in, 1, x.Data, d.in, d.kernel.Value.Data, d.Units, 0, d.z.Data, d.Units)
	if d.UseBias {
		tensor.AddRowVector(d.z.Data, d.bias.Value.Data)
	}
	y := d.z
	if _, isLinear := d.Activation.(linear); !isLinear {
		d.y = tensor.Ensure(d.y, d.z.Shape...)
		d.Activation.Forward(d.y, d.z)
		y = d.y
	}
	d.act.forward(&d.LayerBase, y)
	return y
}

// Backward accumulates dkernel += xᵀ·dz and dbias += Σ_rows dz, where dz is
// dy through the activation, and returns dx = dz·kernelᵀ (or nil when
// needDx is false).
func (d *Dense) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	_, isLinear := d.Activation.(linear)
	y := d.z
	if !isLinear {
		y = d.y
	}
	dy = d.act.backward(&d.LayerBase, y, dy)
	dz := dy
	if !isLinear {
		d.dz = tensor.Ensure(d.dz, dy.Shape...)
		d.Activation.Backward(d.dz, d.z, d.y, dy)
		dz = d.dz
	}
	return d.backwardZ(dz, needDx)
}

// OutputActivation returns the activation the layer applies last (linear
// for none), for the model's softmax/sigmoid fusion with a crossentropy.
func (d *Dense) OutputActivation() Activation { return d.Activation }

// Logits returns the pre-activation z = x·kernel + bias of the last Forward,
// in the output's shape.
func (d *Dense) Logits() *tensor.Tensor { return d.z }

// BackwardLogits is Backward given dz = ∂loss/∂z, the gradient with respect
// to the logits, so the activation's own backward is skipped (the fused loss
// has folded it in). An activity regularizer's penalty is on the output y,
// so its gradient still goes through the activation and is added to dz.
func (d *Dense) BackwardLogits(dz *tensor.Tensor, needDx bool) *tensor.Tensor {
	if d.ActivityRegularizer != nil {
		y := d.z
		if _, isLinear := d.Activation.(linear); !isLinear {
			y = d.y
		}
		d.dz = tensor.Ensure(d.dz, dz.Shape...)
		dz = d.act.throughActivation(&d.LayerBase, d.Activation, d.dz, d.z, y, dz)
	}
	return d.backwardZ(dz, needDx)
}

// backwardZ accumulates the weight gradients from dz (the output's shape)
// and returns dx (nil when needDx is false).
func (d *Dense) backwardZ(dz *tensor.Tensor, needDx bool) *tensor.Tensor {
	rows := len(d.x.Data) / d.in
	// dkernel (in, units) += xᵀ (in, rows) · dz (rows, units)
	tensor.Gemm(true, false, d.in, d.Units, rows, 1, d.x.Data, d.in, dz.Data, d.Units, 1, d.kernel.Grad.Data, d.Units)
	if d.UseBias {
		// dbias (units) += Σ_rows dz (rows, units)
		tensor.SumRows(d.bias.Grad.Data, dz.Data)
	}
	if !needDx {
		return nil
	}
	// dx (rows, in) = dz (rows, units) · kernelᵀ (units, in)
	dx := d.ensureDx(d.x.Shape...)
	tensor.Gemm(false, true, rows, d.in, d.Units, 1, dz.Data, d.Units, d.kernel.Value.Data, d.Units, 0, dx.Data, d.in)
	return dx
}

// Config returns Keras's Dense config.
func (d *Dense) Config() Config {
	m := map[string]any{
		"units":                d.Units,
		"activation":           d.Activation.Name(),
		"use_bias":             d.UseBias,
		"activity_regularizer": nil,
	}
	d.kernelSpec.config(m, "kernel")
	d.biasSpec.config(m, "bias")
	return Config{ClassName: "Dense", Config: d.BaseConfig(m)}
}
