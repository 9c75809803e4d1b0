package sequential

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// parallelTol bounds |parallel − whole-batch| on weights and logs after a
// few epochs: the two differ only in how float32 sums over the batch's rows
// are grouped (GEMM over 4 and 6 rows, then added, against GEMM over 10),
// a few ulps per step that the optimizer carries on.
const parallelTol = 2e-5

// parallelCase builds one model (fresh layers, the same seed every call)
// and its data.
type parallelCase struct {
	name  string
	build func(t *testing.T) *Model
	in    []int
	sw    bool
}

func parallelCases() []parallelCase {
	return []parallelCase{
		{name: "mlp_adam_l2", in: []int{5}, build: func(t *testing.T) *Model {
			m, err := NewWithLayers("", 7,
				dense(t, 8, map[string]any{"activation": "relu", "input_shape": []int{5}, "kernel_regularizer": "l2"}),
				dropout(t, 0),
				dense(t, 3, map[string]any{"activation": "softmax"}))
			require.NoError(t, err)
			require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []any{"accuracy", "AUC"}}))
			return m
		}},
		{name: "conv_sgd_momentum_weighted", in: []int{6, 6, 2}, sw: true, build: func(t *testing.T) *Model {
			m, err := NewWithLayers("", 9,
				conv2d(t, 4, map[string]any{"activation": "relu", "input_shape": []int{6, 6, 2}}),
				maxPool(t),
				flatten(t),
				dense(t, 3, map[string]any{"activation": "softmax"}))
			require.NoError(t, err)
			opt := map[string]any{"class_name": "SGD", "config": map[string]any{"learning_rate": 0.1, "momentum": 0.9, "nesterov": true}}
			require.NoError(t, m.Compile(CompileOptions{Optimizer: opt, Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}))
			return m
		}},
	}
}

// TestParallelEqualsWholeBatch: two replicas, each computing one slice of
// every batch (4 and 6 of 10 samples), summing their gradients and applying
// the sum, train exactly alike, and like Fit on the whole batches
// (shuffle off): weights, and the History's loss and metrics per epoch.
func TestParallelEqualsWholeBatch(t *testing.T) {
	for _, c := range parallelCases() {
		t.Run(c.name, func(t *testing.T) {
			const n, batch, epochs = 30, 10, 3
			x, y := randomClasses(n, tensor.Shape(c.in).Size(), 3, 11)
			x.Shape = append([]int{n}, c.in...)
			var sw []float32
			if c.sw {
				sw = make([]float32, n)
				for i := range sw {
					sw[i] = float32(1 + i%3)
				}
			}
			whole := c.build(t)
			fitX, fitY := tensor.FromSlice(append([]float32(nil), x.Data...), x.Shape...), tensor.FromSlice(append([]float32(nil), y.Data...), y.Shape...)
			h, err := whole.Fit(fitX, fitY, FitOptions{Epochs: epochs, BatchSize: batch, SampleWeight: sw, Out: io.Discard})
			require.NoError(t, err)

			r0, r1 := c.build(t), c.build(t)
			p0, err := r0.BeginParallel(x, y, sw, batch, 0)
			require.NoError(t, err)
			defer p0.End()
			p1, err := r1.BeginParallel(x, y, sw, batch, 1)
			require.NoError(t, err)
			defer p1.End()
			g0, g1 := make([]float32, p0.GradientSize()), make([]float32, p1.GradientSize())
			var state []float64
			for epoch := range epochs {
				p0.EpochBegin(epoch)
				p1.EpochBegin(epoch)
				for b := 0; b < n; b += batch {
					idx := r0.sequence(n)[b : b+batch]
					l0, err := p0.Compute(g0, idx[:4], batch)
					require.NoError(t, err)
					l1, err := p1.Compute(g1, idx[4:], batch)
					require.NoError(t, err)
					for i := range g0 {
						g0[i] += g1[i]
					}
					_, err = p0.Apply(g0, l0+l1, batch)
					require.NoError(t, err)
					_, err = p1.Apply(g0, l0+l1, batch)
					require.NoError(t, err)
					state, err = p1.MetricState(state, true)
					require.NoError(t, err)
					require.NoError(t, p0.AddMetricState(state))
				}
				logs := Logs{}
				p0.Logs(logs)
				for name, v := range logs {
					require.Contains(t, h.History, name)
					assert.InDelta(t, h.History[name][epoch], v, parallelTol, "epoch %d %s", epoch, name)
				}
				assert.Len(t, logs, len(h.History))
			}
			w, w0, w1 := whole.GetWeights(), r0.GetWeights(), r1.GetWeights()
			for i := range w {
				assert.Equal(t, w0[i].Data, w1[i].Data, "the replicas' weight %d differ", i)
				assert.InDeltaSlice(t, w[i].Data, w0[i].Data, parallelTol, "weight %d", i)
			}
		})
	}
}

