package nn

import (
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noiseRNG returns the random source of a noise layer, to reseed it so that
// every evaluation of a finite-difference loss sees the same noise.
func noiseRNG(l Layer) *tensor.RNG {
	switch x := l.(type) {
	case *GaussianNoise:
		return x.rng
	case *GaussianDropout:
		return x.rng
	case *SpatialDropout:
		return x.rng
	case *AlphaDropout:
		return x.mask.rng
	}
	return nil
}

func TestNoiseGradients(t *testing.T) {
	tests := []struct {
		class    string
		cfg      map[string]any
		in       tensor.Shape
		training bool
	}{
		{"GaussianNoise", map[string]any{"stddev": 0.5, "seed": 1}, tensor.Shape{3, 4}, true},
		{"GaussianNoise", map[string]any{"stddev": 0.5}, tensor.Shape{3, 4}, false},
		{"GaussianDropout", map[string]any{"rate": 0.3, "seed": 2}, tensor.Shape{3, 4}, true},
		{"GaussianDropout", map[string]any{"rate": 0.3, "activity_regularizer": quadReg{0.1}}, tensor.Shape{2, 2, 3}, true},
		{"AlphaDropout", map[string]any{"rate": 0.4, "seed": 3}, tensor.Shape{3, 5}, true},
		{"AlphaDropout", map[string]any{"rate": 0.4, "noise_shape": []any{nil, 1, 3}}, tensor.Shape{2, 4, 3}, true},
		{"AlphaDropout", map[string]any{"rate": 0.4}, tensor.Shape{3, 5}, false},
		{"SpatialDropout1D", map[string]any{"rate": 0.5, "seed": 4}, tensor.Shape{3, 4, 3}, true},
		{"SpatialDropout2D", map[string]any{"rate": 0.5}, tensor.Shape{2, 3, 3, 4}, true},
		{"SpatialDropout2D", map[string]any{"rate": 0.5, "data_format": "channels_first"}, tensor.Shape{2, 4, 3, 3}, true},
		{"ActivityRegularization", map[string]any{"l1": 0.1, "l2": 0.2}, tensor.Shape{3, 4}, true},
	}
	for i, tt := range tests {
		t.Run(tt.class+shapeString(tt.in...), func(t *testing.T) {
			l := mustLayer(t, tt.class, tt.cfg)
			o := gradOpts{training: tt.training, seed: uint64(i), input: awayFromZero}
			o.beforeForward = func() {
				if r := noiseRNG(l); r != nil {
					r.Seed(42)
				}
			}
			checkLayerGradients(t, l, tt.in, o)
		})
	}
}

// TestNoiseStatistics checks the noise against Keras's formulas on many
// values: GaussianNoise adds N(0, stddev²); GaussianDropout multiplies by
// N(1, rate/(1−rate)); AlphaDropout keeps mean 0 and variance 1 of a
// standard normal input; SpatialDropout drops whole channels.
func TestNoiseStatistics(t *testing.T) {
	const n = 20000
	x := tensor.New(n, 1)
	meanVar := func(v []float32) (float64, float64) {
		var s, s2 float64
		for _, e := range v {
			s += float64(e)
			s2 += float64(e) * float64(e)
		}
		m := s / float64(len(v))
		return m, s2/float64(len(v)) - m*m
	}
	run := func(class string, cfg map[string]any, x *tensor.Tensor) []float32 {
		l := mustLayer(t, class, cfg)
		require.NoError(t, l.Build(tensor.Shape(x.Shape[1:]), tensor.NewRNG(7)))
		assert.Same(t, x, l.Forward(x, false), "%s passes its input through at inference", class)
		return l.Forward(x, true).Clone().Data
	}
	x.Fill(2)
	m, v := meanVar(run("GaussianNoise", map[string]any{"stddev": 0.5}, x))
	assert.InDelta(t, 2, m, 0.02)
	assert.InDelta(t, 0.25, v, 0.01)
	m, v = meanVar(run("GaussianDropout", map[string]any{"rate": 0.2}, x))
	assert.InDelta(t, 2, m, 0.02)
	assert.InDelta(t, 4*0.2/0.8, v, 0.03)

	tensor.NewRNG(3).Normal(x.Data, 0, 1)
	y := run("AlphaDropout", map[string]any{"rate": 0.3}, x)
	m, v = meanVar(y)
	assert.InDelta(t, 0, m, 0.03)
	assert.InDelta(t, 1, v, 0.04)
	a := math.Pow(0.7*(1+0.3*seluAlphaP*seluAlphaP), -0.5)
	dropped := float32(a*seluAlphaP - a*seluAlphaP*0.3)
	count := 0
	for _, e := range y {
		if math.Abs(float64(e-dropped)) < 1e-6 {
			count++
		}
	}
	assert.InDelta(t, 0.3, float64(count)/n, 0.02, "fraction set to a·α' + b")

	img := tensor.New(4, 3, 3, 8)
	img.Fill(1)
	y = run("SpatialDropout2D", map[string]any{"rate": 0.5, "seed": 1}, img)
	for b := 0; b < 4; b++ {
		for c := 0; c < 8; c++ {
			first := y[b*72+c]
			for p := 1; p < 9; p++ {
				require.Equal(t, first, y[b*72+p*8+c], "sample %d channel %d is dropped or kept as a whole", b, c)
			}
		}
	}
}

func TestNoiseSeeds(t *testing.T) {
	draw := func(class string, cfg map[string]any, modelSeed uint64) []float32 {
		l := mustLayer(t, class, cfg)
		require.NoError(t, l.Build(tensor.Shape{6, 4}, tensor.NewRNG(modelSeed)))
		x := tensor.New(2, 6, 4)
		x.Fill(1)
		return l.Forward(x, true).Clone().Data
	}
	for _, class := range []string{"GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D"} {
		t.Run(class, func(t *testing.T) {
			key := "rate"
			if class == "GaussianNoise" {
				key = "stddev"
			}
			seeded := map[string]any{key: 0.5, "seed": 9}
			unseeded := map[string]any{key: 0.5}
			assert.Equal(t, draw(class, seeded, 1), draw(class, seeded, 2), "a seeded layer ignores the model's source")
			assert.Equal(t, draw(class, unseeded, 1), draw(class, unseeded, 1))
			assert.NotEqual(t, draw(class, unseeded, 1), draw(class, unseeded, 2))
			assert.ErrorContains(t, mustLayer(t, class, unseeded).Build(tensor.Shape{6, 4}, nil), "random source")
		})
	}
}

func TestNoiseConfig(t *testing.T) {
	assert.JSONEq(t, `{"class_name": "SpatialDropout2D", "config": {"name": "", "trainable": true, "dtype": "float32",
		"rate": 0.25, "seed": null, "data_format": "channels_last"}}`,
		layerJSON(t, mustLayer(t, "SpatialDropout2D", map[string]any{"rate": 0.25, "noise_shape": nil}).Config()))
	assert.JSONEq(t, `{"class_name": "ActivityRegularization", "config": {"name": "", "trainable": true, "dtype": "float32", "l1": 0.01, "l2": 0}}`,
		layerJSON(t, mustLayer(t, "activity_regularization", map[string]any{"l1": 0.01}).Config()))
	for _, tc := range []struct {
		class string
		cfg   map[string]any
	}{
		{"GaussianNoise", map[string]any{"stddev": 0.1, "seed": 3}},
		{"GaussianDropout", map[string]any{"rate": 0.2}},
		{"AlphaDropout", map[string]any{"rate": 0.2, "noise_shape": []any{nil, 1, 4}, "seed": 5}},
		{"SpatialDropout1D", map[string]any{"rate": 0.3, "input_shape": []int{5, 4}}},
		{"SpatialDropout2D", map[string]any{"rate": 0.3, "data_format": "channels_first", "seed": 1}},
		{"ActivityRegularization", map[string]any{"l1": 0.5, "l2": 0.25, "name": "reg"}},
	} {
		t.Run(tc.class, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, tc.class, tc.cfg)) })
	}
}

