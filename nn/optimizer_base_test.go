package nn

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The optimizer tests run each optimizer and option for several steps on a
// small fixed problem and compare every step with a float64 reference coded
// plainly in the tests from Keras's update formulas.

// The problem: two trainable params (3 and 2 weights) with a fixed gradient
// sequence, and a frozen param with a large gradient that must neither move
// nor count in global_clipnorm.
var (
	probInit  = [][]float64{{0.5, -1.2, 2.0}, {0.1, -0.3}}
	probGrads = [][][]float64{ // step → param → gradient
		{{0.3, -0.8, 1.5}, {0.05, 2.5}},
		{{-0.2, 0.6, 1.1}, {0.0, -1.7}},
		{{0.9, 0.0, -0.4}, {0.4, 0.3}},
		{{0.1, -1.3, 0.7}, {-0.6, 0.9}},
		{{-0.5, 0.2, 0.05}, {1.2, -0.1}},
	}
	frozenInit = []float32{7, 8}
	frozenGrad = []float32{100, -100}
)

// refOptions are the common Keras arguments as the reference applies them;
// a zero clip means no clipping.
type refOptions struct {
	lr, decay, weightDecay              float64
	clipnorm, clipvalue, globalClipnorm float64
}

// refRule is one optimizer's update in float64 for one param: w and the
// param's state s change in place; lr is the step's learning rate and t the
// 1-based step.
type refRule func(w, g []float64, s refState, lr float64, t int)

// refState holds a param's slots by name.
type refState map[string][]float64

// slot returns the named slot, filled with init on first use.
func (s refState) slot(name string, n int, init float64) []float64 {
	if _, ok := s[name]; !ok {
		v := make([]float64, n)
		for i := range v {
			v[i] = init
		}
		s[name] = v
	}
	return s[name]
}

// refRun returns the weights after each step (step → param → values).
func refRun(o refOptions, rule refRule) [][][]float64 {
	w := make([][]float64, len(probInit))
	states := make([]refState, len(probInit))
	for p := range probInit {
		w[p] = append([]float64(nil), probInit[p]...)
		states[p] = refState{}
	}
	var out [][][]float64
	for step, grads := range probGrads {
		// Keras 2 legacy decay, iterations counted before the update:
		// lr_t = lr / (1 + decay·iterations).
		lr := o.lr / (1 + o.decay*float64(step))
		g := refClip(o, grads)
		for p := range w {
			// Decoupled weight decay before the update: w = w − w·wd·lr_t.
			for i := range w[p] {
				w[p][i] -= w[p][i] * o.weightDecay * lr
			}
			rule(w[p], g[p], states[p], lr, step+1)
		}
		snap := make([][]float64, len(w))
		for p := range w {
			snap[p] = append([]float64(nil), w[p]...)
		}
		out = append(out, snap)
	}
	return out
}

// refClip clips the gradients of one step as Keras's _clip_gradients:
//
//	clipnorm c:        g·c / max(‖g‖, c), per param
//	global_clipnorm c: g·c / max(‖all g‖, c), over the trainable params
//	clipvalue c:       min(max(g, −c), c)
func refClip(o refOptions, grads [][]float64) [][]float64 {
	norm := func(gs ...[]float64) float64 {
		s := 0.0
		for _, g := range gs {
			for _, x := range g {
				s += x * x
			}
		}
		return math.Sqrt(s)
	}
	global := norm(grads...)
	out := make([][]float64, len(grads))
	for p, g := range grads {
		out[p] = make([]float64, len(g))
		for i, x := range g {
			switch {
			case o.clipnorm > 0:
				x = x * o.clipnorm / math.Max(norm(g), o.clipnorm)
			case o.globalClipnorm > 0:
				x = x * o.globalClipnorm / math.Max(global, o.globalClipnorm)
			case o.clipvalue > 0:
				x = math.Min(math.Max(x, -o.clipvalue), o.clipvalue)
			}
			out[p][i] = x
		}
	}
	return out
}

// problemParams returns the problem's params: the trainable ones, then the
// frozen one.
func problemParams() []*Param {
	var ps []*Param
	for p, w := range probInit {
		param := NewParam(fmt.Sprintf("w%d", p), len(w))
		for i, x := range w {
			param.Value.Data[i] = float32(x)
		}
		ps = append(ps, param)
	}
	frozen := NewParam("frozen", len(frozenInit))
	copy(frozen.Value.Data, frozenInit)
	frozen.Trainable = false
	return append(ps, frozen)
}

// goRun runs the optimizer made from spec on the problem and returns the
// weights after each step. It checks that Apply leaves the gradients as they
// were and the frozen param alone.
func goRun(t *testing.T, spec any) [][][]float64 {
	t.Helper()
	opt, err := GetOptimizer(spec)
	require.NoError(t, err)
	params := problemParams()
	frozen := params[len(params)-1]
	var out [][][]float64
	for _, grads := range probGrads {
		for p, g := range grads {
			for i, x := range g {
				params[p].Grad.Data[i] = float32(x)
			}
		}
		copy(frozen.Grad.Data, frozenGrad)
		opt.Apply(params)
		snap := make([][]float64, len(probInit))
		for p := range probInit {
			snap[p] = make([]float64, len(probInit[p]))
			for i, x := range params[p].Value.Data {
				snap[p][i] = float64(x)
			}
			for i, x := range grads[p] {
				require.Equal(t, float32(x), params[p].Grad.Data[i], "Apply must not change or zero the gradients")
			}
		}
		out = append(out, snap)
	}
	assert.Equal(t, frozenInit, frozen.Value.Data, "a param with Trainable=false must not move")
	assert.Equal(t, int64(len(probGrads)), opt.Iterations())
	return out
}

