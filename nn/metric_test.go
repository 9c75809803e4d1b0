package nn

import (
	"errors"
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// metricTol is the tolerance on metric results worked by hand.
const metricTol = 1e-6

func mustMetric(t *testing.T, v any) Metric {
	t.Helper()
	m, err := GetMetric(v)
	require.NoError(t, err)
	return m
}

func metricCfg(class string, m map[string]any) map[string]any {
	return map[string]any{"class_name": class, "config": m}
}

// TestMetricValues checks metrics on small batches against numbers worked
// from Keras's formulas (most are the examples in tf.keras's docstrings),
// without and with sample weights: Σ w_i·v_i / Σ w_i.
func TestMetricValues(t *testing.T) {
	tests := []struct {
		name     string
		metric   any
		yTrue    *tensor.Tensor
		yPred    *tensor.Tensor
		weights  []float32
		want     float64
		wantWtd  float64
		wantName string
	}{
		// [1 == (0.98 > 0.5), 1, 1, 0 == (0.6 > 0.5)] = [1, 1, 1, 0]: 0.75; weights [1, 0, 0, 1]: 0.5.
		{"BinaryAccuracy", "BinaryAccuracy", lossT([]float32{1, 1, 0, 0}, 4, 1), lossT([]float32{0.98, 1, 0, 0.6}, 4, 1),
			[]float32{1, 0, 0, 1}, 0.75, 0.5, "binary_accuracy"},
		// threshold 0.7: 0.6 is now 0: [1, 1, 1, 1].
		{"binary_accuracy threshold", metricCfg("BinaryAccuracy", map[string]any{"threshold": 0.7}), lossT([]float32{1, 1, 0, 0}, 4, 1),
			lossT([]float32{0.98, 1, 0, 0.6}, 4, 1), []float32{1, 0, 0, 1}, 1, 1, "binary_accuracy"},
		// argmax [2, 1] vs [1, 1]: [0, 1]; weights [0.7, 0.3]: 0.3.
		{"categorical_accuracy", "categorical_accuracy", lossT([]float32{0, 0, 1, 0, 1, 0}, 2, 3),
			lossT([]float32{0.1, 0.9, 0.8, 0.05, 0.95, 0}, 2, 3), []float32{0.7, 0.3}, 0.5, 0.3, "categorical_accuracy"},
		{"sparse_categorical_accuracy", "sparse_categorical_accuracy", lossT([]float32{2, 1}, 2, 1),
			lossT([]float32{0.1, 0.9, 0.8, 0.05, 0.95, 0}, 2, 3), []float32{0.7, 0.3}, 0.5, 0.3, "sparse_categorical_accuracy"},
		// k=1 is argmax; k=2: class 2 (0.8) is second in row 0: [1, 1].
		{"top_k k=1", metricCfg("TopKCategoricalAccuracy", map[string]any{"k": 1.0}), lossT([]float32{0, 0, 1, 0, 1, 0}, 2, 3),
			lossT([]float32{0.1, 0.9, 0.8, 0.05, 0.95, 0}, 2, 3), []float32{0.7, 0.3}, 0.5, 0.3, "top_k_categorical_accuracy"},
		{"top_k k=2", metricCfg("TopKCategoricalAccuracy", map[string]any{"k": 2.0}), lossT([]float32{0, 0, 1, 0, 1, 0}, 2, 3),
			lossT([]float32{0.1, 0.9, 0.8, 0.05, 0.95, 0}, 2, 3), nil, 1, 1, "top_k_categorical_accuracy"},
		{"sparse_top_k k=1", metricCfg("SparseTopKCategoricalAccuracy", map[string]any{"k": 1.0}), lossT([]float32{2, 1}, 2),
			lossT([]float32{0.1, 0.9, 0.8, 0.05, 0.95, 0}, 2, 3), []float32{0.7, 0.3}, 0.5, 0.3, "sparse_top_k_categorical_accuracy"},
		// in_top_k counts ties at the boundary in: class 1 ties class 0 for first, so it is in the top 1.
		{"sparse_top_k ties", metricCfg("SparseTopKCategoricalAccuracy", map[string]any{"k": 1.0}), lossT([]float32{1}, 1),
			lossT([]float32{0.5, 0.5, 0.1}, 1, 3), nil, 1, 1, "sparse_top_k_categorical_accuracy"},
		// Keras's accuracy function is equality: [0 ≠ 1, 2, 3, 4] → 0.75.
		{"accuracy function", "accuracy", lossT([]float32{1, 2, 3, 4}, 4, 1), lossT([]float32{0, 2, 3, 4}, 4, 1),
			[]float32{1, 0, 0, 0}, 0.75, 0, "accuracy"},
		// mean((p − t)²) per row [0.5, 0]: 0.25; weights [1, 0]: 0.5.
		{"mse", "mse", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{1, 1, 0, 0}, 2, 2), []float32{1, 0}, 0.25, 0.5, "mse"},
		// log(cosh(1))/2 per row 0, 0 for row 1.
		{"LogCoshError", "LogCoshError", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{1, 1, 0, 0}, 2, 2),
			[]float32{1, 0}, math.Log(math.Cosh(1)) / 4, math.Log(math.Cosh(1)) / 2, "logcosh"},
		// hinge rows [mean(1.6, 0.6), mean(1.4, 1.6)] = [1.1, 1.5].
		{"hinge", "hinge", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{0.6, 0.4, 0.4, 0.6}, 2, 2), []float32{1, 0}, 1.3, 1.1, "hinge"},
		// categorical hinge rows [0.6 − 0.4 + 1, 0.6 − 0 + 1] = [1.2, 1.6].
		{"categorical_hinge", "CategoricalHinge", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{0.6, 0.4, 0.4, 0.6}, 2, 2),
			[]float32{1, 0}, 1.4, 1.2, "categorical_hinge"},
		// rows [ln(1/0.4) + ε·ln(ε/0.6), ε·ln(ε/0.4) + ε·ln(ε/0.6)]: Keras's 0.45814306 and 0.9162892.
		{"KLDivergence", "KLDivergence", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{0.6, 0.4, 0.4, 0.6}, 2, 2),
			[]float32{1, 0}, (math.Log(2.5) + eps*math.Log(eps/0.6) + eps*math.Log(eps/0.4) + eps*math.Log(eps/0.6)) / 2,
			math.Log(2.5) + eps*math.Log(eps/0.6), "kullback_leibler_divergence"},
		// Keras's docstring: 0.81492424 and 0.9162905 (binary crossentropy of the same rows).
		{"BinaryCrossentropy", "BinaryCrossentropy", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{0.6, 0.4, 0.4, 0.6}, 2, 2),
			[]float32{1, 0}, 0.81492424, 0.9162905, "binary_crossentropy"},
		// Keras's docstring: [−ln 0.95, −ln 0.1] → 1.1769392; weights [0.3, 0.7] → 1.6271976.
		{"CategoricalCrossentropy", "CategoricalCrossentropy", lossT([]float32{0, 1, 0, 0, 0, 1}, 2, 3),
			lossT([]float32{0.05, 0.95, 0, 0.1, 0.8, 0.1}, 2, 3), []float32{0.3, 0.7}, 1.1769392, 1.6271976, "categorical_crossentropy"},
		{"SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy", lossT([]float32{1, 2}, 2),
			lossT([]float32{0.05, 0.95, 0, 0.1, 0.8, 0.1}, 2, 3), []float32{0.3, 0.7}, 1.1769392, 1.6271976, "sparse_categorical_crossentropy"},
		// The metric is +cos: rows [0, 1]; weights [0.3, 0.7] → 0.7.
		{"CosineSimilarity", "CosineSimilarity", lossT([]float32{0, 1, 1, 1}, 2, 2), lossT([]float32{1, 0, 1, 1}, 2, 2),
			[]float32{0.3, 0.7}, 0.5, 0.7, "cosine_similarity"},
		// Keras's docstring: rows [mean(1, 1 − ln(1+ε)), 0] → 0.49999997; weights [1, 0] → 0.99999994.
		{"Poisson", "Poisson", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{1, 1, 0, 0}, 2, 2), []float32{1, 0},
			(2 - math.Log(1+eps)) / 4, (2 - math.Log(1+eps)) / 2, "poisson"},
		// huber rows [mean(0.5·0.25, 2 − 0.5), 0].
		{"huber", "huber", lossT([]float32{0, 0, 0, 0}, 2, 2), lossT([]float32{0.5, 2, 0, 0}, 2, 2), []float32{1, 0},
			(0.125 + 1.5) / 4, (0.125 + 1.5) / 2, "huber"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustMetric(t, tc.metric)
			assert.Equal(t, tc.wantName, m.Name())
			require.NoError(t, m.Update(tc.yTrue, tc.yPred, nil))
			assert.InDelta(t, tc.want, m.Result(), metricTol)
			m.Reset()
			assert.Equal(t, 0.0, m.Result(), "reset")
			require.NoError(t, m.Update(tc.yTrue, tc.yPred, tc.weights))
			assert.InDelta(t, tc.wantWtd, m.Result(), metricTol, "weighted")
		})
	}
}

