package nn_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// stack is the least a Sequential model does, written out in the test so
// that the nn pieces can be checked together before and apart from the
// sequential package: forward through the layers, per-sample loss averaged
// over the batch plus the weights' regularization penalties, backward with
// dPred scaled by 1/batch, one optimizer step.
type stack struct {
	layers []nn.Layer
	params []*nn.Param
	loss   nn.Loss
	opt    nn.Optimizer
}

func (s *stack) forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	var mask []bool // Keras's mask, from Embedding(mask_zero=True) on
	for _, l := range s.layers {
		if c, ok := l.(nn.MaskConsumer); ok {
			c.SetMask(mask)
		}
		x = l.Forward(x, training)
		if m, ok := l.(nn.MaskingLayer); ok {
			mask = m.ComputeMask(mask)
		}
	}
	return x
}

// step trains on one batch and returns its mean loss before the update.
func (s *stack) step(x, y *tensor.Tensor) float64 {
	pred := s.forward(x, true)
	batch := pred.Dim(0)
	per := make([]float64, batch)
	s.loss.Forward(per, y, pred)
	var sum float64
	for _, v := range per {
		sum += v
	}
	d := tensor.New(pred.Shape...)
	s.loss.Backward(d, y, pred)
	for i := range d.Data {
		d.Data[i] /= float32(batch)
	}
	for _, p := range s.params {
		p.Grad.Zero()
	}
	for i := len(s.layers) - 1; i >= 0; i-- {
		d = s.layers[i].Backward(d, i > 0)
	}
	penalty := 0.0
	for _, p := range s.params {
		if p.Regularizer != nil {
			penalty += p.Regularizer.Loss(p.Value.Data)
			p.Regularizer.Grad(p.Grad.Data, p.Value.Data)
		}
	}
	s.opt.Apply(s.params)
	return sum/float64(batch) + penalty
}

// TestParityTrainingSteps trains each fixture model with nn's layers, loss
// and optimizer, and compares the initial prediction, each batch loss and
// every weight after each step with TF.js's fit.
func TestParityTrainingSteps(t *testing.T) {
	var f parity.Training
	parity.Load(t, "training", &f)
	require.NotEmpty(t, f.Cases)
	src, tally := f.Source(), parity.Tally{}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			s := &stack{}
			x, y := c.X.Tensor(), c.Y.Tensor()
			shape := x.Shape[1:]
			for _, lc := range c.Layers {
				l, err := nn.NewLayer(lc)
				require.NoError(t, err)
				require.NoError(t, l.Build(shape, tensor.NewRNG(1)))
				shape, err = l.OutputShape(shape)
				require.NoError(t, err)
				s.layers = append(s.layers, l)
				s.params = append(s.params, l.Params()...)
			}
			require.Len(t, s.params, len(c.InitialWeights), "weights %v", c.WeightNames)
			for i, w := range c.InitialWeights {
				require.True(t, parity.CheckShape(t, c.WeightNames[i], src, s.params[i].Value.Shape, w.Shape))
				copy(s.params[i].Value.Data, w.Float32())
			}
			var err error
			s.loss, err = nn.GetLoss(c.Compile.Loss)
			require.NoError(t, err)
			s.opt, err = nn.GetOptimizer(c.Compile.Optimizer)
			require.NoError(t, err)

			pred := s.forward(x, false)
			tally.Add("prediction", parity.Check(t, c.Name+" initial prediction", src, pred.Data, c.InitialPrediction, parity.Value))
			n, bs := x.Dim(0), c.Fit.BatchSize
			require.False(t, c.Fit.Shuffle)
			k := 0
			require.Len(t, c.EpochLoss, c.Fit.Epochs)
			for epoch := 0; epoch < c.Fit.Epochs; epoch++ {
				var epochSum float64
				for lo := 0; lo < n; lo += bs {
					hi := min(lo+bs, n)
					loss := s.step(x.Rows(lo, hi), y.Rows(lo, hi))
					epochSum += loss * float64(hi-lo)
					require.Less(t, k, len(c.Steps), "keraswasm takes more steps than %s", src)
					what := fmt.Sprintf("%s epoch %d step %d", c.Name, epoch+1, k+1)
					want := c.Steps[k]
					tally.Add("loss", parity.Check(t, what+" loss", src, []float32{float32(loss)},
						parity.Tensor{Shape: []int{1}, Data: []float64{want.Loss}}, parity.Value))
					for i, w := range want.Weights {
						tally.Add("weights", parity.Check(t, what+" "+c.WeightNames[i], src, s.params[i].Value.Data, w, parity.Value))
					}
					k++
				}
				// The epoch's loss is the batch losses' mean weighted by batch size.
				tally.Add("epoch loss", parity.Check(t, fmt.Sprintf("%s epoch %d loss", c.Name, epoch+1), src,
					[]float32{float32(epochSum / float64(n))},
					parity.Tensor{Shape: []int{1}, Data: []float64{c.EpochLoss[epoch]}}, parity.Value))
			}
			require.Equal(t, len(c.Steps), k, "steps taken by keraswasm and %s", src)
		})
	}
	tally.Log(t, src)
}
