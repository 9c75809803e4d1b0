package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// The weight constraints MaxNorm, MinMaxNorm, NonNeg and UnitNorm.
// Keras: keras/src/constraints/constraints.py (tf_keras/constraints.py has
// the same math and configs).

// normEpsilon is Keras's backend.epsilon(), added to norms before dividing.
const normEpsilon = 1e-7

func init() {
	constraints.add("MaxNorm", []string{"max_value", "axis"}, func(m map[string]any) (Constraint, error) {
		a := NewArgs("MaxNorm", m)
		c := &normConstraint{class: "MaxNorm", maxValue: a.Float("max_value", 2), rate: 1}
		if c.maxValue < 0 {
			a.Fail("max_value", c.maxValue, "a non-negative number")
		}
		c.axes, c.axisConfig = readAxes(a, "axis", 0)
		return c, a.Err()
	})
	constraints.add("MinMaxNorm", []string{"min_value", "max_value", "rate", "axis"}, func(m map[string]any) (Constraint, error) {
		a := NewArgs("MinMaxNorm", m)
		c := &normConstraint{class: "MinMaxNorm", minValue: a.Float("min_value", 0), maxValue: a.Float("max_value", 1), rate: a.Float("rate", 1)}
		// Keras does not check these; a norm range that is empty or a rate
		// outside [0, 1] can only be a mistake, so it is reported here.
		if c.minValue < 0 {
			a.Fail("min_value", c.minValue, "a non-negative number")
		}
		if c.minValue > c.maxValue {
			a.Fail("min_value", c.minValue, fmt.Sprintf("a number no larger than max_value=%s", formatValue(c.maxValue)))
		}
		if c.rate < 0 || c.rate > 1 {
			a.Fail("rate", c.rate, "a number in [0, 1] (1 enforces the bounds strictly)")
		}
		c.axes, c.axisConfig = readAxes(a, "axis", 0)
		return c, a.Err()
	})
	constraints.add("UnitNorm", []string{"axis"}, func(m map[string]any) (Constraint, error) {
		a := NewArgs("UnitNorm", m)
		c := &normConstraint{class: "UnitNorm"}
		c.axes, c.axisConfig = readAxes(a, "axis", 0)
		return c, a.Err()
	})
	constraints.add("NonNeg", []string{}, func(m map[string]any) (Constraint, error) {
		return nonNeg{}, NewArgs("NonNeg", m).Err()
	})
}

// nonNeg sets negative weights to 0.
type nonNeg struct{}

func (nonNeg) Apply(w *tensor.Tensor) {
	for i, v := range w.Data {
		if v < 0 {
			w.Data[i] = 0
		}
	}
}

func (nonNeg) Config() Config { return Config{ClassName: "NonNeg", Config: map[string]any{}} }

// normConstraint rescales the weights so that their L2 norms over axes (one
// norm for each position of the other axes, Keras's
// sqrt(sum(square(w), axis, keepdims=True))) become the desired ones:
//
//	MaxNorm:    w · clip(n, 0, max_value) / (ε + n)
//	MinMaxNorm: w · (rate·clip(n, min_value, max_value) + (1 − rate)·n) / (ε + n)
//	UnitNorm:   w / (ε + n)
//
// For a Dense kernel (in, units) axis=0 constrains each unit's incoming
// weights; for a Conv2D kernel (kh, kw, in, filters) Keras uses [0, 1, 2].
type normConstraint struct {
	class                    string
	minValue, maxValue, rate float64
	axes                     []int
	axisConfig               any // the axis as given, for Config

	// Buffers, reused while the weight's shape stays the same.
	shape tensor.Shape
	group []int32   // for each element, the index of its norm
	norms []float64 // sums of squares, then scale factors
}

func (c *normConstraint) checkShape(shape tensor.Shape) error {
	if _, err := resolveAxes(c.axes, len(shape)); err != nil {
		return fmt.Errorf("%s cannot constrain a weight of shape %v: %w. Received: axis=%s",
			c.class, shape, err, formatValue(c.axisConfig))
	}
	return nil
}

// groups maps each element of a tensor of the given shape to the norm it
// belongs to: the row-major index over the axes not reduced.
func (c *normConstraint) groups(shape tensor.Shape) {
	if c.group != nil && c.shape.Equal(shape) {
		return
	}
	axes, err := resolveAxes(c.axes, len(shape))
	if err != nil {
		panic(fmt.Sprintf("nn: %s cannot constrain a weight of shape %v: %v (call CheckConstraint when building)", c.class, shape, err))
	}
	reduced := make([]bool, len(shape))
	for _, ax := range axes {
		reduced[ax] = true
	}
	// stride[d] is how far the group index moves when index d grows by one.
	stride := make([]int, len(shape))
	n := 1
	for d := len(shape) - 1; d >= 0; d-- {
		if !reduced[d] {
			stride[d] = n
			n *= shape[d]
		}
	}
	c.shape, c.group, c.norms = shape.Clone(), make([]int32, shape.Size()), make([]float64, n)
	idx := make([]int, len(shape))
	g := 0
	for i := range c.group {
		c.group[i] = int32(g)
		for d := len(shape) - 1; d >= 0; d-- { // odometer step
			idx[d]++
			g += stride[d]
			if idx[d] < shape[d] {
				break
			}
			g -= idx[d] * stride[d]
			idx[d] = 0
		}
	}
}

func (c *normConstraint) Apply(w *tensor.Tensor) {
	c.groups(w.Shape)
	clear(c.norms)
	for i, v := range w.Data {
		c.norms[c.group[i]] += float64(v) * float64(v)
	}
	for g, sq := range c.norms {
		n := math.Sqrt(sq)
		var desired float64
		switch c.class {
		case "MaxNorm":
			desired = math.Min(n, c.maxValue)
		case "MinMaxNorm":
			desired = c.rate*math.Min(math.Max(n, c.minValue), c.maxValue) + (1-c.rate)*n
		default: // UnitNorm
			desired = 1
		}
		c.norms[g] = desired / (normEpsilon + n)
	}
	for i, v := range w.Data {
		w.Data[i] = float32(float64(v) * c.norms[c.group[i]])
	}
}

func (c *normConstraint) Config() Config {
	m := map[string]any{"axis": c.axisConfig}
	switch c.class {
	case "MaxNorm":
		m["max_value"] = c.maxValue
	case "MinMaxNorm":
		m["min_value"], m["max_value"], m["rate"] = c.minValue, c.maxValue, c.rate
	}
	return Config{ClassName: c.class, Config: m}
}