// randomMetricBatch makes n samples for a metric of the given kind.
func randomMetricBatch(rng *tensor.RNG, kind string, n, classes int) (yTrue, yPred *tensor.Tensor) {
	yPred = tensor.New(n, classes)
	rng.Uniform(yPred.Data, 0, 1)
	switch kind {
	case "sparse":
		yTrue = tensor.New(n)
		for i := range yTrue.Data {
			yTrue.Data[i] = float32(rng.IntN(classes))
		}
	case "onehot":
		yTrue = tensor.New(n, classes)
		for i := 0; i < n; i++ {
			yTrue.Data[i*classes+rng.IntN(classes)] = 1
		}
	default: // binary labels in {0, 1}
		yTrue = tensor.New(n, classes)
		for i := range yTrue.Data {
			yTrue.Data[i] = float32(rng.IntN(2))
		}
	}
	return yTrue, yPred
}

// TestMetricAccumulation checks that updating batch by batch gives the
// metric of the concatenated data (Keras's state is sums, not batch means),
// with and without sample weights, and that Reset starts afresh.
func TestMetricAccumulation(t *testing.T) {
	tests := []struct {
		metric  any
		kind    string
		classes int
	}{
		{"binary_accuracy", "binary", 1}, {"categorical_accuracy", "onehot", 4}, {"sparse_categorical_accuracy", "sparse", 4},
		{"top_k_categorical_accuracy", "onehot", 7}, {"sparse_top_k_categorical_accuracy", "sparse", 7},
		{"mse", "binary", 3}, {"mae", "binary", 3}, {"binary_crossentropy", "binary", 2}, {"categorical_crossentropy", "onehot", 4},
		{"sparse_categorical_crossentropy", "sparse", 4}, {"kld", "onehot", 3}, {"cosine_similarity", "binary", 3},
		{"Precision", "binary", 1}, {"Recall", "binary", 3}, {"AUC", "binary", 1},
		{metricCfg("AUC", map[string]any{"curve": "PR"}), "binary", 2},
		{metricCfg("Precision", map[string]any{"top_k": 2.0}), "binary", 4},
		{metricCfg("Recall", map[string]any{"class_id": 1.0}), "binary", 3},
	}
	for ci, tc := range tests {
		m1 := mustMetric(t, tc.metric)
		t.Run(m1.Name(), func(t *testing.T) {
			rng := tensor.NewRNG(uint64(ci + 1))
			yt, yp := randomMetricBatch(rng, tc.kind, 9, tc.classes)
			w := make([]float32, 9)
			rng.Uniform(w, 0, 2)
			for _, weights := range [][]float32{nil, w} {
				whole := mustMetric(t, tc.metric)
				require.NoError(t, whole.Update(yt, yp, weights))
				m1.Reset()
				for _, cut := range [][2]int{{0, 2}, {2, 7}, {7, 9}} {
					var bw []float32
					if weights != nil {
						bw = weights[cut[0]:cut[1]]
					}
					require.NoError(t, m1.Update(yt.Rows(cut[0], cut[1]), yp.Rows(cut[0], cut[1]), bw))
				}
				assert.InDelta(t, whole.Result(), m1.Result(), 1e-9, "weights %v", weights != nil)
				assert.NotZero(t, whole.Result())
			}
		})
	}
}

