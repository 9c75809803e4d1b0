package nn

import (
	"math"
	"testing"
)

// refAdamax is Keras's Adamax (keras/src/optimizers/adamax.py):
//
//	m = β₁·m + (1−β₁)·g
//	u = max(β₂·u, |g|)
//	w = w − lr/(1−β₁ᵗ) · m / (u + ε)
func refAdamax(b1, b2, eps float64) refRule {
	return func(w, g []float64, s refState, lr float64, t int) {
		m := s.slot("m", len(w), 0)
		u := s.slot("u", len(w), 0)
		for i := range w {
			m[i] = b1*m[i] + (1-b1)*g[i]
			u[i] = math.Max(b2*u[i], math.Abs(g[i]))
			w[i] -= lr / (1 - math.Pow(b1, float64(t))) * m[i] / (u[i] + eps)
		}
	}
}

func TestAdamaxMatchesKerasFormula(t *testing.T) {
	o := refOptions{lr: 0.01}
	plain := refAdamax(0.9, 0.999, 1e-7)
	cases := []optCase{
		{name: "defaults by name", spec: "adamax", ref: refOptions{lr: 0.001}, rule: plain},
		{name: "betas and epsilon", spec: Config{ClassName: "Adamax", Config: map[string]any{
			"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.5, "epsilon": 0.1}},
			ref: o, rule: refAdamax(0.5, 0.5, 0.1), baseRule: plain},
	}
	cases = append(cases, withCommonOptions("plain", "Adamax", map[string]any{"learning_rate": 0.01}, o, plain)...)
	runOptCases(t, cases)
}
