package main

import (
	"errors"
	"sync"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// The doors of data-parallel training (loadKeras({worker: true, workers: N})):
// each worker's runtime holds a replica of the model and a
// sequential.Parallel run over the whole training data; the page's
// coordinator (js/src/parallel.mjs) asks every replica for the gradient of
// its slice of a batch (ParallelCompute), adds them, and gives every replica
// the sum (ParallelApply). The model counts as fitting from ParallelBegin to
// ParallelEnd, so calls that would change it are refused in between.

// parallelRun is one model's run, with the buffers its doors hand out.
type parallelRun struct {
	e     *entry
	p     *sequential.Parallel
	grads []float32 // Compute's gradient
	sum   []float32 // Apply's gradient: as JS sent it, or the replicas' parts added here
	// scratch holds another replica's part while it is added to sum.
	scratch []float32
	state   []float64
	idx     []int
	idx32   []int32
}

type parallelKey struct {
	r *Runtime
	h int
}

var (
	parallelMu   sync.Mutex
	parallelRuns = map[parallelKey]*parallelRun{}
)

// parallelOp is the JS name the doors' errors carry: the page's fit.
const parallelOp = "fit"

var errNoParallel = errors.New(parallelOp + ": no data-parallel fit is running on this model (it ended, or never began)")

func (r *Runtime) parallel(h int) (*parallelRun, error) {
	parallelMu.Lock()
	defer parallelMu.Unlock()
	run := parallelRuns[parallelKey{r, h}]
	if run == nil {
		return nil, errNoParallel
	}
	return run, nil
}

// ParallelBegin starts a data-parallel fit of model h on x, y and the
// sample weights sw (nil for none) with batches of batchSize samples, as
// replica number replica, and returns the length of its gradient buffers.
func (r *Runtime) ParallelBegin(h int, x, y, sw *tensor.Tensor, batchSize, replica int) (size int, err error) {
	defer guard(parallelOp, &err)
	if _, err := r.get(h, parallelOp, false); err != nil {
		return 0, err
	}
	e, err := r.beginFit(h)
	if err != nil {
		return 0, err
	}
	p, err := e.m.BeginParallel(x, y, weights(sw), batchSize, replica)
	if err != nil {
		r.endFit(h, e)
		return 0, wrap(parallelOp, err)
	}
	run := &parallelRun{e: e, p: p, grads: make([]float32, p.GradientSize()), sum: make([]float32, p.GradientSize())}
	parallelMu.Lock()
	parallelRuns[parallelKey{r, h}] = run
	parallelMu.Unlock()
	return p.GradientSize(), nil
}

// ParallelCompute computes the gradient of samples idx, a slice of a batch
// of batch samples, and returns it with the slice's loss (Σ w·loss / batch)
// and the metrics' states (reset after reading when resetMetrics: a replica
// that does not log). The slices are the run's own, valid until its next call.
func (r *Runtime) ParallelCompute(h int, idx []int, batch int, resetMetrics bool) (grads []float32, loss float64, state []float64, err error) {
	defer guard(parallelOp, &err)
	run, err := r.parallel(h)
	if err != nil {
		return nil, 0, nil, err
	}
	if loss, err = run.p.Compute(run.grads, idx, batch); err != nil {
		return nil, 0, nil, wrap(parallelOp, err)
	}
	if run.state, err = run.p.MetricState(run.state, resetMetrics); err != nil {
		return nil, 0, nil, wrap(parallelOp, err)
	}
	return run.grads, loss, run.state, nil
}

// ParallelApply applies the summed gradient grads of a batch of rows
// samples whose slices' losses add up to loss, adds the other replicas'
// metric states (others, empty for none), and returns the batch's loss and
// the logs so far (loss mean and metrics), with their names in order.
func (r *Runtime) ParallelApply(h int, grads []float32, loss float64, rows int, others []float64) (batchLoss float64, logs sequential.Logs, names []string, err error) {
	defer guard(parallelOp, &err)
	run, err := r.parallel(h)
	if err != nil {
		return 0, nil, nil, err
	}
	if batchLoss, err = run.p.Apply(grads, loss, rows); err != nil {
		return 0, nil, nil, wrap(parallelOp, err)
	}
	if err := run.p.AddMetricState(others); err != nil {
		return 0, nil, nil, wrap(parallelOp, err)
	}
	logs = sequential.Logs{}
	run.p.Logs(logs)
	return batchLoss, logs, run.e.m.MetricsNames(), nil
}

// ParallelResetState starts the loss mean and the metrics again (an epoch).
func (r *Runtime) ParallelResetState(h int) error {
	run, err := r.parallel(h)
	if err != nil {
		return err
	}
	run.p.ResetState()
	return nil
}

// ParallelEnd ends the run: the memory is released and the model may be
// changed again. Ending a run that is not there is harmless.
func (r *Runtime) ParallelEnd(h int) (err error) {
	defer guard(parallelOp, &err)
	parallelMu.Lock()
	k := parallelKey{r, h}
	run := parallelRuns[k]
	delete(parallelRuns, k)
	parallelMu.Unlock()
	if run == nil {
		return nil
	}
	run.p.End()
	if r.endFit(h, run.e) {
		return errors.New(parallelOp + ": the model was disposed during fit; the History is lost")
	}
	return nil
}
