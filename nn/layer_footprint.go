package nn

import "github.com/keraswasm/keraswasm/tensor"

// Footprint is an estimate of the memory a layer holds, in float32 values
// (4 bytes each). The model adds the footprints up before Build allocates
// the weights and before a run's first batch, and refuses work that would
// not fit: Go cannot recover from running out of memory, and in the browser
// the wasm32 address space is 4 GiB, so refusing early is what keeps the
// runtime alive. The counts are float64 so that absurd shapes give a large
// number rather than an overflow.
type Footprint struct {
	// Weights is the number of weight values Build creates (Param.Value);
	// each has a gradient (Param.Grad) of the same size besides.
	Weights float64
	// Forward is per sample: what Forward keeps in buffers the layer owns
	// (its output, pre-activation, im2col columns, masks, transposes).
	Forward float64
	// Backward is per sample: what Backward adds (dx, the activation's
	// gradient, the activity penalty's gradient).
	Backward float64
	// Scratch is what the layer holds whatever the batch size: a
	// convolution's tiles of im2col columns and their gradient.
	Scratch float64
}

// footprinter is implemented by the layers whose buffers are known exactly
// (the ones with weights or large work buffers).
type footprinter interface {
	footprint(in tensor.Shape) Footprint
}

// LayerFootprint estimates l's footprint for inputs of shape in (without the
// batch). An unknown (None) dimension counts as 1, so before the data's
// sizes are known only Weights is exact. A layer without its own estimate is
// counted as a weightless layer that keeps two buffers of its input's size
// and two of its output's in Forward (output, mask or transposes) and two of
// its input's and one of its output's in Backward: an upper bound for the
// activation, dropout, pooling and flatten layers.
func LayerFootprint(l Layer, in tensor.Shape) Footprint {
	if f, ok := l.(footprinter); ok {
		return f.footprint(in)
	}
	var w float64
	if l.Base().Built {
		for _, p := range l.Params() {
			w += float64(len(p.Value.Data))
		}
	}
	nIn, nOut := shapeValues(in), shapeValues(in)
	if out, err := l.OutputShape(in); err == nil {
		nOut = shapeValues(out)
	}
	return Footprint{Weights: w, Forward: 2*nIn + 2*nOut, Backward: 2*nIn + nOut + activityValues(l.Base(), nOut)}
}

// shapeValues is the number of values of a shape, counting an unknown
// dimension as 1.
func shapeValues(s tensor.Shape) float64 {
	n := 1.0
	for _, d := range s {
		n *= float64(max(d, 1))
	}
	return n
}

// activityValues is what an activity regularizer adds per sample for an
// output of out values: its gradient and the sum with dy.
func activityValues(b *LayerBase, out float64) float64 {
	if b.ActivityRegularizer == nil {
		return 0
	}
	return 2 * out
}

// footprint counts z and y (without a linear activation) forward, and dx
// and dz backward.
func (d *Dense) footprint(in tensor.Shape) Footprint {
	inDim, rows := 1.0, 1.0
	if len(in) > 0 {
		inDim = float64(max(in[len(in)-1], 1))
		rows = shapeValues(in[:len(in)-1])
	}
	units := float64(d.Units)
	f := Footprint{Weights: inDim * units, Forward: rows * units, Backward: rows * inDim}
	if d.UseBias {
		f.Weights += units
	}
	if _, isLinear := d.Activation.(linear); !isLinear {
		f.Forward += rows * units
		f.Backward += rows * units
	}
	f.Backward += activityValues(&d.LayerBase, rows*units)
	return f
}

// footprint counts z and y (one buffer for relu, computed in place) forward,
// dx and dz backward, with the transposes of channels_first, and as scratch
// the largest tile of im2col columns and of their gradient
// (tensor.MaxColTileRows), which does not grow with the batch.
func (c *Conv2D) footprint(in tensor.Shape) Footprint {
	h, w, ch, ok := spatial(in, c.DataFormat)
	if !ok {
		return Footprint{Forward: shapeValues(in), Backward: shapeValues(in)}
	}
	oh, ow, err := windowOutput(h, w, c.KernelSize[0], c.KernelSize[1], c.Strides[0], c.Strides[1], c.DilationRate[0], c.DilationRate[1], c.Padding)
	if err != nil {
		oh, ow = h, w
	}
	image := shapeValues(tensor.Shape{h, w, ch})
	pixels := shapeValues(tensor.Shape{oh, ow})
	k := float64(c.KernelSize[0]) * float64(c.KernelSize[1]) * float64(max(ch, 1))
	filters := float64(c.Filters)
	out := pixels * filters
	tile := float64(tensor.MaxColTileRows(int(min(k, float64(tensor.MaxConvDim))))) * k
	f := Footprint{Weights: k * filters, Forward: out, Backward: image, Scratch: 2 * tile}
	if c.UseBias {
		f.Weights += filters
	}
	if c.DataFormat == channelsFirst {
		f.Forward += image + out
		f.Backward += image + out
	}
	if _, isLinear := c.Activation.(linear); !isLinear {
		switch {
		case c.reluTiles(): // y over z; dz one tile at a time
			f.Scratch += float64(tensor.MaxColTileRows(int(min(k, float64(tensor.MaxConvDim))))) * filters
		case c.reluInPlace():
			f.Backward += out // dz
		default:
			f.Forward += out  // y beside z
			f.Backward += out // dz
		}
	}
	f.Backward += activityValues(&c.LayerBase, out)
	return f
}
