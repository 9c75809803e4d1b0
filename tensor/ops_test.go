package tensor

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// seq returns n values 1, 2, … n scaled by f, a length that exercises both
// the unrolled body (4 at a time) and the tail of the kernels.
func seq(n int, f float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = f * float32(i+1)
	}
	return s
}

func TestElementwise(t *testing.T) {
	x := []float32{1, 2, 3, 4, 5, 6, 7}
	y := []float32{7, -1, 0.5, 2, -3, 1, 10}
	tests := []struct {
		name string
		op   func(dst []float32)
		dst  []float32
		want []float32
	}{
		{"Add", func(d []float32) { Add(d, y) }, seq(7, 1), []float32{8, 1, 3.5, 6, 2, 7, 17}},
		{"MulTo", func(d []float32) { MulTo(d, x, y) }, make([]float32, 7), []float32{7, -2, 1.5, 8, -15, 6, 70}},
		{"Axpy", func(d []float32) { Axpy(d, -2, y) }, seq(7, 1), []float32{-13, 4, 2, 0, 11, 4, -13}},
		{"Scale", func(d []float32) { Scale(d, 0.5) }, seq(7, 1), []float32{0.5, 1, 1.5, 2, 2.5, 3, 3.5}},
		{"MulTo aliasing dst=s", func(d []float32) { MulTo(d, d, y) }, seq(7, 1), []float32{7, -2, 1.5, 8, -15, 6, 70}},
		{"Axpy aliasing dst=x", func(d []float32) { Axpy(d, -0.5, d) }, seq(7, 1), []float32{0.5, 1, 1.5, 2, 2.5, 3, 3.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.op(tt.dst)
			assert.Equal(t, tt.want, tt.dst)
		})
	}
}

func TestElementwisePanicsOnLengthMismatch(t *testing.T) {
	a, b := make([]float32, 3), make([]float32, 4)
	assert.PanicsWithValue(t, "tensor: Add lengths 3 and 4 differ", func() { Add(a, b) })
	assert.Panics(t, func() { MulTo(b, a, b) })
	assert.Panics(t, func() { Axpy(a, 1, b) })
	assert.Panics(t, func() { Dot(a, b) })
}

func TestAddRowVector(t *testing.T) {
	y := []float32{1, 2, 3, 4, 5, 6} // (2, 3)
	AddRowVector(y, []float32{10, 20, 30})
	assert.Equal(t, []float32{11, 22, 33, 14, 25, 36}, y)
	AddRowVector(nil, nil)
	assert.PanicsWithValue(t, "tensor: AddRowVector of 4 values to rows of a 6-value matrix",
		func() { AddRowVector(y, make([]float32, 4)) })
}

func TestSumRows(t *testing.T) {
	tests := []struct {
		name    string
		rows, c int
	}{
		{"one column", 5, 1},
		{"narrow", 3, 7},
		{"one block", 4, sumRowsBlock},
		{"two blocks and a tail", 3, 2*sumRowsBlock + 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := make([]float32, tt.rows*tt.c)
			NewRNG(5).Uniform(x, -1, 1)
			dst := seq(tt.c, 1) // SumRows accumulates
			want := make([]float64, tt.c)
			for j := range want {
				want[j] = float64(dst[j])
				for i := 0; i < tt.rows; i++ {
					want[j] += float64(x[i*tt.c+j])
				}
			}
			SumRows(dst, x)
			for j := range want {
				assert.InDelta(t, want[j], float64(dst[j]), 1e-5, "column %d", j)
			}
		})
	}
	assert.Panics(t, func() { SumRows(make([]float32, 4), make([]float32, 6)) })
}

// TestSumRowsAccumulatesInFloat64 adds a million copies of a value that
// float32 accumulation would get visibly wrong (float32 stalls at 2^24).
func TestSumRowsAccumulatesInFloat64(t *testing.T) {
	const rows = 1 << 20
	x := make([]float32, rows)
	for i := range x {
		x[i] = 17.1
	}
	dst := []float32{0}
	SumRows(dst, x)
	assert.InEpsilon(t, 17.1*rows, float64(dst[0]), 1e-6)
}

// TestSumRowsRoundsTheSumThenAdds pins SumRows's contract: the column's
// float64 sum is rounded to float32 and then added to dst in float32, the
// way a layer's other gradients accumulate. Here the sum 2⁻²⁴ + 2⁻⁵⁰
// rounds to 2⁻²⁴, and 1 + 2⁻²⁴ is a tie that float32 rounds to 1; adding
// in float64 before one rounding would give the next float32 above 1.
func TestSumRowsRoundsTheSumThenAdds(t *testing.T) {
	dst := []float32{1}
	SumRows(dst, []float32{0x1p-24, 0x1p-50})
	assert.Equal(t, float32(1), dst[0])
	assert.NotEqual(t, float32(1), float32(1+0x1p-24+0x1p-50), "the float64 route would differ")
}

func TestElementwiseAllocatesNothing(t *testing.T) {
	x, y := seq(100, 1), seq(100, 2)
	b := seq(10, 1)
	allocs := testing.AllocsPerRun(10, func() {
		Add(x, y)
		MulTo(x, x, y)
		Axpy(x, 0.5, y)
		Scale(x, 0.5)
		AddRowVector(x, b)
		SumRows(b, x)
	})
	assert.Zero(t, allocs)
}
