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
	flush   func() // the progress printer's (ParallelProgress), or nil
	moving  []float32
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

// ParallelProgress makes model h's run print fit's progress (verbose 1:
// a bar, 2: a line per epoch) through print, for a fit of epochs epochs.
// The page asks the replica whose logs it reports, and no other.
func (r *Runtime) ParallelProgress(h, verbose, epochs int, print func(string)) error {
	run, err := r.parallel(h)
	if err != nil {
		return err
	}
	w := newLineWriter(print)
	run.flush = w.Flush
	run.p.Progress(w, verbose, epochs)
	return nil
}

// ParallelEpochBegin begins epoch: the loss mean and metrics start again;
// with progress, "Epoch 3/10".
func (r *Runtime) ParallelEpochBegin(h, epoch int) error {
	run, err := r.parallel(h)
	if err != nil {
		return err
	}
	run.p.EpochBegin(epoch)
	return nil
}

// ParallelEpochEnd ends epoch: it returns the epoch's logs (with the
// validation's val_ values when validate) and their names in order, and
// with progress prints the epoch's last line.
func (r *Runtime) ParallelEpochEnd(h, epoch int, validate bool) (logs sequential.Logs, names []string, err error) {
	defer guard(parallelOp, &err)
	run, err := r.parallel(h)
	if err != nil {
		return nil, nil, err
	}
	logs = sequential.Logs{}
	if err := run.p.EpochLogs(logs, validate); err != nil {
		return nil, nil, wrap(parallelOp, err)
	}
	run.p.EpochEnd(epoch, logs)
	if run.flush != nil {
		run.flush()
	}
	names = run.e.m.MetricsNames()
	if _, ok := logs["val_loss"]; ok {
		for _, n := range run.e.m.MetricsNames() {
			names = append(names, "val_"+n)
		}
	}
	return logs, names, nil
}

// ParallelValidation gives model h's run its validation data (x, y, sw
// nil for none), evaluated at epoch ends in batches of batchSize (0: the
// run's).
func (r *Runtime) ParallelValidation(h int, x, y, sw *tensor.Tensor, batchSize int) (err error) {
	defer guard(parallelOp, &err)
	run, err := r.parallel(h)
	if err != nil {
		return err
	}
	return wrap(parallelOp, run.p.Validation(x, y, weights(sw), batchSize))
}

// ParallelMoving returns model h's moving statistics (BatchNormalization's
// moving_mean and moving_variance; empty for none), valid until the next call.
func (r *Runtime) ParallelMoving(h int) ([]float32, error) {
	run, err := r.parallel(h)
	if err != nil {
		return nil, err
	}
	run.moving = run.p.MovingStatistics(run.moving)
	return run.moving, nil
}

// ParallelSetMoving sets model h's moving statistics, laid out as
// ParallelMoving returns them (the page's average over the replicas).
func (r *Runtime) ParallelSetMoving(h int, src []float32) (err error) {
	defer guard(parallelOp, &err)
	run, err := r.parallel(h)
	if err != nil {
		return err
	}
	return wrap(parallelOp, run.p.SetMovingStatistics(src))
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
	if run.flush != nil {
		run.flush()
	}
	run.p.End()
	if r.endFit(h, run.e) {
		return errors.New(parallelOp + ": the model was disposed during fit; the History is lost")
	}
	return nil
}
