package tensor

// DepthwiseConv writes y (N, OH, OW, C·M) = the depthwise convolution of x
// (N, H, W, C) with kernel (KH, KW, C, M), channels last, with the geometry
// g (padding and strides as NewConvGeom works them out): each input channel
// c has its own M filters, and output channel c·M + m is input channel c
// convolved with kernel[:, :, c, m]. y is overwritten. It panics if a slice
// is shorter than g and m say.
//
// The cost is N·OH·OW·KH·KW·C·M multiply-adds: a depthwise convolution has
// no reduction over channels for a GEMM to gain on, so it is direct loops
// over contiguous channel rows.
func DepthwiseConv(y, x, kernel []float32, g ConvGeom, m int) {
	cm := g.C * m
	if len(y) < g.N*g.OH*g.OW*cm || len(x) < g.N*g.H*g.W*g.C || len(kernel) < g.KH*g.KW*cm {
		panic("tensor: DepthwiseConv: a slice is shorter than the geometry")
	}
	clear(y[:g.N*g.OH*g.OW*cm])
	g.eachTap(func(out, in, tap int) {
		yr := y[out*cm : (out+1)*cm]
		xr := x[in*g.C : (in+1)*g.C]
		kr := kernel[tap*cm : (tap+1)*cm]
		if m == 1 {
			for c, v := range xr {
				yr[c] += v * kr[c]
			}
			return
		}
		for c, v := range xr {
			for j := c * m; j < (c+1)*m; j++ {
				yr[j] += v * kr[j]
			}
		}
	})
}

// DepthwiseConvBackward accumulates dkernel (KH, KW, C, M) += the gradient
// of DepthwiseConv with respect to its kernel for dy (N, OH, OW, C·M), and
// writes dx (N, H, W, C), the gradient with respect to x (dx nil: skipped).
func DepthwiseConvBackward(dx, dkernel, dy, x, kernel []float32, g ConvGeom, m int) {
	cm := g.C * m
	if len(dy) < g.N*g.OH*g.OW*cm || len(x) < g.N*g.H*g.W*g.C || len(kernel) < g.KH*g.KW*cm || len(dkernel) < g.KH*g.KW*cm {
		panic("tensor: DepthwiseConvBackward: a slice is shorter than the geometry")
	}
	if dx != nil {
		clear(dx[:g.N*g.H*g.W*g.C])
	}
	g.eachTap(func(out, in, tap int) {
		dyr := dy[out*cm : (out+1)*cm]
		xr := x[in*g.C : (in+1)*g.C]
		kr := kernel[tap*cm : (tap+1)*cm]
		dkr := dkernel[tap*cm : (tap+1)*cm]
		for c, v := range xr {
			var s float32
			for j := c * m; j < (c+1)*m; j++ {
				dkr[j] += v * dyr[j]
				s += kr[j] * dyr[j]
			}
			if dx != nil {
				dx[in*g.C+c] += s
			}
		}
	})
}

// eachTap calls f for every output pixel and kernel tap that falls inside
// the input: out is the output pixel's index (n·OH + oh)·OW + ow, in the
// input pixel's (n·H + ih)·W + iw, tap the kernel position kh·KW + kw.
func (g ConvGeom) eachTap(f func(out, in, tap int)) {
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				out := (n*g.OH+oh)*g.OW + ow
				for kh := 0; kh < g.KH; kh++ {
					ih := oh*g.SH - g.PadTop + kh*g.DH
					if ih < 0 || ih >= g.H {
						continue
					}
					for kw := 0; kw < g.KW; kw++ {
						iw := ow*g.SW - g.PadLeft + kw*g.DW
						if iw < 0 || iw >= g.W {
							continue
						}
						f(out, (n*g.H+ih)*g.W+iw, kh*g.KW+kw)
					}
				}
			}
		}
	}
}
