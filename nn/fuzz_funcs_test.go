package nn

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/require"
)

// fzExtremes are the values the function targets feed: the ones that break
// logs, divisions and exponentials.
var fzExtremes = []float32{0, 1, -1, 0.5, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	1e30, -1e30, 1e-30, 1e-7, 1 - 1e-7, 88.8, -104, 3, float32(math.Copysign(0, -1))}

// fzValues returns n values picked from fzExtremes by the bytes of pick
// (cycled), or fzExtremes in order when pick is empty.
func fzValues(n int, pick []byte) []float32 {
	out := make([]float32, n)
	for i := range out {
		j := i
		if len(pick) > 0 {
			j = int(pick[i%len(pick)])
		}
		out[i] = fzExtremes[j%len(fzExtremes)]
	}
	return out
}

// fzInitShapes are the weight shapes initializers are tried on: scalar,
// zero-size, 1-D, matrices, kernels.
var fzInitShapes = []tensor.Shape{{}, {0}, {1}, {7}, {0, 3}, {3, 0}, {1, 1}, {2, 5}, {5, 2}, {3, 3, 0, 2}, {2, 2, 3, 4}, {1, 1, 1, 1, 1}}

// fzJSONEqual checks that two configs write the same JSON (when they can be
// written: ±Inf cannot).
func fzJSONEqual(t *testing.T, a, b Config) {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		return
	}
	jb, err := json.Marshal(b)
	require.NoError(t, err)
	require.JSONEq(t, string(ja), string(jb), "config changed on the round trip")
}

// fzGetters tries v with every getter and exercises what comes out.
func fzGetters(t *testing.T, v any, pick []byte) {
	if a, err := GetActivation(v); err != nil {
		fzErr(t, err)
	} else {
		fzActivation(t, a, pick)
	}
	if ini, err := GetInitializer(v); err != nil {
		fzErr(t, err)
	} else {
		fzInitializer(t, ini, fzInitShapes)
	}
	if r, err := GetRegularizer(v); err != nil {
		fzErr(t, err)
	} else if r != nil {
		again, err := GetRegularizer(r.Config())
		require.NoError(t, err)
		fzJSONEqual(t, r.Config(), again.Config())
		w := fzValues(9, pick)
		r.Loss(w)
		r.Grad(make([]float32, len(w)), w)
	}
	if c, err := GetConstraint(v); err != nil {
		fzErr(t, err)
	} else if c != nil {
		fzConstraint(t, c, pick)
	}
	if l, err := GetLoss(v); err != nil {
		fzErr(t, err)
	} else {
		again, err := GetLoss(l.Config())
		require.NoError(t, err, "GetLoss(%v)", l.Config())
		fzJSONEqual(t, l.Config(), again.Config())
		fzLoss(t, l, 2, 3, 0, pick)
	}
	if o, err := GetOptimizer(v); err != nil {
		fzErr(t, err)
	} else {
		fzOptimizer(t, o, pick)
	}
	if m, err := GetMetric(v); err != nil {
		fzErr(t, err)
	} else {
		again, err := GetMetric(m.Config())
		require.NoError(t, err, "GetMetric(%v)", m.Config())
		fzJSONEqual(t, m.Config(), again.Config())
		fzMetric(t, m, 2, 3, pick)
	}
	if m, err := ResolveMetric(v, tensor.Shape{-1, 1}, tensor.Shape{-1, 3}); err != nil {
		fzErr(t, err)
	} else {
		fzMetric(t, m, 2, 3, pick)
	}
}

func fzActivation(t *testing.T, a Activation, pick []byte) {
	again, err := GetActivation(a.Name())
	require.NoError(t, err, "GetActivation(%q)", a.Name())
	require.Equal(t, a.Name(), again.Name())
	// Tensors reach an activation with their batch axis, so rank >= 1
	// (softmax of a rank-0 tensor has no last axis and panics).
	for _, s := range []tensor.Shape{{2, 8}, {3}, {0, 4}, {2, 0}, {1, 2, 3}} {
		x := tensor.FromSlice(fzValues(s.Size(), pick), s...)
		y, dx := tensor.New(s...), tensor.New(s...)
		a.Forward(y, x)
		a.Backward(dx, x, y, tensor.FromSlice(fzValues(s.Size(), nil), s...))
	}
}

func fzInitializer(t *testing.T, ini Initializer, shapes []tensor.Shape) {
	again, err := GetInitializer(ini.Config())
	require.NoError(t, err, "GetInitializer(%v)", ini.Config())
	fzJSONEqual(t, ini.Config(), again.Config())
	for _, s := range shapes {
		w := tensor.New(s...)
		if err := ini.Initialize(w, tensor.NewRNG(1)); err != nil {
			fzErr(t, err)
		}
	}
}

func fzConstraint(t *testing.T, c Constraint, pick []byte) {
	again, err := GetConstraint(c.Config())
	require.NoError(t, err, "GetConstraint(%v)", c.Config())
	fzJSONEqual(t, c.Config(), again.Config())
	for _, s := range fzInitShapes {
		if err := CheckConstraint(c, s); err != nil {
			fzErr(t, err)
			continue
		}
		c.Apply(tensor.FromSlice(fzValues(s.Size(), pick), s...))
	}
}

func fzOptimizer(t *testing.T, o Optimizer, pick []byte) {
	again, err := GetOptimizer(o.Config())
	require.NoError(t, err, "GetOptimizer(%v)", o.Config())
	fzJSONEqual(t, o.Config(), again.Config())
	params := []*Param{NewParam("kernel", 2, 3), NewParam("bias", 3), NewParam("empty", 0)}
	params[2].Trainable = false
	for step := range 3 {
		for _, p := range params {
			copy(p.Grad.Data, fzValues(p.Grad.Size(), pick[min(step, len(pick)):]))
		}
		o.Apply(params)
	}
	require.Equal(t, int64(3), o.Iterations())
	o.SetLearningRate(math.Inf(1))
	o.Apply(params)
}

