package sequential

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Keras: keras/src/utils/numerical_utils.py (normalize), numpy's
// np.linalg.norm(x, ord, axis) for one axis.

// Normalize is keras.utils.normalize: x divided by its order-norm along axis,
// a norm of 0 taken as 1 (so zero vectors stay zero). Options, with Keras's
// defaults: axis (-1), order (2; any number, or "inf" / "-inf" (JS's
// Infinity) for the
// largest / smallest absolute value, and 0 for the count of non-zeros, as
// numpy's ord). The norm is accumulated in float64.
func Normalize(x *tensor.Tensor, opts map[string]any) (*tensor.Tensor, error) {
	a := nn.NewArgs("normalize", opts)
	axis := -1
	if v, ok := a.Value("axis"); ok {
		if _, isList := v.([]any); isList {
			a.Unimplemented("axis", v, "one integer axis")
		} else {
			axis = a.Int("axis", -1)
		}
	} else if _, given := opts["axis"]; given {
		a.Unimplemented("axis", nil, "one integer axis (axis=None, the norm of the whole tensor, is not built)")
	}
	order := 2.0
	if v, ok := a.Value("order"); ok {
		switch s := v.(type) {
		case string:
			switch s {
			case "inf", "Infinity": // JS's Infinity arrives as its name
				order = math.Inf(1)
			case "-inf", "-Infinity":
				order = math.Inf(-1)
			default:
				a.Fail("order", v, `a number, "inf" or "-inf"`)
			}
		default:
			order = a.Float("order", 2)
		}
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	if x == nil || x.Rank() < 1 {
		return nil, fmt.Errorf("x needs at least one dimension; received a scalar")
	}
	r := x.Rank()
	ax := axis
	if ax < 0 {
		ax += r
	}
	if ax < 0 || ax >= r {
		return nil, fmt.Errorf("axis %d is out of bounds for x of rank %d (shape %v): expected an axis in [%d, %d]", axis, r, x.Shape, -r, r-1)
	}
	// x is (outer, n, inner) around the axis.
	outer, n, inner := 1, x.Shape[ax], 1
	for i := 0; i < ax; i++ {
		outer *= x.Shape[i]
	}
	for i := ax + 1; i < r; i++ {
		inner *= x.Shape[i]
	}
	out := tensor.New(x.Shape...)
	for o := 0; o < outer; o++ {
		for in := 0; in < inner; in++ {
			base := o*n*inner + in
			norm := vectorNorm(x.Data, base, inner, n, order)
			if norm == 0 {
				norm = 1
			}
			for k := 0; k < n; k++ {
				i := base + k*inner
				out.Data[i] = float32(float64(x.Data[i]) / norm)
			}
		}
	}
	return out, nil
}

// vectorNorm is np.linalg.norm(v, ord) of the n values of data at base,
// base+stride, …: max|v| for +inf, min|v| for -inf, the count of non-zeros
// for 0, else (Σ|v|^ord)^(1/ord).
func vectorNorm(data []float32, base, stride, n int, order float64) float64 {
	switch {
	case math.IsInf(order, 1), math.IsInf(order, -1):
		if n == 0 {
			return 0
		}
		best := math.Abs(float64(data[base]))
		for k := 1; k < n; k++ {
			v := math.Abs(float64(data[base+k*stride]))
			if (order > 0 && v > best) || (order < 0 && v < best) {
				best = v
			}
		}
		return best
	case order == 0:
		c := 0.0
		for k := 0; k < n; k++ {
			if data[base+k*stride] != 0 {
				c++
			}
		}
		return c
	case order == 2:
		s := 0.0
		for k := 0; k < n; k++ {
			v := float64(data[base+k*stride])
			s += v * v
		}
		return math.Sqrt(s)
	}
	s := 0.0
	for k := 0; k < n; k++ {
		s += math.Pow(math.Abs(float64(data[base+k*stride])), order)
	}
	return math.Pow(s, 1/order)
}
