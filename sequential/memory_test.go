package sequential

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// requireMemoryError checks that err is a *MemoryError of op (not a
// recovered panic) whose message says how much, the limit and the fix, and
// returns it.
func requireMemoryError(t *testing.T, err error, op string, contains ...string) *MemoryError {
	t.Helper()
	require.Error(t, err)
	var me *MemoryError
	require.ErrorAs(t, err, &me, "%v", err)
	assert.Equal(t, op, me.Op)
	assert.Greater(t, me.Need+me.InUse, float64(me.Limit))
	assert.Equal(t, "ResourceExhaustedError", nn.ErrorClass(err))
	for _, s := range append([]string{"GiB", "memory limit of 2.0 GiB", "keras.config.set_memory_limit(bytes)"}, contains...) {
		assert.Contains(t, err.Error(), s)
	}
	assert.NotContains(t, err.Error(), "SetMemoryLimit", "no Go names")
	return me
}

// TestMemoryLimitRefusesHugeWeights: a Dense(1<<28) layer on 4 inputs would
// hold 5·2^28 weights and as many gradients, 10 GiB: Add (which builds it
// when the input shape is known), Build and the first predict refuse it before
// allocating anything, and the model stays usable.
func TestMemoryLimitRefusesHugeWeights(t *testing.T) {
	huge := func() nn.Layer { return dense(t, 1<<28, nil) }
	m, err := NewWithLayers("", 1, dense(t, 4, map[string]any{"input_dim": 3}))
	require.NoError(t, err)
	err = m.Add(huge())
	me := requireMemoryError(t, err, "build", `layer "dense_1" (Dense) has 1342177280 weights`, "10.0 GiB", "smaller model")
	assert.Equal(t, float64(10<<30), me.Need, "the new layer's weights and gradients")
	assert.Equal(t, float64(2*4*(3*4+4)), me.InUse, "the first layer's")
	assert.Len(t, m.Layers(), 1, "the refused layer is not added")
	assert.NotContains(t, err.Error(), "dispose", "no other model holds memory")

	lazy := New("", 1)
	require.NoError(t, lazy.Add(huge()))
	requireMemoryError(t, lazy.Build(tensor.Shape{-1, 4}), "build")
	_, err = lazy.Predict(tensor.New(2, 4), 0)
	requireMemoryError(t, err, "build")
	assert.False(t, lazy.Built())

	require.NoError(t, m.Add(dense(t, 2, nil)), "a model that refused a layer takes another")
}

// imageModel is a Conv2D(2048, relu) on 32×32×4 images, whose output (relu
// over the pre-activation) is 8 MiB per sample, 8 MiB more for dx of the next,
// then a Conv2D(2) back to a small output.
func imageModel(t *testing.T) (*Model, *tensor.Tensor, *tensor.Tensor) {
	t.Helper()
	conv, err := nn.NewConv2D(2048, []int{3, 3}, map[string]any{"padding": "same", "activation": "relu", "input_shape": []int{32, 32, 4}})
	require.NoError(t, err)
	out, err := nn.NewConv2D(2, []int{3, 3}, map[string]any{"padding": "same"})
	require.NoError(t, err)
	m, err := NewWithLayers("", 1, conv, out)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	return m, tensor.New(256, 32, 32, 4), tensor.New(256, 32, 32, 2)
}