// FuzzGetters: any JSON value through GetActivation, GetInitializer,
// GetRegularizer, GetConstraint, GetLoss and GetOptimizer gives an error or
// an object whose config makes an equal object, and which runs on extreme
// values without panicking.
func FuzzGetters(f *testing.F) {
	seeds := []string{
		`"relu"`, `"softmax"`, `""`, `null`, `3`, `[]`, `{}`, `"glorot_uniform"`, `"orthogonal"`, `"identity"`,
		`{"class_name": "Orthogonal", "config": {"gain": 2, "seed": 1}}`,
		`{"class_name": "VarianceScaling", "config": {"scale": 2, "mode": "fan_out", "distribution": "uniform"}}`,
		`{"class_name": "RandomUniform", "config": {"minval": 1e308, "maxval": 1e308}}`,
		`{"class_name": "Constant", "config": {"value": -1e38}}`, `{"class_name": "Identity", "config": {"gain": 0}}`,
		`"l1"`, `{"class_name": "L1L2", "config": {"l1": 1e300, "l2": 1e300}}`, `"orthogonal_regularizer"`,
		`"non_neg"`, `{"class_name": "MaxNorm", "config": {"max_value": 0, "axis": [0, -1]}}`,
		`{"class_name": "MinMaxNorm", "config": {"min_value": 0, "max_value": 0, "rate": 0, "axis": 5}}`,
		`{"class_name": "UnitNorm", "config": {"axis": [1, 1]}}`,
		`"mse"`, `"binary_crossentropy"`, `"categorical_crossentropy"`, `"sparse_categorical_crossentropy"`,
		`{"class_name": "CategoricalCrossentropy", "config": {"from_logits": true, "label_smoothing": 1}}`,
		`{"class_name": "Huber", "config": {"delta": 0}}`, `"kl_divergence"`, `"cosine_similarity"`, `"categorical_hinge"`,
		`"sgd"`, `{"class_name": "SGD", "config": {"lr": 0, "momentum": 0.9, "nesterov": true, "decay": 1e10}}`,
		`{"class_name": "Adam", "config": {"learning_rate": 1e-3, "clipnorm": 0, "amsgrad": true}}`,
		`{"class_name": "RMSprop", "config": {"centered": true, "epsilon": 0, "global_clipnorm": 1}}`,
		`"adadelta"`, `"adagrad"`, `"adamax"`, `"nadam"`, `{"class_name": "AdamW", "config": {"weight_decay": 1e30}}`,
		`{"class_name": "Adam", "config": {"clipvalue": 0, "beta_1": 1, "beta_2": 1}}`,
		`"accuracy"`, `"acc"`, `"crossentropy"`, `"AUC"`, `"top_k_categorical_accuracy"`, `"mean"`,
		`{"class_name": "AUC", "config": {"num_thresholds": 2, "curve": "PR", "summation_method": "majoring"}}`,
		`{"class_name": "AUC", "config": {"num_thresholds": 1e15}}`,
		`{"class_name": "AUC", "config": {"thresholds": [0, 0, 1], "from_logits": true}}`,
		`{"class_name": "Precision", "config": {"thresholds": [0.1, 0.9], "top_k": 2, "class_id": 7}}`,
		`{"class_name": "Recall", "config": {"top_k": 0, "class_id": -1}}`,
		`{"class_name": "SparseTopKCategoricalAccuracy", "config": {"k": 100}}`,
		`{"class_name": "MeanMetricWrapper", "config": {"fn": "mse", "name": "m"}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), []byte{4, 6, 2})
	}
	f.Fuzz(func(t *testing.T, data, pick []byte) {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return
		}
		fzGetters(t, v, pick)
		if c, err := ParseConfig(data); err == nil {
			fzGetters(t, c, pick)
		} else {
			fzErr(t, err)
		}
	})
}

// FuzzInitializers: every registered initializer (with a fuzzed seed and
// gain where it takes them) on a fuzzed shape, zero-size, 1-D and large
// ones included, fills it or returns an error; never panics.
func FuzzInitializers(f *testing.F) {
	f.Add(uint8(0), uint8(2), int64(3), int64(4), int64(0), int64(0), int64(1))
	f.Add(uint8(3), uint8(1), int64(0), int64(0), int64(0), int64(0), int64(-5))
	f.Add(uint8(7), uint8(4), int64(2), int64(2), int64(0), int64(9), int64(1))
	f.Add(uint8(9), uint8(3), int64(1<<40), int64(1<<40), int64(1<<40), int64(0), int64(0))
	names := initializers.classNames()
	f.Fuzz(func(t *testing.T, which, rank uint8, d0, d1, d2, d3, seed int64) {
		name := names[int(which)%len(names)]
		m := map[string]any{"seed": float64(seed % (1 << 53))}
		switch name {
		case "Zeros", "Ones", "Identity", "Constant":
			m = map[string]any{}
		}
		ini, err := GetInitializer(Config{ClassName: name, Config: m})
		require.NoError(t, err, name)
		s := fzShape(rank, d0, d1, d2, d3)
		if _, ok := fzProduct(fzMaxParams, s...); !ok {
			return // too large to allocate (or negative, which tensor.New rejects)
		}
		fzInitializer(t, ini, []tensor.Shape{s})
	})
}
