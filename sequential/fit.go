package sequential

import (
	"fmt"
	"os"

	"github.com/keraswasm/keraswasm/tensor"
)

// Fit trains the model on x (samples, ...) and y (samples, ...) with
// Keras's options and returns the History of the run. Keras:
// keras/src/trainers/trainer.py fit (and tf_keras/engine/training.py).
//
// Each epoch shuffles the training samples (Shuffle), runs the batches
// (dropout on), then, if there is validation data, evaluates it (dropout
// off) into the "val_" logs. The loss logged is the mean of the batch
// losses weighted by batch size (Keras's loss tracker); metrics are stateful
// over the epoch. A callback, or the model's SetStopTraining, stops training
// after the current batch. Errors leave the model usable.
func (m *Model) Fit(x, y *tensor.Tensor, o FitOptions) (h *History, err error) {
	defer recoverInto(&err, "Fit")
	defer func() { m.out = nil }()
	run, err := m.prepareFit(x, y, &o)
	if err != nil {
		return nil, err
	}
	m.out = o.Out
	if m.out == nil {
		m.out = os.Stdout
	}
	cbs, hist := fitCallbacks(o)
	cbs.setup(m, run.params(o, m.logNames(run.val != nil)))
	m.prepare()
	m.stopTraining = false
	if o.Verbose > 0 && run.val != nil {
		fmt.Fprintf(m.out, "Train on %d samples, validate on %d samples\n", run.train.n, run.val.n)
	}
	logs := Logs{}
	if err := cbs.trainBegin(logs); err != nil {
		return nil, err
	}
	s := newStream(run.train.n, run.batchSize, o.Shuffle, m.rng, &m.buf.perm)
	for epoch := o.InitialEpoch; epoch < o.Epochs; epoch++ {
		logs = Logs{}
		if err := m.fitEpoch(epoch, run, s, o, cbs, logs); err != nil {
			return nil, err
		}
		if m.stopTraining {
			break
		}
	}
	if err := cbs.trainEnd(logs); err != nil {
		return nil, err
	}
	return hist, nil
}

// fitRun is a fit's checked data and sizes.
type fitRun struct {
	train, val         *dataset
	batchSize, valSize int
	steps              int // batches per epoch
}

// params are the run's parameters given to callbacks (Keras 2's set_params):
// verbose, epochs, steps, samples (without steps_per_epoch) and the names
// of the logged values in order.
func (r *fitRun) params(o FitOptions, names []string) map[string]any {
	p := map[string]any{"verbose": o.Verbose, "epochs": o.Epochs, "steps": r.steps, "metrics": names}
	if o.StepsPerEpoch == 0 {
		p["samples"] = r.train.n
	}
	return p
}

// prepareFit checks the options and data, and splits off the validation data.
func (m *Model) prepareFit(x, y *tensor.Tensor, o *FitOptions) (*fitRun, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	train, err := m.checkData("", x, y, o.SampleWeight)
	if err != nil {
		return nil, err
	}
	r := &fitRun{train: train}
	switch {
	case o.ValidationX != nil:
		if r.val, err = m.checkData("validation_data", o.ValidationX, o.ValidationY, o.ValidationSampleWeight); err != nil {
			return nil, err
		}
	case o.ValidationSampleWeight != nil:
		return nil, fmt.Errorf("validation_sample_weight is given without validation data (validation_data)")
	case o.ValidationSplit > 0:
		// Keras takes the last fraction, before any shuffling:
		// split_at = floor(n · (1 − validation_split)).
		at := int(float64(train.n) * (1 - o.ValidationSplit))
		if at == 0 || at == train.n {
			return nil, fmt.Errorf("training data contains %d samples, which is not sufficient to split it into a validation and training set as specified by validation_split=%v. Either provide more data, or a different value for the validation_split argument",
				train.n, o.ValidationSplit)
		}
		r.train, r.val = train.rows(0, at), train.rows(at, train.n)
	}
	if r.train.sw, err = classWeights(r.train.y, r.train.sw, o.ClassWeight); err != nil {
		return nil, err
	}
	if r.batchSize, err = m.checkBatchSize("batch_size", o.BatchSize, r.train.n); err != nil {
		return nil, err
	}
	r.steps = (r.train.n + r.batchSize - 1) / r.batchSize
	if o.StepsPerEpoch > 0 {
		r.steps = o.StepsPerEpoch
	}
	if r.val != nil {
		vbs := o.ValidationBatchSize
		if vbs == 0 {
			vbs = r.batchSize
		}
		if r.valSize, err = m.checkBatchSize("validation_batch_size", vbs, r.val.n); err != nil {
			return nil, err
		}
	}
	return r, m.checkFitMemory(r)
}

