package tensor

import "fmt"

// The straightforward loops below were the first Im2Col, Col2Im, MaxPool
// and MaxPoolBackward; the fast kernels are tested against them for exact
// equality (same values, same summation order, same argmax).

// im2colRef writes into dst (ColRows, ColCols) the input patches of x
// (N, H, W, C), one pixel at a time.
func im2colRef(dst, x []float32, g ConvGeom) {
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

// col2imRef adds every patch value of cols (ColRows, ColCols) back into dx
// (N, H, W, C) at the pixel it came from, one value at a time.
func col2imRef(dx, cols []float32, g ConvGeom) {
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

// maxPoolRef writes the maximum of each window and its flat index (the
// first maximum; padding never wins), one output value at a time.
func maxPoolRef(y []float32, argmax []int32, x []float32, g ConvGeom) {
	if len(y) != g.N*g.OH*g.OW*g.C || len(argmax) != len(y) || len(x) != g.N*g.H*g.W*g.C {
		panic(fmt.Sprintf("tensor: MaxPool lengths y %d, argmax %d, x %d do not fit %+v", len(y), len(argmax), len(x), g))
	}
	o := 0
	for n := 0; n < g.N; n++ {
		for oh := 0; oh < g.OH; oh++ {
			for ow := 0; ow < g.OW; ow++ {
				for c := 0; c < g.C; c++ {
					best, bi := float32(0), int32(-1)
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

// maxPoolBackwardRef adds each dy value into dx at the position argmax recorded.
func maxPoolBackwardRef(dx, dy []float32, argmax []int32) {
	if len(dy) != len(argmax) {
		panic(fmt.Sprintf("tensor: MaxPoolBackward lengths dy %d, argmax %d differ", len(dy), len(argmax)))
	}
	for i, a := range argmax {
		dx[a] += dy[i]
	}
}
