package nn

import "github.com/keraswasm/keraswasm/tensor"

// The exact footprints of the weightless layers between a CNN's
// convolutions, which LayerFootprint's generic bound (two buffers of the
// input and two of the output) counts several times over.

// footprint counts the output and, for max pooling, its argmax indices
// (int32, one value each) forward and dx backward, with the transposes of
// channels_first.
func (p *Pooling) footprint(in tensor.Shape) Footprint {
	nIn, nOut := shapeValues(in), shapeValues(in)
	if out, err := p.OutputShape(in); err == nil {
		nOut = shapeValues(out)
	}
	f := Footprint{Forward: nOut, Backward: nIn}
	if p.Max {
		f.Forward += nOut
	}
	if p.DataFormat == channelsFirst {
		f.Forward += nIn + nOut
		f.Backward += nOut + nIn
	}
	f.Backward += activityValues(&p.LayerBase, nOut)
	return f
}

// footprint counts the mask and the output forward (and the mask broadcast
// to the input for a noise_shape), and dx backward.
func (d *Dropout) footprint(in tensor.Shape) Footprint {
	n := shapeValues(in)
	f := Footprint{Forward: 2 * n, Backward: n + activityValues(&d.LayerBase, n)}
	if d.NoiseShape != nil {
		f.Forward += n
	}
	return f
}

// footprint is nothing for channels_last, where Flatten returns views of
// its input and of dy, and one transpose each way for channels_first.
func (l *Flatten) footprint(in tensor.Shape) Footprint {
	n := shapeValues(in)
	f := Footprint{Backward: activityValues(&l.LayerBase, n)}
	if l.DataFormat == channelsFirst && len(in) > 1 {
		f.Forward += n
		f.Backward += n
	}
	return f
}

// footprint counts the output and its argmax indices forward and dx
// backward, with the transposes of channels_first.
func (p *MaxPooling2D) footprint(in tensor.Shape) Footprint {
	nIn, nOut := shapeValues(in), shapeValues(in)
	if out, err := p.OutputShape(in); err == nil {
		nOut = shapeValues(out)
	}
	f := Footprint{Forward: 2 * nOut, Backward: nIn + activityValues(&p.LayerBase, nOut)}
	if p.DataFormat == channelsFirst {
		f.Forward += nIn + nOut
		f.Backward += nOut + nIn
	}
	return f
}
