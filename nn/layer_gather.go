package nn

import "github.com/keraswasm/keraswasm/tensor"

// gather is the core of the layers whose output is a fixed linear map of
// each sample of their input: Permute, RepeatVector, ZeroPadding,
// Cropping, UpSampling. Output value i of a sample is Σₖ w[i·K+k] ·
// x[idx[i·K+k]] over K taps (an index of -1 is a zero, w nil means every
// weight 1), so Backward is the transposed map dx[idx] += w·dy. The map is
// worked out once per sample shape and reused, so a step allocates nothing.
type gather struct {
	act     activity
	taps    int       // K
	idx     []int32   // per sample: out·K input indexes, -1 for none
	w       []float32 // per sample: out·K weights, or nil for all 1
	key     []int     // the sample shape idx was made for
	mapped  bool      // whether idx is made
	out     []int     // the output's shape, batch first
	inShape []int     // the last input's shape, batch first
	y, dx   *tensor.Tensor
}

// mapper is implemented by the gather layers: for a sample shape in (no
// batch, every dimension known) it returns the output's sample shape and the
// map (taps per output value, indexes, weights or nil).
type mapper interface {
	mapping(in tensor.Shape) (out tensor.Shape, taps int, idx []int32, w []float32)
}

// forward applies m's map to every sample of x.
func (g *gather) forward(b *LayerBase, m mapper, x *tensor.Tensor) *tensor.Tensor {
	g.inShape = append(g.inShape[:0], x.Shape...)
	sample := x.Shape[1:]
	if !g.mapped || !tensor.Shape(g.key).Equal(sample) {
		out, k, idx, w := m.mapping(tensor.Shape(sample))
		g.key, g.mapped = append(g.key[:0], sample...), true
		g.taps, g.idx, g.w = k, idx, w
		g.out = append([]int{0}, out...)
	}
	n := x.Shape[0]
	g.out[0] = n
	g.y = tensor.Ensure(g.y, g.out...)
	inSize := tensor.Shape(sample).Size()
	outSize := len(g.idx) / max(g.taps, 1)
	for s := 0; s < n; s++ {
		xs := x.Data[s*inSize : (s+1)*inSize]
		ys := g.y.Data[s*outSize : (s+1)*outSize]
		for i := range ys {
			var v float32
			for k := i * g.taps; k < (i+1)*g.taps; k++ {
				j := g.idx[k]
				if j < 0 {
					continue
				}
				if g.w == nil {
					v += xs[j]
				} else {
					v += g.w[k] * xs[j]
				}
			}
			ys[i] = v
		}
	}
	g.act.forward(b, g.y)
	return g.y
}

// backward returns dx, the transposed map applied to dy.
func (g *gather) backward(b *LayerBase, dy *tensor.Tensor) *tensor.Tensor {
	d := g.act.backward(b, g.y, dy).Data
	g.dx = tensor.Ensure(g.dx, g.inShape...)
	g.dx.Zero()
	n := g.inShape[0]
	inSize := tensor.Shape(g.inShape[1:]).Size()
	outSize := len(g.idx) / max(g.taps, 1)
	for s := 0; s < n; s++ {
		dxs := g.dx.Data[s*inSize : (s+1)*inSize]
		dys := d[s*outSize : (s+1)*outSize]
		for i, v := range dys {
			for k := i * g.taps; k < (i+1)*g.taps; k++ {
				j := g.idx[k]
				if j < 0 {
					continue
				}
				if g.w == nil {
					dxs[j] += v
				} else {
					dxs[j] += g.w[k] * v
				}
			}
		}
	}
	return g.dx
}

// checkRank returns a ShapeError unless in has rank dims.
func checkRank(b *LayerBase, in tensor.Shape, rank int, want string) error {
	if len(in) == rank {
		return nil
	}
	return layerShapeError(b, in, want)
}

// layerShapeError says that layer b cannot take input shape in.
func layerShapeError(b *LayerBase, in tensor.Shape, want string) error {
	name := b.Name
	if name == "" {
		name = b.ClassName
	}
	return &ShapeError{Layer: name, Got: in.Clone(), Want: want}
}

// strides returns the row-major strides of shape.
func strides(shape []int) []int {
	s := make([]int, len(shape))
	acc := 1
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = acc
		acc *= shape[i]
	}
	return s
}

// sampleFormat locates the values of a sample of spatial shape
// (h, w) with c channels in a data format: 1-D layers use w = 1.
type sampleFormat struct {
	h, w, c int
	first   bool // channels_first
}

// at is the flat index of channel ch at (i, j).
func (f sampleFormat) at(i, j, ch int) int32 {
	if f.first {
		return int32((ch*f.h+i)*f.w + j)
	}
	return int32((i*f.w+j)*f.c + ch)
}

// spatialMap builds the map of a layer that moves pixels of an (h, w, c)
// sample to an (oh, ow, c) one, channel by channel: src fills, for output
// pixel (i, j), the K input pixels (ih, iw; ih = -1 for none) and their
// weights. Indexes follow the data format.
func spatialMap(in, out sampleFormat, taps int, weighted bool, src func(i, j int, ih, iw []int, wt []float32)) ([]int32, []float32) {
	idx := make([]int32, out.h*out.w*out.c*taps)
	var w []float32
	if weighted {
		w = make([]float32, len(idx))
	}
	ih, iw, wt := make([]int, taps), make([]int, taps), make([]float32, taps)
	for i := 0; i < out.h; i++ {
		for j := 0; j < out.w; j++ {
			src(i, j, ih, iw, wt)
			for ch := 0; ch < out.c; ch++ {
				o := int(out.at(i, j, ch)) * taps
				for k := 0; k < taps; k++ {
					idx[o+k] = -1
					if ih[k] >= 0 {
						idx[o+k] = in.at(ih[k], iw[k], ch)
					}
					if weighted {
						w[o+k] = wt[k]
					}
				}
			}
		}
	}
	return idx, w
}
