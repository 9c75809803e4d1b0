package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// moments returns the mean and variance of x, accumulated in float64.
func moments(x []float32) (mean, variance float64) {
	for _, v := range x {
		mean += float64(v)
	}
	mean /= float64(len(x))
	for _, v := range x {
		d := float64(v) - mean
		variance += d * d
	}
	return mean, variance / float64(len(x))
}

func TestInitializerStatistics(t *testing.T) {
	dense := []int{200, 300} // fan_in 200, fan_out 300
	conv := []int{3, 3, 64, 32}
	convIn, convOut := 3.0*3*64, 3.0*3*32 // Keras's receptive-field fans
	tests := []struct {
		name     string
		init     any
		shape    []int
		mean     float64
		variance float64
		bound    float64 // every value within ±bound of the mean; 0 skips
	}{
		{"glorot_uniform", "glorot_uniform", dense, 0, 2.0 / 500, math.Sqrt(6.0 / 500)},
		{"glorot_normal", "glorot_normal", dense, 0, 2.0 / 500, 2 * math.Sqrt(2.0/500) / truncatedStddevCorrection},
		{"he_normal conv", "he_normal", conv, 0, 2 / convIn, 2 * math.Sqrt(2/convIn) / truncatedStddevCorrection},
		{"he_uniform", "he_uniform", dense, 0, 2.0 / 200, math.Sqrt(6.0 / 200)},
		{"lecun_normal", "lecun_normal", dense, 0, 1.0 / 200, 2 * math.Sqrt(1.0/200) / truncatedStddevCorrection},
		{"lecun_uniform conv", "lecun_uniform", conv, 0, 1 / convIn, math.Sqrt(3 / convIn)},
		{"glorot_uniform conv", "glorot_uniform", conv, 0, 2 / (convIn + convOut), math.Sqrt(6 / (convIn + convOut))},
		{"variance_scaling fan_out untruncated", Config{"VarianceScaling", map[string]any{"scale": 3.0, "mode": "fan_out", "distribution": "untruncated_normal"}}, dense, 0, 3.0 / 300, 0},
		{"variance_scaling fan_avg uniform", Config{"VarianceScaling", map[string]any{"scale": 0.5, "mode": "fan_avg", "distribution": "uniform"}}, dense, 0, 0.5 / 250, math.Sqrt(1.5 / 250)},
		{"variance_scaling Keras 2 normal", Config{"VarianceScaling", map[string]any{"distribution": "normal"}}, dense, 0, 1.0 / 200, 2 * math.Sqrt(1.0/200) / truncatedStddevCorrection},
		{"random_normal default", "random_normal", dense, 0, 0.05 * 0.05, 0},
		{"RandomNormal(1, 2)", Config{"RandomNormal", map[string]any{"mean": 1.0, "stddev": 2.0}}, dense, 1, 4, 0},
		{"random_uniform default", "random_uniform", dense, 0, 0.1 * 0.1 / 12, 0.05},
		{"RandomUniform(2, 4)", Config{"RandomUniform", map[string]any{"minval": 2.0, "maxval": 4.0}}, dense, 3, 4.0 / 12, 1},
		// A standard normal truncated at ±2 has variance 0.87962566103423978².
		{"TruncatedNormal(0, 1)", Config{"TruncatedNormal", map[string]any{"stddev": 1.0}}, dense, 0, truncatedStddevCorrection * truncatedStddevCorrection, 2},
		{"truncated_normal default", "truncated_normal", dense, 0, 0.05 * 0.05 * truncatedStddevCorrection * truncatedStddevCorrection, 0.1},
	}
	rng := tensor.NewRNG(2024)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			init, err := GetInitializer(tc.init)
			require.NoError(t, err)
			w := tensor.New(tc.shape...)
			require.NoError(t, init.Initialize(w, rng))
			mean, variance := moments(w.Data)
			n := float64(len(w.Data))
			assert.InDelta(t, tc.mean, mean, 5*math.Sqrt(tc.variance/n), "mean")
			assert.InEpsilon(t, tc.variance, variance, 0.04, "variance")
			if tc.bound > 0 {
				for _, v := range w.Data {
					require.LessOrEqual(t, math.Abs(float64(v)-tc.mean), tc.bound*(1+1e-6))
				}
			}
			t.Logf("%-40s n=%d mean %+.2e variance %.4e (want %.4e)", tc.name, len(w.Data), mean, variance, tc.variance)
		})
	}
}

func TestFansIncludeReceptiveField(t *testing.T) {
	tests := []struct {
		shape   tensor.Shape
		in, out float64
	}{
		{tensor.Shape{}, 1, 1},
		{tensor.Shape{7}, 7, 7},
		{tensor.Shape{784, 32}, 784, 32},
		{tensor.Shape{3, 3, 16, 32}, 144, 288},
		{tensor.Shape{5, 8, 4}, 40, 20},
	}
	for _, tc := range tests {
		in, out := Fans(tc.shape)
		assert.Equal(t, tc.in, in, "fan_in of %v", tc.shape)
		assert.Equal(t, tc.out, out, "fan_out of %v", tc.shape)
	}
}