// Tolerances for float32 weights against the float64 reference: absolute,
// plus a fraction of how far the weight has moved from its start.
const (
	optAbsTol = 2e-6
	optRelTol = 1e-4
)

// assertTrajectory compares got with want step by step.
func assertTrajectory(t *testing.T, want, got [][][]float64) {
	t.Helper()
	require.Len(t, got, len(want))
	for s := range want {
		for p := range want[s] {
			for i := range want[s][p] {
				moved := math.Abs(want[s][p][i] - probInit[p][i])
				tol := optAbsTol + optRelTol*moved
				if math.Abs(got[s][p][i]-want[s][p][i]) > tol {
					t.Errorf("step %d, param %d, weight %d: keraswasm %.9g, Keras formula %.9g (diff %.3g > tol %.3g)",
						s+1, p, i, got[s][p][i], want[s][p][i], got[s][p][i]-want[s][p][i], tol)
				}
			}
		}
	}
}

// maxDiff is the largest difference between two trajectories.
func maxDiff(a, b [][][]float64) float64 {
	d := 0.0
	for s := range a {
		for p := range a[s] {
			for i := range a[s][p] {
				d = math.Max(d, math.Abs(a[s][p][i]-b[s][p][i]))
			}
		}
	}
	return d
}

// optCase is one optimizer with one set of options. spec is what
// GetOptimizer receives; ref and rule give the reference. base, when set,
// is the same case without the option under test: the two references must
// differ clearly, so the case can tell whether the option was applied.
type optCase struct {
	name string
	spec any
	ref  refOptions
	rule refRule
	base *refOptions
	// baseRule, when set, is the reference rule without the option under test
	// (for options of the update rule itself, such as momentum).
	baseRule refRule
}

// withCommonOptions returns the case of an optimizer with config cfg (named
// label) and one case more for each common Keras option: clipnorm,
// clipvalue, global_clipnorm, weight_decay and the legacy decay.
func withCommonOptions(label, className string, cfg map[string]any, o refOptions, rule refRule) []optCase {
	with := func(key string, v float64, set func(*refOptions)) optCase {
		m := map[string]any{key: v}
		for k, x := range cfg {
			m[k] = x
		}
		r := o
		set(&r)
		base := o
		return optCase{name: fmt.Sprintf("%s %s=%g", label, key, v), spec: Config{ClassName: className, Config: m},
			ref: r, rule: rule, base: &base}
	}
	return []optCase{
		{name: label, spec: Config{ClassName: className, Config: cfg}, ref: o, rule: rule},
		with("clipnorm", 1.0, func(r *refOptions) { r.clipnorm = 1.0 }),
		with("clipvalue", 0.5, func(r *refOptions) { r.clipvalue = 0.5 }),
		with("global_clipnorm", 1.0, func(r *refOptions) { r.globalClipnorm = 1.0 }),
		with("weight_decay", 0.05, func(r *refOptions) { r.weightDecay = 0.05 }),
		with("decay", 0.25, func(r *refOptions) { r.decay = 0.25 }),
	}
}

// runOptCases checks every case against its reference.
func runOptCases(t *testing.T, cases []optCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := refRun(tc.ref, tc.rule)
			if tc.base != nil || tc.baseRule != nil {
				base, rule := tc.ref, tc.rule
				if tc.base != nil {
					base = *tc.base
				}
				if tc.baseRule != nil {
					rule = tc.baseRule
				}
				require.Greater(t, maxDiff(want, refRun(base, rule)), 100*optAbsTol,
					"the option under test must change the result, or the case proves nothing")
			}
			assertTrajectory(t, want, goRun(t, tc.spec))
		})
	}
}

// allOptimizerSpecs names every optimizer with options off their defaults,
// for the tests that every optimizer must pass.
var allOptimizerSpecs = []Config{
	{ClassName: "SGD", Config: map[string]any{"learning_rate": 0.05, "momentum": 0.9, "nesterov": true, "clipnorm": 1.0}},
	{ClassName: "RMSprop", Config: map[string]any{"rho": 0.8, "momentum": 0.5, "centered": true, "clipvalue": 0.5}},
	{ClassName: "Adam", Config: map[string]any{"beta_1": 0.8, "amsgrad": true, "global_clipnorm": 1.0, "weight_decay": 0.01}},
	{ClassName: "AdamW", Config: map[string]any{"weight_decay": 0.1, "epsilon": 1e-6, "decay": 0.01}},
	{ClassName: "Adagrad", Config: map[string]any{"initial_accumulator_value": 0.2, "clipnorm": 2.0}},
	{ClassName: "Adadelta", Config: map[string]any{"learning_rate": 1.0, "rho": 0.9, "name": "ada"}},
	{ClassName: "Adamax", Config: map[string]any{"beta_2": 0.99, "loss_scale_factor": 128.0}},
	{ClassName: "Nadam", Config: map[string]any{"beta_1": 0.95, "schedule_decay": 0.004, "ema_momentum": 0.9}},
}
