package nn

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lossGradStep is the finite-difference step on float32 predictions;
// lossGradTol the largest relative error accepted (a wrong gradient is off
// by order 1; a right one by about 1e-6 here, since the losses accumulate in
// float64).
const (
	lossGradStep = 1e-3
	lossGradTol  = 1e-3
)

// lossData makes targets and predictions for a gradient check.
type lossData func(rng *tensor.RNG, shape tensor.Shape) (yTrue, yPred *tensor.Tensor)

// uniformData draws targets from [tLo, tHi) and predictions from [pLo, pHi).
func uniformData(tLo, tHi, pLo, pHi float64) lossData {
	return func(rng *tensor.RNG, shape tensor.Shape) (*tensor.Tensor, *tensor.Tensor) {
		yt, yp := tensor.New(shape...), tensor.New(shape...)
		rng.Uniform(yt.Data, tLo, tHi)
		rng.Uniform(yp.Data, pLo, pHi)
		return yt, yp
	}
}

// oneHotData draws one-hot targets (or {−1, 1} ones when signed) and
// predictions from [pLo, pHi).
func oneHotData(pLo, pHi float64, signed bool) lossData {
	return func(rng *tensor.RNG, shape tensor.Shape) (*tensor.Tensor, *tensor.Tensor) {
		yt, yp := tensor.New(shape...), tensor.New(shape...)
		n := shape[len(shape)-1]
		for k := 0; k < len(yt.Data); k += n {
			if signed {
				for j := 0; j < n; j++ {
					yt.Data[k+j] = -1
				}
			}
			yt.Data[k+rng.IntN(n)] = 1
		}
		rng.Uniform(yp.Data, pLo, pHi)
		return yt, yp
	}
}

// sparseData draws class indices for predictions of the given shape.
func sparseData(pLo, pHi float64) lossData {
	return func(rng *tensor.RNG, shape tensor.Shape) (*tensor.Tensor, *tensor.Tensor) {
		n := shape[len(shape)-1]
		yt, yp := tensor.New(shape[:len(shape)-1]...), tensor.New(shape...)
		for i := range yt.Data {
			yt.Data[i] = float32(rng.IntN(n))
		}
		rng.Uniform(yp.Data, pLo, pHi)
		return yt, yp
	}
}

// lossGradErr compares Backward with central differences of
// Σ_i r_i·loss_i, whose gradient on row i is r_i·∂loss_i/∂yPred_i; random
// r_i catch rows written to the wrong sample.
func lossGradErr(fwd func(out []float64, yt, yp *tensor.Tensor), bwd func(d, yt, yp *tensor.Tensor), yTrue, yPred *tensor.Tensor) float64 {
	batch := yPred.Shape[0]
	r := gradcheck.Random(batch, 0.5, 1.5, 11)
	out := make([]float64, batch)
	f := func() float64 {
		fwd(out, yTrue, yPred)
		var s float64
		for i, v := range out {
			s += float64(r[i]) * v
		}
		return s
	}
	d := tensor.New(yPred.Shape...)
	bwd(d, yTrue, yPred)
	per := len(d.Data) / batch
	analytic := make([]float32, len(d.Data))
	for j, g := range d.Data {
		analytic[j] = g * r[j/per]
	}
	numeric := gradcheck.Numeric(f, yPred.Data, lossGradStep)
	e, _ := gradcheck.MaxRelErr(analytic, numeric, 1e-3)
	return e
}

func lossGradCases() []struct {
	name   string
	config string
	data   lossData
} {
	return []struct {
		name   string
		config string
		data   lossData
	}{
		{"mse", `"mse"`, uniformData(-1, 1, -2, 2)},
		{"mae", `"mae"`, uniformData(-1, 1, -2, 2)},
		{"mape", `"mape"`, uniformData(0.5, 2, -2, 2)},
		{"msle", `"msle"`, uniformData(0, 2, 0.1, 2)},
		{"huber", `"huber"`, uniformData(-1, 1, -3, 3)},
		{"huber delta=0.5", `{"class_name": "Huber", "config": {"delta": 0.5}}`, uniformData(-1, 1, -3, 3)},
		{"log_cosh", `"log_cosh"`, uniformData(-1, 1, -3, 3)},
		{"poisson", `"poisson"`, uniformData(0, 3, 0.1, 2)},
		{"hinge {0,1}", `"hinge"`, oneHotData(-2, 2, false)},
		{"hinge {-1,1}", `"hinge"`, oneHotData(-2, 2, true)},
		{"squared_hinge", `"squared_hinge"`, oneHotData(-2, 2, false)},
		{"categorical_hinge", `"categorical_hinge"`, oneHotData(-2, 2, false)},
		{"kl_divergence", `"kld"`, uniformData(0, 1, 0.05, 0.95)},
		{"cosine_similarity", `"cosine_similarity"`, uniformData(-1, 1, -1, 1)},
		{"binary_crossentropy", `"binary_crossentropy"`, uniformData(0, 1, 0.05, 0.95)},
		{"binary_crossentropy smoothing", `{"class_name": "BinaryCrossentropy", "config": {"label_smoothing": 0.2}}`, oneHotData(0.05, 0.95, false)},
		{"binary_crossentropy from_logits", `{"class_name": "BinaryCrossentropy", "config": {"from_logits": true, "label_smoothing": 0.1}}`, uniformData(0, 1, -4, 4)},
		{"categorical_crossentropy", `"categorical_crossentropy"`, oneHotData(0.05, 0.95, false)},
		{"categorical_crossentropy soft", `"categorical_crossentropy"`, uniformData(0, 1, 0.05, 0.95)},
		{"categorical_crossentropy smoothing", `{"class_name": "CategoricalCrossentropy", "config": {"label_smoothing": 0.1}}`, oneHotData(0.05, 0.95, false)},
		{"categorical_crossentropy from_logits", `{"class_name": "CategoricalCrossentropy", "config": {"from_logits": true, "label_smoothing": 0.1}}`, oneHotData(-4, 4, false)},
		{"sparse_categorical_crossentropy", `"sparse_categorical_crossentropy"`, sparseData(0.05, 0.95)},
		{"sparse_categorical_crossentropy from_logits", `{"class_name": "SparseCategoricalCrossentropy", "config": {"from_logits": true}}`, sparseData(-4, 4)},
	}
}

