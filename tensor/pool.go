package tensor

import "fmt"

// MaxPool writes into y (N, OH, OW, C) the maximum of each window of x
// (N, H, W, C) and into argmax the flat index into x of the element chosen:
// the first maximum in (kh, kw) order; padding never wins, as in Keras's
// 'same' pooling. A window with no pixel inside the image (impossible with
// Keras's padding rules) gives 0 and index -1.
//
// The C channels of one pixel are adjacent, so each output pixel is done
// as whole channel runs: the first pixel of the window initializes y and
// argmax, and later pixels replace a channel only when strictly greater.
// It panics if the lengths do not fit g.
func MaxPool(y []float32, argmax []int32, x []float32, g ConvGeom) {
	if len(y) != g.N*g.OH*g.OW*g.C || len(argmax) != len(y) || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: MaxPool lengths y %d, argmax %d, x %d do not fit %+v", len(y), len(argmax), len(x), g))
	}
	c := g.C
	o := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				maxPoolPixel(y[o:o+c], argmax[o:o+c], x, g, n, oh, ow)
				o += c
			}
		}
	}
}

// maxPoolPixel fills the C outputs yo and their indexes ao of output pixel
// (n, oh, ow).
func maxPoolPixel(yo []float32, ao []int32, x []float32, g ConvGeom, n, oh, ow int) {
	c := len(yo)
	ao = ao[:c]
	first := true
	for kh := 0; kh < g.KH; kh++ {
		ih := oh*g.SH + kh*g.DH - g.PadTop
		if ih < 0 || ih >= g.H {
			continue
		}
		for kw := 0; kw < g.KW; kw++ {
			iw := ow*g.SW + kw*g.DW - g.PadLeft
			if iw < 0 || iw >= g.W {
				continue
			}
			base := ((n*g.H+ih)*g.W + iw) * c
			xs := x[base : base+c]
			if first {
				copy(yo, xs)
				for j := range ao {
					ao[j] = int32(base + j)
				}
				first = false
				continue
			}
			for j, v := range xs {
				if v > yo[j] {
					yo[j], ao[j] = v, int32(base+j)
				}
			}
		}
	}
	if first {
		clear(yo)
		for j := range ao {
			ao[j] = -1
		}
	}
}

// MaxPoolBackward adds each dy value into dx at the position argmax recorded.
// It accumulates; zero dx first for a plain gradient. It panics if dy and
// argmax differ in length or an index is outside dx.
func MaxPoolBackward(dx, dy []float32, argmax []int32) {
	if len(dy) != len(argmax) {
		panic(fmt.Sprintf("tensor: MaxPoolBackward lengths dy %d, argmax %d differ", len(dy), len(argmax)))
	}
	dy = dy[:len(argmax)]
	for i, a := range argmax {
		dx[a] += dy[i]
	}
}
