package nn

import (
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGRUResetAfterIsKerasFormula checks GRU with reset_after=True (Keras's
// default, which TF.js 4.22 lacks, so no TF.js fixture can) against Keras's
// GRUCell.call written out in float64 (keras/src/layers/rnn/gru.py):
//
//	x_z, x_r, x_h = x·W + b_in            (the kernel's columns z, r, h)
//	r_z, r_r, r_h = h'·U + b_rec
//	z = σ(x_z + r_z), r = σ(x_r + r_r)
//	hh = tanh(x_h + r·r_h)
//	h = z·h' + (1 − z)·hh
func TestGRUResetAfterIsKerasFormula(t *testing.T) {
	const B, T, I, U = 2, 3, 2, 2
	g := newTestRNN(t, "GRU", U, map[string]any{"return_sequences": true})
	require.True(t, g.ResetAfter, "Keras's default")
	require.NoError(t, g.Build(tensor.Shape{T, I}, tensor.NewRNG(1)))
	for i, p := range g.Params() {
		copy(p.Value.Data, gradcheck.Random(p.Value.Size(), -0.8, 0.8, uint64(i+3)))
	}
	W, R, bias := g.kernel.Value.Data, g.recurrent.Value.Data, g.bias.Value.Data // (I, 3U), (U, 3U), (2, 3U)
	x := gradcheck.Random(B*T*I, -1, 1, 9)
	y := g.Forward(tensor.FromSlice(x, B, T, I), false)
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	for b := range B {
		h := make([]float64, U)
		for s := range T {
			xi := x[(b*T+s)*I:][:I]
			xw, rw := make([]float64, 3*U), make([]float64, 3*U)
			for j := range 3 * U {
				xw[j], rw[j] = float64(bias[j]), float64(bias[3*U+j])
				for k := range I {
					xw[j] += float64(xi[k]) * float64(W[k*3*U+j])
				}
				for k := range U {
					rw[j] += h[k] * float64(R[k*3*U+j])
				}
			}
			next := make([]float64, U)
			for j := range U {
				z, r := sig(xw[j]+rw[j]), sig(xw[U+j]+rw[U+j])
				hh := math.Tanh(xw[2*U+j] + r*rw[2*U+j])
				next[j] = z*h[j] + (1-z)*hh
			}
			h = next
			for j := range U {
				assert.InDelta(t, h[j], y.Data[(b*T+s)*U+j], 1e-6, "b=%d t=%d unit %d", b, s, j)
			}
		}
	}
}