// checkFitMemory checks the memory of the training batches and of the
// validation batches, counting the training buffers for both (they stay
// allocated), an upper bound.
func (m *Model) checkFitMemory(r *fitRun) error {
	if _, err := m.checkRunMemory("fit", r.train.flow, min(r.batchSize, r.train.n), true, 0); err != nil {
		return err
	}
	if r.val == nil {
		return nil
	}
	_, err := m.checkRunMemory("fit", r.val.flow, min(r.valSize, r.val.n), true, 0)
	return err
}

// fitCallbacks returns the user's callbacks followed by a History and, for
// Verbose > 0, a ProgbarLogger, unless the user gave them (as tf.keras's
// CallbackList does); and the History fit returns.
func fitCallbacks(o FitOptions) (callbackList, *History) {
	cbs := append(callbackList(nil), o.Callbacks...)
	var hist *History
	hasBar := false
	for _, c := range cbs {
		switch x := c.(type) {
		case *History:
			hist = x
		case *ProgbarLogger:
			hasBar = true
		}
	}
	if hist == nil {
		hist = NewHistory()
		cbs = append(cbs, hist)
	}
	if o.Verbose > 0 && !hasBar {
		cbs = append(cbs, &ProgbarLogger{CountMode: "samples"})
	}
	return cbs, hist
}

// fitEpoch runs one epoch: its batches, then the validation, writing the
// epoch's logs.
func (m *Model) fitEpoch(epoch int, r *fitRun, s *stream, o FitOptions, cbs callbackList, logs Logs) error {
	m.resetState()
	if err := cbs.epochBegin(epoch, logs); err != nil {
		return err
	}
	if o.StepsPerEpoch == 0 {
		s.startPass()
	}
	bl := m.batchLogs()
	for b := 0; b < r.steps; b++ {
		idx := s.next()
		bl["batch"], bl["size"] = float64(b), float64(len(idx))
		if err := cbs.trainBatchBegin(b, bl); err != nil {
			return err
		}
		x, y, sw := m.gather(r.train, idx)
		if _, err := m.trainStep(x, y, sw); err != nil {
			return err
		}
		m.fillLogs(bl, "")
		if err := cbs.trainBatchEnd(b, bl); err != nil {
			return err
		}
		if m.stopTraining {
			break
		}
	}
	m.fillLogs(logs, "")
	freq := o.ValidationFreq
	if freq == 0 {
		freq = 1
	}
	if r.val != nil && (epoch+1)%freq == 0 {
		vl := Logs{}
		if err := m.testLoop(r.val, r.valSize, o.ValidationSteps, cbs, vl); err != nil {
			return err
		}
		m.fillLogs(logs, "val_")
	}
	return cbs.epochEnd(epoch, logs)
}

// batchLogs returns the reused logs of batch hooks, emptied.
func (m *Model) batchLogs() Logs {
	if m.buf.logs == nil {
		m.buf.logs = Logs{}
	}
	clear(m.buf.logs)
	return m.buf.logs
}

// stream hands out the batches of an endless sequence of passes over n
// samples, each pass in a new random order when shuffling. Fit starts a
// pass each epoch; with steps_per_epoch, epochs take their batches from the
// stream wherever the last one stopped, and a new pass starts whenever one
// ends (Keras 3's EpochIterator; keras/src/trainers/epoch_iterator.py).
type stream struct {
	n, batch int
	shuffle  bool
	rng      *tensor.RNG
	perm     []int
	pos      int
}

// newStream returns a stream over n samples; *perm is reused for the order.
func newStream(n, batch int, shuffle bool, rng *tensor.RNG, perm *[]int) *stream {
	if cap(*perm) < n {
		*perm = make([]int, n)
	}
	*perm = (*perm)[:n]
	s := &stream{n: n, batch: batch, shuffle: shuffle, rng: rng, perm: *perm}
	s.pos = n // the first next starts a pass
	return s
}

// startPass begins a pass over the samples, shuffled if asked.
func (s *stream) startPass() {
	for i := range s.perm {
		s.perm[i] = i
	}
	if s.shuffle {
		s.rng.Shuffle(s.perm)
	}
	s.pos = 0
}

// next returns the sample indices of the next batch (the last batch of a
// pass may be short).
func (s *stream) next() []int {
	if s.pos >= s.n {
		s.startPass()
	}
	hi := min(s.pos+s.batch, s.n)
	idx := s.perm[s.pos:hi]
	s.pos = hi
	return idx
}
