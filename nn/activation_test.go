package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
)

// gradTol is the largest relative error a float32 function may show against
// float64 central differences with step gradStep; a wrong derivative is off
// by order 1.
const (
	gradStep = 1e-2
	gradTol  = 1e-2
)

// activationKinks lists the points where an activation is not differentiable;
// sample points are kept away from them.
var activationKinks = map[string][]float64{
	"relu":         {0},
	"relu6":        {0, 6},
	"leaky_relu":   {0},
	"elu":          {0},
	"selu":         {0},
	"hard_sigmoid": {-2.5, 2.5},
	"hard_silu":    {-3, 3},
}

// samplePoints returns n values in [lo, hi) from seed, each moved at least
// 0.05 away from every kink.
func samplePoints(n int, lo, hi float64, seed uint64, kinks []float64) []float32 {
	x := gradcheck.Random(n, lo, hi, seed)
	for i := range x {
		for _, k := range kinks {
			if math.Abs(float64(x[i])-k) < 0.05 {
				x[i] = float32(k + 0.1)
			}
		}
	}
	return x
}

// checkActivation compares a's Backward with central differences of the loss
// Σ f(x)·r and returns the largest relative error.
func checkActivation(t *testing.T, a Activation, xs []float32, shape ...int) float64 {
	t.Helper()
	x := tensor.FromSlice(xs, shape...)
	r := tensor.FromSlice(gradcheck.Random(len(xs), -1, 1, 99), shape...)
	y := tensor.New(shape...)
	loss := func() float64 {
		a.Forward(y, x)
		return gradcheck.Dot(y.Data, r.Data)
	}
	numeric := gradcheck.Numeric(loss, x.Data, gradStep)
	a.Forward(y, x)
	dx := tensor.New(shape...)
	a.Backward(dx, x, y, r)
	worst, at := gradcheck.MaxRelErr(dx.Data, numeric, 1e-3)
	assert.Less(t, worst, gradTol, "%s: analytic %v vs numeric %v at x=%v", a.Name(), dx.Data[at], numeric[at], xs[at])
	return worst
}

func TestActivationGradients(t *testing.T) {
	for _, name := range ActivationNames() {
		t.Run(name, func(t *testing.T) {
			a, err := GetActivation(name)
			require.NoError(t, err)
			x := samplePoints(4*6, -4, 4, 7, activationKinks[name])
			worst := checkActivation(t, a, x, 4, 6)
			t.Logf("gradcheck activation %-13s max rel err %.2e", name, worst)
		})
	}
}

// TestActivationKerasValues checks forward values against numbers Keras
// documents or that follow from its definitions: selu's scale constant,
// gelu(1) = Φ(1), Keras 2's hard_sigmoid(1) = 0.2 + 0.5, softplus(0) = ln 2,
// and the docstring examples of keras/src/activations/activations.py.
func TestActivationKerasValues(t *testing.T) {
	tests := []struct {
		name string
		x    []float32
		want []float64
	}{
		{"linear", []float32{-2, 3}, []float64{-2, 3}},
		// keras.activations.relu([-10, -5, 0, 5, 10]) docstring.
		{"relu", []float32{-10, -5, 0, 5, 10}, []float64{0, 0, 0, 5, 10}},
		{"relu6", []float32{-1, 3, 7}, []float64{0, 3, 6}},
		{"leaky_relu", []float32{-1, 2}, []float64{-0.2, 2}},
		{"elu", []float32{-1, 2}, []float64{math.Exp(-1) - 1, 2}},
		// selu(1) = scale; selu(-1) = scale·alpha·(e⁻¹ − 1).
		{"selu", []float32{1, -1}, []float64{1.0507009873554805, 1.0507009873554805 * 1.6732632423543772 * (math.Exp(-1) - 1)}},
		// Φ(1) and Φ(-1)·(-1), the exact (erf) GELU.
		{"gelu", []float32{1, -1, 0}, []float64{0.8413447460685429, -0.15865525393145707, 0}},
		{"sigmoid", []float32{0, 1}, []float64{0.5, 0.7310585786300049}},
		// Keras 2 / TF.js: clip(0.2x + 0.5, 0, 1).
		{"hard_sigmoid", []float32{1, -3, 3, 0}, []float64{0.7, 0, 1, 0.5}},
		// Keras 3: x·clip(x/6 + 0.5, 0, 1).
		{"hard_silu", []float32{1, -4, 4}, []float64{2.0 / 3, 0, 4}},
		{"tanh", []float32{1}, []float64{0.7615941559557649}},
		{"softplus", []float32{0, 1}, []float64{math.Ln2, 1.3132616875182228}},
		{"softsign", []float32{1, -3}, []float64{0.5, -0.75}},
		{"swish", []float32{1}, []float64{0.7310585786300049}},
		{"mish", []float32{1}, []float64{0.8650983882673103}},
		{"exponential", []float32{1, 0}, []float64{math.E, 1}},
		// keras.layers.Softmax docstring: [1, 2, 1] → [0.21194157, 0.5761169, 0.21194157].
		{"softmax", []float32{1, 2, 1}, []float64{0.21194157, 0.5761169, 0.21194157}},
		{"log_softmax", []float32{1, 2, 1}, []float64{math.Log(0.21194155761708547), math.Log(0.5761168847658291), math.Log(0.21194155761708547)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := GetActivation(tc.name)
			require.NoError(t, err)
			y := tensor.New(len(tc.x))
			a.Forward(y, tensor.FromSlice(tc.x, len(tc.x)))
			for i, w := range tc.want {
				assert.InDelta(t, w, float64(y.Data[i]), 1e-6, "%s(%v)", tc.name, tc.x[i])
			}
		})
	}
}

