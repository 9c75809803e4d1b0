package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestConstraintsOnHandWorkedMatrices(t *testing.T) {
	// w = [[3, 0],
	//      [4, 1]]: column norms 5 and 1; row norms 3 and √17.
	w := []float32{3, 0, 4, 1}
	s17 := float32(math.Sqrt(17))
	tests := []struct {
		name  string
		c     any
		w     []float32
		shape []int
		want  []float32
	}{
		{"MaxNorm(2) columns: 5→2, 1 stays", Config{"MaxNorm", map[string]any{"max_value": 2.0}}, w, []int{2, 2}, []float32{1.2, 0, 1.6, 1}},
		{"MaxNorm(2, axis=1) rows: 3→2, √17→2", Config{"MaxNorm", map[string]any{"max_value": 2.0, "axis": 1.0}}, w, []int{2, 2}, []float32{2, 0, 8 / s17, 2 / s17}},
		{"MaxNorm(2, axis=-1) same as axis=1", Config{"MaxNorm", map[string]any{"max_value": 2.0, "axis": -1.0}}, w, []int{2, 2}, []float32{2, 0, 8 / s17, 2 / s17}},
		{"MaxNorm over both axes: 5.099→2", Config{"MaxNorm", map[string]any{"axis": []any{0.0, 1.0}}}, w, []int{2, 2},
			[]float32{6 / float32(math.Sqrt(26)), 0, 8 / float32(math.Sqrt(26)), 2 / float32(math.Sqrt(26))}},
		{"max_norm default on a bias vector", "max_norm", []float32{0, 3, 4}, []int{3}, []float32{0, 1.2, 1.6}},
		{"UnitNorm columns", "unit_norm", w, []int{2, 2}, []float32{0.6, 0, 0.8, 1}},
		{"MinMaxNorm(2, 3) columns: 5→3, 1→2", Config{"MinMaxNorm", map[string]any{"min_value": 2.0, "max_value": 3.0}}, w, []int{2, 2}, []float32{1.8, 0, 2.4, 2}},
		{"MinMaxNorm(2, 3, rate 0.5): 5→4, 1→1.5", Config{"MinMaxNorm", map[string]any{"min_value": 2.0, "max_value": 3.0, "rate": 0.5}}, w, []int{2, 2}, []float32{2.4, 0, 3.2, 1.5}},
		{"min_max_norm default (0, 1)", "min_max_norm", w, []int{2, 2}, []float32{0.6, 0, 0.8, 1}},
		{"NonNeg", "non_neg", []float32{-1, 2, 0, -0.5}, []int{4}, []float32{0, 2, 0, 0}},
		// A Conv2D kernel (kh=2, kw=2, in=1, filters=2): filter 0 is all ones
		// (norm 2), filter 1 is [3, 0, 0, 4] (norm 5); Keras uses axis [0, 1, 2].
		{"UnitNorm conv filters", Config{"UnitNorm", map[string]any{"axis": []any{0.0, 1.0, 2.0}}}, []float32{1, 3, 1, 0, 1, 0, 1, 4}, []int{2, 2, 1, 2},
			[]float32{0.5, 0.6, 0.5, 0, 0.5, 0, 0.5, 0.8}},
		{"MaxNorm(1) conv filters", Config{"MaxNorm", map[string]any{"max_value": 1.0, "axis": []any{0.0, 1.0, 2.0}}}, []float32{1, 3, 1, 0, 1, 0, 1, 4}, []int{2, 2, 1, 2},
			[]float32{0.5, 0.6, 0.5, 0, 0.5, 0, 0.5, 0.8}},
		// A zero column stays zero: ε keeps 0/0 away.
		{"UnitNorm zero column", "unit_norm", []float32{0, 3, 0, 4}, []int{2, 2}, []float32{0, 0.6, 0, 0.8}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := GetConstraint(tc.c)
			require.NoError(t, err)
			require.NoError(t, CheckConstraint(c, tc.shape))
			x := tensor.FromSlice(append([]float32(nil), tc.w...), tc.shape...)
			c.Apply(x)
			assert.InDeltaSlice(t, tc.want, x.Data, 1e-6)
			c.Apply(x) // the cached geometry is reused; MaxNorm and UnitNorm are idempotent up to ε
			if tc.name != "MinMaxNorm(2, 3, rate 0.5): 5→4, 1→1.5" {
				assert.InDeltaSlice(t, tc.want, x.Data, 1e-6)
			}
		})
	}
}

