package nn

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
)

// assertObjectRoundTrip checks that c's JSON equals want and that remaking the
// object from its config gives the same JSON again.
func assertObjectRoundTrip[T any](t *testing.T, want string, c Config, remake func(any) (T, error), config func(T) Config) {
	t.Helper()
	got, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, want, string(got))
	var decoded map[string]any
	require.NoError(t, json.Unmarshal(got, &decoded))
	obj, err := remake(decoded)
	require.NoError(t, err)
	again, err := json.Marshal(config(obj))
	require.NoError(t, err)
	assert.JSONEq(t, want, string(again))
}

func TestRegularizerLossValues(t *testing.T) {
	ones := make([]float32, 25)
	for i := range ones {
		ones[i] = 1
	}
	tests := []struct {
		name string
		reg  any
		w    []float32
		want float64
	}{
		// Keras's docstring: L2(2.) of ones((5, 5)) is 50.
		{"L2(2) of ones", map[string]any{"class_name": "L2", "config": map[string]any{"l2": 2.0}}, ones, 50},
		// Keras's docstring: an L1(0.01) kernel of ones((5, 5)) costs 0.25.
		{"L1(0.01) of ones", "l1", ones, 0.25},
		{"l1 by hand", "l1", []float32{1, -2, 0}, 0.03},
		{"l2 by hand", "l2", []float32{1, -2, 0}, 0.05},
		{"l1_l2 name uses 0.01 and 0.01", "l1_l2", []float32{1, -2}, 0.03 + 0.05},
		{"L1L2 class defaults to zero", "L1L2", []float32{1, -2}, 0},
		{"L1L2 l2 only", map[string]any{"class_name": "L1L2", "config": map[string]any{"l2": 0.1}}, []float32{3}, 0.9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := GetRegularizer(tc.reg)
			require.NoError(t, err)
			assert.InDelta(t, tc.want, r.Loss(tc.w), 1e-9)
		})
	}
}

func TestRegularizerGradients(t *testing.T) {
	regs := []any{
		"l1", "l2", "l1_l2",
		map[string]any{"class_name": "L1L2", "config": map[string]any{"l1": 0.3, "l2": 0.7}},
	}
	for _, v := range regs {
		r, err := GetRegularizer(v)
		require.NoError(t, err)
		name := string(objectJSON(t, r.Config()))
		t.Run(name, func(t *testing.T) {
			// Values kept away from 0, where |w| has its kink.
			w := samplePoints(20, -2, 2, 5, []float64{0})
			numeric := gradcheck.Numeric(func() float64 { return r.Loss(w) }, w, gradStep)
			dw := make([]float32, len(w))
			r.Grad(dw, w)
			worst, at := gradcheck.MaxRelErr(dw, numeric, 1e-3)
			assert.Less(t, worst, gradTol, "analytic %v vs numeric %v", dw[at], numeric[at])
			t.Logf("gradcheck regularizer %s max rel err %.2e", name, worst)
		})
	}
}

func TestRegularizerGradAccumulatesAndSignAtZero(t *testing.T) {
	r, err := GetRegularizer(map[string]any{"class_name": "L1L2", "config": map[string]any{"l1": 0.5, "l2": 0.25}})
	require.NoError(t, err)
	dw := []float32{1, 1, 1}
	r.Grad(dw, []float32{2, 0, -2})
	// 1 + 0.5·sign(w) + 2·0.25·w
	assert.InDeltaSlice(t, []float32{1 + 0.5 + 1, 1, 1 - 0.5 - 1}, dw, 1e-7)
}

func TestRegularizerConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"l1 default", "l1", `{"class_name": "L1", "config": {"l1": 0.01}}`},
		{"l2 default", "l2", `{"class_name": "L2", "config": {"l2": 0.01}}`},
		{"l1_l2 name", "l1_l2", `{"class_name": "L1L2", "config": {"l1": 0.01, "l2": 0.01}}`},
		{"L1L2 class", "L1L2", `{"class_name": "L1L2", "config": {"l1": 0, "l2": 0}}`},
		{"L1 with value", map[string]any{"class_name": "L1", "config": map[string]any{"l1": 0.3}}, `{"class_name": "L1", "config": {"l1": 0.3}}`},
		{"Keras 2 spelling l", map[string]any{"class_name": "L2", "config": map[string]any{"l": 0.2}}, `{"class_name": "L2", "config": {"l2": 0.2}}`},
		{"Keras 3 module keys", map[string]any{"module": "keras.regularizers", "class_name": "L2", "config": map[string]any{"l2": 0.5}, "registered_name": nil}, `{"class_name": "L2", "config": {"l2": 0.5}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := GetRegularizer(tc.in)
			require.NoError(t, err)
			assertObjectRoundTrip(t, tc.want, r.Config(), GetRegularizer, Regularizer.Config)
		})
	}
	r, err := GetRegularizer(nil)
	require.NoError(t, err)
	assert.Nil(t, r)
}

func TestRegularizerErrors(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"negative l1", map[string]any{"class_name": "L1", "config": map[string]any{"l1": -1.0}}, []string{"l1", "non-negative", "Received: l1=-1"}},
		{"string l2", map[string]any{"class_name": "L2", "config": map[string]any{"l2": "big"}}, []string{`Received: l2="big"`}},
		{"unknown argument", map[string]any{"class_name": "L1L2", "config": map[string]any{"l3": 1.0}}, []string{`unknown argument "l3"`, "l1, l2"}},
		{"unknown name", "l3", []string{`unknown regularizer "l3": did you mean "l1"?`, "Valid regularizer functions: l1, l1_l2, l2"}},
		{"unknown class name", "L3", []string{`"L3"`, "Valid regularizer classes: L1, L1L2, L2"}},
		{"orthogonal", "orthogonal_regularizer", []string{"not implemented"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GetRegularizer(tc.in)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func objectJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
