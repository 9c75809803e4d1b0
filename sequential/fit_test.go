package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// smallNet is Dense(16, relu) → Dropout → Dense(k) → softmax on d inputs.
func smallNet(t testing.TB, d, k int, rate float64, seed uint64) *Model {
	t.Helper()
	m, err := NewWithLayers("", seed,
		dense(t, 16, map[string]any{"activation": "relu", "input_dim": d}),
		dropout(t, rate),
		dense(t, k, nil),
		activation(t, "softmax"),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []any{"accuracy"}}))
	return m
}

func quiet() FitOptions {
	o := DefaultFitOptions()
	o.Verbose = 0
	return o
}

// TestValidationSplitTakesTheTail: validation_split holds out the LAST
// samples, before shuffling; their val_loss is what Evaluate gives on them.
func TestValidationSplitTakesTheTail(t *testing.T) {
	x, y := randomClasses(100, 8, 3, 1)
	m := smallNet(t, 8, 3, 0.5, 1)
	o := quiet()
	o.ValidationSplit = 0.2
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, 80, h.Params["samples"])
	assert.Equal(t, 3, h.Params["steps"])
	tail, err := m.Evaluate(x.Rows(80, 100), y.Rows(80, 100), EvaluateOptions{})
	require.NoError(t, err)
	assert.Equal(t, tail[0], h.History["val_loss"][0])
	assert.Equal(t, tail[1], h.History["val_accuracy"][0])
	head, err := m.Evaluate(x.Rows(0, 20), y.Rows(0, 20), EvaluateOptions{})
	require.NoError(t, err)
	assert.NotEqual(t, head[0], h.History["val_loss"][0])

	// Keras: split_at = floor(n·(1 − split)); nothing left on one side is an error.
	o.ValidationSplit = 0.5
	_, err = m.Fit(x.Rows(0, 1), y.Rows(0, 1), o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not sufficient to split")
}

// perSampleLosses returns each sample's loss, from batches of one.
func perSampleLosses(t *testing.T, m *Model, x, y *tensor.Tensor) []float64 {
	out := make([]float64, x.Shape[0])
	for i := range out {
		r, err := m.TestOnBatch(x.Rows(i, i+1), y.Rows(i, i+1), nil)
		require.NoError(t, err)
		out[i] = r[0]
	}
	return out
}

// TestSampleWeightLoss: Keras's loss with sample weights is Σ w_i·loss_i / n
// (reduction sum_over_batch_size), not divided by Σ w_i; metrics are not
// weighted.
func TestSampleWeightLoss(t *testing.T) {
	x, y := randomClasses(10, 8, 3, 2)
	m := smallNet(t, 8, 3, 0, 2)
	l := perSampleLosses(t, m, x, y)
	w := []float32{0, 1, 2, 3, 0.5, 1, 1, 4, 0, 2}
	var want, mean float64
	for i := range l {
		want += float64(w[i]) * l[i]
		mean += l[i]
	}
	want, mean = want/10, mean/10
	got, err := m.TestOnBatch(x, y, w)
	require.NoError(t, err)
	assert.InEpsilon(t, want, got[0], 1e-6)
	plain, err := m.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.InEpsilon(t, mean, plain[0], 1e-6)
	assert.Equal(t, plain[1], got[1], "accuracy is not weighted (Keras's metrics, not weighted_metrics)")

	// Evaluate weighs the same way, batch by batch.
	ev, err := m.Evaluate(x, y, EvaluateOptions{BatchSize: 3, SampleWeight: w})
	require.NoError(t, err)
	assert.InEpsilon(t, want, ev[0], 1e-6)
}

