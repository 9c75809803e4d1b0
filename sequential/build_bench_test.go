package sequential

import (
	"fmt"
	"testing"
)

// BenchmarkBuildDeep adds n Dense(4) layers to a model whose input shape is
// known, so each is built as it is added: the time per layer should not
// grow with n (a 10,000-layer model took 17-34 s in the browser when each add
// went over all the layers before it).
func BenchmarkBuildDeep(b *testing.B) {
	for _, n := range []int{2500, 10000} {
		b.Run(fmt.Sprintf("layers=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m := New("", 1)
				if err := m.Add(dense(b, 4, map[string]any{"input_dim": 4})); err != nil {
					b.Fatal(err)
				}
				for j := 1; j < n; j++ {
					if err := m.Add(dense(b, 4, nil)); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/layer")
		})
	}
}
