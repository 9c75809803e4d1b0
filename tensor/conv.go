package tensor

import "fmt"

// MaxConvDim bounds the input height and width, window, strides and
// dilation of a ConvGeom: with every size at most 2^30 its arithmetic cannot
// overflow, and no image or window in memory is larger.
const MaxConvDim = 1 << 30

// ConvGeom is the geometry of a 2-D window operation (convolution or
// pooling) over channels_last images: input (N, H, W, C), a KH×KW window
// moved by strides SH, SW with dilation DH, DW, and zero padding PadTop,
// PadLeft before the first row and column, giving output (N, OH, OW, ·).
type ConvGeom struct {
	N, H, W, C      int
	KH, KW          int
	SH, SW          int
	DH, DW          int
	PadTop, PadLeft int
	OH, OW          int
}

// NewConvGeom works out the output size and padding the way Keras does
// (keras/src/ops/operation_utils.py compute_conv_output_shape and TF's
// padding rules): "valid" uses no padding, OH = floor((H - dilated KH)/SH) + 1;
// "same" gives OH = ceil(H/SH) and pads max((OH-1)·SH + dilated KH - H, 0)
// rows, the smaller half on top. It returns an error for an unknown padding,
// a window larger than a "valid" input, or sizes below 1 (0 for the input)
// or above MaxConvDim.
func NewConvGeom(n, h, w, c, kh, kw, sh, sw, dh, dw int, padding string) (ConvGeom, error) {
	g := ConvGeom{N: n, H: h, W: w, C: c, KH: kh, KW: kw, SH: sh, SW: sw, DH: dh, DW: dw}
	if kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1 {
		return g, fmt.Errorf("tensor: window %dx%d, strides %dx%d, dilation %dx%d: every value must be >= 1", kh, kw, sh, sw, dh, dw)
	}
	if max(kh, kw, sh, sw, dh, dw) > MaxConvDim {
		return g, fmt.Errorf("tensor: window %dx%d, strides %dx%d, dilation %dx%d: every value must be at most 2^30", kh, kw, sh, sw, dh, dw)
	}
	if n < 0 || h < 0 || w < 0 || c < 0 || max(h, w) > MaxConvDim {
		return g, fmt.Errorf("tensor: input (%d, %d, %d, %d): sizes must be >= 0 and height and width at most 2^30", n, h, w, c)
	}
	ekh, ekw := (kh-1)*dh+1, (kw-1)*dw+1
	switch padding {
	case "valid":
		if h < ekh || w < ekw {
			return g, fmt.Errorf("tensor: window %dx%d (dilated) is larger than the %dx%d input with padding 'valid'; use a smaller kernel or padding 'same'", ekh, ekw, h, w)
		}
		g.OH = (h-ekh)/sh + 1
		g.OW = (w-ekw)/sw + 1
	case "same":
		g.OH = (h + sh - 1) / sh
		g.OW = (w + sw - 1) / sw
		g.PadTop = max((g.OH-1)*sh+ekh-h, 0) / 2
		g.PadLeft = max((g.OW-1)*sw+ekw-w, 0) / 2
	default:
		return g, fmt.Errorf("tensor: unknown padding %q: expected \"valid\" or \"same\"", padding)
	}
	return g, nil
}

// ColRows is the number of rows of the im2col matrix, N·OH·OW.
func (g ConvGeom) ColRows() int { return g.N * g.OH * g.OW }

// ColCols is the number of columns of the im2col matrix, KH·KW·C, in the
// order of a Keras kernel (kh, kw, in, filters) flattened to (KH·KW·C, filters).
func (g ConvGeom) ColCols() int { return g.KH * g.KW * g.C }
