package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Padding is ZeroPadding1D/2D and Cropping1D/2D: zeros added around the
// steps or rows and columns of each sample, or that many removed.
// Amounts are (before, after) per spatial axis: ((top, bottom), (left,
// right)); a 1-D layer uses the first pair. Keras:
// keras/src/layers/reshaping/zero_padding1d.py, zero_padding2d.py,
// cropping1d.py, cropping2d.py.
type Padding struct {
	LayerBase
	Crop       bool
	Rank       int
	Amounts    [2][2]int
	DataFormat string

	g gather
}

func init() {
	layers.add("ZeroPadding1D", []string{"padding", "data_format"}, func(m map[string]any) (Layer, error) {
		return newPaddingFromConfig("ZeroPadding1D", false, 1, m)
	})
	layers.add("ZeroPadding2D", []string{"padding", "data_format"}, func(m map[string]any) (Layer, error) {
		return newPaddingFromConfig("ZeroPadding2D", false, 2, m)
	})
	layers.add("Cropping1D", []string{"cropping"}, func(m map[string]any) (Layer, error) {
		return newPaddingFromConfig("Cropping1D", true, 1, m)
	})
	layers.add("Cropping2D", []string{"cropping", "data_format"}, func(m map[string]any) (Layer, error) {
		return newPaddingFromConfig("Cropping2D", true, 2, m)
	})
}

// NewZeroPadding2D returns a ZeroPadding2D layer; opts holds its Keras
// arguments ("padding", "data_format", ...).
func NewZeroPadding2D(opts map[string]any) (*Padding, error) {
	return newPaddingFromConfig("ZeroPadding2D", false, 2, opts)
}

func newPaddingFromConfig(class string, crop bool, rank int, m map[string]any) (*Padding, error) {
	a := NewArgs(class, m)
	p := &Padding{LayerBase: ParseBase(a, class), Crop: crop, Rank: rank, DataFormat: channelsLast}
	key, def := "padding", 1
	if crop {
		key, def = "cropping", 0
		if rank == 1 {
			def = 1
		}
	}
	p.Amounts = readAmounts(a, key, rank, def)
	if rank == 2 || !crop { // Keras's Cropping1D has no data_format
		p.DataFormat = readDataFormat(a)
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// readAmounts reads Keras's padding or cropping: an integer for every
// side; for 1-D (before, after); for 2-D (rows, columns), each on both
// sides, or ((top, bottom), (left, right)). Amounts must be >= 0.
func readAmounts(a *Args, key string, rank, def int) [2][2]int {
	out := [2][2]int{{def, def}}
	if rank == 2 {
		out[1] = [2]int{def, def}
	}
	want := "a non-negative integer or a list (before, after), each at most 2^30"
	if rank == 2 {
		want = "a non-negative integer, a list (rows, columns), or ((top, bottom), (left, right)), each at most 2^30"
	}
	v, ok := a.Value(key)
	if !ok {
		return out
	}
	fail := func() [2][2]int { a.Fail(key, v, want); return out }
	nonNeg := func(e any) (int, bool) { n, ok := toInt(e); return n, ok && n >= 0 && n <= tensor.MaxConvDim }
	if n, ok := nonNeg(v); ok {
		out[0] = [2]int{n, n}
		if rank == 2 {
			out[1] = [2]int{n, n}
		}
		return out
	}
	list, ok := toList(v)
	if !ok || len(list) != 2 {
		return fail()
	}
	if rank == 1 {
		b, ok1 := nonNeg(list[0])
		e, ok2 := nonNeg(list[1])
		if !ok1 || !ok2 {
			return fail()
		}
		out[0] = [2]int{b, e}
		return out
	}
	for i, e := range list {
		if n, ok := nonNeg(e); ok {
			out[i] = [2]int{n, n}
			continue
		}
		pair, ok := toList(e)
		if !ok || len(pair) != 2 {
			return fail()
		}
		b, ok1 := nonNeg(pair[0])
		f, ok2 := nonNeg(pair[1])
		if !ok1 || !ok2 {
			return fail()
		}
		out[i] = [2]int{b, f}
	}
	return out
}

// format reads a sample shape as (h, w, c) in the layer's data format (w
// is 1 for 1-D); ok is false for the wrong rank.
func (p *Padding) format(in tensor.Shape) (sampleFormat, bool) {
	f := sampleFormat{w: 1, first: p.DataFormat == channelsFirst}
	if len(in) != p.Rank+1 {
		return f, false
	}
	if f.first {
		f.c, f.h = in[0], in[1]
		if p.Rank == 2 {
			f.w = in[2]
		}
	} else {
		f.h, f.c = in[0], in[len(in)-1]
		if p.Rank == 2 {
			f.w = in[1]
		}
	}
	return f, true
}

// OutputShape returns the padded or cropped shape.
func (p *Padding) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	f, ok := p.format(in)
	want := "(steps, features)"
	if p.Rank == 2 {
		want = expectedImage(p.DataFormat)
	} else if f.first {
		want = "(features, steps) for data_format \"channels_first\""
	}
	if !ok {
		return nil, checkRank(&p.LayerBase, in, p.Rank+1, want)
	}
	out := in.Clone()
	axis := 0 // the first spatial axis of out
	if f.first {
		axis = 1
	}
	for i := 0; i < p.Rank; i++ {
		d := out[axis+i]
		if d < 0 {
			continue
		}
		sum := p.Amounts[i][0] + p.Amounts[i][1]
		if !p.Crop {
			out[axis+i] = d + sum
			continue
		}
		if d-sum < 1 {
			return nil, layerShapeError(&p.LayerBase, in, fmt.Sprintf("%s with spatial dimensions larger than cropping %s: values in cropping must be smaller than the corresponding spatial dimension of the input",
				want, formatValue(p.amountsConfig())))
		}
		out[axis+i] = d - sum
	}
	return out, nil
}

// Build checks the input shape.
func (p *Padding) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := p.OutputShape(in); err != nil {
		return err
	}
	p.Built = true
	return nil
}

