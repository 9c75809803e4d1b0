package nn

import (
	"math"
	"testing"
)

// refAdadelta is Keras's Adadelta (keras/src/optimizers/adadelta.py):
//
//	Eg = ρ·Eg + (1−ρ)·g²
//	Δ  = −√(Ed + ε)·g / √(Eg + ε)
//	Ed = ρ·Ed + (1−ρ)·Δ²
//	w  = w + lr·Δ
func refAdadelta(rho, eps float64) refRule {
	return func(w, g []float64, s refState, lr float64, _ int) {
		eg := s.slot("Eg", len(w), 0)
		ed := s.slot("Ed", len(w), 0)
		for i := range w {
			eg[i] = rho*eg[i] + (1-rho)*g[i]*g[i]
			delta := -math.Sqrt(ed[i]+eps) * g[i] / math.Sqrt(eg[i]+eps)
			ed[i] = rho*ed[i] + (1-rho)*delta*delta
			w[i] += lr * delta
		}
	}
}

func TestAdadeltaMatchesKerasFormula(t *testing.T) {
	// Keras's default learning rate (0.001) moves a weight by about 1e-6 a
	// step here, below what float32 weights near 1 resolve; the paper's 1.0
	// moves them by about 1e-3, and large ε makes the steps larger still.
	o := refOptions{lr: 1.0}
	plain := refAdadelta(0.95, 1e-7)
	cfg := map[string]any{"learning_rate": 1.0, "epsilon": 1e-4}
	cases := []optCase{
		{name: "lr=1", spec: Config{ClassName: "Adadelta", Config: map[string]any{"learning_rate": 1.0}}, ref: o, rule: plain},
		{name: "rho", spec: Config{ClassName: "Adadelta", Config: map[string]any{"learning_rate": 1.0, "rho": 0.5}},
			ref: o, rule: refAdadelta(0.5, 1e-7), baseRule: plain},
	}
	cases = append(cases, withCommonOptions("epsilon=1e-4", "Adadelta", cfg, o, refAdadelta(0.95, 1e-4))...)
	runOptCases(t, cases)
}
