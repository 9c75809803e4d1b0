package nn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/nn"
)

// recurrentFixture is testdata/parity/recurrent.json: layers.json's layout
// plus a time-step mask and, for stateful cases, the outputs of a second
// call and of a call after reset_states.
type recurrentFixture struct {
	parity.Header
	Cases []struct {
		Name    string
		Layer   nn.Config
		X, R, Y parity.Tensor
		Mask    []bool
		Weights []namedTensor
		DX      *parity.Tensor
		Grads   []struct {
			Name  string
			Value parity.Tensor
		}
		// MaskedOutputsZero: Keras's Bidirectional gives zeros at masked
		// steps where TF.js repeats the previous output; r is zero there, so
		// the gradients agree, and y is expected zero there.
		MaskedOutputsZero bool           `json:"masked_outputs_zero"`
		YNext             *parity.Tensor `json:"y_next"`
		YAfterReset       *parity.Tensor `json:"y_after_reset"`
	}
}

// TestParityRecurrent runs every recurrent and wrapper case through
// keraswasm with TF.js's weights, input and mask, and compares y, dx and
// every weight gradient, and a stateful layer's consecutive calls.
func TestParityRecurrent(t *testing.T) { checkRecurrentFixture(t, "recurrent") }

// TestParityTimeDistributedRecurrent: recurrent_td.json, TimeDistributed
// over SimpleRNN, LSTM, GRU and Bidirectional on 4-D inputs.
func TestParityTimeDistributedRecurrent(t *testing.T) { checkRecurrentFixture(t, "recurrent_td") }

func checkRecurrentFixture(t *testing.T, name string) {
	var f recurrentFixture
	parity.Load(t, name, &f)
	require.NotEmpty(t, f.Cases)
	src, tally := f.Source(), parity.Tally{}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x := c.X.Tensor()
			l := layerWithWeights(t, src, c.Name, c.Layer, x, c.Weights)
			params := l.Params()
			if c.Mask != nil {
				l.(nn.MaskConsumer).SetMask(c.Mask)
			}
			y := l.Forward(x, false)
			if !parity.CheckShape(t, c.Name+" y", src, y.Shape, c.Y.Shape) {
				return
			}
			want := c.Y
			if c.MaskedOutputsZero {
				want = zeroMaskedSteps(c.Y, c.Mask)
			}
			tally.Add("y", parity.Check(t, c.Name+" y", src, y.Data, want, parity.Value))
			if c.YNext != nil {
				s, ok := l.(interface{ ResetStates() })
				require.True(t, ok)
				tally.Add("y next call", parity.Check(t, c.Name+" y of the next call", src, l.Forward(x, false).Data, *c.YNext, parity.Value))
				s.ResetStates()
				tally.Add("y after reset", parity.Check(t, c.Name+" y after reset_states", src, l.Forward(x, false).Data, *c.YAfterReset, parity.Value))
				return
			}
			dx := l.Backward(c.R.Tensor(), true)
			require.NotNil(t, dx)
			tally.Add("dx", parity.Check(t, c.Name+" dx", src, dx.Data, *c.DX, parity.Grad))
			require.Len(t, c.Grads, len(params))
			for i, g := range c.Grads {
				require.Equal(t, g.Name, params[i].Name)
				tally.Add("d"+g.Name, parity.Check(t, c.Name+" d"+g.Name, src, params[i].Grad.Data, g.Value, parity.Grad))
			}
		})
	}
	tally.Log(t, src)
}

// zeroMaskedSteps returns y (batch, steps, features) with the masked steps
// set to zero: Keras's Bidirectional output from TF.js's.
func zeroMaskedSteps(y parity.Tensor, mask []bool) parity.Tensor {
	out := parity.Tensor{Shape: y.Shape, Data: append([]float64(nil), y.Data...)}
	per := len(y.Data) / len(mask)
	for i, keep := range mask {
		if !keep {
			clear(out.Data[i*per : (i+1)*per])
		}
	}
	return out
}