// Params returns nil: padding and cropping have no weights.
func (p *Padding) Params() []*Param { return nil }

func (p *Padding) mapping(in tensor.Shape) (tensor.Shape, int, []int32, []float32) {
	out, _ := p.OutputShape(in)
	fi, _ := p.format(in)
	fo, _ := p.format(out)
	top, left := p.Amounts[0][0], p.Amounts[1][0]
	idx, _ := spatialMap(fi, fo, 1, false, func(i, j int, ih, iw []int, _ []float32) {
		if p.Crop {
			ih[0], iw[0] = i+top, j+left
			return
		}
		ih[0], iw[0] = i-top, j-left
		if ih[0] < 0 || ih[0] >= fi.h || iw[0] < 0 || iw[0] >= fi.w {
			ih[0] = -1
		}
	})
	return out, 1, idx, nil
}

// Forward returns x padded with zeros or cropped.
func (p *Padding) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	return p.g.forward(&p.LayerBase, p, x)
}

// Backward returns dy cropped back to the input (or put back in place
// among zeros).
func (p *Padding) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	return p.g.backward(&p.LayerBase, dy)
}

// amountsConfig writes the amounts as Keras's config holds them: (before,
// after) for 1-D, ((top, bottom), (left, right)) for 2-D.
func (p *Padding) amountsConfig() any {
	if p.Rank == 1 {
		return []int{p.Amounts[0][0], p.Amounts[0][1]}
	}
	return [][]int{{p.Amounts[0][0], p.Amounts[0][1]}, {p.Amounts[1][0], p.Amounts[1][1]}}
}

// Config returns Keras's config.
func (p *Padding) Config() Config {
	m := map[string]any{}
	if p.Crop {
		m["cropping"] = p.amountsConfig()
	} else {
		m["padding"] = p.amountsConfig()
	}
	if p.Rank == 2 || !p.Crop {
		m["data_format"] = p.DataFormat
	}
	return Config{ClassName: p.ClassName, Config: p.BaseConfig(m)}
}
