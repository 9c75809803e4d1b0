package tensor

import (
	"math"
	"math/rand/v2"
	"testing"
)

// These run natively (the Go loops) and under wasm (the SIMD kernels when
// the host gives them, make simdtest): every kernel equals its scalar
// definition, bit for bit, element by element.

func sameF32(a, b float32) bool {
	return math.Float32bits(a) == math.Float32bits(b) || (a != a && b != b)
}

func TestSigmoidTanhEqualTheirScalars(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	x := smoothInputs(r, 4001)
	y := make([]float32, len(x))
	Sigmoid(y, x)
	for i, v := range x {
		if want := float32(Sigmoid64(float64(v))); !sameF32(y[i], want) {
			t.Fatalf("Sigmoid(%v = %#08x) = %v (%#08x), want %v (%#08x)", v, math.Float32bits(v), y[i], math.Float32bits(y[i]), want, math.Float32bits(want))
		}
	}
	Tanh(y, x)
	for i, v := range x {
		if want := float32(math.Tanh(float64(v))); !sameF32(y[i], want) {
			t.Fatalf("Tanh(%v = %#08x) = %v (%#08x), want %v (%#08x)", v, math.Float32bits(v), y[i], math.Float32bits(y[i]), want, math.Float32bits(want))
		}
	}
}

func TestSigmoidTanhGradEqualTheirScalars(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	x := smoothInputs(r, 4001)
	y, dy, dx := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
	for i := range dy {
		dy[i] = float32(r.NormFloat64())
	}
	dy[0], dy[1], dy[2] = float32(math.Inf(1)), float32(math.NaN()), 0
	Sigmoid(y, x)
	SigmoidGrad(dx, y, dy)
	for i, g := range dy {
		if want := g * y[i] * (1 - y[i]); !sameF32(dx[i], want) {
			t.Fatalf("SigmoidGrad(y=%v, dy=%v) = %v, want %v", y[i], g, dx[i], want)
		}
	}
	Tanh(y, x)
	TanhGrad(dx, y, dy)
	for i, g := range dy {
		v := float64(y[i])
		if want := float32(float64(g) * (1 - v*v)); !sameF32(dx[i], want) {
			t.Fatalf("TanhGrad(y=%v, dy=%v) = %v, want %v", y[i], g, dx[i], want)
		}
	}
}

func TestSigmoidTanhSpecialValues(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	inf := float32(math.Inf(1))
	cases := []struct {
		name     string
		f        func(dst, x []float32)
		x, want  float32
		wantBits bool
	}{
		{"sigmoid(0)", Sigmoid, 0, 0.5, true},
		{"sigmoid(-0)", Sigmoid, negZero, 0.5, true},
		{"sigmoid(+Inf)", Sigmoid, inf, 1, true},
		{"sigmoid(-Inf)", Sigmoid, -inf, 0, true},
		{"sigmoid(-1e4)", Sigmoid, -1e4, 0, true},
		{"tanh(0)", Tanh, 0, 0, true},
		{"tanh(-0)", Tanh, negZero, negZero, true},
		{"tanh(+Inf)", Tanh, inf, 1, true},
		{"tanh(-Inf)", Tanh, -inf, -1, true},
		{"tanh(50)", Tanh, 50, 1, true},
	}
	for _, c := range cases {
		y := []float32{7}
		c.f(y, []float32{c.x})
		if math.Float32bits(y[0]) != math.Float32bits(c.want) {
			t.Errorf("%s = %v (%#08x), want %v", c.name, y[0], math.Float32bits(y[0]), c.want)
		}
	}
	nan := []float32{float32(math.NaN())}
	for _, f := range []func(dst, x []float32){Sigmoid, Tanh} {
		y := []float32{7}
		if f(y, nan); y[0] == y[0] {
			t.Errorf("NaN in gave %v, want NaN", y[0])
		}
	}
}
