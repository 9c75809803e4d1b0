package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestLayerNormalizationGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}{
		{"last_axis", nil, tensor.Shape{3, 5}},
		{"sequence", nil, tensor.Shape{2, 3, 4}},
		{"middle_axis", map[string]any{"axis": 1}, tensor.Shape{2, 3, 2}},
		{"two_axes", map[string]any{"axis": []any{-2, -1}}, tensor.Shape{2, 3, 2}},
		{"no_scale_no_center", map[string]any{"scale": false, "center": false}, tensor.Shape{3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkLayerGradients(t, mustLayer(t, "LayerNormalization", tc.cfg), tc.in, gradOpts{seed: 7})
		})
	}
}

// Keras's formula per sample: y = gamma·(x − mean)/sqrt(var + ε) + beta over
// the last axis, the same in training and inference.
func TestLayerNormalizationKerasFormula(t *testing.T) {
	l := mustLayer(t, "LayerNormalization", nil)
	require.NoError(t, l.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	ps := l.Params()
	require.Equal(t, []string{"gamma", "beta"}, paramNames(ps))
	copy(ps[0].Value.Data, []float32{1, 2, 3})
	copy(ps[1].Value.Data, []float32{0, 1, 0})
	x := tensor.FromSlice([]float32{1, 2, 3, 0, 0, 6}, 2, 3)
	want := []float64{}
	for _, row := range [][]float64{{1, 2, 3}, {0, 0, 6}} {
		mean := (row[0] + row[1] + row[2]) / 3
		v := 0.0
		for _, r := range row {
			v += (r - mean) * (r - mean) / 3
		}
		for j, r := range row {
			want = append(want, []float64{1, 2, 3}[j]*(r-mean)/math.Sqrt(v+1e-3)+[]float64{0, 1, 0}[j])
		}
	}
	assert.InDeltaSlice(t, want, toFloat64(l.Forward(x, true).Data), 1e-5)
	assert.InDeltaSlice(t, want, toFloat64(l.Forward(x, false).Data), 1e-5)
}

func TestLayerNormalizationConfig(t *testing.T) {
	l := mustLayer(t, "LayerNormalization", nil)
	assert.JSONEq(t, `{"class_name": "LayerNormalization", "config": {"name": "", "trainable": true, "dtype": "float32",
		"axis": -1, "epsilon": 0.001, "center": true, "scale": true,
		"beta_initializer": {"class_name": "Zeros", "config": {}}, "gamma_initializer": {"class_name": "Ones", "config": {}},
		"beta_regularizer": null, "gamma_regularizer": null, "beta_constraint": null, "gamma_constraint": null}}`,
		string(mustJSON(t, l.Config())))
	for name, cfg := range map[string]map[string]any{
		"defaults": nil,
		"all":      {"axis": []any{1, 2}, "epsilon": 1e-6, "center": false, "name": "ln", "rms_scaling": false},
		"weights":  {"gamma_regularizer": "l1", "beta_initializer": "ones"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "LayerNormalization", cfg)) })
	}
	assert.Contains(t, layerError(t, "LayerNormalization", map[string]any{"rms_scaling": true}), "rms_scaling")
	assert.Contains(t, layerError(t, "LayerNormalization", map[string]any{"epsilon": -1}), "epsilon")
	l = mustLayer(t, "LayerNormalization", map[string]any{"axis": []any{1, 2}})
	require.NoError(t, l.Build(tensor.Shape{4, 6}, tensor.NewRNG(1)))
	assert.Equal(t, tensor.Shape{4, 6}, l.Params()[0].Value.Shape, "gamma has the normalized axes' shape")
	_, err := l.OutputShape(tensor.Shape{4, 5})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "as when it was built")
}

func TestLayerNormalizationStepAllocatesNothing(t *testing.T) {
	l := mustLayer(t, "LayerNormalization", nil)
	require.NoError(t, l.Build(tensor.Shape{3, 8}, tensor.NewRNG(1)))
	assert.Zero(t, stepAllocs(l, tensor.New(2, 3, 8), true))
}
