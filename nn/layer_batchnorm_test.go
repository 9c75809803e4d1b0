package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestBatchNormalizationGradientsInTraining(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"dense", map[string]any{}, tensor.Shape{5, 3}},
		{"images_channels_last", map[string]any{}, tensor.Shape{2, 3, 3, 2}},
		{"channels_first", map[string]any{"axis": 1}, tensor.Shape{2, 3, 2, 2}},
		{"no_scale", map[string]any{"scale": false}, tensor.Shape{4, 3}},
		{"no_center", map[string]any{"center": false}, tensor.Shape{4, 3}},
		{"two_axes", map[string]any{"axis": []any{1, 2}}, tensor.Shape{3, 2, 2, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := mustLayer(t, "BatchNormalization", tc.cfg)
			checkLayerGradients(t, l, tc.in, gradOpts{training: true, seed: 3})
		})
	}
}

// In inference the moving statistics are constants: dx = dy·gamma/sqrt(var+ε).
// epsilon 1.5 keeps variance + ε positive for the check's random weights.
func TestBatchNormalizationGradientsInInference(t *testing.T) {
	l := mustLayer(t, "BatchNormalization", map[string]any{"epsilon": 1.5})
	checkLayerGradients(t, l, tensor.Shape{4, 3}, gradOpts{seed: 5, skip: []string{"moving_mean", "moving_variance"}})
}

// Keras's formulas, written out: batch mean and biased variance per channel,
// y = gamma·(x − mean)/sqrt(var + ε) + beta, and
// moving = moving·momentum + batch·(1 − momentum).
func TestBatchNormalizationKerasFormula(t *testing.T) {
	l := mustLayer(t, "BatchNormalization", map[string]any{"momentum": 0.9, "epsilon": 0.01})
	require.NoError(t, l.Build(tensor.Shape{2}, tensor.NewRNG(1)))
	ps := l.Params()
	require.Equal(t, []string{"gamma", "beta", "moving_mean", "moving_variance"}, paramNames(ps))
	assert.Equal(t, []bool{true, true, false, false}, []bool{ps[0].Trainable, ps[1].Trainable, ps[2].Trainable, ps[3].Trainable})
	copy(ps[0].Value.Data, []float32{2, 0.5})
	copy(ps[1].Value.Data, []float32{1, -1})
	// channel 0: 1, 2, 3, 6 (mean 3, var 3.5); channel 1: 0, 0, 4, 4 (mean 2, var 4)
	x := tensor.FromSlice([]float32{1, 0, 2, 0, 3, 4, 6, 4}, 4, 2)
	y := l.Forward(x, true)
	want := make([]float64, 8)
	for i, v := range x.Data {
		c := i % 2
		mean, variance := []float64{3, 2}[c], []float64{3.5, 4}[c]
		want[i] = []float64{2, 0.5}[c]*(float64(v)-mean)/math.Sqrt(variance+0.01) + []float64{1, -1}[c]
	}
	assert.InDeltaSlice(t, want, toFloat64(y.Data), 1e-5)
	assert.InDeltaSlice(t, []float64{0.3, 0.2}, toFloat64(ps[2].Value.Data), 1e-6, "0·0.9 + mean·0.1")
	assert.InDeltaSlice(t, []float64{0.9 + 0.35, 0.9 + 0.4}, toFloat64(ps[3].Value.Data), 1e-6, "1·0.9 + var·0.1")

	// Inference uses the moving statistics and leaves them alone.
	y = l.Forward(x, false)
	assert.InDelta(t, 2*(1-0.3)/math.Sqrt(1.25+0.01)+1, float64(y.Data[0]), 1e-5)
	assert.InDeltaSlice(t, []float64{0.3, 0.2}, toFloat64(ps[2].Value.Data), 1e-6)

	// A frozen layer (trainable=false at compile) runs in inference mode in training too.
	l.Base().Frozen = true
	y = l.Forward(x, true)
	assert.InDelta(t, 2*(1-0.3)/math.Sqrt(1.25+0.01)+1, float64(y.Data[0]), 1e-5)
	assert.InDeltaSlice(t, []float64{0.3, 0.2}, toFloat64(ps[2].Value.Data), 1e-6)
}