// TestLossGradients checks every loss's Backward, and the logits path of
// the crossentropies, against central differences on batches of shape
// (3, 4) and (2, 3, 4) (inner positions), and logs the largest error.
func TestLossGradients(t *testing.T) {
	var table strings.Builder
	for ci, tc := range lossGradCases() {
		l, err := GetLoss(mustParseLossArg(t, tc.config))
		require.NoError(t, err, tc.name)
		for si, shape := range []tensor.Shape{{3, 4}, {2, 3, 4}} {
			yt, yp := tc.data(tensor.NewRNG(uint64(100*ci+si)), shape)
			require.NoError(t, l.Validate(yt, yp.Shape), tc.name)
			e := lossGradErr(l.Forward, l.Backward, yt, yp)
			name := fmt.Sprintf("%s %v", tc.name, shape)
			assert.Less(t, e, lossGradTol, name)
			fmt.Fprintf(&table, "%-55s %.2e\n", name, e)
			// The fused path: the same loss computed from logits.
			if ll, ok := l.(LogitsLoss); ok && !ll.FromLogits() {
				_, z := tc.data(tensor.NewRNG(uint64(100*ci+si+50)), shape)
				rng := tensor.NewRNG(uint64(7 + ci))
				rng.Uniform(z.Data, -4, 4)
				e := lossGradErr(ll.ForwardLogits, ll.BackwardLogits, yt, z)
				name := fmt.Sprintf("%s (logits path) %v", tc.name, shape)
				assert.Less(t, e, lossGradTol, name)
				fmt.Fprintf(&table, "%-55s %.2e\n", name, e)
			}
		}
	}
	t.Logf("largest relative error of each loss gradient:\n%s", table.String())
}

// TestLossLogitsStable feeds logits of ±1000: the losses and gradients stay
// finite, and equal the exact values (the loss is the margin, the gradient
// softmax − y or sigmoid − y).
func TestLossLogitsStable(t *testing.T) {
	tests := []struct {
		name  string
		cfg   string
		yTrue *tensor.Tensor
		z     *tensor.Tensor
		loss  float64
		grad  []float32
	}{
		{"categorical", "categorical_crossentropy", tensor.FromSlice([]float32{0, 1, 0}, 1, 3),
			tensor.FromSlice([]float32{1000, -1000, 0}, 1, 3), 2000, []float32{1, -1, 0}},
		{"sparse", "sparse_categorical_crossentropy", tensor.FromSlice([]float32{1}, 1),
			tensor.FromSlice([]float32{1000, -1000, 0}, 1, 3), 2000, []float32{1, -1, 0}},
		// binary: mean(1000, 1000) over the two elements; gradient (σ(z) − y)/2.
		{"binary", "binary_crossentropy", tensor.FromSlice([]float32{0, 1}, 1, 2),
			tensor.FromSlice([]float32{1000, -1000}, 1, 2), 1000, []float32{0.5, -0.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, fromLogits := range []bool{false, true} {
				l, err := GetLoss(tc.cfg)
				require.NoError(t, err)
				if fromLogits {
					cfg := l.Config()
					cfg.Config["from_logits"] = true
					l, err = GetLoss(cfg)
					require.NoError(t, err)
				}
				ll := l.(LogitsLoss)
				out := make([]float64, 1)
				d := tensor.New(tc.z.Shape...)
				if fromLogits { // Forward itself takes logits
					l.Forward(out, tc.yTrue, tc.z)
					l.Backward(d, tc.yTrue, tc.z)
				} else { // the fused path a model takes after a softmax/sigmoid
					ll.ForwardLogits(out, tc.yTrue, tc.z)
					ll.BackwardLogits(d, tc.yTrue, tc.z)
				}
				assert.False(t, math.IsNaN(out[0]) || math.IsInf(out[0], 0))
				assert.InDelta(t, tc.loss, out[0], 1e-9)
				assert.InDeltaSlice(t, tc.grad, d.Data, 1e-6)
			}
		})
	}
}

// mustParseLossArg turns a JSON test argument (a name or a config) into
// what GetLoss takes.
func mustParseLossArg(t *testing.T, s string) any {
	t.Helper()
	if strings.HasPrefix(s, `"`) {
		return strings.Trim(s, `"`)
	}
	c, err := ParseConfig([]byte(s))
	require.NoError(t, err)
	return c
}
