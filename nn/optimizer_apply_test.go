package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// The behaviour every optimizer shares: what Apply touches, what it counts
// and what it allocates.

func TestOptimizerSteadyStateAllocatesNothing(t *testing.T) {
	for _, spec := range allOptimizerSpecs {
		t.Run(spec.ClassName, func(t *testing.T) {
			opt, err := GetOptimizer(spec)
			require.NoError(t, err)
			params := problemParams()
			for _, p := range params {
				p.Grad.Fill(0.25)
			}
			opt.Apply(params) // the first step makes the state
			allocs := testing.AllocsPerRun(20, func() { opt.Apply(params) })
			assert.Zero(t, allocs, "a steady-state Apply must not allocate")
		})
	}
}

func TestOptimizerSetLearningRateChangesNextStep(t *testing.T) {
	opt, err := GetOptimizer(map[string]any{"class_name": "SGD", "config": map[string]any{"lr": 0.1}})
	require.NoError(t, err)
	p := NewParam("w", 1)
	p.Value.Data[0] = 1
	p.Grad.Data[0] = 2
	opt.Apply([]*Param{p}) // w = 1 − 0.1·2
	assert.InDelta(t, 0.8, p.Value.Data[0], 1e-7)
	assert.InDelta(t, 0.1, opt.LearningRate(), 0)
	opt.SetLearningRate(0.01)
	assert.InDelta(t, 0.01, opt.LearningRate(), 0)
	opt.Apply([]*Param{p}) // w = 0.8 − 0.01·2
	assert.InDelta(t, 0.78, p.Value.Data[0], 1e-7)
	assert.InDelta(t, 0.01, opt.Config().Config["learning_rate"], 0)
}

func TestOptimizerIterationsCountSteps(t *testing.T) {
	for _, spec := range allOptimizerSpecs {
		t.Run(spec.ClassName, func(t *testing.T) {
			opt, err := GetOptimizer(spec)
			require.NoError(t, err)
			assert.Equal(t, int64(0), opt.Iterations())
			params := problemParams()
			for i := 1; i <= 3; i++ {
				opt.Apply(params)
				assert.Equal(t, int64(i), opt.Iterations())
			}
			// Only frozen params: nothing to do, and Keras counts no step.
			opt.Apply(params[len(params)-1:])
			opt.Apply(nil)
			assert.Equal(t, int64(3), opt.Iterations())
		})
	}
}

func TestOptimizerLegacyDecayUsesIterationsBeforeTheStep(t *testing.T) {
	opt, err := GetOptimizer(Config{ClassName: "SGD", Config: map[string]any{"lr": 0.1, "decay": 0.5}})
	require.NoError(t, err)
	p := NewParam("w", 1)
	p.Grad.Data[0] = 1
	// Step k (iterations = k−1 before it) moves w by lr/(1 + 0.5·(k−1)).
	want := 0.0
	for k := 1; k <= 4; k++ {
		want -= 0.1 / (1 + 0.5*float64(k-1))
		opt.Apply([]*Param{p})
		assert.InDelta(t, want, p.Value.Data[0], 1e-6, "step %d", k)
	}
	assert.InDelta(t, 0.1/(1+0.5*4), opt.(*SGD).CurrentLearningRate(), 1e-12)
	assert.InDelta(t, 0.1, opt.LearningRate(), 0, "LearningRate is the base rate")
}

// countingConstraint records whether Apply called it.
type countingConstraint struct{ calls int }

func (c *countingConstraint) Apply(w *tensor.Tensor) { c.calls++ }
func (c *countingConstraint) Config() Config         { return Config{ClassName: "Counting"} }

func TestOptimizerLeavesConstraintsToTheModel(t *testing.T) {
	for _, spec := range allOptimizerSpecs {
		t.Run(spec.ClassName, func(t *testing.T) {
			opt, err := GetOptimizer(spec)
			require.NoError(t, err)
			c := &countingConstraint{}
			p := NewParam("w", 2)
			p.Constraint = c
			p.Grad.Fill(1)
			opt.Apply([]*Param{p})
			assert.Zero(t, c.calls)
		})
	}
}

func TestOptimizerStatePerParam(t *testing.T) {
	// A param first seen in a later step gets its own fresh state.
	sgd, err := GetOptimizer(Config{ClassName: "SGD", Config: map[string]any{"momentum": 0.5, "learning_rate": 0.1}})
	require.NoError(t, err)
	a, b := NewParam("a", 1), NewParam("b", 1)
	a.Grad.Data[0], b.Grad.Data[0] = 1, 1
	sgd.Apply([]*Param{a}) // a: v = −0.1, w = −0.1
	sgd.Apply([]*Param{a}) // a: v = −0.15, w = −0.25
	sgd.Apply([]*Param{b}) // b starts with its own zero velocity: w = −0.1
	assert.InDelta(t, -0.25, a.Value.Data[0], 1e-7)
	assert.InDelta(t, -0.1, b.Value.Data[0], 1e-7)
}

func TestOptimizerGlobalClipnormNonFiniteGivesNaN(t *testing.T) {
	opt, err := GetOptimizer(Config{ClassName: "SGD", Config: map[string]any{"global_clipnorm": 1.0}})
	require.NoError(t, err)
	p := NewParam("w", 2)
	p.Grad.Data[0] = float32(math.Inf(1))
	opt.Apply([]*Param{p})
	assert.True(t, math.IsNaN(float64(p.Value.Data[1])), "Keras's clip_by_global_norm makes every gradient NaN for an infinite norm")
}

func TestOptimizerZeroGradientClipnormIsSafe(t *testing.T) {
	for _, key := range []string{"clipnorm", "global_clipnorm"} {
		opt, err := GetOptimizer(Config{ClassName: "SGD", Config: map[string]any{key: 1.0}})
		require.NoError(t, err)
		p := NewParam("w", 2)
		p.Value.Fill(3)
		opt.Apply([]*Param{p})
		assert.Equal(t, []float32{3, 3}, p.Value.Data, key)
	}
}

// BenchmarkOptimizerApply measures one step on a param of 2¹⁸ weights (a
// 512×512 Dense kernel) with per-param clipping on.
func BenchmarkOptimizerApply(b *testing.B) {
	for _, name := range OptimizerNames() {
		b.Run(name, func(b *testing.B) {
			opt, err := GetOptimizer(Config{ClassName: name, Config: map[string]any{"clipnorm": 1.0}})
			require.NoError(b, err)
			p := NewParam("kernel", 512, 512)
			p.Grad.Fill(0.01)
			params := []*Param{p}
			opt.Apply(params)
			b.SetBytes(int64(4 * len(p.Value.Data)))
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				opt.Apply(params)
			}
		})
	}
}
