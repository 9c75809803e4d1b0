package nn

import (
	"math"
	"testing"
)

// refAdagrad is Keras's Adagrad (keras/src/optimizers/adagrad.py), the
// accumulator starting at initial_accumulator_value:
//
//	acc = acc + g²
//	w = w − lr·g / √(acc + ε)
func refAdagrad(initial, eps float64) refRule {
	return func(w, g []float64, s refState, lr float64, _ int) {
		acc := s.slot("acc", len(w), initial)
		for i := range w {
			acc[i] += g[i] * g[i]
			w[i] -= lr * g[i] / math.Sqrt(acc[i]+eps)
		}
	}
}

func TestAdagradMatchesKerasFormula(t *testing.T) {
	o := refOptions{lr: 0.05}
	plain := refAdagrad(0.1, 1e-7)
	cases := []optCase{
		{name: "defaults by name", spec: "adagrad", ref: refOptions{lr: 0.001}, rule: plain},
		{name: "initial_accumulator_value", spec: Config{ClassName: "Adagrad", Config: map[string]any{
			"learning_rate": 0.05, "initial_accumulator_value": 1.0}}, ref: o, rule: refAdagrad(1.0, 1e-7), baseRule: plain},
		{name: "initial_accumulator_value=0 epsilon", spec: Config{ClassName: "Adagrad", Config: map[string]any{
			"learning_rate": 0.05, "initial_accumulator_value": 0.0, "epsilon": 0.5}}, ref: o, rule: refAdagrad(0, 0.5), baseRule: plain},
	}
	cases = append(cases, withCommonOptions("plain", "Adagrad", map[string]any{"learning_rate": 0.05}, o, plain)...)
	runOptCases(t, cases)
}
