package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
)

// BenchmarkActivation measures Forward + Backward of each activation on a
// (128, 256) batch, the size of a Dense layer's output in a small model.
func BenchmarkActivation(b *testing.B) {
	x := tensor.FromSlice(gradcheck.Random(128*256, -3, 3, 1), 128, 256)
	y, dx := tensor.New(128, 256), tensor.New(128, 256)
	for _, name := range ActivationNames() {
		a, err := GetActivation(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(4 * len(x.Data)))
			for b.Loop() {
				a.Forward(y, x)
				a.Backward(dx, x, y, y)
			}
		})
	}
}
