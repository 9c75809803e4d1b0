package nn

import (
	"fmt"
	"math"
	"sort"

	"github.com/keraswasm/keraswasm/tensor"
)

// Confusion-matrix metrics: Precision, Recall, AUC. Keras:
// tf_keras/metrics/confusion_metrics.py and
// tf_keras/utils/metrics_utils.py (update_confusion_matrix_variables).
//
// Every element of y_pred is one prediction (multi_label=False flattens the
// classes), weighted by its sample's weight. A label is positive when it is
// not 0; a prediction is positive at a threshold when it is strictly above
// it. Predictions must lie in [0, 1], as Keras asserts.

// confusionCounts accumulates, for thresholds sorted ascending, the weight of
// predictions above exactly k of them (k = 0..len), separately for positive
// and negative labels: a histogram from which the counts at every threshold
// follow.
type confusionCounts struct {
	thresholds []float64
	pos, neg   []float64
}

func newConfusionCounts(thresholds []float64) confusionCounts {
	return confusionCounts{thresholds: thresholds,
		pos: make([]float64, len(thresholds)+1), neg: make([]float64, len(thresholds)+1)}
}

func (c *confusionCounts) reset() {
	clear(c.pos)
	clear(c.neg)
}

// add counts one prediction p (−Inf for one filtered out by top_k).
func (c *confusionCounts) add(positive bool, p, w float64) {
	k := sort.SearchFloat64s(c.thresholds, p) // thresholds[:k] < p
	if positive {
		c.pos[k] += w
	} else {
		c.neg[k] += w
	}
}

// counts returns the true/false positives/negatives at every threshold.
func (c *confusionCounts) counts() (tp, fp, tn, fn []float64) {
	n := len(c.thresholds)
	tp, fp, tn, fn = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var above, aboveNeg, totalPos, totalNeg float64
	for k := range c.pos {
		totalPos += c.pos[k]
		totalNeg += c.neg[k]
	}
	for j := n - 1; j >= 0; j-- {
		above += c.pos[j+1] // predictions above threshold j
		aboveNeg += c.neg[j+1]
		tp[j], fp[j] = above, aboveNeg
		fn[j], tn[j] = totalPos-above, totalNeg-aboveNeg
	}
	return tp, fp, tn, fn
}

// confusionUpdate checks one batch and adds it to c. topK > 0 keeps only the
// k largest predictions of each lane (ties to the lower index, as
// tf.math.top_k); classID >= 0 keeps only that class.
func confusionUpdate(name string, c *confusionCounts, yTrue, yPred *tensor.Tensor, sw []float32,
	fromLogits bool, topK, classID int, keep []bool) ([]bool, error) {
	batch, per := lossRows(yPred)
	if err := checkSampleWeight(name, sw, batch); err != nil {
		return keep, err
	}
	if err := checkDenseTargets("metric", name, yTrue.Shape, yPred.Shape); err != nil {
		return keep, err
	}
	n := yPred.Dim(-1)
	if classID >= n {
		return keep, fmt.Errorf("metric %s: class_id %d is out of range for y_pred of shape %v: expected a class in [0, %d)", name, classID, yPred.Shape, n)
	}
	for j, v := range yPred.Data {
		if p := confusionProb(v, fromLogits); !(p >= 0 && p <= 1) {
			return keep, fmt.Errorf("metric %s: y_pred holds %v at index %d: predictions must be in [0, 1] (probabilities); use from_logits=True for logits", name, v, j)
		}
	}
	if cap(keep) < n {
		keep = make([]bool, n)
	}
	keep = keep[:n]
	for k := 0; n > 0 && k*n < len(yPred.Data); k++ {
		w := 1.0
		if sw != nil {
			w = float64(sw[k*n/per])
		}
		ts, ps := yTrue.Data[k*n:(k+1)*n], yPred.Data[k*n:(k+1)*n]
		markTopK(keep, ps, topK)
		for j, v := range ps {
			if classID >= 0 && j != classID {
				continue
			}
			p := math.Inf(-1)
			if keep[j] {
				p = confusionProb(v, fromLogits)
			}
			c.add(ts[j] != 0, p, w)
		}
	}
	return keep, nil
}

// confusionProb returns a prediction as a probability (through a sigmoid
// for from_logits).
func confusionProb(v float32, fromLogits bool) float64 {
	if fromLogits {
		return lossSigmoid(float64(v))
	}
	return float64(v)
}

