package nn

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lossValueTol is the tolerance on per-sample losses worked by hand: the
// inputs are float32, so 0.6 is 0.60000002.
const lossValueTol = 1e-6

// eps is Keras's backend.epsilon() as a float32; hi is float32(1 − eps).
var (
	eps = float64(float32(1e-7))
	hi  = float64(float32(1) - float32(1e-7))
)

func lossT(data []float32, shape ...int) *tensor.Tensor { return tensor.FromSlice(data, shape...) }

// TestLossValues compares per-sample losses with numbers worked by hand from
// Keras's formulas (tf_keras/losses.py, tf_keras/backend.py); each case
// writes its formula.
func TestLossValues(t *testing.T) {
	ln := math.Log
	tests := []struct {
		name  string
		cfg   any
		yTrue *tensor.Tensor
		yPred *tensor.Tensor
		want  []float64
	}{
		// Keras's docstring example: mean((p − t)²) per row = [0.5, 0.5].
		{"mse", "mse", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{1, 1, 1, 0}, 2, 2), []float64{0.5, 0.5}},
		{"mae", "mean_absolute_error", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{1, 1, 1, 0}, 2, 2), []float64{0.5, 0.5}},
		// 100·mean(|2−1|/2, |4−5|/4) = 37.5; a zero target divides by ε: 100·(ε/ε) = 100.
		{"mape", "mape", lossT([]float32{2, 4, 0, 0}, 2, 2), lossT([]float32{1, 5, 1e-7, 1e-7}, 2, 2), []float64{37.5, 100}},
		// mean((log(max(p,ε)+1) − log(max(t,ε)+1))²): both elements give (ln 2 − ln(1+ε))².
		{"msle", "msle", lossT([]float32{1, 0}, 1, 2), lossT([]float32{0, 1}, 1, 2),
			[]float64{math.Pow(ln(2)-math.Log1p(eps), 2)}},
		// x = [0.5, 3], delta 1: (0.5·0.25 + (3 − 0.5))/2 = 1.3125; delta 2: (0.125 + (6 − 2))/2.
		{"huber", "huber", lossT([]float32{0, 0}, 1, 2), lossT([]float32{0.5, 3}, 1, 2), []float64{1.3125}},
		{"huber delta 2", map[string]any{"class_name": "Huber", "config": map[string]any{"delta": 2.0}},
			lossT([]float32{0, 0}, 1, 2), lossT([]float32{0.5, 3}, 1, 2), []float64{2.0625}},
		// log(cosh(1)), and log(cosh(−30)) = 30 − ln 2 without overflow.
		{"log_cosh", "logcosh", lossT([]float32{0, 0}, 2, 1), lossT([]float32{1, -30}, 2, 1),
			[]float64{ln(math.Cosh(1)), 30 - ln(2)}},
		// mean(p − t·log(p + ε)) = ((1 − ln(1+ε)) + (2 − 2·ln(2+ε)))/2.
		{"poisson", "poisson", lossT([]float32{1, 2}, 1, 2), lossT([]float32{1, 2}, 1, 2),
			[]float64{((1 - ln(1+eps)) + (2 - 2*ln(2+eps))) / 2}},
		// {0,1} → {−1,1}: mean(max(1 + 0.3, 0), max(1 − 0.2, 0)) = 1.05.
		{"hinge binary", "hinge", lossT([]float32{0, 1}, 1, 2), lossT([]float32{0.3, 0.2}, 1, 2), []float64{1.05}},
		{"hinge signed", "hinge", lossT([]float32{-1, 1}, 1, 2), lossT([]float32{0.3, 0.2}, 1, 2), []float64{1.05}},
		// 0.5 in the batch: no conversion anywhere, row 0 = mean(1 − 0, 1 − 0.2) = 0.9,
		// row 1 = mean(1 − 0.5·0.3, 1 − 0.2) = 0.825.
		{"hinge not binary", "hinge", lossT([]float32{0, 1, 0.5, 1}, 2, 2), lossT([]float32{0.3, 0.2, 0.3, 0.2}, 2, 2),
			[]float64{0.9, 0.825}},
		// mean(1.3², 0.8²) = 1.165.
		{"squared_hinge", "squared_hinge", lossT([]float32{0, 1}, 1, 2), lossT([]float32{0.3, 0.2}, 1, 2), []float64{1.165}},
		// pos = 0.5, neg = max(0.3, 0, 0.8) = 0.8 → 1.3; second row: neg 0.2 − pos 2 + 1 < 0 → 0.
		{"categorical_hinge", "categorical_hinge", lossT([]float32{0, 1, 0, 0, 1, 0}, 2, 3),
			lossT([]float32{0.3, 0.5, 0.8, 0.1, 2, 0.2}, 2, 3), []float64{1.3, 0}},
		// Σ t·log(t/p): 0.5·ln(0.5/0.25) + 0.5·ln(0.5/0.75); a 0 target counts as ε: ε·ln(ε/0.5) + 1·ln(1/0.5).
		{"kl_divergence", "kullback_leibler_divergence", lossT([]float32{0.5, 0.5, 0, 1}, 2, 2),
			lossT([]float32{0.25, 0.75, 0.5, 0.5}, 2, 2), []float64{0.5*ln(2) + 0.5*ln(0.5/0.75), eps*ln(eps/0.5) + ln(2)}},
		// Keras's docstring: −Σ t̂·p̂ = [−0, −1, 1].
		{"cosine_similarity", "cosine_similarity", lossT([]float32{0, 1, 1, 1, 1, 1}, 3, 2),
			lossT([]float32{1, 0, 1, 1, -1, -1}, 3, 2), []float64{0, -1, 1}},
		// Keras's docstring [0.916, 0.714]: −mean(y·ln(p+ε) + (1−y)·ln(1−p+ε)).
		{"binary_crossentropy", "binary_crossentropy", lossT([]float32{0, 1, 0, 0}, 2, 2), lossT([]float32{0.6, 0.4, 0.4, 0.6}, 2, 2),
			[]float64{-(ln(0.4+eps) + ln(0.4+eps)) / 2, -(ln(0.6+eps) + ln(0.4+eps)) / 2}},
		// Clipping at 0 and 1 stays finite: p=0 → ε: −ln(2ε); p=1 → 1−ε: −ln(1 − (1−ε) + ε).
		{"binary_crossentropy clipped", "binary_crossentropy", lossT([]float32{1, 0}, 1, 2), lossT([]float32{0, 1}, 1, 2),
			[]float64{(-ln(2*eps) - ln(1-hi+eps)) / 2}},
		// label_smoothing 0.2: y = 1 → 0.9, so −(0.9·ln(0.8+ε) + 0.1·ln(0.2+ε)).
		{"binary_crossentropy smoothing", map[string]any{"class_name": "BinaryCrossentropy", "config": map[string]any{"label_smoothing": 0.2}},
			lossT([]float32{1}, 1, 1), lossT([]float32{0.8}, 1, 1), []float64{-(0.9*ln(0.8+eps) + 0.1*ln(0.2+eps))}},
		// from_logits: mean(max(z,0) − z·y + ln(1 + e^−|z|)) = (ln(1+e^−2) + ln(1+e^−1))/2.
		{"binary_crossentropy from_logits", map[string]any{"class_name": "BinaryCrossentropy", "config": map[string]any{"from_logits": true}},
			lossT([]float32{1, 0}, 1, 2), lossT([]float32{2, -1}, 1, 2), []float64{(math.Log1p(math.Exp(-2)) + math.Log1p(math.Exp(-1))) / 2}},
		// Keras's docstring [0.0513, 2.303] = −ln 0.95, −ln 0.1.
		{"categorical_crossentropy", "categorical_crossentropy", lossT([]float32{0, 1, 0, 0, 0, 1}, 2, 3),
			lossT([]float32{0.05, 0.95, 0, 0.1, 0.8, 0.1}, 2, 3), []float64{-ln(0.95), -ln(0.1)}},
		// Predictions are first divided by their sum: [0.2, 0.6] → q = 0.25, −ln 0.25.
		{"categorical_crossentropy unnormalized", "categorical_crossentropy", lossT([]float32{1, 0}, 1, 2),
			lossT([]float32{0.2, 0.6}, 1, 2), []float64{-ln(0.25)}},
		// label_smoothing 0.3 over 3 classes: y = [0.1, 0.8, 0.1]; the 0 prediction is clipped to ε.
		{"categorical_crossentropy smoothing", map[string]any{"class_name": "CategoricalCrossentropy", "config": map[string]any{"label_smoothing": 0.3}},
			lossT([]float32{0, 1, 0}, 1, 3), lossT([]float32{0.05, 0.95, 0}, 1, 3),
			[]float64{-(0.1*ln(0.05) + 0.8*ln(0.95) + 0.1*ln(eps))}},
		// from_logits: logsumexp(1, 2, 3) − 2 = ln(e + e² + e³) − 2.
		{"categorical_crossentropy from_logits", map[string]any{"class_name": "CategoricalCrossentropy", "config": map[string]any{"from_logits": true}},
			lossT([]float32{0, 1, 0}, 1, 3), lossT([]float32{1, 2, 3}, 1, 3), []float64{ln(math.E+math.Exp(2)+math.Exp(3)) - 2}},
		// Sparse labels, as (batch,) and (batch, 1): ln Σ clip(p) − ln clip(p_y).
		{"sparse_categorical_crossentropy", "sparse_categorical_crossentropy", lossT([]float32{1, 2}, 2),
			lossT([]float32{0.05, 0.95, 0, 0.1, 0.8, 0.1}, 2, 3), []float64{ln(1+eps) - ln(0.95), -ln(0.1)}},
		{"sparse_categorical_crossentropy (batch, 1)", "sparse_categorical_crossentropy", lossT([]float32{1, 2}, 2, 1),
			lossT([]float32{0.05, 0.95, 0, 0.1, 0.8, 0.1}, 2, 3), []float64{ln(1+eps) - ln(0.95), -ln(0.1)}},
		// Inner positions: one sample of two time steps averages its two lanes.
		{"sparse_categorical_crossentropy positions", "sparse_categorical_crossentropy", lossT([]float32{1, 2}, 1, 2),
			lossT([]float32{0.05, 0.95, 0, 0.1, 0.8, 0.1}, 1, 2, 3), []float64{(ln(1+eps) - ln(0.95) - ln(0.1)) / 2}},
		{"sparse_categorical_crossentropy from_logits", map[string]any{"class_name": "SparseCategoricalCrossentropy", "config": map[string]any{"from_logits": true}},
			lossT([]float32{2}, 1), lossT([]float32{1, 2, 3}, 1, 3), []float64{ln(math.E+math.Exp(2)+math.Exp(3)) - 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := GetLoss(tc.cfg)
			require.NoError(t, err)
			require.NoError(t, l.Validate(tc.yTrue, tc.yPred.Shape))
			out := make([]float64, tc.yPred.Shape[0])
			l.Forward(out, tc.yTrue, tc.yPred)
			assert.InDeltaSlice(t, tc.want, out, lossValueTol)
		})
	}
}

