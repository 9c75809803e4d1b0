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

// Im2Col writes into dst (ColRows, ColCols) the input patches of x
// (N, H, W, C): row (n, oh, ow) holds the window at that output position in
// (kh, kw, c) order, zeros where the window lies in the padding. A
// convolution is then dst · kernel(KH·KW·C, filters).
// It panics if dst or x has the wrong length.
func Im2Col(dst, x []float32, g ConvGeom) {
	if len(dst) != g.ColRows()*g.ColCols() || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: Im2Col lengths dst %d, x %d do not fit %+v", len(dst), len(x), g))
	}
	i := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				for kh := 0; kh < g.KH; kh++ {
					ih := oh*g.SH + kh*g.DH - g.PadTop
					for kw := 0; kw < g.KW; kw++ {
						iw := ow*g.SW + kw*g.DW - g.PadLeft
						if ih < 0 || ih >= g.H || iw < 0 || iw >= g.W {
							clear(dst[i : i+g.C])
						} else {
							src := ((n*g.H+ih)*g.W + iw) * g.C
							copy(dst[i:i+g.C], x[src:src+g.C])
						}
						i += g.C
					}
				}
			}
		}
	}
}

// Col2Im is the adjoint of Im2Col: it adds every patch value of cols
// (ColRows, ColCols) back into dx (N, H, W, C) at the pixel it came from.
// It accumulates; zero dx first for a plain gradient.
func Col2Im(dx, cols []float32, g ConvGeom) {
	if len(cols) != g.ColRows()*g.ColCols() || len(dx) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: Col2Im lengths dx %d, cols %d do not fit %+v", len(dx), len(cols), g))
	}
	i := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				for kh := 0; kh < g.KH; kh++ {
					ih := oh*g.SH + kh*g.DH - g.PadTop
					for kw := 0; kw < g.KW; kw++ {
						iw := ow*g.SW + kw*g.DW - g.PadLeft
						if ih >= 0 && ih < g.H && iw >= 0 && iw < g.W {
							d := dx[((n*g.H+ih)*g.W+iw)*g.C:]
							for c := 0; c < g.C; c++ {
								d[c] += cols[i+c]
							}
						}
						i += g.C
					}
				}
			}
		}
	}
}

// MaxPool writes into y (N, OH, OW, C) the maximum of each window of x
// (N, H, W, C) and into argmax the flat index into x of the element chosen
// (the first maximum; padding never wins, as in Keras's 'same' pooling).
// A window lying wholly in the padding, which only a dilation larger than
// the input allows, gives 0 with argmax −1, which MaxPoolBackward skips.
// It panics if the lengths do not fit g.
func MaxPool(y []float32, argmax []int32, x []float32, g ConvGeom) {
	if len(y) != g.N*g.OH*g.OW*g.C || len(argmax) != len(y) || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: MaxPool lengths y %d, argmax %d, x %d do not fit %+v", len(y), len(argmax), len(x), g))
	}
	o := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			khLo, khHi := taps(oh, g.SH, g.DH, g.PadTop, g.KH, g.H)
			for ow := 0; ow < g.OW; ow++ {
				kwLo, kwHi := taps(ow, g.SW, g.DW, g.PadLeft, g.KW, g.W)
				for c := 0; c < g.C; c++ {
					best, bi := float32(0), int32(-1)
					for kh := khLo; kh < khHi; kh++ {
						ih := oh*g.SH + kh*g.DH - g.PadTop
						for kw := kwLo; kw < kwHi; kw++ {
							iw := ow*g.SW + kw*g.DW - g.PadLeft
							idx := ((n*g.H+ih)*g.W+iw)*g.C + c
							if bi < 0 || x[idx] > best {
								best, bi = x[idx], int32(idx)
							}
						}
					}
					y[o], argmax[o] = best, bi
					o++
				}
			}
		}
	}
}

// taps returns the window taps [lo, hi) of output position o that fall
// inside an input of n positions (o·s + k·d − pad in [0, n)), so that a
// window far larger than the input costs only its overlap with it.
func taps(o, s, d, pad, k, n int) (lo, hi int) {
	start := o*s - pad // the input position of tap 0
	if start > n-1 {
		return 0, 0
	}
	if start < 0 {
		lo = (-start + d - 1) / d
	}
	hi = min(k, (n-1-start)/d+1)
	return min(lo, hi), hi
}

// MaxPoolBackward adds each dy value into dx at the position argmax recorded
// (none for an argmax of −1, a window wholly in the padding).
// It accumulates; zero dx first for a plain gradient.
func MaxPoolBackward(dx, dy []float32, argmax []int32) {
	if len(dy) != len(argmax) {
		panic(fmt.Sprintf("tensor: MaxPoolBackward lengths dy %d, argmax %d differ", len(dy), len(argmax)))
	}
	for i, a := range argmax {
		if a >= 0 {
			dx[a] += dy[i]
		}
	}
}