// TestClassWeightIsPerSampleWeight: class_weight gives each sample the
// weight of its class (times its sample_weight), for training only.
func TestClassWeightIsPerSampleWeight(t *testing.T) {
	x, y := randomClasses(60, 8, 3, 3)
	cw := map[int]float64{0: 1, 1: 3, 2: 0.5}
	sw := make([]float32, 60)
	both := make([]float32, 60)
	for i := range sw {
		sw[i] = float32(cw[tensor.ArgMax(y.Data[i*3:(i+1)*3])])
		both[i] = sw[i] * float32(1+i%2)
	}
	run := func(o FitOptions) (*History, *Model) {
		m := smallNet(t, 8, 3, 0.5, 3)
		h, err := m.Fit(x, y, o)
		require.NoError(t, err)
		return h, m
	}
	train := func(h *History) map[string][]float64 {
		return map[string][]float64{"loss": h.History["loss"], "accuracy": h.History["accuracy"]}
	}
	o := quiet()
	o.Epochs, o.ValidationSplit = 3, 0.25
	plain, _ := run(o)
	o.ClassWeight = cw
	withCW, m := run(o)
	o.ClassWeight, o.SampleWeight = nil, sw
	withSW, _ := run(o)
	assert.Equal(t, train(withSW), train(withCW))
	assert.NotEqual(t, plain.History["loss"], withCW.History["loss"])
	// Validation: sample weights are split with the data and weigh val_loss;
	// class weights are for training only.
	tail, err := m.Evaluate(x.Rows(45, 60), y.Rows(45, 60), EvaluateOptions{})
	require.NoError(t, err)
	assert.Equal(t, tail[0], withCW.History["val_loss"][2])
	assert.NotEqual(t, withSW.History["val_loss"], withCW.History["val_loss"])

	alt := make([]float32, 60)
	for i := range alt {
		alt[i] = float32(1 + i%2)
	}
	o.ClassWeight, o.SampleWeight = cw, alt
	cwTimesSW, _ := run(o)
	o.ClassWeight, o.SampleWeight = nil, both
	h, _ := run(o)
	assert.Equal(t, train(h), train(cwTimesSW))

	// Sparse labels pick the class from the label itself.
	labels := tensor.New(60, 1)
	for i := range labels.Data {
		labels.Data[i] = float32(tensor.ArgMax(y.Data[i*3 : (i+1)*3]))
	}
	m = smallNet(t, 8, 3, 0.5, 3)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "sparse_categorical_crossentropy", Metrics: []any{"accuracy"}}))
	o = quiet()
	o.Epochs, o.ValidationSplit, o.ClassWeight = 3, 0.25, cw
	h, err = m.Fit(x, labels, o)
	require.NoError(t, err)
	assert.InDeltaSlice(t, withCW.History["loss"], h.History["loss"], 1e-5)
}

// TestEpochLossIsBatchSizeWeightedMean: the epoch's loss is the mean of the
// batch losses weighted by batch size (Keras's loss tracker), so that a
// short last batch counts for its size: fit is train_on_batch over the
// batches in order.
func TestEpochLossIsBatchSizeWeightedMean(t *testing.T) {
	x, y := randomClasses(10, 8, 3, 4)
	a, b := smallNet(t, 8, 3, 0.5, 4), smallNet(t, 8, 3, 0.5, 4)
	o := quiet()
	o.BatchSize, o.Shuffle = 4, false
	h, err := a.Fit(x, y, o)
	require.NoError(t, err)
	var sum float64
	for _, r := range [][2]int{{0, 4}, {4, 8}, {8, 10}} {
		res, err := b.TrainOnBatch(x.Rows(r[0], r[1]), y.Rows(r[0], r[1]), nil)
		require.NoError(t, err)
		sum += res[0] * float64(r[1]-r[0])
	}
	assert.InDelta(t, sum/10, h.History["loss"][0], 1e-12)
	assert.Equal(t, a.GetWeights(), b.GetWeights())

	// Evaluate: a mean over samples, whatever the batch size.
	l := perSampleLosses(t, a, x, y)
	var mean float64
	for _, v := range l {
		mean += v / 10
	}
	for _, bs := range []int{3, 4, 10} {
		r, err := a.Evaluate(x, y, EvaluateOptions{BatchSize: bs})
		require.NoError(t, err)
		assert.InEpsilon(t, mean, r[0], 1e-6, "batch_size %d", bs)
	}
}

// TestDeterminism: one seed, one run — the same History to the last bit, with
// dropout, shuffling and validation; another seed, another run.
func TestDeterminism(t *testing.T) {
	x, y := randomClasses(200, 8, 3, 5)
	run := func(seed uint64) (*History, []*tensor.Tensor) {
		m := smallNet(t, 8, 3, 0.5, seed)
		o := quiet()
		o.Epochs, o.ValidationSplit, o.BatchSize = 4, 0.2, 16
		h, err := m.Fit(x, y, o)
		require.NoError(t, err)
		return h, m.GetWeights()
	}
	h1, w1 := run(11)
	h2, w2 := run(11)
	assert.Equal(t, h1.History, h2.History)
	assert.Equal(t, w1, w2)
	h3, _ := run(12)
	assert.NotEqual(t, h1.History["loss"], h3.History["loss"])
}

