package nn

import "testing"

// refSGD is Keras's SGD (keras/src/optimizers/sgd.py):
//
//	momentum = 0: w = w − lr·g
//	momentum μ:   v = μ·v − lr·g;  w = w + v
//	nesterov:     v = μ·v − lr·g;  w = w + μ·v − lr·g
func refSGD(mu float64, nesterov bool) refRule {
	return func(w, g []float64, s refState, lr float64, _ int) {
		if mu == 0 {
			for i := range w {
				w[i] = w[i] - lr*g[i]
			}
			return
		}
		v := s.slot("velocity", len(w), 0)
		for i := range w {
			v[i] = mu*v[i] - lr*g[i]
			if nesterov {
				w[i] = w[i] + mu*v[i] - lr*g[i]
			} else {
				w[i] = w[i] + v[i]
			}
		}
	}
}

func TestSGDMatchesKerasFormula(t *testing.T) {
	lr := refOptions{lr: 0.05}
	cases := []optCase{
		{name: "defaults by name", spec: "sgd", ref: refOptions{lr: 0.01}, rule: refSGD(0, false)},
		{name: "momentum", spec: Config{ClassName: "SGD", Config: map[string]any{"learning_rate": 0.05, "momentum": 0.9}},
			ref: lr, rule: refSGD(0.9, false), baseRule: refSGD(0, false)},
		{name: "nesterov", spec: Config{ClassName: "SGD", Config: map[string]any{"learning_rate": 0.05, "momentum": 0.9, "nesterov": true}},
			ref: lr, rule: refSGD(0.9, true), baseRule: refSGD(0.9, false)},
		{name: "Keras 2 spelling lr, decay, momentum, nesterov",
			spec: Config{ClassName: "SGD", Config: map[string]any{"lr": 0.05, "decay": 1e-1, "momentum": 0.9, "nesterov": true}},
			ref:  refOptions{lr: 0.05, decay: 0.1}, rule: refSGD(0.9, true), base: &lr},
	}
	cases = append(cases, withCommonOptions("plain", "SGD", map[string]any{"learning_rate": 0.05}, lr, refSGD(0, false))...)
	cases = append(cases, withCommonOptions("momentum=0.5 nesterov", "SGD", map[string]any{"learning_rate": 0.05, "momentum": 0.5, "nesterov": true},
		lr, refSGD(0.5, true))...)
	runOptCases(t, cases)
}
