package sequential

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Parallel is one replica's part of a data-parallel fit: several copies of
// a model (same config, weights and optimizer; one per Web Worker) each
// compute the gradient of their slice of every batch (Compute), a
// coordinator adds the slices' gradients, and every replica applies the
// same sum (Apply), so the weights stay identical and equal one model's
// training on the whole batch, up to the order of float32 summation.
//
// Compute weights each sample's loss by 1/batch (not 1/slice), so the sum
// of the slices' gradients is the gradient of the whole batch's mean loss
// exactly as trainStep computes it. Losses are returned the same way, and
// the metrics' states (nn.SummedMetric) merge by adding, so the coordinator
// can log what one model would.
//
// Dropout layers (nn.Reseeder) get a mask source per replica, so replicas
// draw different masks: training is then as valid as one model's, but not
// equal to it sample for sample. BatchNormalization normalizes each slice
// with its own statistics, as Keras's MirroredStrategy does
// (parallel_moving.go). A model whose random layers cannot be reseeded, or
// whose batch result otherwise depends on how the batch is cut, is refused
// (NotImplementedError): other random layers in training (every replica
// would draw the same numbers), activity regularizers (their penalty is a
// mean per forward), a fixed batch size.
type Parallel struct {
	m       *Model
	d       *dataset
	batch   int
	size    int
	release func()
	bar     *ProgbarLogger // fit's progress, on the replica that prints it (Progress)
	logs    Logs           // the bar's logs, reused
	// announced: the first epoch has begun (fit's "Train on …" line is printed before it).
	announced bool

	// The validation data (Validation), on the replica that validates.
	val        *dataset
	valBatch   int
	valRelease func()
}

// BeginParallel checks x (samples, ...), y (samples, ...) and the sample
// weights (nil for none) against the compiled model, reserves the memory of
// a step of batchSize samples, and starts a parallel run: the loss mean and
// the metrics start from zero. replica (0, 1, ...) numbers this model among
// the replicas: it picks the dropout masks' sources. End releases the run.
func (m *Model) BeginParallel(x, y *tensor.Tensor, sampleWeight []float32, batchSize, replica int) (p *Parallel, err error) {
	defer recoverInto(&err, "BeginParallel")
	d, err := m.checkData("", x, y, sampleWeight)
	if err != nil {
		return nil, err
	}
	bs, err := m.checkBatchSize("batch_size", batchSize, d.n)
	if err != nil {
		return nil, err
	}
	if err := m.parallelRefusal(); err != nil {
		return nil, err
	}
	release, err := m.checkRunMemory("fit", d.flow, bs, true, 0)
	if err != nil {
		return nil, err
	}
	for _, l := range m.layers {
		if r, ok := l.(nn.Reseeder); ok {
			// m.rng moves alike on every replica; the replica number parts the seeds.
			r.Reseed(m.rng.Uint64() ^ (uint64(replica)+1)*0x9e3779b97f4a7c15)
		}
	}
	m.prepare()
	m.resetState()
	p = &Parallel{m: m, d: d, batch: bs, release: release}
	for _, q := range m.st.trained {
		p.size += len(q.Grad.Data)
	}
	return p, nil
}

// parallelRefusal says why the model cannot be trained by slices, or nil.
func (m *Model) parallelRefusal() error {
	hint := "train this model with one worker (loadKeras({worker: true}) or without workers)"
	if m.BatchSize() > 0 {
		return &nn.NotImplemented{What: "data-parallel training of a model with a fixed batch size", Hint: hint}
	}
	for _, l := range m.layers {
		if _, ok := l.(nn.Reseeder); ok {
			continue // a mask source per replica
		}
		if why := sliceDependence(l.Config()); why != "" {
			return &nn.NotImplemented{What: fmt.Sprintf("data-parallel training of a model with layer %s (%s)", l.Base().Name, why), Hint: hint}
		}
		if l.Base().ActivityRegularizer != nil {
			return &nn.NotImplemented{What: fmt.Sprintf("data-parallel training of a model with an activity regularizer (layer %s)", l.Base().Name), Hint: hint}
		}
	}
	return nil
}

// randomRates are the config keys of a training-time random layer's
// strength: nonzero means the layer draws random numbers in training.
var randomRates = []string{"rate", "dropout", "recurrent_dropout", "stddev"}

// sliceDependence says why a layer's training output depends on the other
// samples of its batch or on random draws, or "" (wrappers are looked into).
func sliceDependence(c nn.Config) string {
	for _, k := range randomRates {
		if v, ok := c.Config[k].(float64); ok && v != 0 {
			return fmt.Sprintf("%s with %s=%v: every replica would draw the same random numbers", c.ClassName, k, v)
		}
	}
	if inner, ok := c.Config["layer"].(nn.Config); ok {
		return sliceDependence(inner)
	}
	if inner, ok := c.Config["layer"].(map[string]any); ok {
		cls, _ := inner["class_name"].(string)
		cfg, _ := inner["config"].(map[string]any)
		return sliceDependence(nn.Config{ClassName: cls, Config: cfg})
	}
	return ""
}

// GradientSize is the length of the flat gradient buffers: every trained
// weight's values, layer by layer in get_weights order.
func (p *Parallel) GradientSize() int { return p.size }

