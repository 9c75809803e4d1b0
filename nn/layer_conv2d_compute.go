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
	c.geom, c.x = g, xl
	rows, k := g.ColRows(), g.ColCols()
	c.tiles = tensor.PlanColTiles(rows, k)
	c.cols = tensor.Ensure(c.cols, c.tiles.MaxRows(), k)
	c.z = tensor.Ensure(c.z, n, g.OH, g.OW, f)
	for i := range c.tiles.Count() {
		r0, r1 := c.tiles.Tile(i)
		cols := c.cols.Data[:(r1-r0)*k]
		tensor.Im2ColRows(cols, xl.Data, g, r0, r1)
		// z[r0:r1] (tile, filters) = cols (tile, kh·kw·in) · kernel (kh·kw·in, filters)
		tensor.Gemm(false, false, r1-r0, f, k, 1, cols, k, c.kernel.Value.Data, f, 0, c.z.Data[r0*f:r1*f], f)
	}
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
	switch {
	case c.reluInPlace():
		// relu's derivative is read as well from its output as from its
		// input, so the output overwrites the pre-activation: one
		// activation-sized buffer less per conv layer (Keras keeps one).
		c.Activation.Forward(c.logits, c.logits)
		c.y, y = c.logits, c.logits
	case y != c.logits:
		c.y = tensor.Ensure(c.y, c.logits.Shape...)
		c.Activation.Forward(c.y, c.logits)
		y = c.y
	}
	c.act.forward(&c.LayerBase, y)
	return y
}

// reluInPlace reports whether the activation is relu, computed in place
// over the pre-activation (whose sign it keeps), so that Logits then holds
// the output. The fused softmax/sigmoid path, the one reader of Logits, is
// never relu.
func (c *Conv2D) reluInPlace() bool {
	_, ok := c.Activation.(relu)
	return ok
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
	switch {
	case c.reluTiles():
		return c.backwardTiles(dy, true, needDx)
	case c.reluInPlace():
		c.dz = tensor.Ensure(c.dz, c.logits.Shape...)
		c.Activation.Backward(c.dz, c.y, c.y, dy) // relu's sign test on y: y > 0 exactly where z > 0
		dz = c.dz
	case out != c.logits:
		c.dz = tensor.Ensure(c.dz, c.logits.Shape...)
		c.Activation.Backward(c.dz, c.logits, c.y, dy)
		dz = c.dz
	}
	return c.backwardTiles(dz, false, needDx)
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
	return c.backwardTiles(dz, false, needDx)
}

// reluTiles reports whether Backward forms dz one tile at a time from dy
// and the relu output, so that no batch-sized dz is held: relu over
// channels_last, where a tile of im2col rows is a tile of output rows.
func (c *Conv2D) reluTiles() bool {
	return c.reluInPlace() && c.DataFormat != channelsFirst
}

// backwardTiles accumulates the weight gradients from dz (∂loss/∂logits, in
// the output's layout) and returns dx (nil when needDx is false). With
// throughRelu, d is dy instead and each tile's dz is formed from it on the
// way (dz = dy where y > 0), into a buffer of one tile; the bias gradient
// is then summed tile by tile in float64 in row order, as tensor.SumRows
// sums the whole, so the bits are the same.
func (c *Conv2D) backwardTiles(d *tensor.Tensor, throughRelu, needDx bool) *tensor.Tensor {
	dz := d
	g, f, k := c.geom, c.Filters, c.geom.ColCols()
	if c.DataFormat == channelsFirst {
		c.dzT = tensor.Ensure(c.dzT, g.N, g.OH, g.OW, f)
		toChannelsLast(c.dzT.Data, dz.Data, g.N, f, g.OH*g.OW)
		dz = c.dzT
	}
	if c.UseBias && !throughRelu {
		// dbias (filters) += Σ_rows dz (rows, filters)
		tensor.SumRows(c.bias.Grad.Data, dz.Data)
	}
	if throughRelu {
		c.dzTile = tensor.Ensure(c.dzTile, c.tiles.MaxRows(), f)
		c.biasSum = slicesGrow(c.biasSum, f)
	}
	var dx *tensor.Tensor
	if needDx {
		c.dcols = tensor.Ensure(c.dcols, c.tiles.MaxRows(), k)
		dx = c.ensureDx(g.N, g.H, g.W, g.C)
		dx.Zero()
	}
	block := c.tiles.Block()
	for i := range c.tiles.Count() {
		r0, r1 := c.tiles.Tile(i)
		cols := c.cols.Data[:(r1-r0)*k]
		if c.tiles.Count() > 1 {
			tensor.Im2ColRows(cols, c.x.Data, g, r0, r1) // Forward's columns were overwritten
		}
		dzt := dz.Data[r0*f : r1*f] // (tile, filters)
		if throughRelu {
			dzt = c.dzTile.Data[:(r1-r0)*f]
			// relu's sign test on y: y > 0 exactly where z > 0
			tensor.ReluGrad(dzt, c.y.Data[r0*f:r1*f], d.Data[r0*f:r1*f])
			if c.UseBias {
				tensor.SumRowsFloat64(c.biasSum, dzt)
			}
		}
		// dkernel (kh·kw·in, filters) += colsᵀ (kh·kw·in, tile) · dz[r0:r1] (tile, filters),
		// one depth block at a time, the blocks one Gemm over all rows would use
		for b0 := r0; b0 < r1; b0 += block {
			b1 := min(b0+block, r1)
			tensor.Gemm(true, false, k, f, b1-b0, 1, cols[(b0-r0)*k:(b1-r0)*k], k, dzt[(b0-r0)*f:(b1-r0)*f], f, 1, c.kernel.Grad.Data, f)
		}
		if !needDx {
			continue
		}
		// dcols (tile, kh·kw·in) = dz[r0:r1] (tile, filters) · kernelᵀ (filters, kh·kw·in)
		dcols := c.dcols.Data[:(r1-r0)*k]
		tensor.Gemm(false, true, r1-r0, k, f, 1, dzt, f, c.kernel.Value.Data, f, 0, dcols, k)
		tensor.Col2ImRows(dx.Data, dcols, g, r0, r1)
	}
	if throughRelu && c.UseBias {
		for j, v := range c.biasSum {
			c.bias.Grad.Data[j] += float32(v)
		}
	}
	if !needDx {
		return nil
	}
	if c.DataFormat != channelsFirst {
		return dx
	}
	c.dxT = tensor.Ensure(c.dxT, c.inShape...)
	toChannelsFirst(c.dxT.Data, dx.Data, g.N, g.C, g.H*g.W)
	return c.dxT
}

// slicesGrow returns s with length n, zeroed, reusing its storage.
func slicesGrow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}
