package nn

import (
	"math"
	"sort"
	"strings"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fzLossResult says what a loss gave on one input: whether Validate took
// it, and whether the losses and gradients were finite, through Forward and
// Backward (direct) and through ForwardLogits and BackwardLogits (logits),
// the path a model takes when the loss follows a softmax or sigmoid.
type fzLossResult struct {
	validated      bool
	direct, logits fzFinite
}

type fzFinite struct{ nanLoss, infLoss, nanGrad bool }

func (f fzFinite) bad() bool { return f.nanLoss || f.infLoss || f.nanGrad }

// note records the non-finite values among out and grad.
func (f *fzFinite) note(out []float64, grad []float32) {
	for _, v := range out {
		f.nanLoss = f.nanLoss || math.IsNaN(v)
		f.infLoss = f.infLoss || math.IsInf(v, 0)
	}
	for _, v := range grad {
		f.nanGrad = f.nanGrad || math.IsNaN(float64(v))
	}
}

// fzLoss runs l (Validate, then Forward and Backward, and the logits path
// when it has one) on yPred of shape (batch, [inner,] classes) and targets of
// the matching shape (class indices for the sparse loss), their values
// picked from fzExtremes by pick. It reports what came out.
func fzLoss(t *testing.T, l Loss, batch, classes, inner int, pick []byte) fzLossResult {
	t.Helper()
	ps := tensor.Shape{batch}
	if inner > 0 {
		ps = append(ps, inner)
	}
	ps = append(ps, classes)
	ts := ps.Clone()
	if _, sparse := l.(*sparseCategoricalCrossentropy); sparse {
		ts = ps[:len(ps)-1].Clone()
	}
	var tPick, pPick []byte
	if len(pick) > 0 {
		tPick, pPick = pick[:len(pick)/2], pick[len(pick)/2:]
	}
	yTrue := tensor.FromSlice(fzValues(ts.Size(), tPick), ts...)
	yPred := tensor.FromSlice(fzValues(ps.Size(), pPick), ps...)
	var r fzLossResult
	if err := l.Validate(yTrue, ps); err != nil {
		fzErr(t, err)
		return r
	}
	r.validated = true
	out := make([]float64, batch)
	dPred := tensor.New(ps...)
	l.Forward(out, yTrue, yPred)
	l.Backward(dPred, yTrue, yPred)
	r.direct.note(out, dPred.Data)
	if ll, ok := l.(LogitsLoss); ok && !ll.FromLogits() {
		ll.ForwardLogits(out, yTrue, yPred)
		ll.BackwardLogits(dPred, yTrue, yPred)
		r.logits.note(out, dPred.Data)
	}
	return r
}

// fzLossVariants are the configs the loss targets try: every loss with its
// defaults, and the crossentropies from logits and with label smoothing.
func fzLossVariants() []Config {
	var cs []Config
	for _, name := range LossNames() {
		cs = append(cs, Config{ClassName: name})
	}
	for _, name := range []string{"BinaryCrossentropy", "CategoricalCrossentropy"} {
		cs = append(cs, Config{ClassName: name, Config: map[string]any{"from_logits": true}},
			Config{ClassName: name, Config: map[string]any{"label_smoothing": 0.2}})
	}
	return append(cs, Config{ClassName: "SparseCategoricalCrossentropy", Config: map[string]any{"from_logits": true}},
		Config{ClassName: "Huber", Config: map[string]any{"delta": 0}})
}

// FuzzLosses: every loss on fuzzed targets and predictions of matching
// shapes (batch and classes from 0 up, an inner axis or not) with extreme
// values never panics; Validate rejects what the model would.
func FuzzLosses(f *testing.F) {
	f.Add(uint8(0), uint8(2), uint8(3), uint8(0), []byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add(uint8(5), uint8(1), uint8(1), uint8(2), []byte{1, 0, 8, 9})
	f.Add(uint8(9), uint8(0), uint8(4), uint8(0), []byte{})
	f.Add(uint8(2), uint8(3), uint8(0), uint8(1), []byte{6})
	variants := fzLossVariants()
	f.Fuzz(func(t *testing.T, which, batch, classes, inner uint8, pick []byte) {
		c := variants[int(which)%len(variants)]
		l, err := GetLoss(c)
		require.NoError(t, err, "%v", c)
		fzLoss(t, l, int(batch%5), int(classes%6), int(inner%3), pick)
	})
}

// TestLossExtremes documents which losses give NaN or ±Inf on the extreme
// inputs (0, 1, ±Inf, NaN, ±1e30, ...) for targets of the right kind, and
// checks that on finite inputs in range — probabilities in [0, 1] and
// targets in {0, 1} — every loss and gradient is finite. The table is logged
// (go test -v -run TestLossExtremes ./nn/).
func TestLossExtremes(t *testing.T) {
	for _, c := range fzLossVariants() {
		l, err := GetLoss(c)
		require.NoError(t, err)
		name := c.ClassName
		if len(c.Config) > 0 {
			name += layerJSON(t, c.Config)
		}
		t.Run(name, func(t *testing.T) {
			// In range: targets 0 or 1 (class 0 or 1), predictions 0, 1, 0.5, 1e-7, 1−1e-7.
			for _, pick := range [][]byte{{0, 0, 1, 1, 0, 1, 3, 10, 11, 0, 1, 3}, {1, 0, 0, 1, 1, 0, 10, 0, 11, 3, 3, 0}} {
				r := fzLoss(t, l, 2, 3, 0, pick)
				require.True(t, r.validated)
				assert.False(t, r.direct.bad() || r.logits.bad(), "non-finite on in-range input %+v", r)
			}
			var direct, logits []string
			for i, v := range fzExtremes {
				pred := byte(i)
				r := fzLoss(t, l, 2, 3, 0, []byte{0, 1, 1, 0, 0, 1, pred, pred, pred, pred, pred, pred})
				if r.direct.bad() {
					direct = append(direct, lossSymptom(v, r.direct))
				}
				if r.logits.bad() {
					logits = append(logits, lossSymptom(v, r.logits))
				}
			}
			sort.Strings(direct)
			sort.Strings(logits)
			t.Logf("%s: non-finite for yPred = %s", name, strings.Join(direct, "; "))
			if len(logits) > 0 {
				t.Logf("%s via logits: non-finite for logits = %s", name, strings.Join(logits, "; "))
			}
		})
	}
}

func lossSymptom(v float32, r fzFinite) string {
	var s []string
	if r.nanLoss {
		s = append(s, "NaN loss")
	}
	if r.infLoss {
		s = append(s, "Inf loss")
	}
	if r.nanGrad {
		s = append(s, "NaN grad")
	}
	return formatValue(float64(v)) + " (" + strings.Join(s, ", ") + ")"
}

// fzMetric updates m with targets and predictions of shape (batch, classes)
// picked from fzExtremes — once as they are, once with targets of the same
// shape as class indices (sparse metrics take (batch, 1)) — and with and
// without sample weights, then reads and resets it. Update may refuse
// targets (an error), never panic. It reports whether Result was NaN.
func fzMetric(t *testing.T, m Metric, batch, classes int, pick []byte) (nan bool) {
	t.Helper()
	var tPick, pPick []byte
	if len(pick) > 0 {
		tPick, pPick = pick[:len(pick)/2], pick[len(pick)/2:]
	}
	yPred := tensor.FromSlice(fzValues(batch*classes, pPick), batch, classes)
	targets := []*tensor.Tensor{
		tensor.FromSlice(fzValues(batch*classes, tPick), batch, classes),
		tensor.FromSlice(fzValues(batch, tPick), batch, 1),
	}
	for _, yTrue := range targets {
		for _, w := range [][]float32{nil, fzValues(batch, pick)} {
			if err := m.Update(yTrue, yPred, w); err != nil {
				fzErr(t, err)
			}
		}
	}
	nan = math.IsNaN(m.Result())
	m.Reset()
	m.Result()
	return nan
}

// FuzzMetrics: every metric, by class and by function name, updated with
// fuzzed targets, predictions and sample weights of extreme values (batch
// and classes from 0 up) never panics.
func FuzzMetrics(f *testing.F) {
	f.Add(uint8(0), uint8(2), uint8(3), []byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add(uint8(3), uint8(1), uint8(1), []byte{1, 0, 8, 9})
	f.Add(uint8(7), uint8(0), uint8(4), []byte{})
	f.Add(uint8(11), uint8(3), uint8(0), []byte{6})
	names := append(MetricNames(), MetricFunctionNames()...)
	f.Fuzz(func(t *testing.T, which, batch, classes uint8, pick []byte) {
		m, err := GetMetric(names[int(which)%len(names)])
		if err != nil {
			fzErr(t, err) // a class that needs arguments
			return
		}
		fzMetric(t, m, int(batch%5), int(classes%6), pick)
	})
}

// TestMetricExtremes documents which metrics' Result is NaN after updates
// whose predictions are all one extreme value (targets 0 and 1), and checks
// that with predictions in [0, 1] none is. The table is logged
// (go test -v -run TestMetricExtremes ./nn/).
func TestMetricExtremes(t *testing.T) {
	for _, name := range append(MetricNames(), MetricFunctionNames()...) {
		m, err := GetMetric(name)
		if err != nil {
			continue // a class that needs arguments
		}
		t.Run(name, func(t *testing.T) {
			for _, pick := range [][]byte{{0, 0, 1, 1, 0, 1, 3, 10, 11, 0, 1, 3}, {1, 0, 0, 1, 1, 0, 10, 0, 11, 3, 3, 0}} {
				assert.False(t, fzMetric(t, m, 2, 3, pick), "NaN on in-range input")
			}
			var nan []string
			for i, v := range fzExtremes {
				pred := byte(i)
				if fzMetric(t, m, 2, 3, []byte{0, 1, 1, 0, 0, 1, pred, pred, pred, pred, pred, pred}) {
					nan = append(nan, formatValue(float64(v)))
				}
			}
			sort.Strings(nan)
			t.Logf("%s: NaN result for yPred = %s", name, strings.Join(nan, "; "))
		})
	}
}
