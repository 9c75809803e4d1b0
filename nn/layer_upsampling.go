package nn

import (
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// UpSampling is UpSampling1D and UpSampling2D: each step repeated size
// times (1-D), or each row and column repeated (size_h, size_w) times
// ('nearest', Keras's default), or resized by bilinear interpolation
// ('bilinear'), as tf.image.resize does it, which Keras calls: half-pixel
// centres, source position (i + 0.5)/size − 0.5 clamped to the image.
// Keras: keras/src/layers/reshaping/up_sampling1d.py, up_sampling2d.py.
//
// Porting note: TF.js's UpSampling2D 'bilinear' uses resizeBilinear without
// half-pixel centres, so its numbers differ from Keras's; keraswasm follows
// Keras.
type UpSampling struct {
	LayerBase
	Rank          int
	Size          [2]int // 1-D: (size, 1)
	DataFormat    string
	Interpolation string

	g gather
}

func init() {
	layers.add("UpSampling1D", []string{"size"}, func(m map[string]any) (Layer, error) { return newUpSamplingFromConfig("UpSampling1D", 1, m) })
	layers.add("UpSampling2D", []string{"size", "data_format", "interpolation"}, func(m map[string]any) (Layer, error) {
		return newUpSamplingFromConfig("UpSampling2D", 2, m)
	})
}

// NewUpSampling2D returns an UpSampling2D layer; opts holds its Keras
// arguments ("size", "data_format", "interpolation", ...).
func NewUpSampling2D(opts map[string]any) (*UpSampling, error) {
	return newUpSamplingFromConfig("UpSampling2D", 2, opts)
}

func newUpSamplingFromConfig(class string, rank int, m map[string]any) (*UpSampling, error) {
	a := NewArgs(class, m)
	u := &UpSampling{LayerBase: ParseBase(a, class), Rank: rank, DataFormat: channelsLast, Interpolation: "nearest"}
	if rank == 1 {
		u.Size = [2]int{readPositive1(a, "size", 2), 1}
	} else {
		u.Size = readPair(a, "size", [2]int{2, 2})
		u.DataFormat = readDataFormat(a)
		switch v := a.String("interpolation", "nearest"); v {
		case "nearest", "bilinear":
			u.Interpolation = v
		case "bicubic", "area", "lanczos3", "lanczos5", "gaussian", "mitchellcubic":
			a.Unimplemented("interpolation", v, `"nearest" or "bilinear" (the other resize methods are not implemented in keraswasm)`)
		default:
			a.Fail("interpolation", v, `one of "nearest", "bilinear"`)
		}
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return u, nil
}

func (u *UpSampling) format(in tensor.Shape) sampleFormat {
	f := sampleFormat{w: 1, first: u.DataFormat == channelsFirst}
	switch {
	case u.Rank == 1:
		f.h, f.c = in[0], in[1]
	case f.first:
		f.c, f.h, f.w = in[0], in[1], in[2]
	default:
		f.h, f.w, f.c = in[0], in[1], in[2]
	}
	return f
}

// OutputShape returns the sample with its steps (or rows and columns)
// multiplied by size.
func (u *UpSampling) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	want := "(steps, features)"
	if u.Rank == 2 {
		want = expectedImage(u.DataFormat)
	}
	if err := checkRank(&u.LayerBase, in, u.Rank+1, want); err != nil {
		return nil, err
	}
	out := in.Clone()
	axis := 0
	if u.DataFormat == channelsFirst {
		axis = 1
	}
	for i := 0; i < u.Rank; i++ {
		if d := out[axis+i]; d >= 0 {
			if d > 0 && u.Size[i] > math.MaxInt32/d {
				return nil, layerShapeError(&u.LayerBase, in, want+" small enough to upsample by size "+formatValue(u.Size[:u.Rank]))
			}
			out[axis+i] = d * u.Size[i]
		}
	}
	return out, nil
}

// Build checks the input shape.
func (u *UpSampling) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := u.OutputShape(in); err != nil {
		return err
	}
	u.Built = true
	return nil
}

// Params returns nil: UpSampling has no weights.
func (u *UpSampling) Params() []*Param { return nil }

// linearTaps returns, for output position i of an axis upsampled by size
// from n positions, the two source positions and the weight of the upper
// one, as tf.image.resize's bilinear (half-pixel centres) works them out.
func linearTaps(i, size, n int) (lo, hi int, frac float32) {
	src := (float64(i)+0.5)/float64(size) - 0.5
	f := math.Floor(src)
	lo = max(int(f), 0)
	hi = min(int(math.Ceil(src)), n-1)
	return lo, hi, float32(src - f)
}

func (u *UpSampling) mapping(in tensor.Shape) (tensor.Shape, int, []int32, []float32) {
	out, _ := u.OutputShape(in)
	fi, fo := u.format(in), u.format(out)
	sh, sw := u.Size[0], u.Size[1]
	if u.Interpolation == "nearest" {
		idx, _ := spatialMap(fi, fo, 1, false, func(i, j int, ih, iw []int, _ []float32) { ih[0], iw[0] = i/sh, j/sw })
		return out, 1, idx, nil
	}
	idx, w := spatialMap(fi, fo, 4, true, func(i, j int, ih, iw []int, wt []float32) {
		y0, y1, ly := linearTaps(i, sh, fi.h)
		x0, x1, lx := linearTaps(j, sw, fi.w)
		ih[0], iw[0], wt[0] = y0, x0, (1-ly)*(1-lx)
		ih[1], iw[1], wt[1] = y0, x1, (1-ly)*lx
		ih[2], iw[2], wt[2] = y1, x0, ly*(1-lx)
		ih[3], iw[3], wt[3] = y1, x1, ly*lx
	})
	return out, 4, idx, w
}

// Forward returns x upsampled.
func (u *UpSampling) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	return u.g.forward(&u.LayerBase, u, x)
}

// Backward returns dy summed back onto the source values.
func (u *UpSampling) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	return u.g.backward(&u.LayerBase, dy)
}

// Config returns Keras's config: UpSampling1D's size as an integer,
// UpSampling2D's as a pair.
func (u *UpSampling) Config() Config {
	if u.Rank == 1 {
		return Config{ClassName: u.ClassName, Config: u.BaseConfig(map[string]any{"size": u.Size[0]})}
	}
	return Config{ClassName: u.ClassName, Config: u.BaseConfig(map[string]any{
		"size": pairList(u.Size), "data_format": u.DataFormat, "interpolation": u.Interpolation,
	})}
}
