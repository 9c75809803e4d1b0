package nn_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// layerFixture is testdata/parity/layers.json: per case, a Keras layer
// config, seeded weights and input, TF.js's output y = layer(x) and the
// gradients of L = Σ y·r with respect to x and each trainable weight.
type layerFixture struct {
	parity.Header
	Cases []struct {
		Name    string
		Layer   nn.Config
		X, R, Y parity.Tensor
		Weights []namedTensor
		DX      *parity.Tensor
		Grads   []struct {
			Name  string
			Value parity.Tensor
		}
		GradientsSkipped string `json:"gradients_skipped"`
		// Training cases ran layer(x, training=true); WeightsAfter holds
		// every weight after that call (BatchNormalization's moving
		// statistics moved).
		Training     bool
		WeightsAfter []struct {
			Name  string
			Value parity.Tensor
		} `json:"weights_after"`
	}
}

// namedTensor is a weight of a fixture: its Keras name and TF.js's value.
type namedTensor struct {
	Name  string
	Value parity.Tensor
}

// layerWithWeights makes the layer of cfg, builds it for x and gives it
// TF.js's weights (names and shapes checked), with zeroed gradients.
func layerWithWeights(t *testing.T, src, name string, cfg nn.Config, x *tensor.Tensor, weights []namedTensor) nn.Layer {
	t.Helper()
	l, err := nn.NewLayer(cfg)
	require.NoError(t, err, "keraswasm cannot make the layer TF.js made")
	require.NoError(t, l.Build(x.Shape[1:], tensor.NewRNG(1)))
	params := l.Params()
	require.Len(t, params, len(weights), "keraswasm and %s weight counts", src)
	for i, w := range weights {
		require.Equal(t, w.Name, params[i].Name, "weight %d", i)
		require.True(t, parity.CheckShape(t, name+" "+w.Name, src, params[i].Value.Shape, w.Value.Shape))
		copy(params[i].Value.Data, w.Value.Float32())
		params[i].Grad.Zero()
	}
	return l
}

// TestParityLayers runs every layer case through keraswasm with TF.js's
// weights and compares y, dx and every weight gradient.
func TestParityLayers(t *testing.T) {
	var f layerFixture
	parity.Load(t, "layers", &f)
	require.NotEmpty(t, f.Cases)
	src, tally := f.Source(), parity.Tally{}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			x := c.X.Tensor()
			l := layerWithWeights(t, src, c.Name, c.Layer, x, c.Weights)
			params := l.Params()
			y := l.Forward(x, c.Training)
			if !parity.CheckShape(t, c.Name+" y", src, y.Shape, c.Y.Shape) {
				return
			}
			tally.Add("y", parity.Check(t, c.Name+" y", src, y.Data, c.Y, parity.Value))
			if c.Training {
				require.Len(t, c.WeightsAfter, len(params))
				for i, w := range c.WeightsAfter {
					tally.Add(w.Name, parity.Check(t, c.Name+" "+w.Name+" after", src, params[i].Value.Data, w.Value, parity.Value))
				}
			}
			if c.DX == nil {
				t.Logf("forward only: %s", c.GradientsSkipped)
				return
			}
			dx := l.Backward(c.R.Tensor(), true)
			require.NotNil(t, dx)
			tally.Add("dx", parity.Check(t, c.Name+" dx", src, dx.Data, *c.DX, parity.Grad))
			// Grads are TF.js's trainable weights, in get_weights order: the
			// params less the non-trainable ones (moving statistics).
			var trainable []*nn.Param
			for _, p := range params {
				if p.Trainable {
					trainable = append(trainable, p)
				}
			}
			require.Len(t, c.Grads, len(trainable))
			for i, g := range c.Grads {
				require.Equal(t, g.Name, trainable[i].Name)
				tally.Add("d"+g.Name, parity.Check(t, c.Name+" d"+g.Name, src, trainable[i].Grad.Data, g.Value, parity.Grad))
			}
		})
	}
	tally.Log(t, src)
}
