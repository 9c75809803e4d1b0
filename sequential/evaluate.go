package sequential

import (
	"fmt"
	"os"

	"github.com/keraswasm/keraswasm/tensor"
)

// Evaluate returns the loss and metrics of the model on x and y, in
// MetricsNames order: [loss] for a model without metrics (Keras returns the
// scalar), else [loss, metric...]. Keras: Model.evaluate.
//
// Batches run in order with dropout off; the loss is the mean of the batch
// losses weighted by batch size, with the sample weights applied as in
// training (and the regularization losses added, as Keras does).
func (m *Model) Evaluate(x, y *tensor.Tensor, o EvaluateOptions) (res []float64, err error) {
	defer recoverInto(&err, "Evaluate")
	defer func() { m.out = nil }()
	if o.Verbose < 0 || o.Verbose > 2 || o.Steps < 0 {
		return nil, fmt.Errorf("expected verbose 0, 1 or 2 and steps >= 0; received verbose=%d, steps=%d", o.Verbose, o.Steps)
	}
	d, err := m.checkData("", x, y, o.SampleWeight)
	if err != nil {
		return nil, err
	}
	bs, err := m.checkBatchSize("batch_size", o.BatchSize, d.n)
	if err != nil {
		return nil, err
	}
	release, err := m.checkRunMemory("evaluate", d.flow, min(bs, d.n), false, 0)
	if err != nil {
		return nil, err
	}
	defer release()
	m.out = o.Out
	if m.out == nil {
		m.out = os.Stdout
	}
	cbs := append(callbackList(nil), o.Callbacks...)
	if o.Verbose > 0 {
		cbs = append(cbs, &ProgbarLogger{CountMode: "samples"})
	}
	steps := (d.n + bs - 1) / bs
	if o.Steps > 0 && o.Steps < steps {
		steps = o.Steps
	}
	cbs.setup(m, map[string]any{"verbose": o.Verbose, "epochs": 1, "steps": steps, "samples": min(d.n, steps*bs), "metrics": m.logNames(false)})
	m.prepare()
	logs := Logs{}
	if err := m.testLoop(d, bs, o.Steps, cbs, logs); err != nil {
		return nil, err
	}
	return m.results(), nil
}

// testLoop evaluates d batch by batch, calling the test hooks, and writes the
// final logs.
func (m *Model) testLoop(d *dataset, bs, maxSteps int, cbs callbackList, logs Logs) error {
	m.resetState()
	if err := cbs.testBegin(logs); err != nil {
		return err
	}
	seq := m.sequence(d.n)
	steps := (d.n + bs - 1) / bs
	if maxSteps > 0 && maxSteps < steps {
		steps = maxSteps
	}
	bl := m.batchLogs()
	for b := 0; b < steps; b++ {
		lo, hi := b*bs, min((b+1)*bs, d.n)
		bl["batch"], bl["size"] = float64(b), float64(hi-lo)
		if err := cbs.testBatchBegin(b, bl); err != nil {
			return err
		}
		x, y, sw := m.gather(d, seq[lo:hi])
		if _, err := m.testStep(x, y, sw); err != nil {
			return err
		}
		m.fillLogs(bl, "")
		if err := cbs.testBatchEnd(b, bl); err != nil {
			return err
		}
	}
	m.fillLogs(logs, "")
	return cbs.testEnd(logs)
}

// results returns [loss, metric...] of the current state.
func (m *Model) results() []float64 {
	logs := Logs{}
	m.fillLogs(logs, "")
	out := []float64{logs["loss"]}
	for _, n := range m.c.names {
		out = append(out, logs[n])
	}
	return out
}

// sequence returns 0, 1, ..., n-1 (reused).
func (m *Model) sequence(n int) []int {
	for len(m.buf.seq) < n {
		m.buf.seq = append(m.buf.seq, len(m.buf.seq))
	}
	return m.buf.seq[:n]
}

// TestOnBatch returns the loss and metrics of one batch, as Keras's
// test_on_batch (the metrics are reset before and after).
func (m *Model) TestOnBatch(x, y *tensor.Tensor, sampleWeight []float32) (res []float64, err error) {
	defer recoverInto(&err, "TestOnBatch")
	d, err := m.checkData("", x, y, sampleWeight)
	if err != nil {
		return nil, err
	}
	if err := m.checkOnBatch(d.n); err != nil {
		return nil, err
	}
	release, err := m.checkRunMemory("test_on_batch", d.flow, d.n, false, 0)
	if err != nil {
		return nil, err
	}
	defer release()
	m.prepare()
	m.resetState()
	defer m.resetState()
	if _, err := m.testStep(d.x, d.y, d.sw); err != nil {
		return nil, err
	}
	return m.results(), nil
}

// TrainOnBatch runs one gradient update on one batch and returns its loss
// and metrics, as Keras's train_on_batch (the metrics are reset before and
// after).
func (m *Model) TrainOnBatch(x, y *tensor.Tensor, sampleWeight []float32) (res []float64, err error) {
	defer recoverInto(&err, "TrainOnBatch")
	d, err := m.checkData("", x, y, sampleWeight)
	if err != nil {
		return nil, err
	}
	if err := m.checkOnBatch(d.n); err != nil {
		return nil, err
	}
	release, err := m.checkRunMemory("train_on_batch", d.flow, d.n, true, 0)
	if err != nil {
		return nil, err
	}
	defer release()
	m.prepare()
	m.resetState()
	defer m.resetState()
	if _, err := m.trainStep(d.x, d.y, d.sw); err != nil {
		return nil, err
	}
	return m.results(), nil
}
