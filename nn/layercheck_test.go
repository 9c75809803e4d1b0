package nn

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gradOpts tunes one finite-difference check of a layer.
type gradOpts struct {
	training bool    // Forward's training flag
	h        float64 // finite-difference step; 1e-2 if 0
	tol      float64 // largest relative error accepted; 1e-2 if 0
	seed     uint64
	// beforeForward runs before every Forward, e.g. to reseed a dropout mask
	// so that every evaluation of the loss sees the same mask.
	beforeForward func()
	// input, when set, makes the input values instead of uniform(-1, 1).
	input func(n int, seed uint64) []float32
	// skip names weights whose gradient is not computed (BatchNormalization's
	// moving statistics, which the loss depends on in inference mode).
	skip []string
}

// checkLayerGradients builds l for the input shape in (batch first), sets
// its weights and the input to random values, and compares Backward's dx and
// every parameter gradient with float64 central differences of the loss
// Σ y·r + activity loss, r random. It returns the largest relative error
// over all of them and logs each one.
func checkLayerGradients(t *testing.T, l Layer, in tensor.Shape, o gradOpts) float64 {
	t.Helper()
	if o.h == 0 {
		o.h = 1e-2
	}
	if o.tol == 0 {
		o.tol = 1e-2
	}
	require.NoError(t, l.Build(in[1:], tensor.NewRNG(o.seed)))
	for i, p := range l.Params() {
		copy(p.Value.Data, gradcheck.Random(p.Value.Size(), -1, 1, o.seed+uint64(i)+1))
	}
	input := func(n int, seed uint64) []float32 { return gradcheck.Random(n, -1, 1, seed) }
	if o.input != nil {
		input = o.input
	}
	x := tensor.FromSlice(input(in.Size(), o.seed+100), in...)
	forward := func() *tensor.Tensor {
		if o.beforeForward != nil {
			o.beforeForward()
		}
		return l.Forward(x, o.training)
	}
	y := forward()
	want, err := l.OutputShape(in[1:])
	require.NoError(t, err)
	require.Equal(t, append(tensor.Shape{in[0]}, want...), y.Shape, "Forward's output shape must be OutputShape with the batch")
	r := tensor.FromSlice(gradcheck.Random(y.Size(), -1, 1, o.seed+200), y.Shape.Clone()...)
	loss := func() float64 {
		y := forward()
		return gradcheck.Dot(y.Data, r.Data) + l.Base().ActivityLoss
	}

	for _, p := range l.Params() {
		p.Grad.Zero()
	}
	loss()
	rBefore := slices.Clone(r.Data)
	dx := l.Backward(r, true)
	require.Equal(t, rBefore, r.Data, "Backward must not write into dy")
	require.Equal(t, x.Shape, dx.Shape, "dx must have x's shape")
	analytic := map[string][]float32{"dx": slices.Clone(dx.Data)}
	for _, p := range l.Params() {
		analytic[p.Name] = slices.Clone(p.Grad.Data)
	}

	worst := 0.0
	check := func(name string, values []float32) {
		num := gradcheck.Numeric(loss, values, o.h)
		e, at := gradcheck.MaxRelErr(analytic[name], num, relFloor(num))
		worst = max(worst, e)
		t.Logf("gradcheck %s d%s: max rel err %.2e", t.Name(), name, e)
		assert.Less(t, e, o.tol, "%s: analytic %g, numeric %g at index %d", name, analytic[name][at], num[at], at)
	}
	check("dx", x.Data)
	for _, p := range l.Params() {
		if slices.Contains(o.skip, p.Name) {
			continue
		}
		check(p.Name, p.Value.Data)
	}
	return worst
}

