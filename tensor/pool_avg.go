package tensor

import "fmt"

// AvgPool writes into y (N, OH, OW, C) the mean of each window of x
// (N, H, W, C). Padding is left out of the mean, as in Keras's 'same'
// average pooling (TF's avg_pool divides by the pixels inside the image);
// a window with no pixel inside the image gives 0. It panics if the
// lengths do not fit g.
func AvgPool(y, x []float32, g ConvGeom) {
	if len(y) != g.N*g.OH*g.OW*g.C || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: AvgPool lengths y %d, x %d do not fit %+v", len(y), len(x), g))
	}
	c := g.C
	o := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			khLo, khHi := taps(oh, g.SH, g.DH, g.PadTop, g.KH, g.H)
			for ow := 0; ow < g.OW; ow++ {
				kwLo, kwHi := taps(ow, g.SW, g.DW, g.PadLeft, g.KW, g.W)
				yo := y[o : o+c]
				clear(yo)
				for kh := khLo; kh < khHi; kh++ {
					ih := oh*g.SH + kh*g.DH - g.PadTop
					for kw := kwLo; kw < kwHi; kw++ {
						iw := ow*g.SW + kw*g.DW - g.PadLeft
						base := ((n*g.H+ih)*g.W + iw) * c
						Add(yo, x[base:base+c])
					}
				}
				if count := (khHi - khLo) * (kwHi - kwLo); count > 0 {
					Scale(yo, 1/float32(count))
				}
				o += c
			}
		}
	}
}

// AvgPoolBackward adds into dx (N, H, W, C) each dy (N, OH, OW, C) value
// divided among the pixels of its window inside the image, the gradient of
// AvgPool. It accumulates; zero dx first for a plain gradient. It panics if
// the lengths do not fit g.
func AvgPoolBackward(dx, dy []float32, g ConvGeom) {
	if len(dy) != g.N*g.OH*g.OW*g.C || len(dx) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: AvgPoolBackward lengths dx %d, dy %d do not fit %+v", len(dx), len(dy), g))
	}
	c := g.C
	o := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			khLo, khHi := taps(oh, g.SH, g.DH, g.PadTop, g.KH, g.H)
			for ow := 0; ow < g.OW; ow++ {
				kwLo, kwHi := taps(ow, g.SW, g.DW, g.PadLeft, g.KW, g.W)
				count := (khHi - khLo) * (kwHi - kwLo)
				if count == 0 {
					o += c
					continue
				}
				inv := 1 / float32(count)
				dyo := dy[o : o+c]
				for kh := khLo; kh < khHi; kh++ {
					ih := oh*g.SH + kh*g.DH - g.PadTop
					for kw := kwLo; kw < kwHi; kw++ {
						iw := ow*g.SW + kw*g.DW - g.PadLeft
						base := ((n*g.H+ih)*g.W + iw) * c
						Axpy(dx[base:base+c], inv, dyo)
					}
				}
				o += c
			}
		}
	}
}