func TestNoiseErrors(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		want  string
	}{
		{"GaussianNoise", nil, "GaussianNoise needs one"},
		{"GaussianNoise", map[string]any{"stddev": -1}, "Received: stddev=-1"},
		{"GaussianDropout", map[string]any{"rate": 1}, "Received: rate=1"},
		{"AlphaDropout", nil, "AlphaDropout needs one"},
		{"AlphaDropout", map[string]any{"rate": 0.5, "noise_shape": "x"}, `Received: noise_shape="x"`},
		{"SpatialDropout1D", map[string]any{"rate": 0.5, "noise_shape": []int{1, 1, 1}}, "its noise shape is fixed"},
		{"SpatialDropout2D", map[string]any{"rate": 0.5, "data_format": "nchw"}, `Received: data_format="nchw"`},
		{"ActivityRegularization", map[string]any{"l1": -0.1}, "Received: l1=-0.1"},
		{"ActivityRegularization", map[string]any{"activity_regularizer": "l2"}, "ActivityRegularization makes its own"},
	}
	for _, tt := range tests {
		t.Run(tt.class, func(t *testing.T) { assert.Contains(t, layerError(t, tt.class, tt.cfg), tt.want) })
	}
	_, err := mustLayer(t, "SpatialDropout2D", map[string]any{"rate": 0.5}).OutputShape(tensor.Shape{4, 4})
	assert.ErrorContains(t, err, "expected (height, width, channels)")
	_, err = mustLayer(t, "AlphaDropout", map[string]any{"rate": 0.5, "noise_shape": []any{nil, 3}}).OutputShape(tensor.Shape{4})
	assert.ErrorContains(t, err, "layer AlphaDropout cannot take input of shape (4,)")
}

func TestNoiseStepAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		class string
		cfg   map[string]any
	}{
		{"GaussianNoise", map[string]any{"stddev": 0.1}},
		{"GaussianDropout", map[string]any{"rate": 0.1}},
		{"AlphaDropout", map[string]any{"rate": 0.1}},
		{"SpatialDropout1D", map[string]any{"rate": 0.1}},
		{"ActivityRegularization", map[string]any{"l2": 0.1}},
	} {
		t.Run(tc.class, func(t *testing.T) {
			l := mustLayer(t, tc.class, tc.cfg)
			require.NoError(t, l.Build(tensor.Shape{3, 4}, tensor.NewRNG(1)))
			assert.Zero(t, stepAllocs(l, tensor.New(2, 3, 4), true))
		})
	}
}
