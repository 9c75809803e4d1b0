package tensor

import "fmt"

// MaxPool writes into y (N, OH, OW, C) the maximum of each window of x
// (N, H, W, C) and into argmax the flat index into x of the element chosen:
// the first maximum in (kh, kw) order; padding never wins, as in Keras's
// 'same' pooling. A window with no pixel inside the image (impossible with
// Keras's padding rules; a dilation larger than the input allows it) gives
// 0 and index -1, which MaxPoolBackward skips. Only the window taps inside
// the image are visited, so a window far larger than the image costs only
// its overlap with it.
//
// The C channels of one pixel are adjacent, so each output pixel is done
// as whole channel runs: the first pixel of the window initializes y and
// argmax, and later pixels replace a channel only when strictly greater.
// It panics if the lengths do not fit g.
func MaxPool(y []float32, argmax []int32, x []float32, g ConvGeom) {
	if len(y) != g.N*g.OH*g.OW*g.C || len(argmax) != len(y) || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: MaxPool lengths y %d, argmax %d, x %d do not fit %+v", len(y), len(argmax), len(x), g))
	}
	if simdOK {
		maxPoolSIMD(y, argmax, x, g)
		return
	}
	maxPoolGo(y, argmax, x, g)
}

// maxPoolGo is MaxPool's Go loop (the SIMD kernel's reference).
func maxPoolGo(y []float32, argmax []int32, x []float32, g ConvGeom) {
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
	khLo, khHi := taps(oh, g.SH, g.DH, g.PadTop, g.KH, g.H)
	kwLo, kwHi := taps(ow, g.SW, g.DW, g.PadLeft, g.KW, g.W)
	for kh := khLo; kh < khHi; kh++ {
		ih := oh*g.SH + kh*g.DH - g.PadTop
		for kw := kwLo; kw < kwHi; kw++ {
			iw := ow*g.SW + kw*g.DW - g.PadLeft
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

// MaxPoolBackward adds each dy value into dx at the position argmax recorded
// (none for an index of -1, a window with no pixel in the image).
// It accumulates; zero dx first for a plain gradient. It panics if dy and
// argmax differ in length or an index is past the end of dx.
func MaxPoolBackward(dx, dy []float32, argmax []int32) {
	if len(dy) != len(argmax) {
		panic(fmt.Sprintf("tensor: MaxPoolBackward lengths dy %d, argmax %d differ", len(dy), len(argmax)))
	}
	dy = dy[:len(argmax)]
	for i, a := range argmax {
		if a >= 0 {
			dx[a] += dy[i]
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