// BatchSize is the run's batch size (batch_size, at most the samples).
func (p *Parallel) BatchSize() int { return p.batch }

// Samples is the number of training samples.
func (p *Parallel) Samples() int { return p.d.n }

// Compute runs forward (training mode) and backward on the samples idx of
// the run's data, one slice of a batch of batch samples, adds the slice to
// the metrics, and writes into dst (GradientSize values) the gradient of
// Σ_slice w_i·loss_i / batch. It returns that same sum of losses (without
// regularization: Apply adds it once). Nothing is applied.
func (p *Parallel) Compute(dst []float32, idx []int, batch int) (loss float64, err error) {
	defer recoverInto(&err, "Compute")
	if err := p.checkSlice(dst, idx, batch); err != nil {
		return 0, err
	}
	m := p.m
	x, y, sw := m.gather(p.d, idx)
	yPred := m.forward(x, true)
	sum, err := m.lossSum(y, yPred, sw)
	if err != nil {
		return 0, err
	}
	if err := m.updateMetrics(y, yPred, sw); err != nil {
		return 0, err
	}
	if err := m.backwardScaled(y, yPred, sw, 1/float64(batch)); err != nil {
		return 0, err
	}
	off := 0
	for _, q := range m.st.trained {
		off += copy(dst[off:], q.Grad.Data)
	}
	return sum / float64(batch), nil
}

func (p *Parallel) checkSlice(dst []float32, idx []int, batch int) error {
	if len(dst) != p.size {
		return fmt.Errorf("gradient buffer of %d values: expected %d", len(dst), p.size)
	}
	if len(idx) == 0 || len(idx) > batch || batch > p.batch {
		return fmt.Errorf("slice of %d samples of a batch of %d: expected 1 to %d samples of a batch of at most %d", len(idx), batch, batch, p.batch)
	}
	for _, i := range idx {
		if i < 0 || i >= p.d.n {
			return fmt.Errorf("sample index %d: expected 0 to %d", i, p.d.n-1)
		}
	}
	return nil
}

// Apply sets every trained weight's gradient from grads (the sum of the
// slices' Compute buffers) and steps as a normal batch does: regularizer
// gradients, the optimizer, the constraints. loss is the sum of the
// slices' Compute losses; Apply adds the weight penalties (of the weights
// before the update, as a normal step) and returns the batch's loss, which
// also goes into the run's loss mean for rows samples.
func (p *Parallel) Apply(grads []float32, loss float64, rows int) (batchLoss float64, err error) {
	defer recoverInto(&err, "Apply")
	if len(grads) != p.size {
		return 0, fmt.Errorf("gradient buffer of %d values: expected %d", len(grads), p.size)
	}
	if rows < 1 || rows > p.batch {
		return 0, fmt.Errorf("a batch of %d samples: expected 1 to %d", rows, p.batch)
	}
	m := p.m
	off := 0
	for _, q := range m.st.trained {
		off += copy(q.Grad.Data, grads[off:])
	}
	loss += m.regularization()
	m.update()
	m.st.lossSum += loss * float64(rows)
	m.st.lossCount += float64(rows)
	p.advance(rows)
	return loss, nil
}

// MetricState appends the states of the compiled metrics (nn.SummedMetric)
// to dst[:0] and returns it; reset then starts them again, so a replica
// other than the one that logs sends what it added since its last call.
// Before the first Compute the metrics are not made yet: the state is empty.
func (p *Parallel) MetricState(dst []float64, reset bool) ([]float64, error) {
	dst = dst[:0]
	for i, mt := range p.m.c.metrics {
		s, ok := mt.(nn.SummedMetric)
		if !ok {
			return nil, &nn.NotImplemented{What: fmt.Sprintf("data-parallel training with metric %q (its state is not a sum)", p.m.c.names[i])}
		}
		dst = s.AppendState(dst)
		if reset {
			mt.Reset()
		}
	}
	return dst, nil
}

// AddMetricState adds a state that MetricState returned on another replica.
func (p *Parallel) AddMetricState(src []float64) (err error) {
	defer recoverInto(&err, "AddMetricState")
	if len(src) == 0 {
		return nil
	}
	off := 0
	for i, mt := range p.m.c.metrics {
		s, ok := mt.(nn.SummedMetric)
		if !ok {
			return &nn.NotImplemented{What: fmt.Sprintf("data-parallel training with metric %q (its state is not a sum)", p.m.c.names[i])}
		}
		n := s.StateSize()
		if off+n > len(src) {
			break
		}
		s.AddState(src[off : off+n])
		off += n
	}
	if off != len(src) {
		return fmt.Errorf("metric state of %d values: expected %d", len(src), off)
	}
	return nil
}

// Logs writes the loss mean and every metric's result into logs, as the
// batch and epoch logs of a fit.
func (p *Parallel) Logs(logs Logs) { p.m.fillLogs(logs, "") }

// End releases the run's memory; the loss mean and metrics start again.
func (p *Parallel) End() {
	p.releaseValidation()
	if p.release != nil {
		p.release()
		p.release = nil
	}
	p.m.resetState()
}
