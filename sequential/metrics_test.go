package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// TestAccuracyResolution: 'accuracy'/'acc' become binary, categorical or
// sparse categorical accuracy from the shapes of the first batch, and are
// logged under the name written.
func TestAccuracyResolution(t *testing.T) {
	x, y := randomClasses(60, 8, 3, 1)
	labels := tensor.New(60)
	for i := range labels.Data {
		labels.Data[i] = float32(tensor.ArgMax(y.Data[i*3 : (i+1)*3]))
	}
	run := func(loss string, yy *tensor.Tensor, metric string) *History {
		m := smallNet(t, 8, 3, 0, 1)
		require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: loss, Metrics: []any{metric}}))
		h, err := m.Fit(x, yy, quiet())
		require.NoError(t, err)
		return h
	}
	cat := run("categorical_crossentropy", y, "accuracy")
	sparse := run("sparse_categorical_crossentropy", labels, "acc")
	require.Contains(t, sparse.History, "acc")
	assert.Equal(t, cat.History["accuracy"], sparse.History["acc"])
	assert.InDeltaSlice(t, cat.History["loss"], sparse.History["loss"], 1e-6)

	// binary: one output unit.
	xb, yb := randomData(64, 4, 2)
	m, err := NewWithLayers("", 1, dense(t, 1, map[string]any{"input_dim": 4, "activation": "sigmoid"}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "binary_crossentropy", Metrics: []any{"accuracy", "ce"}}))
	res, err := m.Evaluate(xb, yb, EvaluateOptions{})
	require.NoError(t, err)
	p, err := m.Predict(xb, 0)
	require.NoError(t, err)
	var right float64
	for i, v := range p.Data {
		if (v > 0.5) == (yb.Data[i] == 1) {
			right++
		}
	}
	assert.InDelta(t, right/64, res[1], 1e-12)
	assert.InDelta(t, res[0], res[2], 1e-6, "'ce' is binary crossentropy here")
}

// TestMetricsByConfigAndObject: metrics given as configs or objects are
// logged under their names; an object is the model's own (Keras shares it).
func TestMetricsByConfigAndObject(t *testing.T) {
	x, y := randomClasses(40, 8, 3, 1)
	obj, err := nn.GetMetric("categorical_accuracy")
	require.NoError(t, err)
	m := smallNet(t, 8, 3, 0, 1)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy", Metrics: []any{
		map[string]any{"class_name": "TopKCategoricalAccuracy", "config": map[string]any{"k": 2, "name": "top2"}},
		obj,
		nn.Config{ClassName: "MeanSquaredError"},
	}}))
	assert.Equal(t, []string{"loss", "top2", "categorical_accuracy", "mean_squared_error"}, m.MetricsNames())
	h, err := m.Fit(x, y, quiet())
	require.NoError(t, err)
	assert.Equal(t, obj.Result(), h.History["categorical_accuracy"][0])
}

// TestWeightedMetrics: weighted_metrics see the sample weights; metrics do not.
func TestWeightedMetrics(t *testing.T) {
	x, y := randomClasses(40, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy",
		Metrics: []any{"accuracy"}, WeightedMetrics: []any{"accuracy"}}))
	w := make([]float32, 40)
	w[0] = 1
	res, err := m.Evaluate(x, y, EvaluateOptions{SampleWeight: w})
	require.NoError(t, err)
	one, err := m.Evaluate(x.Rows(0, 1), y.Rows(0, 1), EvaluateOptions{})
	require.NoError(t, err)
	assert.Equal(t, one[1], res[2], "weighted accuracy counts only the weighted sample")
	plain, err := m.Evaluate(x, y, EvaluateOptions{})
	require.NoError(t, err)
	assert.Equal(t, plain[1], res[1])
}

// TestActivityRegularization: an activity regularizer adds its penalty on the
// layer's output, divided by the batch size (Keras 2), to the loss.
func TestActivityRegularization(t *testing.T) {
	x, y := randomClasses(16, 8, 3, 1)
	mk := func(reg any) *Model {
		m, err := NewWithLayers("", 1,
			dense(t, 5, map[string]any{"input_dim": 8, "activity_regularizer": reg}),
			dense(t, 3, map[string]any{"activation": "softmax"}))
		require.NoError(t, err)
		require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy"}))
		return m
	}
	with, without := mk(map[string]any{"class_name": "L1", "config": map[string]any{"l1": 0.1}}), mk(nil)
	require.NoError(t, without.SetWeights(with.GetWeights()))
	h, err := NewWithLayers("", 1, dense(t, 5, map[string]any{"input_dim": 8}))
	require.NoError(t, err)
	require.NoError(t, h.SetWeights(with.GetWeights()[:2]))
	out, err := h.Predict(x, 0)
	require.NoError(t, err)
	var penalty float64
	for _, v := range out.Data {
		if v < 0 {
			v = -v
		}
		penalty += 0.1 * float64(v)
	}
	a, err := with.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	b, err := without.TestOnBatch(x, y, nil)
	require.NoError(t, err)
	assert.InEpsilon(t, penalty/16, a[0]-b[0], 1e-5)
}