// TestDropoutOnlyInTraining: predictions and evaluations are deterministic;
// the training forward pass (dropout on) gives another loss on the same
// weights.
func TestDropoutOnlyInTraining(t *testing.T) {
	x, y := randomClasses(32, 8, 3, 6)
	m := smallNet(t, 8, 3, 0.9, 6)
	p1, err := m.Predict(x, 0)
	require.NoError(t, err)
	p2, err := m.Predict(x, 7)
	require.NoError(t, err)
	assert.Equal(t, p1, p2)
	test, err := m.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	ev, err := m.Evaluate(x, y, EvaluateOptions{})
	require.NoError(t, err)
	assert.Equal(t, test[0], ev[0])
	train, err := m.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.NotEqual(t, test[0], train[0])
	pb, err := m.PredictOnBatch(x)
	require.NoError(t, err)
	p3, err := m.Predict(x, 0)
	require.NoError(t, err)
	assert.Equal(t, p3, pb)
}

// TestStopTraining: stop_training is checked after each batch and each epoch.
func TestStopTraining(t *testing.T) {
	x, y := randomClasses(100, 8, 3, 7)
	m := smallNet(t, 8, 3, 0, 7)
	batches := 0
	cb := &LambdaCallback{
		BatchBegin: func(int, Logs) error { batches++; return nil },
		BatchEnd: func(b int, _ Logs) error {
			if b == 1 {
				m.SetStopTraining(true)
			}
			return nil
		},
	}
	o := quiet()
	o.Epochs, o.BatchSize, o.Callbacks = 5, 10, []Callback{cb}
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, 2, batches)
	assert.Equal(t, []int{0}, h.Epoch)

	cb = &LambdaCallback{EpochEnd: func(e int, _ Logs) error {
		if e == 2 {
			m.SetStopTraining(true)
		}
		return nil
	}}
	o.Callbacks = []Callback{cb}
	h, err = m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 2}, h.Epoch, "fit clears stop_training when it starts")
}

// TestRegularizationAddsToLoss: an L2 kernel regularizer adds
// l2·Σ kernel² to the loss (training and evaluation alike).
func TestRegularizationAddsToLoss(t *testing.T) {
	x, y := randomClasses(16, 8, 3, 8)
	mk := func(reg any) *Model {
		m, err := NewWithLayers("", 8,
			dense(t, 16, map[string]any{"activation": "relu", "input_dim": 8, "kernel_regularizer": reg}),
			dense(t, 3, map[string]any{"activation": "softmax"}),
		)
		require.NoError(t, err)
		require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "categorical_crossentropy"}))
		return m
	}
	with, without := mk(map[string]any{"class_name": "L2", "config": map[string]any{"l2": 0.05}}), mk(nil)
	require.NoError(t, without.SetWeights(with.GetWeights()))
	var penalty float64
	for _, v := range with.GetWeights()[0].Data {
		penalty += 0.05 * float64(v) * float64(v)
	}
	a, err := with.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	b, err := without.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.InEpsilon(t, penalty, a[0]-b[0], 1e-5)
	// And its gradient pulls the kernel towards 0 beyond the data's pull.
	_, err = with.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	_, err = without.TrainOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.Less(t, sumSquares(with.GetWeights()[0].Data), sumSquares(without.GetWeights()[0].Data))
}

func sumSquares(v []float32) float64 {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}

// TestConstraintsAfterUpdate: a non_neg kernel constraint holds after every
// update.
func TestConstraintsAfterUpdate(t *testing.T) {
	x, y := randomClasses(64, 8, 3, 9)
	m, err := NewWithLayers("", 9,
		dense(t, 16, map[string]any{"activation": "relu", "input_dim": 8, "kernel_constraint": "non_neg"}),
		dense(t, 3, map[string]any{"activation": "softmax"}),
	)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: map[string]any{"class_name": "SGD", "config": map[string]any{"learning_rate": 0.5}}, Loss: "categorical_crossentropy"}))
	_, err = m.Fit(x, y, quiet())
	require.NoError(t, err)
	k := m.GetWeights()[0].Data
	for _, v := range k {
		require.GreaterOrEqual(t, v, float32(0))
	}
	neg := 0
	for _, v := range m.GetWeights()[2].Data {
		if v < 0 {
			neg++
		}
	}
	assert.Positive(t, neg, "the unconstrained kernel has negative values")
}
