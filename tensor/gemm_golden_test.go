package tensor

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

var updateGemmGolden = flag.Bool("update-gemm-golden", false, "print the digests of TestGemmSameBitsEverywhere's products")

// TestGemmSameBitsEverywhere checks that Gemm gives the same float32 bits
// natively (the Go kernel) and under wasm (the SIMD kernel, or the Go one
// with -tags nosimd): both sum each element's products in k order with a
// separate multiply and add, over the same k blocks, so a seeded model
// trains to the same weights in the browser as in Go. The digests were
// made natively on amd64 (go test -run SameBits -update-gemm-golden);
// architectures whose Go compiler fuses multiply-adds (arm64, ppc64,
// s390x, riscv64) round differently and skip.
func TestGemmSameBitsEverywhere(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "wasm" && runtime.GOARCH != "386" {
		t.Skipf("%s may fuse multiply-adds; the digests are amd64's", runtime.GOARCH)
	}
	tests := []struct {
		name           string
		transA, transB bool
		m, n, k        int
		alpha, beta    float32
		digest         string
	}{
		{"NN dense forward", false, false, 128, 128, 784, 1, 0, "b21ec038086f2bf7"},
		{"TN kernel gradient", true, false, 100, 33, 70, 1, 1, "6e9ee9c73aea97fd"},
		{"NT input gradient", false, true, 61, 130, 40, 0.5, 0, "943e8316964858da"},
		{"TT odd edges", true, true, 13, 19, 600, -2, 0.75, "1044939c63d02102"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rng := NewRNG(11)
			a, b, c := make([]float32, tt.m*tt.k), make([]float32, tt.k*tt.n), make([]float32, tt.m*tt.n)
			rng.Uniform(a, -1, 1)
			rng.Uniform(b, -1, 1)
			rng.Uniform(c, -1, 1)
			lda, ldb := tt.k, tt.n
			if tt.transA {
				lda = tt.m
			}
			if tt.transB {
				ldb = tt.k
			}
			Gemm(tt.transA, tt.transB, tt.m, tt.n, tt.k, tt.alpha, a, lda, b, ldb, tt.beta, c, tt.n)
			h := sha256.New()
			for _, v := range c {
				_ = binary.Write(h, binary.LittleEndian, math.Float32bits(v))
			}
			got := hex.EncodeToString(h.Sum(nil))[:16]
			if *updateGemmGolden {
				fmt.Printf("%s: %s\n", tt.name, got)
				return
			}
			assert.Equal(t, tt.digest, got, "bits of C differ from the native amd64 product")
		})
	}
}
