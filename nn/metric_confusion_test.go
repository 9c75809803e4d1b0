package nn

import (
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConfusionMetrics checks Precision, Recall and AUC against small cases
// worked by hand (a prediction is positive when strictly above the
// threshold; a label when not 0).
func TestConfusionMetrics(t *testing.T) {
	// The Keras docstring data for AUC: labels [0, 0, 1, 1], predictions
	// [0, 0.5, 0.3, 0.9]. With num_thresholds=3 the thresholds are
	// [−ε, 0.5, 1+ε]: tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2],
	// tn = [0, 2, 2]; recall [1, 0.5, 0], fp rate [1, 0, 0], precision
	// [0.5, 1, 0 (0/0)].
	aucT, aucP := lossT([]float32{0, 0, 1, 1}, 4, 1), lossT([]float32{0, 0.5, 0.3, 0.9}, 4, 1)
	auc3 := func(m map[string]any) map[string]any {
		m["num_thresholds"] = 3.0
		return metricCfg("AUC", m)
	}
	// Labels [0, 1, 0, 1] at [0.1, 0.3, 0.6, 0.9]: of the 4 (positive,
	// negative) pairs, 3 are ordered right: the exact AUC 0.75, which 200
	// thresholds reproduce since no bucket holds two predictions.
	sepT, sepP := lossT([]float32{0, 1, 0, 1}, 4, 1), lossT([]float32{0.1, 0.3, 0.6, 0.9}, 4, 1)
	logit := func(p float64) float32 { return float32(math.Log(p / (1 - p))) }
	sepZ := lossT([]float32{logit(0.1), logit(0.3), logit(0.6), logit(0.9)}, 4, 1)

	tests := []struct {
		name   string
		metric any
		yTrue  *tensor.Tensor
		yPred  *tensor.Tensor
		w      []float32
		want   float64
	}{
		// tp at indices 2, 3; fp at 0: 2/3. Weights [0, 0, 1, 0]: 1/1.
		{"precision", "Precision", lossT([]float32{0, 1, 1, 1}, 4, 1), lossT([]float32{1, 0, 1, 1}, 4, 1), nil, 2.0 / 3},
		{"precision weighted", "Precision", lossT([]float32{0, 1, 1, 1}, 4, 1), lossT([]float32{1, 0, 1, 1}, 4, 1), []float32{0, 0, 1, 0}, 1},
		// tp 2, fn at index 1: 2/3.
		{"recall", "Recall", lossT([]float32{0, 1, 1, 1}, 4, 1), lossT([]float32{1, 0, 1, 1}, 4, 1), nil, 2.0 / 3},
		{"recall weighted", "Recall", lossT([]float32{0, 1, 1, 1}, 4, 1), lossT([]float32{1, 0, 1, 1}, 4, 1), []float32{0, 0, 1, 0}, 1},
		// 0.5 is not above 0.5: no positive prediction, precision 0/0 = 0 and recall 0/1.
		{"precision at the threshold", "Precision", lossT([]float32{1}, 1, 1), lossT([]float32{0.5}, 1, 1), nil, 0},
		{"recall at the threshold", "Recall", lossT([]float32{1}, 1, 1), lossT([]float32{0.5}, 1, 1), nil, 0},
		{"precision threshold 0.4", metricCfg("Precision", map[string]any{"thresholds": 0.4}), lossT([]float32{1}, 1, 1), lossT([]float32{0.5}, 1, 1), nil, 1},
		// top_k=2 over four ties keeps indices 0 and 1, whose labels are 0: precision 0; top_k=4 keeps all: 2/4.
		{"precision top_k 2", metricCfg("Precision", map[string]any{"top_k": 2.0}), lossT([]float32{0, 0, 1, 1}, 1, 4), lossT([]float32{1, 1, 1, 1}, 1, 4), nil, 0},
		{"precision top_k 4", metricCfg("Precision", map[string]any{"top_k": 4.0}), lossT([]float32{0, 0, 1, 1}, 1, 4), lossT([]float32{1, 1, 1, 1}, 1, 4), nil, 0.5},
		// class_id 2 reads column 2 only: labels [1, 1, 0], predictions [0.7, 0.1, 0.6]: tp 1, fn 1, fp 1.
		{"recall class_id", metricCfg("Recall", map[string]any{"class_id": 2.0}), lossT([]float32{0, 0, 1, 0, 0, 1, 1, 0, 0}, 3, 3),
			lossT([]float32{0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0.2, 0.2, 0.6}, 3, 3), nil, 0.5},
		{"precision class_id", metricCfg("Precision", map[string]any{"class_id": 2.0}), lossT([]float32{0, 0, 1, 0, 0, 1, 1, 0, 0}, 3, 3),
			lossT([]float32{0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0.2, 0.2, 0.6}, 3, 3), nil, 0.5},
		// ROC, interpolation: (1 − 0)·(1 + 0.5)/2 + (0 − 0)·(0.5 + 0)/2 = 0.75 (Keras's docstring).
		{"auc roc", auc3(map[string]any{}), aucT, aucP, nil, 0.75},
		// Weights [1, 0, 0, 1] leave labels 0 at 0 and 1 at 0.9: perfectly ordered, 1.0 (Keras's docstring).
		{"auc roc weighted", auc3(map[string]any{}), aucT, aucP, []float32{1, 0, 0, 1}, 1},
		// minoring: 1·min(1, 0.5) = 0.5; majoring: 1·max(1, 0.5) = 1.
		{"auc roc minoring", auc3(map[string]any{"summation_method": "minoring"}), aucT, aucP, nil, 0.5},
		{"auc roc majoring", auc3(map[string]any{"summation_method": "majoring"}), aucT, aucP, nil, 1},
		// PR minoring: x = recall [1, 0.5, 0], y = precision [0.5, 1, 0]:
		// 0.5·min(0.5, 1) + 0.5·min(1, 0) = 0.25; majoring 0.5·1 + 0.5·1 = 1.
		{"auc pr minoring", auc3(map[string]any{"curve": "PR", "summation_method": "minoring"}), aucT, aucP, nil, 0.25},
		{"auc pr majoring", auc3(map[string]any{"curve": "PR", "summation_method": "majoring"}), aucT, aucP, nil, 1},
		// PR interpolation (Davis & Goadrich, Keras's interpolate_pr_auc): p = tp + fp = [4, 1, 0].
		// Interval 0: slope = dtp/dp = 1/3, intercept = tp₁ − slope·p₁ = 2/3,
		// area = slope·(dtp + intercept·ln(p₀/p₁)) / (tp₁ + fn₁) = (1/3)(1 + (2/3)·ln 4)/2.
		// Interval 1: slope 1, intercept 0, p₂ = 0 so the log ratio is ln 1: 1·1/(0 + 2) = 0.5.
		{"auc pr interpolation", auc3(map[string]any{"curve": "PR"}), aucT, aucP, nil, (1.0/3)*(1+(2.0/3)*math.Log(4))/2 + 0.5},
		// The user's thresholds [0.5] are the same three thresholds.
		{"auc user thresholds", metricCfg("AUC", map[string]any{"thresholds": []any{0.5}}), aucT, aucP, nil, 0.75},
		{"auc 200 thresholds", "AUC", sepT, sepP, nil, 0.75},
		{"auc from_logits", metricCfg("AUC", map[string]any{"from_logits": true}), sepT, sepZ, nil, 0.75},
		// Predictions of exactly 0 and 1 fall inside the end thresholds −ε and 1+ε.
		{"auc ends", "AUC", lossT([]float32{0, 1}, 2, 1), lossT([]float32{0, 1}, 2, 1), nil, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := mustMetric(t, tc.metric)
			require.NoError(t, m.Update(tc.yTrue, tc.yPred, tc.w))
			assert.InDelta(t, tc.want, m.Result(), metricTol)
		})
	}
}

// TestConfusionCountsThresholds checks the counts at each threshold of the
// AUC docstring case, which the areas above are made from.
func TestConfusionCountsThresholds(t *testing.T) {
	c := newConfusionCounts(aucThresholds([]float64{0.5}))
	for i, p := range []float64{0, 0.5, 0.3, 0.9} {
		c.add(i >= 2, p, 1)
	}
	tp, fp, tn, fn := c.counts()
	assert.Equal(t, []float64{2, 1, 0}, tp)
	assert.Equal(t, []float64{2, 0, 0}, fp)
	assert.Equal(t, []float64{0, 2, 2}, tn)
	assert.Equal(t, []float64{0, 1, 2}, fn)
}
