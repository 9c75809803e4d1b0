package nn

import (
	"math"
	"sort"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// auc is Keras's AUC: the area under the ROC or precision-recall curve,
// approximated from the confusion counts at num_thresholds thresholds.
// Keras: tf_keras/metrics/confusion_metrics.py (AUC).
//
// The thresholds are i/(num_thresholds − 1) for i = 1 .. num_thresholds − 2
// (or the sorted user thresholds) with −ε and 1 + ε added at the ends, so
// that predictions of exactly 0 and 1 are counted. The area is a Riemann sum
// over consecutive thresholds:
//
//	ROC: x = fp/(fp+tn), y = tp/(tp+fn);  PR (not interpolated):
//	     x = recall, y = precision;  height (y_i + y_{i+1})/2 for
//	     "interpolation", min for "minoring", max for "majoring";
//	     area Σ (x_i − x_{i+1})·height_i;
//	PR with "interpolation": Davis & Goadrich's interpolation, as Keras's
//	     interpolate_pr_auc.
type auc struct {
	name          string
	numThresholds int
	curve         string // "ROC" or "PR"
	summation     string // "interpolation", "minoring" or "majoring"
	fromLogits    bool
	userThreshold []float64 // the thresholds argument, sorted; nil if not given
	counts        confusionCounts
	keep          []bool
}

func (m *auc) Name() string { return m.name }
func (m *auc) Reset()       { m.counts.reset() }

func (m *auc) Update(yTrue, yPred *tensor.Tensor, sampleWeight []float32) error {
	var err error
	m.keep, err = confusionUpdate(m.name, &m.counts, yTrue, yPred, sampleWeight, m.fromLogits, 0, -1, m.keep)
	return err
}

// noNaN is tf.math.divide_no_nan: 0 where the denominator is 0.
func noNaN(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func (m *auc) Result() float64 {
	tp, fp, tn, fn := m.counts.counts()
	n := len(tp)
	if m.curve == "PR" && m.summation == "interpolation" {
		return interpolatePRAUC(tp, fp, fn)
	}
	x, y := make([]float64, n), make([]float64, n)
	for i := range tp {
		recall := noNaN(tp[i], tp[i]+fn[i])
		if m.curve == "ROC" {
			x[i], y[i] = noNaN(fp[i], fp[i]+tn[i]), recall
		} else {
			x[i], y[i] = recall, noNaN(tp[i], tp[i]+fp[i])
		}
	}
	var area float64
	for i := 0; i < n-1; i++ {
		var h float64
		switch m.summation {
		case "minoring":
			h = math.Min(y[i], y[i+1])
		case "majoring":
			h = math.Max(y[i], y[i+1])
		default:
			h = (y[i] + y[i+1]) / 2
		}
		area += (x[i] - x[i+1]) * h
	}
	return area
}

// interpolatePRAUC is Keras's interpolate_pr_auc: within each interval the
// true positives and the predicted positives p = tp + fp vary linearly, so
// precision = (intercept + slope·p)/p integrates in closed form.
func interpolatePRAUC(tp, fp, fn []float64) float64 {
	var area float64
	for i := 0; i < len(tp)-1; i++ {
		p0, p1 := tp[i]+fp[i], tp[i+1]+fp[i+1]
		dtp := tp[i] - tp[i+1]
		slope := noNaN(dtp, math.Max(p0-p1, 0))
		intercept := tp[i+1] - slope*p1
		ratio := 1.0
		if p0 > 0 && p1 > 0 {
			ratio = noNaN(p0, math.Max(p1, 0))
		}
		area += noNaN(slope*(dtp+intercept*math.Log(ratio)), math.Max(tp[i+1]+fn[i+1], 0))
	}
	return area
}

func (m *auc) Config() Config {
	extra := map[string]any{
		"num_thresholds": m.numThresholds, "curve": m.curve, "summation_method": m.summation,
		"multi_label": false, "num_labels": nil, "label_weights": nil, "from_logits": m.fromLogits}
	if m.userThreshold != nil {
		extra["thresholds"] = m.userThreshold
	}
	return metricConfig("AUC", m.name, extra)
}

// aucThresholds returns the thresholds as the float32 values Keras compares
// predictions with: −ε, the inner thresholds, 1 + ε.
func aucThresholds(inner []float64) []float64 {
	t := []float64{float64(float32(-1e-7))}
	for _, v := range inner {
		t = append(t, float64(float32(v)))
	}
	return append(t, float64(float32(1+1e-7)))
}

// maxAUCThresholds bounds num_thresholds, which Keras leaves unbounded: a
// config's 1e15 would be a slice no memory holds (a makeslice panic or a
// fatal out-of-memory), where 2^20 already costs 32 MiB of counts.
const maxAUCThresholds = 1 << 20

func newAUC(m map[string]any) (Metric, error) {
	a := NewArgs("AUC", m)
	r := &auc{name: parseMetricBase(a, "auc"), fromLogits: a.Bool("from_logits", false)}
	r.numThresholds = a.Int("num_thresholds", 200)
	r.curve = strings.ToUpper(a.Choice("curve", "ROC", "ROC", "roc", "PR", "pr"))
	r.summation = strings.ToLower(a.Choice("summation_method", "interpolation",
		"interpolation", "Interpolation", "minoring", "Minoring", "majoring", "Majoring"))
	if a.Bool("multi_label", false) {
		a.Unimplemented("multi_label", true, "false (multi_label AUC is not implemented)")
	}
	for _, key := range []string{"num_labels", "label_weights"} {
		a.Unsupported(key, "null ("+key+" is not implemented)")
	}
	var inner []float64
	if v, ok := a.Value("thresholds"); ok {
		list, isList := toList(v)
		for _, e := range list {
			f, isNum := toFloat(e)
			if !isNum || f < 0 || f > 1 {
				isList = false
			}
			inner = append(inner, f)
		}
		if !isList {
			a.Fail("thresholds", v, "a list of numbers in [0, 1]")
			inner = nil
		} else {
			sort.Float64s(inner)
			r.userThreshold = inner
			r.numThresholds = len(inner) + 2
		}
	}
	if r.userThreshold == nil {
		if r.numThresholds <= 1 || r.numThresholds > maxAUCThresholds {
			a.Fail("num_thresholds", r.numThresholds, "an integer > 1 and at most 2^20 (each threshold keeps counts and is compared with every prediction)")
			r.numThresholds = 200
		}
		inner = make([]float64, r.numThresholds-2)
		for i := range inner {
			inner[i] = float64(i+1) / float64(r.numThresholds-1)
		}
	}
	r.counts = newConfusionCounts(aucThresholds(inner))
	return r, a.Err()
}

func init() {
	metrics.add("AUC", []string{"num_thresholds", "curve", "summation_method", "name", "dtype", "thresholds",
		"multi_label", "num_labels", "label_weights", "from_logits"}, newAUC)
}