func TestBatchNormalizationConfig(t *testing.T) {
	l := mustLayer(t, "BatchNormalization", nil)
	assert.JSONEq(t, `{"class_name": "BatchNormalization", "config": {"name": "", "trainable": true, "dtype": "float32",
		"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true,
		"beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}},
		"moving_mean_initializer": {"class_name": "Zeros", "config": {}}, "moving_variance_initializer": {"class_name": "Ones", "config": {}},
		"beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null}}`,
		string(mustJSON(t, l.Config())))
	for name, cfg := range map[string]map[string]any{
		"defaults":  nil,
		"all":       {"axis": 1, "momentum": 0.9, "epsilon": 1e-5, "center": false, "scale": false, "name": "bn", "trainable": false},
		"weights":   {"gamma_regularizer": "l2", "beta_constraint": "non_neg", "moving_variance_initializer": "zeros", "gamma_initializer": "random_normal"},
		"axes_list": {"axis": []any{1, 3}},
		"keras2":    {"fused": true, "renorm": false, "renorm_momentum": 0.99, "renorm_clipping": nil, "virtual_batch_size": nil, "adjustment": nil},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "BatchNormalization", cfg)) })
	}
}

func TestBatchNormalizationShapesAndCounts(t *testing.T) {
	l := mustLayer(t, "BatchNormalization", nil)
	out, err := l.OutputShape(tensor.Shape{26, 26, 32})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{26, 26, 32}, out)
	require.NoError(t, l.Build(tensor.Shape{26, 26, 32}, tensor.NewRNG(1)))
	n := 0
	for _, p := range l.Params() {
		n += p.Value.Size()
	}
	assert.Equal(t, 128, n, "Keras's summary: 4·channels")
	assert.Equal(t, 128.0, LayerFootprint(l, tensor.Shape{26, 26, 32}).Weights)
	_, err = l.OutputShape(tensor.Shape{26, 26, 16})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "32 entries")
}

func TestBatchNormalizationErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg  map[string]any
		want []string
	}{
		{map[string]any{"momentum": 1.5}, []string{"momentum", "1.5"}},
		{map[string]any{"epsilon": 0}, []string{"epsilon", "positive"}},
		{map[string]any{"axis": 0}, []string{"axis", "batch"}},
		{map[string]any{"renorm": true}, []string{"renorm", "not implemented"}},
		{map[string]any{"synchronized": true}, []string{"synchronized"}},
		{map[string]any{"virtual_batch_size": 8}, []string{"virtual_batch_size"}},
		{map[string]any{"gamma_initializer": "onez"}, []string{"gamma_initializer", "onez"}},
		{map[string]any{"moving_mean_regularizer": "l2"}, []string{"moving_mean_regularizer"}},
	} {
		msg := layerError(t, "BatchNormalization", tc.cfg)
		for _, w := range tc.want {
			assert.Contains(t, msg, w)
		}
	}
	l := mustLayer(t, "BatchNormalization", map[string]any{"axis": 3})
	err := l.Build(tensor.Shape{4}, tensor.NewRNG(1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "axis 3")
}

func TestBatchNormalizationStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "BatchNormalization", nil)
	require.NoError(t, l.Build(tensor.Shape{4, 4, 3}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 4, 4, 3), true))
}

func paramNames(ps []*Param) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func toFloat64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// axis=1 on (batch, c, h, w) is axis=-1 on the same values laid out
// (batch, h, w, c): the same statistics per channel, so the same outputs.
func TestBatchNormalizationChannelsFirstIsChannelsLastTransposed(t *testing.T) {
	first := mustLayer(t, "BatchNormalization", map[string]any{"axis": 1})
	last := mustLayer(t, "BatchNormalization", nil)
	require.NoError(t, first.Build(tensor.Shape{3, 2, 2}, tensor.NewRNG(1)))
	require.NoError(t, last.Build(tensor.Shape{2, 2, 3}, tensor.NewRNG(1)))
	for i, p := range first.Params() {
		copy(p.Value.Data, []float32{0.5, 1.5, -1})
		copy(last.Params()[i].Value.Data, p.Value.Data)
	}
	xf := tensor.New(2, 3, 2, 2)
	tensor.NewRNG(9).Uniform(xf.Data, -2, 2)
	xl := tensor.New(2, 2, 2, 3)
	for b := 0; b < 2; b++ {
		for c := 0; c < 3; c++ {
			for h := 0; h < 2; h++ {
				for w := 0; w < 2; w++ {
					xl.Data[((b*2+h)*2+w)*3+c] = xf.Data[((b*3+c)*2+h)*2+w]
				}
			}
		}
	}
	yf, yl := first.Forward(xf, true), last.Forward(xl, true)
	for b := 0; b < 2; b++ {
		for c := 0; c < 3; c++ {
			for h := 0; h < 2; h++ {
				for w := 0; w < 2; w++ {
					assert.InDelta(t, yl.Data[((b*2+h)*2+w)*3+c], yf.Data[((b*3+c)*2+h)*2+w], 1e-6)
				}
			}
		}
	}
	assert.InDeltaSlice(t, toFloat64(last.Params()[2].Value.Data), toFloat64(first.Params()[2].Value.Data), 1e-6)
}