// relFloor is the floor under the relative error's denominator: 1e-3, or
// 1e-3 of the largest numeric gradient when that is larger. The finite
// differences of a float32 layer carry an absolute noise of about
// eps32·|loss|/h, so an entry far smaller than its neighbours is compared
// on the gradient's own scale rather than its own; a wrong gradient is
// still off by order 1 on that scale.
func relFloor(num []float64) float64 {
	m := 0.0
	for _, v := range num {
		m = max(m, math.Abs(v))
	}
	return max(1e-3, 1e-3*m)
}

// distinctInputs returns n values spaced 0.05 apart in a random order, so no
// two are within a finite-difference step of each other: a max pool's choice
// then stays put while one input moves by ±h.
func distinctInputs(n int, seed uint64) []float32 {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	tensor.NewRNG(seed).Shuffle(p)
	out := make([]float32, n)
	for i, v := range p {
		out[i] = 0.05*float32(v) - 0.025*float32(n)
	}
	return out
}

// awayFromZero returns n values uniform in ±[0.1, 1.1): none within a
// finite-difference step of 0, where relu-like activations have their kink.
func awayFromZero(n int, seed uint64) []float32 {
	out := gradcheck.Random(n, -1, 1, seed)
	for i, v := range out {
		if v < 0 {
			out[i] = v - 0.1
		} else {
			out[i] = v + 0.1
		}
	}
	return out
}

// quadReg is a test regularizer, c·Σw², used to check activity
// regularization while the regularizer registry is still being filled.
type quadReg struct{ c float64 }

func (q quadReg) Loss(w []float32) float64 {
	var s float64
	for _, v := range w {
		s += float64(v) * float64(v)
	}
	return q.c * s
}

func (q quadReg) Grad(dw, w []float32) {
	for i, v := range w {
		dw[i] += float32(2 * q.c * float64(v))
	}
}

func (q quadReg) Config() Config {
	return Config{ClassName: "QuadReg", Config: map[string]any{"c": q.c}}
}

// assertLayerRoundTrip checks that a layer's config makes an equal layer, both
// directly and through JSON (the path model files and the JS API take).
func assertLayerRoundTrip(t *testing.T, l Layer) {
	t.Helper()
	c := l.Config()
	first, err := json.Marshal(c)
	require.NoError(t, err)

	again, err := NewLayer(c)
	require.NoError(t, err, "NewLayer(%s)", first)
	second, err := json.Marshal(again.Config())
	require.NoError(t, err)
	assert.JSONEq(t, string(first), string(second))

	parsed, err := ParseConfig(first)
	require.NoError(t, err)
	fromJSON, err := NewLayer(parsed)
	require.NoError(t, err, "NewLayer(%s) via JSON", first)
	third, err := json.Marshal(fromJSON.Config())
	require.NoError(t, err)
	assert.JSONEq(t, string(first), string(third))
}

// mustLayer makes a layer from a class name and config map, failing the test
// on error.
func mustLayer(t *testing.T, class string, m map[string]any) Layer {
	t.Helper()
	l, err := NewLayer(Config{ClassName: class, Config: m})
	require.NoError(t, err, "%s %v", class, m)
	return l
}

// layerError returns the error NewLayer gives for a config, failing the test
// if there is none.
func layerError(t *testing.T, class string, m map[string]any) string {
	t.Helper()
	_, err := NewLayer(Config{ClassName: class, Config: m})
	require.Error(t, err, "%s %v must be rejected", class, m)
	return err.Error()
}

// stepAllocs returns the allocations of one Forward+Backward step of l on x
// after warm-up: zero means the layer reuses its buffers.
func stepAllocs(l Layer, x *tensor.Tensor, training bool) float64 {
	var dy *tensor.Tensor
	step := func() {
		y := l.Forward(x, training)
		if dy == nil {
			dy = tensor.New(y.Shape...)
			dy.Fill(0.5)
		}
		l.Backward(dy, true)
	}
	step()
	return testing.AllocsPerRun(5, step)
}

// shapeString formats a batch shape for test names.
func shapeString(s ...int) string { return fmt.Sprint(tensor.Shape(s)) }

func layerJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
