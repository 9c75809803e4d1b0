package tensor

import "fmt"

// The element-wise kernels below follow gonum/floats' naming on float32
// slices: dst is the written slice and comes first, Add(dst, s) is dst += s
// and MulTo(dst, s, t) is dst = s·t. They allocate nothing, and they panic
// when lengths differ, which only a bug in the caller can cause. The loops of
// Add, Axpy and Scale are unrolled by four: Go does not vectorize, and under
// wasm the loop overhead is paid a quarter as often.

func sameLen(op string, n int, lens ...int) {
	for _, l := range lens {
		if l != n {
			panic(fmt.Sprintf("tensor: %s lengths %d and %d differ", op, n, l))
		}
	}
}

// Add sets dst[i] += s[i].
func Add(dst, s []float32) {
	sameLen("Add", len(dst), len(s))
	if simdOK {
		axpySIMD(dst, 1, s) // dst + 1·s is dst + s exactly
		return
	}
	addRun(dst, s)
}

// MulTo sets dst[i] = s[i] * t[i]. dst may be s or t.
func MulTo(dst, s, t []float32) {
	sameLen("MulTo", len(dst), len(s), len(t))
	if simdOK {
		mulToSIMD(dst, s, t)
		return
	}
	mulToGo(dst, s, t)
}

func mulToGo(dst, s, t []float32) {
	s, t = s[:len(dst)], t[:len(dst)]
	for i := range dst {
		dst[i] = s[i] * t[i]
	}
}

// Axpy sets dst[i] += alpha·x[i], the BLAS saxpy. dst may be x (then it
// scales dst by 1 + alpha with the rounding of w − c·w, as weight decay
// wants).
func Axpy(dst []float32, alpha float32, x []float32) {
	sameLen("Axpy", len(dst), len(x))
	if simdOK {
		axpySIMD(dst, alpha, x)
		return
	}
	axpyGo(dst, alpha, x)
}

func axpyGo(dst []float32, alpha float32, x []float32) {
	x = x[:len(dst)]
	for len(dst) >= 4 && len(x) >= 4 {
		dst[0] += alpha * x[0]
		dst[1] += alpha * x[1]
		dst[2] += alpha * x[2]
		dst[3] += alpha * x[3]
		dst, x = dst[4:], x[4:]
	}
	x = x[:len(dst)]
	for i := range dst {
		dst[i] += alpha * x[i]
	}
}

// Scale sets dst[i] *= alpha.
func Scale(dst []float32, alpha float32) {
	for len(dst) >= 4 {
		dst[0] *= alpha
		dst[1] *= alpha
		dst[2] *= alpha
		dst[3] *= alpha
		dst = dst[4:]
	}
	for i := range dst {
		dst[i] *= alpha
	}
}

// AddRowVector adds the row vector b (c) to every row of y (n, c): the bias
// of a Dense layer, or of a channels_last Conv2D seen as (N·OH·OW, filters).
// It panics unless len(y) is a multiple of len(b).
func AddRowVector(y, b []float32) {
	if len(b) == 0 || len(y)%len(b) != 0 {
		if len(y) == 0 {
			return
		}
		panic(fmt.Sprintf("tensor: AddRowVector of %d values to rows of a %d-value matrix", len(b), len(y)))
	}
	if simdOK {
		addRowVectorSIMD(y, b)
		return
	}
	addRowVectorGo(y, b)
}

// addRowVectorGo is AddRowVector's Go loop (the SIMD kernel's reference).
func addRowVectorGo(y, b []float32) {
	for i := 0; i < len(y); i += len(b) {
		addRun(y[i:i+len(b)], b)
	}
}

// sumRowsBlock is how many columns SumRows adds up per pass in float64
// accumulators that live on the stack.
const sumRowsBlock = 64

// SumRows adds to dst (c) the sum of the rows of x (n, c): the bias
// gradient of Dense and Conv2D, where n may be a batch of feature-map
// positions in the tens of thousands. Each column is summed in row order in
// float64, rounded to float32 once and then added to dst[j] in float32, so
// a layer's gradient is accumulated (+=) the way its other gradients are,
// whatever dst held before. Columns are taken in blocks of 64 so one pass
// over x serves each block. It panics unless len(x) is a multiple of
// len(dst).
func SumRows(dst, x []float32) {
	c := len(dst)
	if c == 0 || len(x)%c != 0 {
		if len(x) == 0 {
			return
		}
		panic(fmt.Sprintf("tensor: SumRows of a %d-value matrix into %d columns", len(x), c))
	}
	var acc [sumRowsBlock]float64
	for j0 := 0; j0 < c; j0 += sumRowsBlock {
		w := min(sumRowsBlock, c-j0)
		a := acc[:w]
		clear(a)
		sumRowsBlockInto(a, x[j0:], len(x)/c, c)
		d := dst[j0 : j0+w]
		for j, v := range a {
			d[j] += float32(v)
		}
	}
}

// SumRowsFloat64 adds the column sums of x (rows, len(acc)) into acc, in
// float64 and row order, as SumRows forms them: SumRows over a matrix equals
// SumRowsFloat64 over consecutive blocks of its rows into a zeroed acc,
// then dst[j] += float32(acc[j]), bit for bit. It panics if len(x) is not
// a multiple of len(acc).
func SumRowsFloat64(acc []float64, x []float32) {
	c := len(acc)
	if c == 0 || len(x)%c != 0 {
		if len(x) == 0 {
			return
		}
		panic(fmt.Sprintf("tensor: SumRowsFloat64 of a %d-value matrix into %d columns", len(x), c))
	}
	sumRowsBlockInto(acc, x, len(x)/c, c)
}

// sumRowsBlockInto adds the column sums of the (rows, len(acc)) block of x
// with leading dimension ldx into acc, each column in row order in float64:
// SumRows's and SumRowsFloat64's one loop, in SIMD where there is SIMD.
// x holds at least (rows−1)·ldx + len(acc) values.
func sumRowsBlockInto(acc []float64, x []float32, rows, ldx int) {
	if rows == 0 || len(acc) == 0 {
		return
	}
	if len(acc) > ldx || len(x) < (rows-1)*ldx+len(acc) {
		panic(fmt.Sprintf("tensor: sumRowsBlockInto of %d rows of %d columns (ldx %d) from %d values", rows, len(acc), ldx, len(x)))
	}
	if simdOK {
		sumRowsFloat64SIMD(acc, x, rows, ldx)
		return
	}
	sumRowsBlockGo(acc, x, rows, ldx)
}

// sumRowsBlockGo is sumRowsBlockInto's Go loop (the SIMD kernel's reference).
func sumRowsBlockGo(acc []float64, x []float32, rows, ldx int) {
	w := len(acc)
	for i := 0; i < rows; i++ {
		row := x[i*ldx : i*ldx+w]
		for j, v := range row {
			acc[j] += float64(v)
		}
	}
}
