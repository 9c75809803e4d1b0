package sequential_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// TestParityFit trains each model of testdata/parity/training.json with
// Model.Fit, from TF.js's initial weights and with shuffle off, and
// compares predict before training, every batch's loss, every weight after
// each step and the epoch losses in History with TF.js's model.fit.
//
// Porting note: TF.js's onBatchEnd logs the loss of that batch alone; Keras
// (and keraswasm) log the running mean over the epoch so far, weighted by
// batch size. The test recovers each batch's own loss from two consecutive
// running means.
func TestParityFit(t *testing.T) {
	var f parity.Training
	parity.Load(t, "training", &f)
	require.NotEmpty(t, f.Cases)
	src, tally := f.Source(), parity.Tally{}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			m := sequential.New("", 1)
			for _, lc := range c.Layers {
				require.NoError(t, m.AddConfig(lc))
			}
			require.True(t, m.Built(), "the first layer carries batch_input_shape")
			init := make([]*tensor.Tensor, len(c.InitialWeights))
			for i, w := range c.InitialWeights {
				init[i] = w.Tensor()
			}
			require.NoError(t, m.SetWeights(init), "weights %v", c.WeightNames)
			require.NoError(t, m.Compile(sequential.CompileOptions{Optimizer: c.Compile.Optimizer, Loss: c.Compile.Loss}))
			x, y := c.X.Tensor(), c.Y.Tensor()

			pred, err := m.Predict(x, 0)
			require.NoError(t, err)
			tally.Add("prediction", parity.Check(t, c.Name+" initial prediction", src, pred.Data, c.InitialPrediction, parity.Value))

			k := 0
			var seen, runSum float64 // samples and Σ loss·size so far this epoch
			check := &sequential.LambdaCallback{
				EpochBegin: func(int, sequential.Logs) error { seen, runSum = 0, 0; return nil },
				BatchEnd: func(b int, logs sequential.Logs) error {
					if k >= len(c.Steps) {
						return fmt.Errorf("keraswasm takes more than the %d steps of %s", len(c.Steps), src)
					}
					size := logs["size"]
					total := logs["loss"] * (seen + size)
					batchLoss := (total - runSum) / size
					seen, runSum = seen+size, total
					what := fmt.Sprintf("%s step %d", c.Name, k+1)
					tally.Add("loss", parity.Check(t, what+" batch loss", src, []float32{float32(batchLoss)}, scalar(c.Steps[k].Loss), parity.Value))
					for i, w := range m.GetWeights() {
						tally.Add("weights", parity.Check(t, what+" "+c.WeightNames[i], src, w.Data, c.Steps[k].Weights[i], parity.Value))
					}
					k++
					return nil
				},
			}
			o := sequential.DefaultFitOptions()
			o.Epochs, o.BatchSize, o.Shuffle, o.Verbose = c.Fit.Epochs, c.Fit.BatchSize, c.Fit.Shuffle, 0
			o.Callbacks = []sequential.Callback{check}
			h, err := m.Fit(x, y, o)
			require.NoError(t, err)
			require.Equal(t, len(c.Steps), k, "steps taken by keraswasm and %s", src)
			require.Len(t, h.History["loss"], len(c.EpochLoss))
			for e, want := range c.EpochLoss {
				tally.Add("epoch loss", parity.Check(t, fmt.Sprintf("%s epoch %d loss", c.Name, e+1), src,
					[]float32{float32(h.History["loss"][e])}, scalar(want), parity.Value))
			}
		})
	}
	tally.Log(t, src)
}

func scalar(v float64) parity.Tensor { return parity.Tensor{Shape: []int{1}, Data: []float64{v}} }
