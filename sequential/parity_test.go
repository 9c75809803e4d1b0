package sequential_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/internal/parity"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// TestParityFit trains each model of testdata/parity/training.json with
// Model.Fit, from TF.js's initial weights and with shuffle off, and
// compares predict before training, every batch's loss and metrics, every
// weight after each step, the epoch losses and metrics in History, and
// evaluate after training with TF.js.
//
// Porting note: TF.js's onBatchEnd logs the loss of that batch alone; Keras
// (and keraswasm) log the running mean over the epoch so far, weighted by
// batch size. The test recovers each batch's own values from two
// consecutive running means. TF.js's evaluate leaves out the regularization
// penalties that Keras's includes; the fixture's evaluate loss adds them
// back (see parity.TrainingRun).
func TestParityFit(t *testing.T) { checkFitFixture(t, "training") }

// TestParityFitTimeDistributedRecurrent: training_td.json, models with
// TimeDistributed(LSTM) and TimeDistributed(GRU) on 4-D inputs.
func TestParityFitTimeDistributedRecurrent(t *testing.T) { checkFitFixture(t, "training_td") }

func checkFitFixture(t *testing.T, name string) {
	var f parity.Training
	parity.Load(t, name, &f)
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
			require.NoError(t, m.Compile(sequential.CompileOptions{Optimizer: c.Compile.Optimizer, Loss: c.Compile.Loss, Metrics: metricList(c.Compile.Metrics)}))
			x, y := c.X.Tensor(), c.Y.Tensor()

			pred, err := m.Predict(x, 0)
			require.NoError(t, err)
			tally.Add("prediction", parity.Check(t, c.Name+" initial prediction", src, pred.Data, c.InitialPrediction, parity.Value))

			k := 0
			keys := append([]string{"loss"}, c.Compile.Metrics...)
			var seen float64               // samples so far this epoch
			runSum := map[string]float64{} // Σ value·size so far this epoch, per log key
			check := &sequential.LambdaCallback{
				EpochBegin: func(int, sequential.Logs) error { seen = 0; clear(runSum); return nil },
				BatchEnd: func(b int, logs sequential.Logs) error {
					if k >= len(c.Steps) {
						return fmt.Errorf("keraswasm takes more than the %d steps of %s", len(c.Steps), src)
					}
					size := logs["size"]
					what := fmt.Sprintf("%s step %d", c.Name, k+1)
					for _, key := range keys {
						got, ok := logs[key]
						if !assert.True(t, ok, "%s: keraswasm logs %v lack %q", what, logs, key) {
							continue
						}
						total := got * (seen + size)
						own := (total - runSum[key]) / size
						runSum[key] = total
						want := c.Steps[k].Loss
						if key != "loss" {
							want = c.Steps[k].Metrics[key]
						}
						tally.Add(key, parity.Check(t, what+" batch "+key, src, []float32{float32(own)}, scalar(want), parity.Value))
					}
					seen += size
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
				for _, name := range c.Compile.Metrics {
					require.Len(t, h.History[name], len(c.EpochLoss), "History[%q]", name)
					tally.Add("epoch "+name, parity.Check(t, fmt.Sprintf("%s epoch %d %s", c.Name, e+1, name), src,
						[]float32{float32(h.History[name][e])}, scalar(c.EpochMetrics[e][name]), parity.Value))
				}
			}

			res, err := m.Evaluate(x, y, sequential.EvaluateOptions{BatchSize: c.Evaluate.BatchSize})
			require.NoError(t, err)
			require.Len(t, res, 1+len(c.Compile.Metrics), "evaluate returns the loss and then each metric")
			tally.Add("evaluate", parity.Check(t, c.Name+" evaluate loss", "Keras = "+src+" evaluate + penalties",
				[]float32{float32(res[0])}, scalar(c.Evaluate.Loss), parity.Value))
			for i, name := range c.Compile.Metrics {
				tally.Add("evaluate", parity.Check(t, c.Name+" evaluate "+name, src,
					[]float32{float32(res[1+i])}, scalar(c.Evaluate.Metrics[name]), parity.Value))
			}
		})
	}
	tally.Log(t, src)
}

func metricList(names []string) []any {
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = n
	}
	return out
}

func scalar(v float64) parity.Tensor { return parity.Tensor{Shape: []int{1}, Data: []float64{v}} }
