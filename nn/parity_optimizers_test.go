package nn_test

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/nn"
)

// optimizerFixture is testdata/parity/optimizers.json: a few steps of the
// TF.js optimizers whose update rule is Keras's, on two weights with given
// gradients, and the weights after each step.
type optimizerFixture struct {
	parity.Header
	Excluded map[string]string
	Cases    []struct {
		Name      string
		Optimizer nn.Config
		TFJS      string
		Initial   []parity.Tensor
		Steps     []struct {
			Grads, Weights []parity.Tensor
		}
	}
}

// TestParityOptimizers applies each optimizer step by step with TF.js's
// gradients and compares the weights after every step.
func TestParityOptimizers(t *testing.T) {
	var f optimizerFixture
	parity.Load(t, "optimizers", &f)
	require.NotEmpty(t, f.Cases)
	src, tally := f.Source(), parity.Tally{}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			opt, err := nn.GetOptimizer(c.Optimizer)
			require.NoError(t, err)
			params := make([]*nn.Param, len(c.Initial))
			for i, w := range c.Initial {
				params[i] = nn.NewParam(fmt.Sprintf("w%d", i), w.Shape...)
				copy(params[i].Value.Data, w.Float32())
			}
			for k, step := range c.Steps {
				for i, g := range step.Grads {
					copy(params[i].Grad.Data, g.Float32())
				}
				opt.Apply(params)
				for i, w := range step.Weights {
					what := fmt.Sprintf("%s step %d w%d", c.Name, k+1, i)
					tally.Add("weights", parity.Check(t, what, src+" "+c.TFJS, params[i].Value.Data, w, parity.Value))
				}
			}
		})
	}
	for _, name := range slices.Sorted(maps.Keys(f.Excluded)) {
		t.Logf("not compared: %s: %s", name, f.Excluded[name])
	}
	tally.Log(t, src)
}
