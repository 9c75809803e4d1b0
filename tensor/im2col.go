package tensor

import "fmt"

// Im2Col writes into dst (ColRows, ColCols) the input patches of x
// (N, H, W, C): row (n, oh, ow) holds the window at that output position in
// (kh, kw, c) order, zeros where the window lies in the padding. A
// convolution is then dst · kernel(KH·KW·C, filters).
//
// With no dilation along the width, the KW pixels of one window row are
// adjacent in x, so each window row is one contiguous run of KW·C values;
// a window that lies wholly inside the image (no padding) skips all
// clipping. It panics if dst or x has the wrong length.
func Im2Col(dst, x []float32, g ConvGeom) {
	if len(dst) != g.ColRows()*g.ColCols() || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: Im2Col lengths dst %d, x %d do not fit %+v", len(dst), len(x), g))
	}
	Im2ColRows(dst, x, g, 0, g.ColRows())
}

// Im2ColRows writes rows [r0, r1) of the im2col matrix of x (N, H, W, C)
// into dst ((r1-r0), ColCols): the same values Im2Col writes there, so a
// convolution can be computed one tile of output positions at a time with
// scratch bounded by the tile, whatever the batch. It panics if dst or x
// has the wrong length or the rows are out of range.
func Im2ColRows(dst, x []float32, g ConvGeom, r0, r1 int) {
	if r0 < 0 || r1 < r0 || r1 > g.ColRows() || len(dst) != (r1-r0)*g.ColCols() || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: Im2ColRows rows [%d, %d), lengths dst %d, x %d do not fit %+v", r0, r1, len(dst), len(x), g))
	}
	if g.ColCols() == 0 || r0 == r1 {
		return
	}
	if simdOK && g.unpadded() && g.DW == 1 {
		windowsSIMD(dst, x, g, r0, r1, false)
		return
	}
	im2colRowsGo(dst, x, g, r0, r1)
}

// im2colRowsGo is Im2ColRows's Go loop (the SIMD kernel's reference).
func im2colRowsGo(dst, x []float32, g ConvGeom, r0, r1 int) {
	rowLen, img := g.ColCols(), g.H*g.W*g.C
	inside := g.unpadded() && g.DW == 1
	i := 0
	n, oh, ow := g.rowPosition(r0)
	for r := r0; r < r1; r++ {
		xn := x[n*img : n*img+img]
		row := dst[i : i+rowLen]
		if inside {
			run := g.KW * g.C
			for kh := 0; kh < g.KH; kh++ {
				src := ((oh*g.SH+kh*g.DH)*g.W + ow*g.SW) * g.C
				copyRun(row[kh*run:kh*run+run], xn[src:src+run])
			}
		} else {
			im2colPatch(row, xn, g, oh, ow)
		}
		i += rowLen
		n, oh, ow = g.nextPosition(n, oh, ow)
	}
}

// rowPosition returns the output position (n, oh, ow) of im2col row r.
func (g ConvGeom) rowPosition(r int) (n, oh, ow int) {
	per := g.OH * g.OW
	rem := r % per
	return r / per, rem / g.OW, rem % g.OW
}

// nextPosition returns the output position after (n, oh, ow) in row order.
func (g ConvGeom) nextPosition(n, oh, ow int) (int, int, int) {
	if ow++; ow == g.OW {
		ow = 0
		if oh++; oh == g.OH {
			oh = 0
			n++
		}
	}
	return n, oh, ow
}

// unpadded reports whether every window lies wholly inside the image, so
// no index needs clipping: no top/left padding and the last window ends
// within the last row and column.
func (g ConvGeom) unpadded() bool {
	return g.PadTop == 0 && g.PadLeft == 0 &&
		(g.OH-1)*g.SH+(g.KH-1)*g.DH < g.H && (g.OW-1)*g.SW+(g.KW-1)*g.DW < g.W
}

// windowCols returns the range [a, b) of kernel columns whose pixels lie
// inside the image for a window whose first column is iw0, when the width
// is not dilated. a >= b means none does.
func (g ConvGeom) windowCols(iw0 int) (a, b int) {
	a, b = 0, g.KW
	if iw0 < 0 {
		a = -iw0
	}
	if iw0+g.KW > g.W {
		b = g.W - iw0
	}
	return a, b
}

// im2colPatch fills one im2col row (KH·KW·C) for output (oh, ow) of the
// image xn (H, W, C), writing zeros for padding.
func im2colPatch(row, xn []float32, g ConvGeom, oh, ow int) {
	c, run := g.C, g.KW*g.C
	iw0 := ow*g.SW - g.PadLeft
	for kh := 0; kh < g.KH; kh++ {
		seg := row[kh*run : kh*run+run]
		ih := oh*g.SH + kh*g.DH - g.PadTop
		if ih < 0 || ih >= g.H {
			clear(seg)
			continue
		}
		src := xn[ih*g.W*c : (ih+1)*g.W*c]
		if g.DW == 1 {
			a, b := g.windowCols(iw0)
			if a >= b {
				clear(seg)
				continue
			}
			clear(seg[:a*c])
			copyRun(seg[a*c:b*c], src[(iw0+a)*c:(iw0+b)*c])
			clear(seg[b*c:])
			continue
		}
		for kw := 0; kw < g.KW; kw++ {
			iw := iw0 + kw*g.DW
			d := seg[kw*c : kw*c+c]
			if iw < 0 || iw >= g.W {
				clear(d)
			} else {
				copyRun(d, src[iw*c:iw*c+c])
			}
		}
	}
}

