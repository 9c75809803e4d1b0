package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// BenchmarkLossStep measures a loss's Forward and Backward (and a metric's
// Update) on a (128, 10) batch; a step in steady state should allocate
// nothing.
func BenchmarkLossStep(b *testing.B) {
	for _, name := range []string{"categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "mse"} {
		b.Run(name, func(b *testing.B) {
			l, err := GetLoss(name)
			if err != nil {
				b.Fatal(err)
			}
			kind := "onehot"
			if name == "sparse_categorical_crossentropy" {
				kind = "sparse"
			}
			yt, yp := randomMetricBatch(tensor.NewRNG(1), kind, 128, 10)
			out, d := make([]float64, 128), tensor.New(128, 10)
			b.ReportAllocs()
			for b.Loop() {
				l.Forward(out, yt, yp)
				l.Backward(d, yt, yp)
			}
		})
	}
}

func BenchmarkMetricUpdate(b *testing.B) {
	for _, name := range []string{"categorical_accuracy", "AUC"} {
		b.Run(name, func(b *testing.B) {
			m, err := GetMetric(name)
			if err != nil {
				b.Fatal(err)
			}
			yt, yp := randomMetricBatch(tensor.NewRNG(1), "onehot", 128, 10)
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Update(yt, yp, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
