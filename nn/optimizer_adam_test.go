package nn

import (
	"math"
	"testing"
)

// refAdam is Keras's Adam (keras/src/optimizers/adam.py), written in the
// paper's form with Keras's ε placement:
//
//	m = β₁·m + (1−β₁)·g
//	v = β₂·v + (1−β₂)·g²
//	amsgrad: vmax = max(vmax, v), used in place of v
//	w = w − lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)
func refAdam(b1, b2, eps float64, amsgrad bool) refRule {
	return func(w, g []float64, s refState, lr float64, t int) {
		m := s.slot("m", len(w), 0)
		v := s.slot("v", len(w), 0)
		vmax := s.slot("vmax", len(w), 0)
		for i := range w {
			m[i] = b1*m[i] + (1-b1)*g[i]
			v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
			vi := v[i]
			if amsgrad {
				vmax[i] = math.Max(vmax[i], v[i])
				vi = vmax[i]
			}
			step := lr * math.Sqrt(1-math.Pow(b2, float64(t))) / (1 - math.Pow(b1, float64(t)))
			w[i] -= step * m[i] / (math.Sqrt(vi) + eps)
		}
	}
}

func TestAdamMatchesKerasFormula(t *testing.T) {
	o := refOptions{lr: 0.01}
	plain := refAdam(0.9, 0.999, 1e-7, false)
	cfg := map[string]any{"learning_rate": 0.01}
	cases := []optCase{
		{name: "defaults by name", spec: "adam", ref: refOptions{lr: 0.001}, rule: plain},
		{name: "betas and epsilon", spec: Config{ClassName: "Adam", Config: map[string]any{
			"learning_rate": 0.01, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 0.01}},
			ref: o, rule: refAdam(0.5, 0.9, 0.01, false), baseRule: plain},
		// The gradient sequence shrinks in places, so v falls and vmax differs.
		{name: "amsgrad", spec: Config{ClassName: "Adam", Config: map[string]any{"learning_rate": 0.01, "amsgrad": true, "beta_2": 0.5}},
			ref: o, rule: refAdam(0.9, 0.5, 1e-7, true), baseRule: refAdam(0.9, 0.5, 1e-7, false)},
	}
	cases = append(cases, withCommonOptions("plain", "Adam", cfg, o, plain)...)
	cases = append(cases, withCommonOptions("amsgrad", "Adam", map[string]any{"learning_rate": 0.01, "amsgrad": true, "beta_2": 0.5},
		o, refAdam(0.9, 0.5, 1e-7, true))...)
	runOptCases(t, cases)
}

func TestAdamWMatchesKerasFormula(t *testing.T) {
	// AdamW is Adam with weight_decay=0.004 by default (keras/src/optimizers/adamw.py).
	plain := refAdam(0.9, 0.999, 1e-7, false)
	noDecay := refOptions{lr: 0.01}
	cases := []optCase{
		{name: "defaults by name", spec: "adamw", ref: refOptions{lr: 0.001, weightDecay: 0.004}, rule: plain},
		{name: "default weight_decay", spec: Config{ClassName: "AdamW", Config: map[string]any{"learning_rate": 0.01}},
			ref: refOptions{lr: 0.01, weightDecay: 0.004}, rule: plain, base: &noDecay},
		{name: "weight_decay=0 is Adam", spec: Config{ClassName: "AdamW", Config: map[string]any{"learning_rate": 0.01, "weight_decay": 0.0}},
			ref: noDecay, rule: plain},
		{name: "amsgrad", spec: Config{ClassName: "AdamW", Config: map[string]any{"learning_rate": 0.01, "amsgrad": true, "beta_2": 0.5}},
			ref: refOptions{lr: 0.01, weightDecay: 0.004}, rule: refAdam(0.9, 0.5, 1e-7, true)},
	}
	// withCommonOptions's weight_decay case sets 0.05 over the default.
	cases = append(cases, withCommonOptions("lr=0.01", "AdamW", map[string]any{"learning_rate": 0.01},
		refOptions{lr: 0.01, weightDecay: 0.004}, plain)...)
	runOptCases(t, cases)
}