// TestLossConfigRoundTrip checks each loss class's config against Keras's
// keys, and that the config makes the same loss again.
func TestLossConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
	}{
		{"MeanSquaredError", "mse", `{"class_name": "MeanSquaredError", "config": {"name": "mean_squared_error", "reduction": "sum_over_batch_size"}}`},
		{"MeanAbsoluteError", "mae", `{"class_name": "MeanAbsoluteError", "config": {"name": "mean_absolute_error", "reduction": "sum_over_batch_size"}}`},
		{"MeanAbsolutePercentageError", "mape", `{"class_name": "MeanAbsolutePercentageError", "config": {"name": "mean_absolute_percentage_error", "reduction": "sum_over_batch_size"}}`},
		{"MeanSquaredLogarithmicError", "msle", `{"class_name": "MeanSquaredLogarithmicError", "config": {"name": "mean_squared_logarithmic_error", "reduction": "sum_over_batch_size"}}`},
		{"Huber", map[string]any{"class_name": "Huber", "config": map[string]any{"delta": 0.5, "reduction": "auto"}},
			`{"class_name": "Huber", "config": {"name": "huber_loss", "reduction": "auto", "delta": 0.5}}`},
		{"LogCosh", "log_cosh", `{"class_name": "LogCosh", "config": {"name": "log_cosh", "reduction": "sum_over_batch_size"}}`},
		{"Poisson", "poisson", `{"class_name": "Poisson", "config": {"name": "poisson", "reduction": "sum_over_batch_size"}}`},
		{"Hinge", "hinge", `{"class_name": "Hinge", "config": {"name": "hinge", "reduction": "sum_over_batch_size"}}`},
		{"SquaredHinge", "squared_hinge", `{"class_name": "SquaredHinge", "config": {"name": "squared_hinge", "reduction": "sum_over_batch_size"}}`},
		{"CategoricalHinge", "categorical_hinge", `{"class_name": "CategoricalHinge", "config": {"name": "categorical_hinge", "reduction": "sum_over_batch_size"}}`},
		{"KLDivergence", "kld", `{"class_name": "KLDivergence", "config": {"name": "kl_divergence", "reduction": "sum_over_batch_size"}}`},
		{"CosineSimilarity", "cosine_similarity", `{"class_name": "CosineSimilarity", "config": {"name": "cosine_similarity", "reduction": "sum_over_batch_size", "axis": -1}}`},
		{"BinaryCrossentropy", map[string]any{"class_name": "BinaryCrossentropy", "config": map[string]any{"from_logits": true, "label_smoothing": 0.1, "name": "bce"}},
			`{"class_name": "BinaryCrossentropy", "config": {"name": "bce", "reduction": "sum_over_batch_size", "from_logits": true, "label_smoothing": 0.1, "axis": -1}}`},
		{"CategoricalCrossentropy", "categorical_crossentropy",
			`{"class_name": "CategoricalCrossentropy", "config": {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": false, "label_smoothing": 0, "axis": -1}}`},
		{"SparseCategoricalCrossentropy", map[string]any{"class_name": "SparseCategoricalCrossentropy", "config": map[string]any{"from_logits": true, "ignore_class": nil, "axis": -1.0}},
			`{"class_name": "SparseCategoricalCrossentropy", "config": {"name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": true, "ignore_class": null}}`},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := GetLoss(tc.in)
			require.NoError(t, err)
			got, err := json.Marshal(l.Config())
			require.NoError(t, err)
			assert.JSONEq(t, tc.want, string(got))
			c, err := ParseConfig(got)
			require.NoError(t, err)
			again, err := GetLoss(c)
			require.NoError(t, err)
			twice, err := json.Marshal(again.Config())
			require.NoError(t, err)
			assert.JSONEq(t, string(got), string(twice))
			seen[l.Config().ClassName] = true
		})
	}
	for _, name := range LossNames() {
		assert.True(t, seen[name], "no round trip test for loss class %s", name)
	}
}

