package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Forward computes activation(conv(x, kernel) + bias). x is (N, H, W, in)
// (or (N, in, H, W) for channels_first); the output is (N, OH, OW, filters)
// (or (N, filters, OH, OW)). It panics if x does not fit the kernel or the
// window (the model checks shapes before calling it).
func (c *Conv2D) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	c.inShape = append(c.inShape[:0], x.Shape...)
	xl := c.channelsLastInput(x)
	n, f := xl.Shape[0], c.Filters
	g, err := tensor.NewConvGeom(n, xl.Shape[1], xl.Shape[2], xl.Shape[3], c.KernelSize[0], c.KernelSize[1],
		c.Strides[0], c.Strides[1], c.DilationRate[0], c.DilationRate[1], c.Padding)
	if err != nil {
		panic(fmt.Sprintf("nn: Conv2D.Forward: input %v: %v", x.Shape, err))
	}
	c.geom = g
	rows, k := g.ColRows(), g.ColCols()
	c.cols = tensor.Ensure(c.cols, rows, k)
	tensor.Im2Col(c.cols.Data, xl.Data, g)
	// z (rows, filters) = cols (rows, kh·kw·in) · kernel (kh·kw·in, filters)
	c.z = tensor.Ensure(c.z, n, g.OH, g.OW, f)
	tensor.Gemm(false, false, rows, f, k, 1, c.cols.Data, k, c.kernel.Value.Data, f, 0, c.z.Data, f)
	if c.UseBias {
		tensor.AddRowVector(c.z.Data, c.bias.Value.Data)
	}
	c.logits = c.z
	if c.DataFormat == channelsFirst {
		c.zT = tensor.Ensure(c.zT, n, f, g.OH, g.OW)
		toChannelsFirst(c.zT.Data, c.z.Data, n, f, g.OH*g.OW)
		c.logits = c.zT
	}
	y := c.output()
	if y != c.logits {
		c.y = tensor.Ensure(c.y, c.logits.Shape...)
		c.Activation.Forward(c.y, c.logits)
		y = c.y
	}
	c.act.forward(&c.LayerBase, y)
	return y
}

// output returns the last Forward's output: the logits for a linear
// activation, else the activation's buffer.
func (c *Conv2D) output() *tensor.Tensor {
	if _, isLinear := c.Activation.(linear); isLinear {
		return c.logits
	}
	return c.y
}

// channelsLastInput checks x and returns it as (N, H, W, in), transposing
// a channels_first input into an owned buffer.
func (c *Conv2D) channelsLastInput(x *tensor.Tensor) *tensor.Tensor {
	if len(x.Shape) != 4 {
		panic(fmt.Sprintf("nn: Conv2D.Forward: input %v is not rank 4: expected a batch of %s", x.Shape, expectedImage(c.DataFormat)))
	}
	if c.DataFormat != channelsFirst {
		if x.Shape[3] != c.in {
			panic(fmt.Sprintf("nn: Conv2D.Forward: input %v does not have the kernel's %d channels", x.Shape, c.in))
		}
		return x
	}
	n, ch, h, w := x.Shape[0], x.Shape[1], x.Shape[2], x.Shape[3]
	if ch != c.in {
		panic(fmt.Sprintf("nn: Conv2D.Forward: input %v does not have the kernel's %d channels on axis 1", x.Shape, c.in))
	}
	c.xT = tensor.Ensure(c.xT, n, h, w, ch)
	toChannelsLast(c.xT.Data, x.Data, n, ch, h*w)
	return c.xT
}

// Backward accumulates dkernel += colsᵀ·dz and dbias += Σ dz, where dz is dy
// through the activation, and returns dx: col2im of dz·kernelᵀ (nil when
// needDx is false).
func (c *Conv2D) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	out := c.output()
	dy = c.act.backward(&c.LayerBase, out, dy)
	dz := dy
	if out != c.logits {
		c.dz = tensor.Ensure(c.dz, c.logits.Shape...)
		c.Activation.Backward(c.dz, c.logits, c.y, dy)
		dz = c.dz
	}
	return c.backwardZ(dz, needDx)
}

// OutputActivation returns the activation the layer applies last (linear
// for none), for the model's softmax/sigmoid fusion with a crossentropy.
func (c *Conv2D) OutputActivation() Activation { return c.Activation }

// Logits returns the pre-activation (convolution plus bias) of the last
// Forward, in the output's shape and layout.
func (c *Conv2D) Logits() *tensor.Tensor { return c.logits }

// BackwardLogits is Backward given dz = ∂loss/∂logits, so the activation's
// own backward is skipped (the fused loss has folded it in). An activity
// regularizer's penalty is on the output, so its gradient still goes
// through the activation and is added to dz.
func (c *Conv2D) BackwardLogits(dz *tensor.Tensor, needDx bool) *tensor.Tensor {
	if c.ActivityRegularizer != nil {
		c.dz = tensor.Ensure(c.dz, dz.Shape...)
		dz = c.act.throughActivation(&c.LayerBase, c.Activation, c.dz, c.logits, c.output(), dz)
	}
	return c.backwardZ(dz, needDx)
}

// backwardZ accumulates the weight gradients from dz (∂loss/∂logits, in the
// output's layout) and returns dx (nil when needDx is false).
func (c *Conv2D) backwardZ(dz *tensor.Tensor, needDx bool) *tensor.Tensor {
	g, f := c.geom, c.Filters
	rows, k := g.ColRows(), g.ColCols()
	if c.DataFormat == channelsFirst {
		c.dzT = tensor.Ensure(c.dzT, g.N, g.OH, g.OW, f)
		toChannelsLast(c.dzT.Data, dz.Data, g.N, f, g.OH*g.OW)
		dz = c.dzT
	}
	// dkernel (kh·kw·in, filters) += colsᵀ (kh·kw·in, rows) · dz (rows, filters)
	tensor.Gemm(true, false, k, f, rows, 1, c.cols.Data, k, dz.Data, f, 1, c.kernel.Grad.Data, f)
	if c.UseBias {
		// dbias (filters) += Σ_rows dz (rows, filters)
		tensor.SumRows(c.bias.Grad.Data, dz.Data)
	}
	if !needDx {
		return nil
	}
	// dcols (rows, kh·kw·in) = dz (rows, filters) · kernelᵀ (filters, kh·kw·in)
	c.dcols = tensor.Ensure(c.dcols, rows, k)
	tensor.Gemm(false, true, rows, k, f, 1, dz.Data, f, c.kernel.Value.Data, f, 0, c.dcols.Data, k)
	c.dx = tensor.Ensure(c.dx, g.N, g.H, g.W, g.C)
	c.dx.Zero()
	tensor.Col2Im(c.dx.Data, c.dcols.Data, g)
	if c.DataFormat != channelsFirst {
		return c.dx
	}
	c.dxT = tensor.Ensure(c.dxT, c.inShape...)
	toChannelsFirst(c.dxT.Data, c.dx.Data, g.N, g.C, g.H*g.W)
	return c.dxT
}
