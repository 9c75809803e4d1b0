package nn

import (
	"math"
	"testing"
)

// refNadam is Keras's Nadam (keras/src/optimizers/nadam.py), with
// uₜ = β₁·(1 − ½·0.96^(s·t)) (s = 1 in Keras 3; Keras 2's schedule_decay
// otherwise) and Πₜ = u₁·u₂·…·uₜ:
//
//	m  = β₁·m + (1−β₁)·g
//	v  = β₂·v + (1−β₂)·g²
//	m̂ = uₜ₊₁·m / (1 − Πₜ·uₜ₊₁) + (1−uₜ)·g / (1 − Πₜ)
//	v̂ = v / (1 − β₂ᵗ)
//	w  = w − lr·m̂ / (√v̂ + ε)
func refNadam(b1, b2, eps, s float64) refRule {
	u := func(t int) float64 { return b1 * (1 - 0.5*math.Pow(0.96, s*float64(t))) }
	return func(w, g []float64, st refState, lr float64, t int) {
		prod := 1.0
		for k := 1; k <= t; k++ {
			prod *= u(k)
		}
		m := st.slot("m", len(w), 0)
		v := st.slot("v", len(w), 0)
		for i := range w {
			m[i] = b1*m[i] + (1-b1)*g[i]
			v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
			mhat := u(t+1)*m[i]/(1-prod*u(t+1)) + (1-u(t))*g[i]/(1-prod)
			vhat := v[i] / (1 - math.Pow(b2, float64(t)))
			w[i] -= lr * mhat / (math.Sqrt(vhat) + eps)
		}
	}
}

func TestNadamMatchesKerasFormula(t *testing.T) {
	o := refOptions{lr: 0.01}
	plain := refNadam(0.9, 0.999, 1e-7, 1)
	cases := []optCase{
		{name: "defaults by name", spec: "nadam", ref: refOptions{lr: 0.001}, rule: plain},
		{name: "betas and epsilon", spec: Config{ClassName: "Nadam", Config: map[string]any{
			"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 0.01}},
			ref: o, rule: refNadam(0.5, 0.9, 0.01, 1), baseRule: plain},
		{name: "Keras 2 schedule_decay", spec: Config{ClassName: "Nadam", Config: map[string]any{
			"learning_rate": 0.01, "schedule_decay": 0.004}},
			ref: o, rule: refNadam(0.9, 0.999, 1e-7, 0.004), baseRule: plain},
	}
	cases = append(cases, withCommonOptions("plain", "Nadam", map[string]any{"learning_rate": 0.01}, o, plain)...)
	runOptCases(t, cases)
}