// TestActivationStability feeds values whose naive formulas overflow.
func TestActivationStability(t *testing.T) {
	tests := []struct {
		name string
		x    []float32
		want []float64
	}{
		{"sigmoid", []float32{-100, 100, -800}, []float64{0, 1, 0}},
		{"softplus", []float32{100, -100, 800}, []float64{100, 0, 800}},
		{"softmax", []float32{1000, 0, -1000}, []float64{1, 0, 0}},
		{"log_softmax", []float32{1000, 0}, []float64{0, -1000}},
		{"swish", []float32{-800, 800}, []float64{0, 800}},
		{"mish", []float32{-800, 800}, []float64{0, 800}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := GetActivation(tc.name)
			require.NoError(t, err)
			y := tensor.New(len(tc.x))
			a.Forward(y, tensor.FromSlice(tc.x, len(tc.x)))
			for i, w := range tc.want {
				assert.InDelta(t, w, float64(y.Data[i]), 1e-6, "%s(%v)", tc.name, tc.x[i])
			}
			dx := tensor.New(len(tc.x))
			a.Backward(dx, tensor.FromSlice(tc.x, len(tc.x)), y, tensor.FromSlice(make([]float32, len(tc.x)), len(tc.x)))
			for _, v := range dx.Data {
				assert.False(t, math.IsNaN(float64(v)), "%s: NaN gradient", tc.name)
			}
		})
	}
}

func TestSoftmaxRowsAreIndependent(t *testing.T) {
	a, err := GetActivation("softmax")
	require.NoError(t, err)
	x := tensor.FromSlice([]float32{1, 2, 1, 5, 5, 5}, 2, 3)
	y := tensor.New(2, 3)
	a.Forward(y, x)
	assert.InDeltaSlice(t, []float32{0.21194157, 0.5761169, 0.21194157, 1. / 3, 1. / 3, 1. / 3}, y.Data, 1e-6)
}

func TestActivationNamesRoundTrip(t *testing.T) {
	for _, name := range ActivationNames() {
		a, err := GetActivation(name)
		require.NoError(t, err)
		assert.Equal(t, name, a.Name())
		b, err := GetActivation(a.Name())
		require.NoError(t, err)
		assert.Equal(t, a.Name(), b.Name())
		c, err := GetActivation(map[string]any{"class_name": name, "config": map[string]any{}})
		require.NoError(t, err)
		assert.Equal(t, name, c.Name())
	}
	assert.Len(t, ActivationNames(), 18)
}

func TestActivationAliasesAndErrors(t *testing.T) {
	for alias, want := range map[string]string{
		"silu": "swish", "hard_swish": "hard_silu", "hardSigmoid": "hard_sigmoid",
		"": "linear",
	} {
		a, err := GetActivation(alias)
		require.NoError(t, err, alias)
		assert.Equal(t, want, a.Name(), alias)
	}
	a, err := GetActivation(nil)
	require.NoError(t, err)
	assert.Equal(t, "linear", a.Name())

	_, err = GetActivation("relux")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"relux"`)
	assert.Contains(t, err.Error(), "hard_sigmoid")
	assert.Contains(t, err.Error(), "log_softmax")

	_, err = GetActivation(map[string]any{"class_name": "elu", "config": map[string]any{"alpha": 2.0}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown argument "alpha"`)
}

// TestGradientCheckCatchesWrongDerivative makes sure the harness above can
// fail: a derivative off by 10% must show an error far above gradTol.
func TestGradientCheckCatchesWrongDerivative(t *testing.T) {
	wrong := &elementwise{name: "wrong_tanh", f: math.Tanh, df: func(_, y float64) float64 { return 1.1 * (1 - y*y) }}
	x := tensor.FromSlice(samplePoints(12, -2, 2, 3, nil), 12)
	r := tensor.FromSlice(gradcheck.Random(12, -1, 1, 99), 12)
	y := tensor.New(12)
	numeric := gradcheck.Numeric(func() float64 { wrong.Forward(y, x); return gradcheck.Dot(y.Data, r.Data) }, x.Data, gradStep)
	wrong.Forward(y, x)
	dx := tensor.New(12)
	wrong.Backward(dx, x, y, r)
	worst, _ := gradcheck.MaxRelErr(dx.Data, numeric, 1e-3)
	assert.Greater(t, worst, 0.04)
}