func TestConstraintShapeChecks(t *testing.T) {
	c, err := GetConstraint(Config{"MaxNorm", map[string]any{"axis": []any{0.0, 1.0, 2.0}}})
	require.NoError(t, err)
	err = CheckConstraint(c, tensor.Shape{4, 3})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxNorm cannot constrain a weight of shape (4, 3)")
	assert.Contains(t, err.Error(), "Received: axis=[0,1,2]")
	assert.Panics(t, func() { c.Apply(tensor.New(4, 3)) })
	assert.NoError(t, CheckConstraint(nil, tensor.Shape{4, 3}))
	nonneg, err := GetConstraint("non_neg")
	require.NoError(t, err)
	assert.NoError(t, CheckConstraint(nonneg, tensor.Shape{}))
}

func TestConstraintApplyAllocatesNothing(t *testing.T) {
	c, err := GetConstraint("max_norm")
	require.NoError(t, err)
	w := tensor.New(16, 8)
	w.Fill(1)
	c.Apply(w)
	assert.Zero(t, testing.AllocsPerRun(10, func() { c.Apply(w) }))
}

func TestConstraintConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"max_norm", "max_norm", `{"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}`},
		{"maxnorm legacy", "maxnorm", `{"class_name": "MaxNorm", "config": {"max_value": 2, "axis": 0}}`},
		{"MaxNorm conv axes", Config{"MaxNorm", map[string]any{"max_value": 3.0, "axis": []any{0.0, 1.0, 2.0}}}, `{"class_name": "MaxNorm", "config": {"max_value": 3, "axis": [0, 1, 2]}}`},
		{"min_max_norm", "min_max_norm", `{"class_name": "MinMaxNorm", "config": {"min_value": 0, "max_value": 1, "rate": 1, "axis": 0}}`},
		{"MinMaxNorm all", Config{"MinMaxNorm", map[string]any{"min_value": 0.5, "max_value": 2.0, "rate": 0.25, "axis": 1.0}},
			`{"class_name": "MinMaxNorm", "config": {"min_value": 0.5, "max_value": 2, "rate": 0.25, "axis": 1}}`},
		{"unit_norm", "unit_norm", `{"class_name": "UnitNorm", "config": {"axis": 0}}`},
		{"UnitNorm axis -1", Config{"UnitNorm", map[string]any{"axis": -1.0}}, `{"class_name": "UnitNorm", "config": {"axis": -1}}`},
		{"non_neg", "non_neg", `{"class_name": "NonNeg", "config": {}}`},
		{"nonneg legacy", "nonneg", `{"class_name": "NonNeg", "config": {}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := GetConstraint(tc.in)
			require.NoError(t, err)
			assertObjectRoundTrip(t, tc.want, c.Config(), GetConstraint, Constraint.Config)
		})
	}
	c, err := GetConstraint(nil)
	require.NoError(t, err)
	assert.Nil(t, c)
}

func TestConstraintErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"min above max", Config{"MinMaxNorm", map[string]any{"min_value": 2.0, "max_value": 1.0}}, []string{"MinMaxNorm", "no larger than max_value=1", "Received: min_value=2"}},
		{"negative min", Config{"MinMaxNorm", map[string]any{"min_value": -1.0}}, []string{"Received: min_value=-1"}},
		{"rate", Config{"MinMaxNorm", map[string]any{"rate": 1.5}}, []string{"[0, 1]", "Received: rate=1.5"}},
		{"negative max_value", Config{"MaxNorm", map[string]any{"max_value": -1.0}}, []string{"MaxNorm", "Received: max_value=-1"}},
		{"axis type", Config{"UnitNorm", map[string]any{"axis": "rows"}}, []string{`Received: axis="rows"`}},
		{"unknown argument", Config{"NonNeg", map[string]any{"axis": 0.0}}, []string{`unknown argument "axis"`}},
		{"unknown name", "positive", []string{`unknown constraint "positive".`, "Valid constraint functions: max_norm, min_max_norm, non_neg, unit_norm"}},
		{"unknown class name", "Positive", []string{`unknown constraint "Positive".`, "Valid constraint classes: MaxNorm, MinMaxNorm, NonNeg, UnitNorm"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GetConstraint(tc.in)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