func TestInitializerSeeds(t *testing.T) {
	for _, name := range []string{"GlorotUniform", "HeNormal", "RandomNormal", "RandomUniform", "TruncatedNormal", "VarianceScaling", "Orthogonal"} {
		t.Run(name, func(t *testing.T) {
			seeded := func(seed float64) Initializer {
				init, err := GetInitializer(Config{name, map[string]any{"seed": seed}})
				require.NoError(t, err)
				return init
			}
			draw := func(init Initializer, rng *tensor.RNG) []float32 {
				w := tensor.New(8, 5)
				require.NoError(t, init.Initialize(w, rng))
				return w.Data
			}
			a := draw(seeded(7), tensor.NewRNG(1))
			assert.Equal(t, a, draw(seeded(7), tensor.NewRNG(2)), "a seed ignores the model's source")
			assert.Equal(t, a, draw(seeded(7), nil), "a seed needs no source")
			assert.NotEqual(t, a, draw(seeded(8), tensor.NewRNG(1)), "another seed, other values")

			plain, err := GetInitializer(name)
			require.NoError(t, err)
			rng := tensor.NewRNG(5)
			first, second := draw(plain, rng), draw(plain, rng)
			assert.NotEqual(t, first, second, "without a seed, each call draws anew from the source")
			assert.Equal(t, first, draw(plain, tensor.NewRNG(5)), "the same source seed gives the same values")
			assert.ErrorContains(t, plain.Initialize(tensor.New(2, 2), nil), "needs a random source")
		})
	}
}

func TestOrthogonalInitializer(t *testing.T) {
	tests := []struct {
		name  string
		gain  float64
		shape []int
	}{
		{"tall", 1, []int{6, 4}},
		{"wide", 1, []int{4, 6}},
		{"square gain 2", 2, []int{5, 5}},
		{"conv kernel flattened to (18, 5)", 1, []int{3, 3, 2, 5}},
		{"conv kernel flattened to (4, 9) wide", 0.5, []int{2, 2, 1, 9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			init, err := GetInitializer(Config{"Orthogonal", map[string]any{"gain": tc.gain, "seed": 3.0}})
			require.NoError(t, err)
			w := tensor.New(tc.shape...)
			require.NoError(t, init.Initialize(w, nil))
			cols := tc.shape[len(tc.shape)-1]
			rows := w.Size() / cols
			// With rows ≥ cols, WᵀW = gain²·I; otherwise W·Wᵀ = gain²·I.
			vecs, length, stride, step := cols, rows, 1, cols
			if rows < cols {
				vecs, length, stride, step = rows, cols, cols, 1
			}
			for p := 0; p < vecs; p++ {
				for q := 0; q < vecs; q++ {
					var dot float64
					for k := 0; k < length; k++ {
						dot += float64(w.Data[p*stride+k*step]) * float64(w.Data[q*stride+k*step])
					}
					want := 0.0
					if p == q {
						want = tc.gain * tc.gain
					}
					assert.InDelta(t, want, dot, 1e-5, "vectors %d·%d", p, q)
				}
			}
		})
	}
	init, err := GetInitializer("orthogonal")
	require.NoError(t, err)
	err = init.Initialize(tensor.New(5), tensor.NewRNG(1))
	assert.ErrorContains(t, err, "at least two-dimensional. Received: shape=(5,) of rank 1")
}

func TestConstantInitializers(t *testing.T) {
	tests := []struct {
		name  string
		init  any
		shape []int
		want  []float32
	}{
		{"zeros", "zeros", []int{2, 2}, []float32{0, 0, 0, 0}},
		{"ones", "ones", []int{3}, []float32{1, 1, 1}},
		{"constant", Config{"Constant", map[string]any{"value": 2.5}}, []int{2}, []float32{2.5, 2.5}},
		{"identity wide gain 2", Config{"Identity", map[string]any{"gain": 2.0}}, []int{2, 3}, []float32{2, 0, 0, 0, 2, 0}},
		{"identity tall", "identity", []int{3, 2}, []float32{1, 0, 0, 1, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			init, err := GetInitializer(tc.init)
			require.NoError(t, err)
			w := tensor.New(tc.shape...)
			w.Fill(9)
			require.NoError(t, init.Initialize(w, nil))
			assert.Equal(t, tc.want, w.Data)
		})
	}
	id, err := GetInitializer("identity")
	require.NoError(t, err)
	err = id.Initialize(tensor.New(3, 3, 3), nil)
	assert.ErrorContains(t, err, "only be used for 2D matrices. Received: shape=(3, 3, 3) of rank 3")
}
