package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDropoutGradients(t *testing.T) {
	tests := []struct {
		name     string
		cfg      map[string]any
		in       tensor.Shape
		training bool
	}{
		{"training", map[string]any{"rate": 0.4, "seed": 1}, tensor.Shape{4, 5}, true},
		{"inference", map[string]any{"rate": 0.4, "seed": 1}, tensor.Shape{4, 5}, false},
		{"noise_shape", map[string]any{"rate": 0.5, "seed": 2, "noise_shape": []any{nil, 1, 3}}, tensor.Shape{2, 4, 3}, true},
		{"activity_regularizer", map[string]any{"rate": 0.3, "seed": 3, "activity_regularizer": quadReg{0.2}}, tensor.Shape{3, 4}, true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustLayer(t, "Dropout", tt.cfg).(*Dropout)
			// Reseeding before every Forward fixes the mask, so the loss is a
			// smooth function of x for the finite differences.
			reseed := func() { d.rng.Seed(42) }
			checkLayerGradients(t, d, tt.in, gradOpts{training: tt.training, seed: uint64(i), beforeForward: reseed})
		})
	}
}

func TestDropoutTrainingScalesAndDrops(t *testing.T) {
	d, err := NewDropout(0.25, nil)
	require.NoError(t, err)
	require.NoError(t, d.Build(tensor.Shape{1000}, tensor.NewRNG(1)))
	x := tensor.New(20, 1000)
	x.Fill(1)
	y := d.Forward(x, true)
	dropped := 0
	for _, v := range y.Data {
		if v == 0 {
			dropped++
		} else {
			// kept values are scaled by 1/(1 − 0.25)
			require.InDelta(t, 1/0.75, v, 1e-6)
		}
	}
	frac := float64(dropped) / float64(len(y.Data))
	assert.InDelta(t, 0.25, frac, 0.01, "fraction dropped")

	y = d.Forward(x, false)
	assert.Same(t, x, y, "inference passes the input through")
}

func TestDropoutNoiseShapeBroadcasts(t *testing.T) {
	d, err := NewDropout(0.5, map[string]any{"noise_shape": []any{nil, 1.0, 6.0}, "seed": 3})
	require.NoError(t, err)
	require.NoError(t, d.Build(tensor.Shape{5, 6}, nil))
	x := tensor.New(3, 5, 6)
	x.Fill(1)
	y := d.Forward(x, true)
	// The mask is (3, 1, 6): the same along the 5 timesteps of each sample.
	for b := 0; b < 3; b++ {
		first := y.Data[b*30 : b*30+6]
		for s := 1; s < 5; s++ {
			assert.Equal(t, first, y.Data[b*30+s*6:b*30+s*6+6], "sample %d step %d", b, s)
		}
	}
	zeros := 0
	for _, v := range y.Data {
		if v == 0 {
			zeros++
		}
	}
	assert.Positive(t, zeros)
	assert.Less(t, zeros, len(y.Data))
}

func TestDropoutRandomSource(t *testing.T) {
	mask := func(cfg map[string]any, modelSeed uint64) []float32 {
		d := mustLayer(t, "Dropout", cfg)
		require.NoError(t, d.Build(tensor.Shape{50}, tensor.NewRNG(modelSeed)))
		x := tensor.New(2, 50)
		x.Fill(1)
		return d.Forward(x, true).Clone().Data
	}
	seeded := map[string]any{"rate": 0.5, "seed": 9}
	unseeded := map[string]any{"rate": 0.5}
	assert.Equal(t, mask(seeded, 1), mask(seeded, 2), "a seeded layer ignores the model's source")
	assert.Equal(t, mask(unseeded, 1), mask(unseeded, 1), "the model's seed fixes the mask")
	assert.NotEqual(t, mask(unseeded, 1), mask(unseeded, 2), "a different model seed gives a different mask")

	d := mustLayer(t, "Dropout", unseeded)
	assert.ErrorContains(t, d.Build(tensor.Shape{3}, nil), "random source")
}

func TestDropoutConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "Dropout", "config": {"name": "", "trainable": true, "dtype": "float32", "rate": 0.25, "noise_shape": null, "seed": null}}`,
		layerJSON(t, mustLayer(t, "Dropout", map[string]any{"rate": 0.25}).Config()))
	for name, cfg := range map[string]map[string]any{
		"plain":       {"rate": 0.5},
		"seed":        {"rate": 0.1, "seed": 1234.0},
		"noise_shape": {"rate": 0.1, "noise_shape": []any{nil, 1.0, 8.0}},
		"zero":        {"rate": 0.0, "name": "drop"},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "Dropout", cfg)) })
	}
}

func TestDropoutErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		want string
	}{
		{"rate_1.5", map[string]any{"rate": 1.5}, "Received: rate=1.5"},
		{"rate_1", map[string]any{"rate": 1}, "Received: rate=1"},
		{"rate_negative", map[string]any{"rate": -0.1}, "Received: rate=-0.1"},
		{"rate_missing", map[string]any{}, "Received: rate=None"},
		{"noise_shape_zero", map[string]any{"rate": 0.5, "noise_shape": []any{nil, 0.0}}, "Received: noise_shape=[null,0]"},
		{"unknown_argument", map[string]any{"rate": 0.5, "p": 0.5}, `unknown argument "p"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := layerError(t, "Dropout", tt.cfg)
			assert.Contains(t, msg, tt.want)
		})
	}
	assert.Contains(t, layerError(t, "Dropout", map[string]any{"rate": 1.5}), "[0, 1)")

	shapeTests := []struct {
		name  string
		noise []any
		in    tensor.Shape
		want  []string
	}{
		{"rank", []any{nil, 1.0}, tensor.Shape{4, 5}, []string{"(None, 1)", "(4, 5)", "3 entries"}},
		{"dimension", []any{nil, 3.0}, tensor.Shape{5}, []string{"(None, 3)", "(5,)"}},
		{"fixed_batch", []any{32.0, 5.0}, tensor.Shape{5}, []string{"fixed batch entry (32)"}},
	}
	for _, tt := range shapeTests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustLayer(t, "Dropout", map[string]any{"rate": 0.5, "seed": 1, "noise_shape": tt.noise})
			err := d.Build(tt.in, nil)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestDropoutStepAllocatesNothing(t *testing.T) {
	for name, cfg := range map[string]map[string]any{
		"plain":       {"rate": 0.5, "seed": 1},
		"noise_shape": {"rate": 0.5, "seed": 1, "noise_shape": []any{nil, 1.0, 4.0}},
	} {
		t.Run(name, func(t *testing.T) {
			l := mustLayer(t, "Dropout", cfg)
			require.NoError(t, l.Build(tensor.Shape{3, 4}, nil))
			assert.Zero(t, stepAllocs(l, tensor.New(8, 3, 4), true))
		})
	}
}