// markTopK sets keep[j] for the k largest of p (all when k <= 0), preferring
// the lower index among equals.
func markTopK(keep []bool, p []float32, k int) {
	if k <= 0 || k >= len(p) {
		for j := range keep {
			keep[j] = true
		}
		return
	}
	clear(keep)
	for range k {
		best := -1
		for j, v := range p {
			if !keep[j] && (best < 0 || v > p[best]) {
				best = j
			}
		}
		keep[best] = true
	}
}

// precisionRecall is Keras's Precision (tp / (tp + fp)) or Recall
// (tp / (tp + fn)) at one threshold; 0 while the denominator is 0
// (divide_no_nan).
type precisionRecall struct {
	class, name string
	thresholds  any // the argument as given, for Config
	topK        int // 0: None
	classID     int // -1: None
	counts      confusionCounts
	keep        []bool
}

func (m *precisionRecall) Name() string { return m.name }
func (m *precisionRecall) Reset()       { m.counts.reset() }

func (m *precisionRecall) Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error {
	var err error
	m.keep, err = confusionUpdate(m.name, &m.counts, yTrue, yPred, sampleWeight, false, m.topK, m.classID, m.keep)
	return err
}

func (m *precisionRecall) Result() float64 {
	tp, fp, _, fn := m.counts.counts()
	den := tp[0] + fp[0]
	if m.class == "Recall" {
		den = tp[0] + fn[0]
	}
	if den == 0 {
		return 0
	}
	return tp[0] / den
}

func (m *precisionRecall) Config() Config {
	return metricConfig(m.class, m.name, map[string]any{
		"thresholds": m.thresholds, "top_k": optionalInt(m.topK, 0), "class_id": optionalInt(m.classID, -1)})
}

// optionalInt returns nil (None) for the value that means unset.
func optionalInt(v, unset int) any {
	if v == unset {
		return nil
	}
	return v
}

// readOptionalInt reads an integer argument that may be null, at least min;
// it returns unset when absent.
func readOptionalInt(a *Args, key string, min, unset int) int {
	if !a.Has(key) {
		return unset
	}
	v := a.Int(key, unset)
	if v < min {
		a.Fail(key, v, fmt.Sprintf("null or an integer >= %d", min))
		return unset
	}
	return v
}

// readThreshold reads Precision's and Recall's thresholds: null (0.5), a
// number in [0, 1], or a list of one.
func readThreshold(a *Args) (any, float64) {
	v, ok := a.Value("thresholds")
	if !ok {
		return nil, 0.5
	}
	want := "a number in [0, 1] or a list of one (several thresholds, each with its own result, are not implemented)"
	x := v
	if list, isList := toList(v); isList {
		if len(list) > 1 {
			a.Unimplemented("thresholds", v, want)
			return nil, 0.5
		}
		if len(list) == 0 {
			a.Fail("thresholds", v, want)
			return nil, 0.5
		}
		x = list[0]
	}
	f, isNum := toFloat(x)
	if !isNum || f < 0 || f > 1 {
		a.Fail("thresholds", v, want)
		return nil, 0.5
	}
	if _, isList := toList(v); isList {
		return []any{f}, f
	}
	return f, f
}

func newPrecisionRecall(class, defaultName string, m map[string]any) (Metric, error) {
	a := NewArgs(class, m)
	pr := &precisionRecall{class: class, name: parseMetricBase(a, defaultName)}
	var t float64
	pr.thresholds, t = readThreshold(a)
	pr.topK = readOptionalInt(a, "top_k", 1, 0)
	pr.classID = readOptionalInt(a, "class_id", 0, -1)
	pr.counts = newConfusionCounts([]float64{float64(float32(t))})
	return pr, a.Err()
}

// confusionArgs is the positional signature of Precision and Recall.
var confusionArgs = []string{"thresholds", "top_k", "class_id", "name", "dtype"}

func init() {
	metrics.add("Precision", confusionArgs, func(m map[string]any) (Metric, error) {
		return newPrecisionRecall("Precision", "precision", m)
	})
	metrics.add("Recall", confusionArgs, func(m map[string]any) (Metric, error) {
		return newPrecisionRecall("Recall", "recall", m)
	})
}
