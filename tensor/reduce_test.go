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
		{"Mean", Mean(x), 3.25 / 7},
		{"Dot", Dot(x, y), 2*(1-2+3-4+5+0.5) - 1},
		{"SumSquares", SumSquares(x), 1 + 4 + 9 + 16 + 25 + 0.25 + 0.0625},
		{"SumAbs", SumAbs(x), 15.75},
		{"MaxAbs", float64(MaxAbs(x)), 5},
		{"MaxAbs empty", float64(MaxAbs(nil)), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.InDelta(t, tt.want, tt.got, 1e-12)
		})
	}
	assert.True(t, math.IsNaN(Mean(nil)), "Mean of nothing is NaN")
	assert.True(t, math.IsNaN(float64(MaxAbs([]float32{1, float32(math.NaN()), 2}))), "MaxAbs reports NaN")
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
	assert.Equal(t, float64(33), Mean(x))
}

func TestArgMax(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name string
		x    []float32
		rows int
		want []int
	}{
		{"one row", []float32{0.1, 0.7, 0.2}, 1, []int{1}},
		{"rows", []float32{3, 1, 2, 0, -1, 5, -2, -3}, 4, []int{0, 0, 1, 0}},
		{"first maximum wins", []float32{1, 5, 5, 2, 2, 2}, 2, []int{1, 0}},
		{"one column", []float32{4, 2}, 2, []int{0, 0}},
		{"NaN never wins unless first", []float32{1, nan, 3, nan, 1, 2}, 2, []int{2, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make([]int, tt.rows)
			ArgMax(got, tt.x)
			assert.Equal(t, tt.want, got)
		})
	}
	assert.PanicsWithValue(t, "tensor: ArgMax of 5 values into 2 rows", func() { ArgMax(make([]int, 2), make([]float32, 5)) })
	assert.Panics(t, func() { ArgMax(nil, make([]float32, 5)) })
	assert.NotPanics(t, func() { ArgMax(nil, nil) })
}
