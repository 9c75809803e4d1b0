package nn

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/require"
)

// fzPanicOf runs f and returns what it panicked with (nil if it returned).
func fzPanicOf(f func()) (v any) {
	defer func() { v = recover() }()
	f()
	return nil
}

// TestForwardOnMismatchedShapes documents what each layer's Forward (and
// then Backward) does with a batch whose shape is not the one it was built
// for. By the Layer contract the model validates shapes first, so a panic
// is allowed — but only a deliberate one, whose message names the layer and
// the shape, never a runtime error such as an index out of range. The
// outcomes are logged (go test -v -run TestForwardOnMismatchedShapes ./nn/).
func TestForwardOnMismatchedShapes(t *testing.T) {
	tests := []struct {
		class string
		cfg   map[string]any
		built tensor.Shape
	}{
		{"Dense", map[string]any{"units": 3.0}, tensor.Shape{4}},
		{"Dense", map[string]any{"units": 3.0, "activation": "softmax"}, tensor.Shape{2, 4}},
		{"Conv2D", map[string]any{"filters": 2.0, "kernel_size": 3.0}, tensor.Shape{5, 5, 2}},
		{"Conv2D", map[string]any{"filters": 2.0, "kernel_size": 3.0, "data_format": "channels_first"}, tensor.Shape{2, 5, 5}},
		{"MaxPooling2D", map[string]any{}, tensor.Shape{4, 4, 2}},
		{"MaxPooling2D", map[string]any{"data_format": "channels_first"}, tensor.Shape{2, 4, 4}},
		{"Flatten", map[string]any{"data_format": "channels_first"}, tensor.Shape{2, 3, 3}},
		{"Dropout", map[string]any{"rate": 0.5, "seed": 1.0, "noise_shape": []any{nil, 1.0, 4.0}}, tensor.Shape{3, 4}},
		{"Activation", map[string]any{"activation": "softmax"}, tensor.Shape{4}},
		{"Softmax", map[string]any{"axis": []any{1.0, 2.0}}, tensor.Shape{3, 4}},
		{"ReLU", map[string]any{}, tensor.Shape{4}},
	}
	inputs := []tensor.Shape{{2}, {2, 5}, {2, 4, 2}, {2, 1, 1, 2}, {2, 2, 5, 5}, {2, 5, 5, 3}, {0, 4}, {2, 3, 4, 5, 6}}
	for _, tt := range tests {
		for _, x := range inputs {
			name := fmt.Sprintf("%s%v on %v", tt.class, tt.built, x)
			l := mustLayer(t, tt.class, tt.cfg)
			require.NoError(t, l.Build(tt.built, tensor.NewRNG(1)), name)
			var y *tensor.Tensor
			p := fzPanicOf(func() { y = l.Forward(tensor.New(x...), true) })
			if p == nil {
				p = fzPanicOf(func() { l.Backward(tensor.New(y.Shape...), true) })
			}
			_, isRuntime := p.(runtime.Error)
			if p == nil {
				t.Logf("%s: runs", name)
			} else {
				t.Logf("%s: panics: %v", name, p)
			}
			require.False(t, isRuntime, "%s: a runtime error, not a deliberate panic: %v", name, p)
		}
	}
}
