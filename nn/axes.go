package nn

import (
	"fmt"
	"sort"
)

// readAxes reads an axis argument that may be one integer or a list of them;
// it returns the axes and the value as given (for the config).
func readAxes(a *Args, key string, def int) ([]int, any) {
	v, ok := a.Value(key)
	if !ok {
		return []int{def}, def
	}
	if n, isInt := toInt(v); isInt {
		return []int{n}, n
	}
	list, isList := toList(v)
	if !isList {
		a.Fail(key, v, "an integer or a list of integers")
		return []int{def}, def
	}
	axes := make([]int, len(list))
	given := make([]any, len(list))
	for i, e := range list {
		n, isInt := toInt(e)
		if !isInt {
			a.Fail(key, v, "an integer or a list of integers")
			return []int{def}, def
		}
		axes[i], given[i] = n, n
	}
	return axes, given
}

// resolveAxes turns axes (negative ones count from the end) into sorted
// indices into a shape of the given rank, rejecting ones out of range or
// repeated.
func resolveAxes(axes []int, rank int) ([]int, error) {
	out := make([]int, len(axes))
	for i, ax := range axes {
		r := ax
		if r < 0 {
			r += rank
		}
		if r < 0 || r >= rank {
			return nil, fmt.Errorf("expected axes within [%d, %d) for a tensor of rank %d, got %d", -rank, rank, rank, ax)
		}
		out[i] = r
	}
	sort.Ints(out)
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return nil, fmt.Errorf("expected distinct axes, got %v", axes)
		}
	}
	return out, nil
}