// TestParallelStepAllocatesNothing: a steady-state Compute + Apply of W1
// allocates nothing.
func TestParallelStepAllocatesNothing(t *testing.T) {
	m, x, y := workloadModel(t, "W1")
	p, err := m.BeginParallel(x, y, nil, 128, 0)
	require.NoError(t, err)
	defer p.End()
	g := make([]float32, p.GradientSize())
	idx := m.sequence(128)[:64]
	var state []float64
	step := func() {
		l, err := p.Compute(g, idx, 128)
		if err == nil {
			_, err = p.Apply(g, l, 128)
		}
		if err == nil {
			state, err = p.MetricState(state, false)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	step()
	assert.Zero(t, testing.AllocsPerRun(2, step))
}

// TestParallelRefusals: models whose batch result depends on how it is cut,
// and broken slices, are refused with what was wrong.
func TestParallelRefusals(t *testing.T) {
	x, y := randomClasses(8, 4, 2, 3)
	for _, c := range []struct {
		name  string
		layer func(t *testing.T) nn.Layer
		want  string
	}{
		{"noise", func(t *testing.T) nn.Layer {
			l, err := nn.NewLayer(nn.Config{ClassName: "GaussianNoise", Config: map[string]any{"stddev": 0.1}})
			require.NoError(t, err)
			return l
		}, "GaussianNoise with stddev=0.1"},
		{"activity", func(t *testing.T) nn.Layer {
			return dense(t, 4, map[string]any{"activity_regularizer": "l2"})
		}, "activity regularizer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := NewWithLayers("", 1, dense(t, 4, map[string]any{"input_shape": []int{4}}), c.layer(t), dense(t, 2, nil))
			require.NoError(t, err)
			require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
			_, err = m.BeginParallel(x, y, nil, 4, 0)
			var ni *nn.NotImplemented
			require.ErrorAs(t, err, &ni)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	m, err := NewWithLayers("", 1, dense(t, 2, map[string]any{"input_shape": []int{4}}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	p, err := m.BeginParallel(x, y, nil, 4, 0)
	require.NoError(t, err)
	defer p.End()
	g := make([]float32, p.GradientSize())
	_, err = p.Compute(g[:3], []int{0}, 4)
	assert.ErrorContains(t, err, "gradient buffer of 3 values: expected 10")
	_, err = p.Compute(g, []int{0, 8}, 4)
	assert.ErrorContains(t, err, "sample index 8: expected 0 to 7")
	_, err = p.Compute(g, []int{0}, 5)
	assert.ErrorContains(t, err, "a batch of at most 4")
	_, err = p.Apply(g, 0, 0)
	assert.ErrorContains(t, err, "a batch of 0 samples")
}

// TestParallelReplicasDrawTheirOwnDropout: replicas built alike get their
// own dropout masks (the same slice gives different gradients on replica 0
// and 1), and, applying the same sums, keep the same weights.
func TestParallelReplicasDrawTheirOwnDropout(t *testing.T) {
	build := func() *Model {
		m, err := NewWithLayers("", 3, dense(t, 16, map[string]any{"activation": "relu", "input_shape": []int{5}}),
			dropout(t, 0.5), dense(t, 3, map[string]any{"activation": "softmax"}))
		require.NoError(t, err)
		require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy"}))
		return m
	}
	x, y := randomClasses(20, 5, 3, 4)
	r0, r1 := build(), build()
	p0, err := r0.BeginParallel(x, y, nil, 10, 0)
	require.NoError(t, err)
	defer p0.End()
	p1, err := r1.BeginParallel(x, y, nil, 10, 1)
	require.NoError(t, err)
	defer p1.End()
	g0, g1 := make([]float32, p0.GradientSize()), make([]float32, p1.GradientSize())
	idx := r0.sequence(20)
	_, err = p0.Compute(g0, idx[:5], 10)
	require.NoError(t, err)
	_, err = p1.Compute(g1, idx[:5], 10)
	require.NoError(t, err)
	assert.NotEqual(t, g0, g1, "both replicas drew the same dropout mask")
	for b := 0; b < 20; b += 10 {
		l0, err := p0.Compute(g0, idx[b:b+5], 10)
		require.NoError(t, err)
		l1, err := p1.Compute(g1, idx[b+5:b+10], 10)
		require.NoError(t, err)
		for i := range g0 {
			g0[i] += g1[i]
		}
		_, err = p0.Apply(g0, l0+l1, 10)
		require.NoError(t, err)
		_, err = p1.Apply(g0, l0+l1, 10)
		require.NoError(t, err)
	}
	w0, w1 := r0.GetWeights(), r1.GetWeights()
	for i := range w0 {
		assert.Equal(t, w0[i].Data, w1[i].Data, "weight %d", i)
	}
}
