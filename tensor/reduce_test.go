package tensor

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReductions(t *testing.T) {
	x := []float32{1, -2, 3, -4, 5, 0.5, -0.25}
	y := []float32{2, 2, 2, 2, 2, 2, 4}
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"Sum", Sum(x), 3.25},
		{"Sum empty", Sum(nil), 0},
		{"Dot", Dot(x, y), 2*(1-2+3-4+5+0.5) - 1},
		{"SumSquares", SumSquares(x), 1 + 4 + 9 + 16 + 25 + 0.25 + 0.0625},
		{"SumAbs", SumAbs(x), 15.75},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, tt.got, 1e-12)
		})
	}
}

// TestReductionsAccumulateInFloat64 sums values whose float32 running sum
// would stall: 2^24 + 1 is not a float32.
func TestReductionsAccumulateInFloat64(t *testing.T) {
	x := make([]float32, 1<<20)
	for i := range x {
		x[i] = 33
	}
	assert.Equal(t, float64(33<<20), Sum(x))
	assert.Equal(t, float64(33*33<<20), SumSquares(x))
	assert.Equal(t, float64(33*33<<20), Dot(x, x))
	assert.Equal(t, float64(33<<20), SumAbs(x))
}

// TestReductionsAddInIndexOrder pins the contract that lets nn replace its
// own loops with these kernels without changing a bit: one float64
// accumulator, in index order. With 1, 2⁻⁵³, 2⁻⁵³, -1, the running sum loses
// each 2⁻⁵³ (a tie rounded to even) and ends at 0; four partial sums
// ((1 + 2⁻⁵³) + (2⁻⁵³ − 1)) would end at 2⁻⁵³.
func TestReductionsAddInIndexOrder(t *testing.T) {
	x := []float32{1, 0x1p-53, 0x1p-53, -1, 0, 0, 0, 0}
	ones := []float32{1, 1, 1, 1, 1, 1, 1, 1}
	assert.Equal(t, 0.0, Sum(x))
	assert.Equal(t, 0.0, Dot(x, ones))
	// Squares 1, 0, q, q with q = 1.5625·2⁻⁵⁴: each q alone is below half
	// an ulp of 1 and is lost; q + q first would round 1 + 2q up.
	sq := []float32{1, 0, 0x1.4p-27, 0x1.4p-27}
	assert.Equal(t, 1.0, SumSquares(sq))
}

func TestArgMax(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name string
		x    []float32
		want int
	}{
		{"largest", []float32{0.1, 0.7, 0.2}, 1},
		{"first maximum wins", []float32{1, 5, 5, 2}, 1},
		{"one value", []float32{4}, 0},
		{"negative", []float32{-3, -1, -2}, 1},
		{"NaN never wins", []float32{1, nan, 3, nan}, 2},
		{"NaN first wins", []float32{nan, 1, 2}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ArgMax(tt.x))
		})
	}
	assert.PanicsWithValue(t, "tensor: ArgMax of an empty slice", func() { ArgMax(nil) })
}