// TestResolveMetric is compile_utils's table: 'accuracy' and 'crossentropy'
// become binary, sparse or categorical from the shapes, keeping the name as
// written.
func TestResolveMetric(t *testing.T) {
	tests := []struct {
		name   string
		metric string
		yTrue  tensor.Shape
		yPred  tensor.Shape
		fn     string
	}{
		{"binary output (n, 1)", "accuracy", tensor.Shape{32, 1}, tensor.Shape{32, 1}, "binary_accuracy"},
		{"binary output, labels (n,)", "acc", tensor.Shape{32}, tensor.Shape{32, 1}, "binary_accuracy"},
		{"one-hot", "accuracy", tensor.Shape{32, 10}, tensor.Shape{32, 10}, "categorical_accuracy"},
		{"integer labels (n,)", "accuracy", tensor.Shape{32}, tensor.Shape{32, 10}, "sparse_categorical_accuracy"},
		{"integer labels (n, 1)", "Accuracy", tensor.Shape{32, 1}, tensor.Shape{32, 10}, "sparse_categorical_accuracy"},
		{"sequence one-hot", "acc", tensor.Shape{4, 5, 10}, tensor.Shape{4, 5, 10}, "categorical_accuracy"},
		{"sequence labels", "acc", tensor.Shape{4, 5}, tensor.Shape{4, 5, 10}, "sparse_categorical_accuracy"},
		{"crossentropy binary", "crossentropy", tensor.Shape{32, 1}, tensor.Shape{32, 1}, "binary_crossentropy"},
		{"ce one-hot", "ce", tensor.Shape{32, 3}, tensor.Shape{32, 3}, "categorical_crossentropy"},
		{"CE sparse", "CE", tensor.Shape{32}, tensor.Shape{32, 3}, "sparse_categorical_crossentropy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ResolveMetric(tc.metric, tc.yTrue, tc.yPred)
			require.NoError(t, err)
			assert.Equal(t, tc.metric, m.Name(), "the logged name is the one written")
			c := m.Config()
			assert.Equal(t, "MeanMetricWrapper", c.ClassName)
			assert.Equal(t, tc.fn, c.Config["fn"])
		})
	}
	// Anything else is GetMetric's.
	m, err := ResolveMetric("mse", tensor.Shape{2, 1}, tensor.Shape{2, 1})
	require.NoError(t, err)
	assert.Equal(t, "mse", m.Name())
	pre := NewFuncMetric("mean_pred", func(_, yPred *tensor.Tensor) ([]float32, error) { return []float32{0}, nil })
	m, err = ResolveMetric(pre, tensor.Shape{2, 1}, tensor.Shape{2, 1})
	require.NoError(t, err)
	assert.Same(t, pre, m)
}

