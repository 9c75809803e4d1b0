package tensor

// ConvTranspose writes y (N, OH', OW', F) = the transposed convolution of x
// (N, H, W, C) with kernel (KH, KW, F, C), channels last: the gradient of a
// convolution with that kernel, from F channels to C, with respect to its
// input. g is that convolution's geometry: its input is y's size (g.H, g.W,
// g.C = F) and its output x's (g.OH = H, g.OW = W). y is overwritten. It
// panics if a slice is shorter than g and c say.
//
// Each input pixel adds kernel[kh, kw]·x[pixel] into the output pixels its
// window covers: direct loops over taps, one F×C product per tap.
func ConvTranspose(y, x, kernel []float32, g ConvGeom, c int) {
	f := g.C
	if len(y) < g.N*g.H*g.W*f || len(x) < g.N*g.OH*g.OW*c || len(kernel) < g.KH*g.KW*f*c {
		panic("tensor: ConvTranspose: a slice is shorter than the geometry")
	}
	clear(y[:g.N*g.H*g.W*f])
	g.eachTap(func(in, out, tap int) {
		xr := x[in*c : (in+1)*c]
		yr := y[out*f : (out+1)*f]
		kt := kernel[tap*f*c : (tap+1)*f*c]
		for j := range yr {
			yr[j] += float32(Dot(kt[j*c:(j+1)*c], xr))
		}
	})
}

// ConvTransposeBackward accumulates dkernel (KH, KW, F, C) += the gradient
// of ConvTranspose with respect to its kernel for dy (N, OH', OW', F), and
// writes dx (N, H, W, C) (dx nil: skipped).
func ConvTransposeBackward(dx, dkernel, dy, x, kernel []float32, g ConvGeom, c int) {
	f := g.C
	if len(dy) < g.N*g.H*g.W*f || len(x) < g.N*g.OH*g.OW*c || len(kernel) < g.KH*g.KW*f*c || len(dkernel) < g.KH*g.KW*f*c {
		panic("tensor: ConvTransposeBackward: a slice is shorter than the geometry")
	}
	if dx != nil {
		clear(dx[:g.N*g.OH*g.OW*c])
	}
	g.eachTap(func(in, out, tap int) {
		xr := x[in*c : (in+1)*c]
		dyr := dy[out*f : (out+1)*f]
		kt := kernel[tap*f*c : (tap+1)*f*c]
		dkt := dkernel[tap*f*c : (tap+1)*f*c]
		for j, d := range dyr {
			if d == 0 {
				continue
			}
			Axpy(dkt[j*c:(j+1)*c], d, xr)
			if dx != nil {
				Axpy(dx[in*c:(in+1)*c], d, kt[j*c:(j+1)*c])
			}
		}
	})
}
