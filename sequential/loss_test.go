package sequential

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// TestFusedSoftmaxCrossentropy: a final Activation('softmax') with
// categorical crossentropy is computed from the logits, as tf.keras does:
// a confident wrong answer gives its true loss (about 2000 here), not the
// clipped −log(1e-7) ≈ 16.1, and a gradient that moves the weights;
// predictions stay probabilities.
func TestFusedSoftmaxCrossentropy(t *testing.T) {
	m, err := NewWithLayers("", 1,
		dense(t, 3, map[string]any{"input_dim": 2, "use_bias": false}),
		activation(t, "softmax"),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	k := tensor.FromSlice([]float32{1000, -1000, 0, 0, 0, 0}, 2, 3)
	require.NoError(t, m.SetWeights([]*tensor.Tensor{k}))
	x := tensor.FromSlice([]float32{1, 0}, 1, 2)
	y := tensor.FromSlice([]float32{0, 1, 0}, 1, 3)
	r, err := m.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.InDelta(t, 2000, r[0], 1e-3)
	p, err := m.Predict(x, 0)
	require.NoError(t, err)
	assert.Equal(t, []float32{1, 0, 0}, p.Data)
	_, err = m.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	// SGD(0.01): the gradient (softmax − y)·x moves row 0 by (−0.01, +0.01, 0).
	assert.InDeltaSlice(t, []float32{999.99, -999.99, 0, 0, 0, 0}, m.GetWeights()[0].Data, 1e-3)

	// With moderate logits, the fused path and Dense(activation='softmax')
	// (probabilities, then the loss) agree.
	xs, ys := randomClasses(16, 2, 3, 1)
	fused, err := NewWithLayers("", 2, dense(t, 3, map[string]any{"input_dim": 2}), activation(t, "softmax"))
	require.NoError(t, err)
	plain, err := NewWithLayers("", 2, dense(t, 3, map[string]any{"input_dim": 2, "activation": "softmax"}))
	require.NoError(t, err)
	for _, mm := range []*Model{fused, plain} {
		require.NoError(t, mm.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
	}
	require.NoError(t, plain.SetWeights(fused.GetWeights()))
	a, err := fused.TrainOnBatch(xs, ys, nil)
	require.NoError(t, err)
	b, err := plain.TrainOnBatch(xs, ys, nil)
	require.NoError(t, err)
	assert.InEpsilon(t, b[0], a[0], 1e-5)
	for i, w := range fused.GetWeights() {
		assert.InDeltaSlice(t, plain.GetWeights()[i].Data, w.Data, 1e-6)
	}
}

// TestLossFunc: a user loss with and without its gradient trains like the
// built-in mse.
func TestLossFunc(t *testing.T) {
	x, y := randomData(32, 4, 3)
	mse := func(yTrue, yPred *tensor.Tensor) ([]float32, error) {
		out := make([]float32, yTrue.Shape[0])
		for i := range out {
			d := yTrue.Data[i] - yPred.Data[i]
			out[i] = d * d
		}
		return out, nil
	}
	mk := func(loss any) *Model {
		m, err := NewWithLayers("", 3, dense(t, 1, map[string]any{"input_dim": 4}))
		require.NoError(t, err)
		require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: loss}))
		return m
	}
	ref := mk("mse")
	numeric := mk(LossFunc{Name: "my_mse", Fn: mse})
	analytic := mk(LossFunc{Name: "my_mse", Fn: mse, Grad: func(d, yTrue, yPred *tensor.Tensor) error {
		for i := range d.Data {
			d.Data[i] = 2 * (yPred.Data[i] - yTrue.Data[i])
		}
		return nil
	}})
	want, err := ref.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	for _, m := range []*Model{numeric, analytic} {
		got, err := m.TrainOnBatch(x, y, nil)
		require.NoError(t, err)
		assert.InEpsilon(t, want[0], got[0], 1e-6)
		for i, w := range m.GetWeights() {
			assert.InDeltaSlice(t, ref.GetWeights()[i].Data, w.Data, 1e-5)
		}
	}
	bad := mk(LossFunc{Name: "bad", Fn: func(_, _ *tensor.Tensor) ([]float32, error) { return []float32{1}, nil }})
	_, err = bad.TrainOnBatch(x, y, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "1 values for a batch of 32")
}

func TestNaNLossIsReported(t *testing.T) {
	x, y := randomData(8, 4, 3)
	m, err := NewWithLayers("", 3, dense(t, 1, map[string]any{"input_dim": 4}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	w := m.GetWeights()
	w[0].Data[0] = float32(math.Inf(1))
	require.NoError(t, m.SetWeights(w))
	r, err := m.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.True(t, math.IsNaN(r[0]) || math.IsInf(r[0], 0))
}