// TestResolvedAccuracyComputes runs the resolved accuracies on real data.
func TestResolvedAccuracyComputes(t *testing.T) {
	yPred := lossT([]float32{0.1, 0.9, 0.8, 0.05, 0.95, 0}, 2, 3)
	m, err := ResolveMetric("accuracy", tensor.Shape{2}, yPred.Shape)
	require.NoError(t, err)
	require.NoError(t, m.Update(lossT([]float32{1, 1}, 2), yPred, nil))
	assert.InDelta(t, 1.0, m.Result(), 0)
	bin, err := ResolveMetric("acc", tensor.Shape{3, 1}, tensor.Shape{3, 1})
	require.NoError(t, err)
	require.NoError(t, bin.Update(lossT([]float32{1, 0, 1}, 3, 1), lossT([]float32{0.7, 0.2, 0.4}, 3, 1), nil))
	assert.InDelta(t, 2.0/3, bin.Result(), metricTol)
}

// TestFuncMetric checks user-defined metric functions: per-sample values
// are a weighted mean over samples; a single value (K.mean(y_pred)) counts
// once per batch, or Σw times with sample weights, as tf.keras's
// Reduce.update_state.
func TestFuncMetric(t *testing.T) {
	meanPred := func(_, yPred *tensor.Tensor) ([]float32, error) {
		var s float64
		for _, v := range yPred.Data {
			s += float64(v)
		}
		return []float32{float32(s / float64(len(yPred.Data)))}, nil
	}
	perSample := func(_, yPred *tensor.Tensor) ([]float32, error) { return yPred.Data, nil }
	yt := tensor.New(4, 1)
	a, b := lossT([]float32{1, 1, 1}, 3, 1), lossT([]float32{4}, 1, 1)

	m := NewFuncMetric("mean_pred", meanPred)
	require.NoError(t, m.Update(yt.Rows(0, 3), a, nil))
	require.NoError(t, m.Update(yt.Rows(3, 4), b, nil))
	assert.InDelta(t, (1.0+4.0)/2, m.Result(), metricTol, "each batch counts once: (mean 1 + mean 4) / 2")
	m.Reset()
	require.NoError(t, m.Update(yt.Rows(0, 3), a, []float32{1, 1, 2}))
	require.NoError(t, m.Update(yt.Rows(3, 4), b, []float32{1}))
	assert.InDelta(t, (1.0*4+4.0*1)/5, m.Result(), metricTol, "a scalar counts Σw times")

	p := NewFuncMetric("pred", perSample)
	require.NoError(t, p.Update(yt.Rows(0, 3), a, nil))
	require.NoError(t, p.Update(yt.Rows(3, 4), b, nil))
	assert.InDelta(t, (1.0+1+1+4)/4, p.Result(), metricTol, "per-sample values average over samples")

	boom := errors.New("boom")
	e := NewFuncMetric("bad", func(_, _ *tensor.Tensor) ([]float32, error) { return nil, boom })
	err := e.Update(yt.Rows(0, 3), a, nil)
	assert.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "metric bad")

	w := NewFuncMetric("two", func(_, _ *tensor.Tensor) ([]float32, error) { return []float32{1, 2}, nil })
	assert.ErrorContains(t, w.Update(yt.Rows(0, 3), a, nil), "returned 2 values for a batch of 3")
	assert.JSONEq(t, `{"class_name": "MeanMetricWrapper", "config": {"name": "mean_pred", "dtype": "float32", "fn": "mean_pred"}}`,
		string(mustJSON(t, m.Config())))
}

