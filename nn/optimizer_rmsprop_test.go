package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refRMSprop is Keras's RMSprop (keras/src/optimizers/rmsprop.py):
//
//	ms = ρ·ms + (1−ρ)·g²
//	centered: mg = ρ·mg + (1−ρ)·g;  denom = ms − mg² + ε
//	else:     denom = ms + ε
//	inc = lr·g / √denom
//	momentum μ > 0: mom = μ·mom + inc;  w = w − mom
//	else:           w = w − inc
func refRMSprop(rho, mu, eps float64, centered bool) refRule {
	return func(w, g []float64, s refState, lr float64, _ int) {
		ms := s.slot("ms", len(w), 0)
		mg := s.slot("mg", len(w), 0)
		mom := s.slot("mom", len(w), 0)
		for i := range w {
			ms[i] = rho*ms[i] + (1-rho)*g[i]*g[i]
			denom := ms[i] + eps
			if centered {
				mg[i] = rho*mg[i] + (1-rho)*g[i]
				denom = ms[i] - mg[i]*mg[i] + eps
			}
			inc := lr * g[i] / math.Sqrt(denom)
			if mu > 0 {
				mom[i] = mu*mom[i] + inc
				w[i] -= mom[i]
			} else {
				w[i] -= inc
			}
		}
	}
}

func TestRMSpropMatchesKerasFormula(t *testing.T) {
	o := refOptions{lr: 0.01}
	plain := refRMSprop(0.9, 0, 1e-7, false)
	cfg := func(kv ...any) Config {
		m := map[string]any{"learning_rate": 0.01}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return Config{ClassName: "RMSprop", Config: m}
	}
	cases := []optCase{
		{name: "defaults by name", spec: "rmsprop", ref: refOptions{lr: 0.001}, rule: plain},
		{name: "rho", spec: cfg("rho", 0.5), ref: o, rule: refRMSprop(0.5, 0, 1e-7, false), baseRule: plain},
		{name: "epsilon", spec: cfg("epsilon", 0.1), ref: o, rule: refRMSprop(0.9, 0, 0.1, false), baseRule: plain},
		{name: "momentum", spec: cfg("momentum", 0.9), ref: o, rule: refRMSprop(0.9, 0.9, 1e-7, false), baseRule: plain},
		{name: "centered", spec: cfg("centered", true), ref: o, rule: refRMSprop(0.9, 0, 1e-7, true), baseRule: plain},
		{name: "centered momentum", spec: cfg("centered", true, "momentum", 0.5), ref: o,
			rule: refRMSprop(0.9, 0.5, 1e-7, true), baseRule: refRMSprop(0.9, 0, 1e-7, true)},
		{name: "Keras 2 spelling lr decay", spec: Config{ClassName: "RMSprop", Config: map[string]any{"lr": 0.01, "decay": 0.1}},
			ref: refOptions{lr: 0.01, decay: 0.1}, rule: plain, base: &o},
	}
	cases = append(cases, withCommonOptions("plain", "RMSprop", cfg().Config, o, plain)...)
	cases = append(cases, withCommonOptions("centered momentum", "RMSprop", cfg("centered", true, "momentum", 0.5).Config,
		o, refRMSprop(0.9, 0.5, 1e-7, true))...)
	runOptCases(t, cases)
}

func TestRMSpropCenteredSmallGradientStaysFinite(t *testing.T) {
	// With |g| < 1e-3 on the first step, ms − mg² = 0.09·g² < ε: TF.js's
	// √(ms − (mg² + ε)) is NaN, Keras's √(ms − mg² + ε) is not.
	opt, err := GetOptimizer(Config{ClassName: "RMSprop", Config: map[string]any{"centered": true}})
	require.NoError(t, err)
	p := NewParam("w", 1)
	p.Grad.Data[0] = 1e-4
	opt.Apply([]*Param{p})
	g := 1e-4
	ms, mg := 0.1*g*g, 0.1*g
	want := -0.001 * g / math.Sqrt(ms-mg*mg+1e-7)
	assert.InEpsilon(t, want, float64(p.Value.Data[0]), 1e-5)
}