// TestMemoryLimitRefusesHugeBatches: batches whose activations would not
// fit are refused by fit, evaluate, predict and the on-batch calls, with the
// largest batch_size that fits, which does fit; the model stays usable.
func TestMemoryLimitRefusesHugeBatches(t *testing.T) {
	m, x, y := imageModel(t)
	_, err := m.Fit(x, y, FitOptions{BatchSize: 256})
	me := requireMemoryError(t, err, "fit", `layer "conv2d" (Conv2D)`, "a batch of 256", "smaller batch_size (")
	assert.Greater(t, me.Need, float64(4<<30), "the activation and its gradients, 16 MiB per sample")
	_, err = m.Evaluate(x, y, EvaluateOptions{BatchSize: 256})
	requireMemoryError(t, err, "evaluate", "smaller batch_size (")
	_, err = m.Predict(x, 256)
	requireMemoryError(t, err, "predict", "smaller batch_size (")
	_, err = m.PredictOnBatch(x)
	requireMemoryError(t, err, "predict_on_batch")
	_, err = m.TrainOnBatch(x, y, nil)
	requireMemoryError(t, err, "train_on_batch")
	_, err = m.TestOnBatch(x, y, nil)
	requireMemoryError(t, err, "test_on_batch")

	// The batch size the error proposes is the largest that fits.
	var fits int
	_, err = fmt.Sscanf(me.Fix, "use a smaller batch_size (%d or less fits)", &fits)
	require.NoError(t, err, me.Fix)
	f, err := m.flowFor("fit", x.Shape)
	require.NoError(t, err)
	_, err = m.checkRunMemory("fit", f, fits+1, true, 0)
	assert.Error(t, err)
	_, err = m.checkRunMemory("fit", f, fits, true, 0)
	assert.NoError(t, err)
	h, err := m.Fit(x.Rows(0, 4), y.Rows(0, 4), FitOptions{Epochs: 1, BatchSize: 2})
	require.NoError(t, err, "small batches train")
	assert.Len(t, h.History["loss"], 1)
}

// TestSetMemoryLimit: the limit is the model's setting; a lower one refuses
// a small model's batch, a higher one lets a refused batch through the
// check, and a non-positive one is refused.
func TestSetMemoryLimit(t *testing.T) {
	m, err := NewWithLayers("", 1, dense(t, 64, map[string]any{"input_dim": 32}))
	require.NoError(t, err)
	assert.Equal(t, DefaultMemoryLimit, m.MemoryLimit())
	for _, bad := range []int64{0, -1} {
		err := m.SetMemoryLimit(bad)
		require.Error(t, err)
		assert.Contains(t, err.Error(), fmt.Sprintf("Received: bytes=%d", bad))
	}
	require.NoError(t, m.SetMemoryLimit(64<<10))
	assert.Equal(t, int64(64<<10), m.MemoryLimit())
	_, err = m.Predict(tensor.New(100, 32), 100)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "memory limit of 64.0 KiB")

	big, x, _ := imageModel(t)
	f, err := big.flowFor("predict", x.Shape)
	require.NoError(t, err)
	_, err = big.checkRunMemory("predict", f, 256, false, 0)
	require.Error(t, err)
	require.NoError(t, big.SetMemoryLimit(16<<30))
	_, err = big.checkRunMemory("predict", f, 256, false, 0)
	assert.NoError(t, err)
}

// TestMemoryEstimateBoundsTheHeap: the estimate of a fit is above what the
// model really keeps after training (weights, gradients, optimizer state
// and every layer's buffers) and within a small factor of it, so the limit
// means what it says.
func TestMemoryEstimateBoundsTheHeap(t *testing.T) {
	x, y := randomImages(64, 16, 16, 1)
	heap := func() uint64 {
		runtime.GC()
		var s runtime.MemStats
		runtime.ReadMemStats(&s)
		return s.HeapAlloc
	}
	before := heap()
	m := studyNoteCNN(t, 16, 16, 1)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy"}))
	_, err := m.Fit(x, y, FitOptions{Epochs: 1, BatchSize: 64})
	require.NoError(t, err)
	kept := float64(heap() - before)
	f, err := m.flowFor("fit", x.Shape)
	require.NoError(t, err)
	e := m.estimateRun(f, true)
	est := e.fixed + 64*e.perSample
	t.Logf("estimate %s, kept %s", formatBytes(est), formatBytes(kept))
	assert.Greater(t, est, kept)
	assert.Less(t, est, 4*kept)
	runtime.KeepAlive(m)
}
