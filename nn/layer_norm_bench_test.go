package nn

import (
	"fmt"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// BenchmarkNormalizationStep measures one training step (forward and
// backward) of BatchNormalization after the study note's 32-filter
// convolution (a batch of 8 30×30×32 maps), of LayerNormalization on the
// same values, and of the depthwise, separable and transposed convolutions
// on a batch of 8 16×16×32 images, beside BenchmarkConv2DStep.
func BenchmarkNormalizationStep(b *testing.B) {
	for _, tc := range []struct {
		class string
		cfg   map[string]any
		in    tensor.Shape
	}{
		{"BatchNormalization", nil, tensor.Shape{8, 30, 30, 32}},
		{"LayerNormalization", nil, tensor.Shape{8, 30, 30, 32}},
		{"DepthwiseConv2D", map[string]any{"kernel_size": 3, "padding": "same"}, tensor.Shape{8, 16, 16, 32}},
		{"SeparableConv2D", map[string]any{"filters": 32, "kernel_size": 3, "padding": "same"}, tensor.Shape{8, 16, 16, 32}},
		{"Conv2DTranspose", map[string]any{"filters": 32, "kernel_size": 3, "strides": 2, "padding": "same"}, tensor.Shape{8, 16, 16, 32}},
		{"Conv1D", map[string]any{"filters": 32, "kernel_size": 3, "padding": "causal"}, tensor.Shape{8, 256, 32}},
	} {
		b.Run(fmt.Sprint(tc.class, tc.in), func(b *testing.B) {
			l, err := NewLayer(Config{ClassName: tc.class, Config: tc.cfg})
			if err != nil {
				b.Fatal(err)
			}
			if err := l.Build(tc.in[1:], tensor.NewRNG(1)); err != nil {
				b.Fatal(err)
			}
			x := tensor.New(tc.in...)
			tensor.NewRNG(2).Uniform(x.Data, -1, 1)
			dy := tensor.New(l.Forward(x, true).Shape...)
			l.Backward(dy, true)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				l.Forward(x, true)
				l.Backward(dy, true)
			}
		})
	}
}
