package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// refLSE is the log-sum-exp of one lane as the crossentropies computed it
// per lane before tensor.LogSumExpRows (math.Max, exps in order, math.Log).
func refLSE(z []float32) float64 {
	m := float64(z[0])
	for _, v := range z[1:] {
		m = math.Max(m, float64(v))
	}
	var s float64
	for _, v := range z {
		s += math.Exp(float64(v) - m)
	}
	return m + math.Log(s)
}

// TestSoftmaxCrossentropyLogitsUseLaneLSE: the categorical and sparse
// crossentropies from logits give, bit for bit, the per-lane formulas with
// refLSE, for (batch, n) and (batch, steps, n) logits, label smoothing, and
// a batch that shrinks and grows between calls (the reused buffer). Under
// wasm (make simdtest) this is the SIMD module's log-sum-exp.
func TestSoftmaxCrossentropyLogitsUseLaneLSE(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	cat, err := GetLoss(map[string]any{"class_name": "CategoricalCrossentropy", "config": map[string]any{"from_logits": true, "label_smoothing": 0.1}})
	if err != nil {
		t.Fatal(err)
	}
	sparse, err := GetLoss(map[string]any{"class_name": "SparseCategoricalCrossentropy", "config": map[string]any{"from_logits": true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, shape := range [][]int{{5, 7}, {2, 7}, {9, 7}, {3, 4, 5}, {4, 1}} {
		n, lanes := shape[len(shape)-1], 1
		for _, d := range shape[1 : len(shape)-1] {
			lanes *= d
		}
		batch := shape[0]
		z := tensor.New(shape...)
		for i := range z.Data {
			z.Data[i] = float32(r.NormFloat64() * 20)
		}
		oneHot := tensor.New(shape...)
		labels := tensor.New(append(append([]int{}, shape[:len(shape)-1]...), 1)...)
		for k := range batch * lanes {
			c := r.IntN(n)
			oneHot.Data[k*n+c], labels.Data[k] = 1, float32(c)
		}
		gotOut, gotD := make([]float64, batch), tensor.New(shape...)
		cat.(LogitsLoss).ForwardLogits(gotOut, oneHot, z)
		cat.(LogitsLoss).BackwardLogits(gotD, oneHot, z)
		for i := range batch {
			var want float64
			for l := range lanes {
				k := i*lanes + l
				lz, lt := z.Data[k*n:(k+1)*n], oneHot.Data[k*n:(k+1)*n]
				lse := refLSE(lz)
				var loss, tSum float64
				for j, v := range lz {
					tj := float64(lt[j])*0.9 + 0.1/float64(n)
					loss += tj * (lse - float64(v))
					tSum += tj
				}
				want += loss
				for j, v := range lz {
					d := float32(tSum*math.Exp(float64(v)-lse) - (float64(lt[j])*0.9 + 0.1/float64(n)))
					if lanes > 1 {
						d *= float32(1 / float64(lanes))
					}
					if gotD.Data[k*n+j] != d {
						t.Fatalf("%v categorical d[%d]: %v, want %v", shape, k*n+j, gotD.Data[k*n+j], d)
					}
				}
			}
			if want /= float64(lanes); gotOut[i] != want {
				t.Fatalf("%v categorical loss[%d]: %v, want %v", shape, i, gotOut[i], want)
			}
		}
		sparse.(LogitsLoss).ForwardLogits(gotOut, labels, z)
		sparse.(LogitsLoss).BackwardLogits(gotD, labels, z)
		for i := range batch {
			var want float64
			for l := range lanes {
				k := i*lanes + l
				lz, c := z.Data[k*n:(k+1)*n], int(labels.Data[k])
				lse := refLSE(lz)
				want += lse - float64(lz[c])
				for j, v := range lz {
					d := float32(math.Exp(float64(v) - lse))
					if j == c {
						d--
					}
					if lanes > 1 {
						d *= float32(1 / float64(lanes))
					}
					if gotD.Data[k*n+j] != d {
						t.Fatalf("%v sparse d[%d]: %v, want %v", shape, k*n+j, gotD.Data[k*n+j], d)
					}
				}
			}
			if want /= float64(lanes); gotOut[i] != want {
				t.Fatalf("%v sparse loss[%d]: %v, want %v", shape, i, gotOut[i], want)
			}
		}
	}
}