// TestMeanMetric checks keras.metrics.Mean, with which a model tracks its
// logged loss: Σ loss_b·n_b / Σ n_b.
func TestMeanMetric(t *testing.T) {
	m, err := NewMean(map[string]any{"name": "loss"})
	require.NoError(t, err)
	assert.Equal(t, "loss", m.Name())
	m.UpdateValue(2, 32)
	m.UpdateValue(5, 8)
	assert.InDelta(t, (2.0*32+5*8)/40, m.Result(), metricTol)
	require.NoError(t, m.UpdateValues([]float64{1, 3, 5, 7}, []float32{1, 1, 0, 0}))
	assert.InDelta(t, (2.0*32+5*8+1+3)/42, m.Result(), metricTol)
	m.Reset()
	require.NoError(t, m.UpdateValues([]float64{1, 3, 5, 7}, nil))
	assert.InDelta(t, 4.0, m.Result(), metricTol)
	assert.ErrorContains(t, m.Update(tensor.New(1, 1), tensor.New(1, 1), nil), "UpdateValue")
}

// TestMetricUpdateErrors checks that bad batches are errors naming what was
// wrong, and leave the state as it was.
func TestMetricUpdateErrors(t *testing.T) {
	tests := []struct {
		name   string
		metric any
		yTrue  *tensor.Tensor
		yPred  *tensor.Tensor
		w      []float32
		want   string
	}{
		{"shape", "mse", tensor.New(2, 3), tensor.New(2, 4), nil, "y_true has shape (2, 3)"},
		{"weights", "mse", tensor.New(2, 4), tensor.New(2, 4), []float32{1}, "1 sample weights for a batch of 2"},
		{"sparse label", "sparse_categorical_accuracy", lossT([]float32{3}, 1), tensor.New(1, 3), nil, "holds 3 at index 0"},
		{"probability", "Precision", lossT([]float32{1}, 1, 1), lossT([]float32{1.5}, 1, 1), nil, "must be in [0, 1]"},
		{"class_id", metricCfg("Recall", map[string]any{"class_id": 3.0}), tensor.New(1, 3), tensor.New(1, 3), nil, "class_id 3 is out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustMetric(t, tc.metric)
			err := m.Update(tc.yTrue, tc.yPred, tc.w)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, 0.0, m.Result())
		})
	}
}