// Col2Im is the adjoint of Im2Col: it adds every patch value of cols
// (ColRows, ColCols) back into dx (N, H, W, C) at the pixel it came from.
// It accumulates; zero dx first for a plain gradient. Rows are visited in
// the same order as Im2Col writes them, so each pixel's sum is formed in
// a fixed, documented order: by output position, then kernel position.
// It panics if dx or cols has the wrong length.
func Col2Im(dx, cols []float32, g ConvGeom) {
	if len(cols) != g.ColRows()*g.ColCols() || len(dx) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: Col2Im lengths dx %d, cols %d do not fit %+v", len(dx), len(cols), g))
	}
	Col2ImRows(dx, cols, g, 0, g.ColRows())
}

// Col2ImRows is Col2Im for rows [r0, r1) of the im2col matrix, held in
// cols ((r1-r0), ColCols). Calling it for consecutive row ranges from 0 to
// ColRows adds the same values in the same order as one Col2Im. It panics
// if dx or cols has the wrong length or the rows are out of range.
func Col2ImRows(dx, cols []float32, g ConvGeom, r0, r1 int) {
	if r0 < 0 || r1 < r0 || r1 > g.ColRows() || len(cols) != (r1-r0)*g.ColCols() || len(dx) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: Col2ImRows rows [%d, %d), lengths dx %d, cols %d do not fit %+v", r0, r1, len(dx), len(cols), g))
	}
	if g.ColCols() == 0 || r0 == r1 {
		return
	}
	if simdOK && g.unpadded() && g.DW == 1 {
		windowsSIMD(cols, dx, g, r0, r1, true)
		return
	}
	col2imRowsGo(dx, cols, g, r0, r1)
}

// col2imRowsGo is Col2ImRows's Go loop (the SIMD kernel's reference).
func col2imRowsGo(dx, cols []float32, g ConvGeom, r0, r1 int) {
	rowLen, img := g.ColCols(), g.H*g.W*g.C
	inside := g.unpadded() && g.DW == 1
	i := 0
	n, oh, ow := g.rowPosition(r0)
	for r := r0; r < r1; r++ {
		dn := dx[n*img : n*img+img]
		row := cols[i : i+rowLen]
		if inside {
			run := g.KW * g.C
			for kh := 0; kh < g.KH; kh++ {
				d := ((oh*g.SH+kh*g.DH)*g.W + ow*g.SW) * g.C
				addRun(dn[d:d+run], row[kh*run:kh*run+run])
			}
		} else {
			col2imPatch(dn, row, g, oh, ow)
		}
		i += rowLen
		n, oh, ow = g.nextPosition(n, oh, ow)
	}
}

// col2imPatch adds one im2col row (KH·KW·C) for output (oh, ow) into the
// image gradient dn (H, W, C), skipping padding.
func col2imPatch(dn, row []float32, g ConvGeom, oh, ow int) {
	c, run := g.C, g.KW*g.C
	iw0 := ow*g.SW - g.PadLeft
	for kh := 0; kh < g.KH; kh++ {
		ih := oh*g.SH + kh*g.DH - g.PadTop
		if ih < 0 || ih >= g.H {
			continue
		}
		seg := row[kh*run : kh*run+run]
		d := dn[ih*g.W*c : (ih+1)*g.W*c]
		if g.DW == 1 {
			a, b := g.windowCols(iw0)
			if a < b {
				addRun(d[(iw0+a)*c:(iw0+b)*c], seg[a*c:b*c])
			}
			continue
		}
		for kw := 0; kw < g.KW; kw++ {
			iw := iw0 + kw*g.DW
			if iw >= 0 && iw < g.W {
				addRun(d[iw*c:iw*c+c], seg[kw*c:kw*c+c])
			}
		}
	}
}

// copyRun copies src into dst (same length). Short runs, such as the three
// pixels of a one-channel 3-wide window, are copied by a loop: a call to
// the runtime's memmove costs more than the copy itself.
func copyRun(dst, src []float32) {
	if len(src) >= 16 {
		copy(dst, src)
		return
	}
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = v
	}
}

// addRun adds src into dst element by element (same length), four at a
// time so that wasm pays the loop overhead a quarter as often.
func addRun(dst, src []float32) {
	dst = dst[:len(src)]
	for len(src) >= 4 && len(dst) >= 4 {
		dst[0] += src[0]
		dst[1] += src[1]
		dst[2] += src[2]
		dst[3] += src[3]
		dst, src = dst[4:], src[4:]
	}
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}
