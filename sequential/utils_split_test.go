package sequential

import (
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pyRound is Python 3's round(): halves go to the even neighbour (round(2.5) == 2).
func pyRound(x float64) float64 {
	f := math.Floor(x)
	switch d := x - f; {
	case d > 0.5:
		return f + 1
	case d < 0.5:
		return f
	}
	if math.Mod(f, 2) == 0 {
		return f
	}
	return f + 1
}

// kerasSplitSizes is Keras's _rescale_dataset_split_sizes for valid input: a float is
// round(size * total), an int is itself, a missing side is the rest.
func kerasSplitSizes(left, right any, total int) (int, int) {
	conv := func(v any) (float64, bool) {
		switch x := v.(type) {
		case float64:
			return pyRound(x * float64(total)), true
		case int:
			return float64(x), true
		}
		return 0, false
	}
	l, lok := conv(left)
	r, rok := conv(right)
	if !lok {
		l = float64(total) - r
	}
	if !rok {
		r = float64(total) - l
	}
	return int(l), int(r)
}

func rowsTensor(n, width int) *tensor.Tensor {
	t := tensor.New(n, width)
	for i := range t.Data {
		t.Data[i] = float32(i / width) // row i holds i
	}
	return t
}

func rowIDs(t *tensor.Tensor) []int {
	per := len(t.Data) / t.Shape[0]
	out := make([]int, t.Shape[0])
	for i := range out {
		out[i] = int(t.Data[i*per])
	}
	return out
}

func TestSplitDatasetSizesMatchKeras(t *testing.T) {
	for _, c := range []struct {
		name        string
		left, right any
		total       int
	}{
		{"fraction left", 0.8, nil, 10},
		{"fraction right", nil, 0.25, 8},
		{"half rounds to even: round(2.5) = 2", 0.5, nil, 5},
		{"round(3.5) = 4", 0.7, nil, 5},
		{"count left", 3, nil, 10},
		{"count right", nil, 4, 10},
		{"both counts leave the middle out", 3, 2, 10},
		{"both fractions", 0.2, 0.3, 10},
		{"fraction and count", 0.5, 2, 9},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := map[string]any{}
			toJSON := func(v any) any {
				if i, ok := v.(int); ok {
					return float64(i)
				}
				return v
			}
			if c.left != nil {
				opts["left_size"] = toJSON(c.left)
			}
			if c.right != nil {
				opts["right_size"] = toJSON(c.right)
			}
			x, y := rowsTensor(c.total, 3), rowsTensor(c.total, 1)
			left, right, err := SplitDataset([]*tensor.Tensor{x, y}, opts, nil)
			require.NoError(t, err)
			wl, wr := kerasSplitSizes(c.left, c.right, c.total)
			// Keras: left_split = dataset[:left_size]; right_split = dataset[-right_size:].
			want := func(from, to int) []int {
				out := []int{}
				for i := from; i < to; i++ {
					out = append(out, i)
				}
				return out
			}
			for k := range left {
				assert.Equal(t, want(0, wl), rowIDs(left[k]), "left of array %d", k)
				assert.Equal(t, want(c.total-wr, c.total), rowIDs(right[k]), "right of array %d", k)
			}
			assert.Equal(t, []int{wl, 3}, []int(left[0].Shape))
			assert.Equal(t, []int{wr, 1}, []int(right[1].Shape))
		})
	}
}

func TestSplitDatasetShuffleIsSeeded(t *testing.T) {
	x, y := rowsTensor(50, 2), rowsTensor(50, 1)
	split := func(seed float64) ([]int, []int, []int) {
		l, r, err := SplitDataset([]*tensor.Tensor{x, y}, map[string]any{"left_size": 0.6, "shuffle": true, "seed": seed}, nil)
		require.NoError(t, err)
		assert.Equal(t, rowIDs(l[0]), rowIDs(l[1]), "x and y stay paired")
		return rowIDs(l[0]), rowIDs(r[0]), rowIDs(r[1])
	}
	l1, r1, _ := split(7)
	l2, r2, _ := split(7)
	assert.Equal(t, l1, l2, "the same seed, the same split")
	assert.Equal(t, r1, r2)
	l3, _, _ := split(8)
	assert.NotEqual(t, l1, l3, "another seed, another split")
	seen := map[int]bool{}
	for _, i := range append(append([]int{}, l1...), r1...) {
		assert.False(t, seen[i], "sample %d in both splits", i)
		seen[i] = true
	}
	assert.Len(t, seen, 50)
	assert.Len(t, l1, 30)
	// No seed: the caller's source picks one.
	calls := 0
	_, _, err := SplitDataset([]*tensor.Tensor{x}, map[string]any{"left_size": 0.5, "shuffle": true}, func() uint64 { calls++; return 3 })
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
}

func TestSplitDatasetErrors(t *testing.T) {
	x := rowsTensor(10, 1)
	for _, c := range []struct {
		name, want, class string
		opts              map[string]any
		arrays            []*tensor.Tensor
	}{
		{"no sizes", "at least one of the `left_size` or `right_size` must be specified", nn.ValueError, map[string]any{}, nil},
		{"both zero", "both `left_size` and `right_size` are zero", nn.ValueError, map[string]any{"left_size": 0.0, "right_size": 0.0}, nil},
		{"count too big", "`left_size` should be either a positive integer smaller than the total length of the dataset (10)", nn.ValueError, map[string]any{"left_size": 10.0}, nil},
		{"negative", "Received: right_size=-0.5", nn.ValueError, map[string]any{"right_size": -0.5}, nil},
		{"fractions over 1", "greater than 1", nn.ValueError, map[string]any{"left_size": 0.6, "right_size": 0.5}, nil},
		{"counts over total", "should be smaller than the 10", nn.ValueError, map[string]any{"left_size": 6.0, "right_size": 5.0}, nil},
		{"empty right", "empty right dataset split", nn.ValueError, map[string]any{"left_size": 0.99}, nil},
		{"a string", "expected an integer, a float or None", nn.TypeError, map[string]any{"left_size": "half"}, nil},
		{"typo", "lefts_size", nn.ValueError, map[string]any{"lefts_size": 0.5}, nil},
		{"lengths differ", "different numbers of samples (10 and 9", nn.ValueError, map[string]any{"left_size": 0.5}, []*tensor.Tensor{x, rowsTensor(9, 1)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			arrays := c.arrays
			if arrays == nil {
				arrays = []*tensor.Tensor{x}
			}
			_, _, err := SplitDataset(arrays, c.opts, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, c.class, nn.ErrorClass(err))
		})
	}
}