// TestFusedSigmoidBinaryCrossentropy: Activation('sigmoid') with
// binary_crossentropy is computed from the logits too.
func TestFusedSigmoidBinaryCrossentropy(t *testing.T) {
	m, err := NewWithLayers("", 1, dense(t, 1, map[string]any{"input_dim": 1, "use_bias": false}), activation(t, "sigmoid"))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "binary_crossentropy", Optimizer: "sgd"}))
	require.NoError(t, m.SetWeights([]*tensor.Tensor{tensor.FromSlice([]float32{200}, 1, 1)}))
	r, err := m.TestOnBatch(tensor.FromSlice([]float32{1}, 1, 1), tensor.FromSlice([]float32{0}, 1, 1), nil)
	require.NoError(t, err)
	assert.InDelta(t, 200, r[0], 1e-3, "log(1 + e^200), not the clipped 15.9")
}

// TestPredictCallbacks: predict calls the predict hooks, batch by batch.
func TestPredictCallbacks(t *testing.T) {
	m := mlp(t, 1)
	var events []string
	cb := &LambdaCallback{
		PredictBegin:      func(Logs) error { events = append(events, "begin"); return nil },
		PredictBatchBegin: func(b int, l Logs) error { events = append(events, "batch"); return nil },
		PredictEnd:        func(Logs) error { events = append(events, "end"); return nil },
	}
	p, err := m.PredictWith(tensor.New(70, 784), PredictOptions{BatchSize: 32, Callbacks: []Callback{cb}})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{70, 10}, p.Shape)
	assert.Equal(t, []string{"begin", "batch", "batch", "batch", "end"}, events)
	p, err = m.PredictWith(tensor.New(70, 784), PredictOptions{BatchSize: 32, Steps: 2})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{64, 10}, p.Shape)
}

// TestValidationData: validation_data (with its sample weights) takes the
// place of validation_split.
func TestValidationData(t *testing.T) {
	x, y := randomClasses(40, 8, 3, 1)
	xv, yv := randomClasses(10, 8, 3, 2)
	wv := []float32{1, 2, 0, 1, 1, 3, 1, 1, 0, 1}
	m := smallNet(t, 8, 3, 0, 1)
	o := quiet()
	o.ValidationX, o.ValidationY, o.ValidationSampleWeight, o.ValidationSplit = xv, yv, wv, 0.5
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Equal(t, 40, h.Params["samples"], "validation_data wins over validation_split")
	ev, err := m.Evaluate(xv, yv, EvaluateOptions{SampleWeight: wv})
	require.NoError(t, err)
	assert.Equal(t, ev[0], h.History["val_loss"][0])
}

// TestAccuracyResolvedAgainAfterAdd: a layer added after compile changes the
// output, and 'accuracy' is resolved again for it (binary here, after
// categorical).
func TestAccuracyResolvedAgainAfterAdd(t *testing.T) {
	x, y := randomData(32, 4, 1)
	m, err := NewWithLayers("", 1, dense(t, 3, map[string]any{"input_dim": 4, "activation": "softmax"}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "mse", Metrics: []any{"accuracy"}}))
	_, err = m.Evaluate(x, oneHot(make([]int, 32), 3), EvaluateOptions{})
	require.NoError(t, err)
	require.NoError(t, m.Add(dense(t, 1, map[string]any{"activation": "sigmoid"})))
	res, err := m.Evaluate(x, y, EvaluateOptions{})
	require.NoError(t, err)
	p, err := m.Predict(x, 0)
	require.NoError(t, err)
	var right float64
	for i, v := range p.Data {
		if (v > 0.5) == (y.Data[i] == 1) {
			right++
		}
	}
	assert.Equal(t, right/32, res[1])
}

// TestMeanPredIsMeanOfBatchMeans: the study note's mean_pred
// (testdata/studynote/keras_sequential_note.md, lines 105–106) returns
// K.mean(y_pred), one value per batch, which Keras's MeanMetricWrapper
// counts once per batch: the result is the mean of the batch means, a short
// last batch counting as much as a full one.
func TestMeanPredIsMeanOfBatchMeans(t *testing.T) {
	x, y := randomData(10, 4, 1)
	m, err := NewWithLayers("", 1, dense(t, 1, map[string]any{"input_dim": 4, "activation": "sigmoid"}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Loss: "binary_crossentropy", Metrics: []any{meanPred}}))
	p, err := m.Predict(x, 0)
	require.NoError(t, err)
	var want float64
	for _, b := range [][2]int{{0, 3}, {3, 6}, {6, 9}, {9, 10}} {
		var s float64
		for _, v := range p.Data[b[0]:b[1]] {
			s += float64(v)
		}
		want += s / float64(b[1]-b[0]) / 4
	}
	res, err := m.Evaluate(x, y, EvaluateOptions{BatchSize: 3})
	require.NoError(t, err)
	assert.InDelta(t, want, res[1], 1e-6)
}
