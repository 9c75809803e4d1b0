package nn

import (
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// TestActivationsPropagateNaN: a NaN input gives a NaN output for every activation, as TF.js and Keras
// give (max(NaN, 0) is NaN in both): a diverged model must not hide behind
// finite predictions. relu used to map NaN to 0.
func TestActivationsPropagateNaN(t *testing.T) {
	nan := float32(math.NaN())
	names := []string{"linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "sigmoid",
		"hard_sigmoid", "hard_silu", "tanh", "softmax", "log_softmax", "softplus", "softsign", "swish",
		"mish", "exponential"}
	for _, name := range names {
		a, err := GetActivation(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		x := tensor.FromSlice([]float32{nan, 1, -1}, 1, 3)
		y := tensor.New(1, 3)
		a.Forward(y, x)
		if !math.IsNaN(float64(y.Data[0])) {
			t.Errorf("%s(NaN) = %v, want NaN", name, y.Data[0])
		}
	}
	// The ReLU layer's function, with and without max_value, slope and threshold.
	for _, f := range []Activation{
		newReLUFunc(0, false, 0, 0), newReLUFunc(6, true, 0, 0),
		newReLUFunc(0, false, 0.1, 0.5), newReLUFunc(6, true, 0.1, 0.5),
	} {
		x := tensor.FromSlice([]float32{nan}, 1, 1)
		y := tensor.New(1, 1)
		f.Forward(y, x)
		if !math.IsNaN(float64(y.Data[0])) {
			t.Errorf("ReLU layer function(NaN) = %v, want NaN", y.Data[0])
		}
	}
}

// TestReLULayersPropagateNaN: PReLU, ThresholdedReLU, ReLU, LeakyReLU and ELU layers pass NaN through too.
func TestReLULayersPropagateNaN(t *testing.T) {
	nan := float32(math.NaN())
	for _, cfg := range []struct {
		class string
		m     map[string]any
	}{{"PReLU", map[string]any{}}, {"ThresholdedReLU", map[string]any{}}, {"ReLU", map[string]any{}},
		{"LeakyReLU", map[string]any{}}, {"ELU", map[string]any{}}} {
		l, err := layers.fromConfig(Config{ClassName: cfg.class, Config: cfg.m})
		if err != nil {
			t.Fatalf("%s: %v", cfg.class, err)
		}
		if err := l.Build(tensor.Shape{2}, tensor.NewRNG(1)); err != nil {
			t.Fatalf("%s build: %v", cfg.class, err)
		}
		y := l.Forward(tensor.FromSlice([]float32{nan, 2}, 1, 2), false)
		if !math.IsNaN(float64(y.Data[0])) {
			t.Errorf("%s(NaN) = %v, want NaN", cfg.class, y.Data[0])
		}
	}
}