// TestLossErrors checks that bad names and arguments are errors that name
// the offending value and what is valid.
func TestLossErrors(t *testing.T) {
	cfg := func(class string, m map[string]any) map[string]any {
		return map[string]any{"class_name": class, "config": m}
	}
	tests := []struct {
		name string
		in   any
		want []string
	}{
		{"unknown name", "mean_squared_eror", []string{`unknown loss "mean_squared_eror": did you mean "mean_squared_error"?`, "Valid loss functions:", "mse", "sparse_categorical_crossentropy"}},
		{"unknown class name", "MeanSquaredEror", []string{`unknown loss "MeanSquaredEror": did you mean "MeanSquaredError"?`, "Valid loss classes:", "MeanSquaredError", "SparseCategoricalCrossentropy"}},
		{"label_smoothing 2", cfg("CategoricalCrossentropy", map[string]any{"label_smoothing": 2.0}), []string{"label_smoothing", "[0, 1]", "Received: label_smoothing=2"}},
		{"label_smoothing negative", cfg("BinaryCrossentropy", map[string]any{"label_smoothing": -0.1}), []string{"Received: label_smoothing=-0.1"}},
		{"reduction sum", cfg("MeanSquaredError", map[string]any{"reduction": "sum"}), []string{`Received: reduction="sum"`, "not implemented"}},
		{"ignore_class", cfg("SparseCategoricalCrossentropy", map[string]any{"ignore_class": 255.0}), []string{"ignore_class is not implemented", "Received: ignore_class=255"}},
		{"axis", cfg("CategoricalCrossentropy", map[string]any{"axis": 1.0}), []string{"only the last axis", "Received: axis=1"}},
		{"huber delta", cfg("Huber", map[string]any{"delta": -1.0}), []string{"Received: delta=-1"}},
		{"from_logits type", cfg("BinaryCrossentropy", map[string]any{"from_logits": "yes"}), []string{`Received: from_logits="yes"`}},
		{"unknown argument", cfg("Hinge", map[string]any{"margin": 1.0}), []string{`unknown argument "margin"`, "reduction"}},
		{"dtype", cfg("Poisson", map[string]any{"dtype": "float16"}), []string{`Received: dtype="float16"`}},
		{"not a loss", 3.0, []string{"cannot make a loss from 3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GetLoss(tc.in)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestLossValidate checks the shape and label errors a model gets before
// Forward would see bad targets.
func TestLossValidate(t *testing.T) {
	tests := []struct {
		name  string
		loss  string
		yTrue *tensor.Tensor
		yPred tensor.Shape
		want  []string // empty: valid
	}{
		{"same shape", "mse", tensor.New(4, 3), tensor.Shape{-1, 3}, nil},
		{"squeezed (batch,) for (batch, 1)", "binary_crossentropy", tensor.New(4), tensor.Shape{4, 1}, nil},
		{"wrong width", "mse", tensor.New(4, 2), tensor.Shape{-1, 3}, []string{"y_true has shape (4, 2)", "(None, 3)"}},
		{"wrong batch", "mse", tensor.New(4, 3), tensor.Shape{5, 3}, []string{"(4, 3)", "(5, 3)"}},
		{"labels for categorical", "categorical_crossentropy", tensor.New(4, 1), tensor.Shape{-1, 10},
			[]string{"(4, 1)", "to_categorical", "sparse_categorical_crossentropy"}},
		{"sparse ok", "sparse_categorical_crossentropy", lossT([]float32{0, 9, 3}, 3), tensor.Shape{-1, 10}, nil},
		{"sparse (batch, 1)", "sparse_categorical_crossentropy", lossT([]float32{0, 9, 3}, 3, 1), tensor.Shape{3, 10}, nil},
		{"sparse out of range", "sparse_categorical_crossentropy", lossT([]float32{0, 10, 3}, 3), tensor.Shape{-1, 10},
			[]string{"holds 10 at index 1", "[0, 10)"}},
		{"sparse negative", "sparse_categorical_crossentropy", lossT([]float32{-1}, 1), tensor.Shape{-1, 10}, []string{"holds -1"}},
		{"sparse fraction", "sparse_categorical_crossentropy", lossT([]float32{0.5}, 1), tensor.Shape{-1, 10}, []string{"holds 0.5", "integer"}},
		{"sparse one-hot", "sparse_categorical_crossentropy", tensor.New(3, 10), tensor.Shape{-1, 10},
			[]string{"one-hot", "categorical_crossentropy"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := GetLoss(tc.loss)
			require.NoError(t, err)
			err = l.Validate(tc.yTrue, tc.yPred)
			if tc.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

// TestLossLogitsInterface checks which losses offer the fused path and with
// which activation.
func TestLossLogitsInterface(t *testing.T) {
	for name, act := range map[string]string{"binary_crossentropy": "sigmoid", "categorical_crossentropy": "softmax",
		"sparse_categorical_crossentropy": "softmax", "mse": ""} {
		l, err := GetLoss(name)
		require.NoError(t, err)
		ll, ok := l.(LogitsLoss)
		assert.Equal(t, act != "", ok, name)
		if ok {
			assert.Equal(t, act, ll.LogitsActivation(), name)
			assert.False(t, ll.FromLogits(), name)
		}
	}
}
