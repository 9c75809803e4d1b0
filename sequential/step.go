package sequential

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// LogitsLayer is implemented by a layer that ends in an activation applied
// to a pre-activation it keeps (Dense or Conv2D with activation="softmax").
// The model then fuses a final softmax (or sigmoid) with a crossentropy loss
// as tf.keras does: the loss is computed from the logits, and Backward
// starts from ∂loss/∂logits, so large logits stay finite and the gradient is
// exactly softmax(z) − y. Keras: tf_keras/activations.py (softmax and
// sigmoid keep their input as output._keras_logits) and tf_keras/backend.py
// (categorical_crossentropy and binary_crossentropy use it).
//
// Porting note: TF.js does not fuse; it computes the crossentropy from the
// clipped probabilities. The two agree (the parity fixtures to 1e-5) until
// a probability nears the clip at 1e-7.
type LogitsLayer interface {
	nn.Layer
	// OutputActivation returns the activation the layer applies last.
	OutputActivation() nn.Activation
	// Logits returns the pre-activation of the last Forward (its output's
	// shape).
	Logits() *tensor.Tensor
	// BackwardLogits is Backward given dz = ∂loss/∂logits instead of dy.
	BackwardLogits(dz *tensor.Tensor, needDx bool) *tensor.Tensor
}

// buffers are what a step reuses, so that a step in steady state allocates
// nothing.
type buffers struct {
	xb, yb  *tensor.Tensor // the gathered batch
	sw      []float32
	shape   []int
	lossOut []float64         // per-sample losses
	dPred   *tensor.Tensor    // ∂loss/∂output (or ∂loss/∂logits)
	lastIn  *tensor.Tensor    // the input of the last layer in the last forward
	dx      [2]*tensor.Tensor // the layers' input gradients, shared in turn (backwardScaled)
	inSize  []int             // values of each layer's input in the last forward
	seq     []int             // 0, 1, 2, ...: the order of unshuffled batches
	perm    []int             // fit's order of the samples
	logs    Logs              // the batch logs
}

// stepState is what a run (fit, evaluate, train_on_batch) prepares once.
type stepState struct {
	params       []*nn.Param // every weight, layer by layer
	trained      []*nn.Param // the weights the optimizer updates: trainable in a layer not frozen at compile
	firstTrained int         // the first layer with a trained weight; len(layers) if none
	fused        nn.LogitsLoss
	fusedLayer   LogitsLayer   // nil when the fused activation is an Activation layer
	sharers      []nn.DxSharer // per layer: the layer if it writes dx into a shared buffer, else nil
	lossSum      float64       // Σ batch loss·batch size over the run so far
	lossCount    float64       // Σ batch size
}

// prepare gathers the params and decides the softmax/crossentropy fusion for
// the model as it is now.
func (m *Model) prepare() {
	s := &m.st
	s.params, s.trained = s.params[:0], s.trained[:0]
	s.firstTrained = len(m.layers)
	s.sharers = s.sharers[:0]
	for i, l := range m.layers {
		sh, _ := l.(nn.DxSharer)
		s.sharers = append(s.sharers, sh)
		for _, p := range l.Params() {
			s.params = append(s.params, p)
			if trained(l, p) {
				s.trained = append(s.trained, p)
				s.firstTrained = min(s.firstTrained, i)
			}
		}
	}
	s.fused, s.fusedLayer = nil, nil
	if m.c == nil || m.c.loss == nil || len(m.layers) == 0 {
		return
	}
	ll := m.c.loss.logits()
	if ll == nil {
		return
	}
	last := m.layers[len(m.layers)-1]
	// An Activation or Softmax layer's backward is skipped altogether when
	// fused, so one with an activity regularizer (whose gradient goes through
	// the activation) is not fused. A LogitsLayer's BackwardLogits carries
	// that gradient through its activation itself.
	actReg := last.Base().ActivityRegularizer != nil
	switch l := last.(type) {
	case *nn.ActivationLayer:
		if !actReg && l.Activation.Name() == ll.LogitsActivation() {
			s.fused = ll
		}
	case *nn.Softmax:
		if actReg {
			return
		}
		// A Softmax layer over the last axis (the axis counts the batch).
		last := len(m.OutputShape())
		if ll.LogitsActivation() == "softmax" && len(l.Axis) == 1 && (l.Axis[0] == -1 || l.Axis[0] == last) {
			s.fused = ll
		}
	case LogitsLayer:
		if a := l.OutputActivation(); a != nil && a.Name() == ll.LogitsActivation() {
			s.fused, s.fusedLayer = ll, l
		}
	}
}

// forward runs every layer on x and returns the output, keeping the input
// of the last layer (the logits when an Activation layer ends the model).
func (m *Model) forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	h := x
	last := len(m.layers) - 1
	var mask []bool // Keras's mask of h: nil, or one entry per (row, step)
	m.buf.inSize = m.buf.inSize[:0]
	for i, l := range m.layers {
		m.buf.inSize = append(m.buf.inSize, len(h.Data))
		if i == last {
			m.buf.lastIn = h
		}
		if c, ok := l.(nn.MaskConsumer); ok {
			c.SetMask(mask)
		}
		in := h
		h = l.Forward(h, training)
		mask = nextMask(l, in, h, mask)
	}
	return h
}

// logits returns the fused loss's input after forward.
func (m *Model) logits() *tensor.Tensor {
	if m.st.fusedLayer != nil {
		return m.st.fusedLayer.Logits()
	}
	return m.buf.lastIn
}

// batchLoss returns Keras's loss of a batch: Σ_i w_i·loss_i / batch plus
// the regularization losses (weight penalties and activity penalties).
// Keras: keras/src/losses/loss.py (reduction "sum_over_batch_size") and
// Trainer.compute_loss (+ model.losses).
func (m *Model) batchLoss(y, yPred *tensor.Tensor, sw []float32) (float64, error) {
	sum, err := m.lossSum(y, yPred, sw)
	if err != nil {
		return 0, err
	}
	return sum/float64(y.Shape[0]) + m.regularization(), nil
}

// lossSum returns Σ_i w_i·loss_i over the batch, without regularization.
func (m *Model) lossSum(y, yPred *tensor.Tensor, sw []float32) (float64, error) {
	n := y.Shape[0]
	if cap(m.buf.lossOut) < n {
		m.buf.lossOut = make([]float64, n)
	}
	out := m.buf.lossOut[:n]
	if m.st.fused != nil {
		m.st.fused.ForwardLogits(out, y, m.logits())
	} else if err := m.c.loss.forward(out, y, yPred); err != nil {
		return 0, err
	}
	var sum float64
	for i, v := range out {
		if sw != nil {
			v *= float64(sw[i])
		}
		sum += v
	}
	return sum, nil
}

// regularization returns the penalties of the weight regularizers and the
// activity regularizers of the last forward.
func (m *Model) regularization() float64 {
	var r float64
	for _, p := range m.st.params {
		if p.Regularizer != nil {
			r += p.Regularizer.Loss(p.Value.Data)
		}
	}
	for _, l := range m.layers {
		r += l.Base().ActivityLoss
	}
	return r
}

// backward computes every weight's gradient of the batch loss.
func (m *Model) backward(y, yPred *tensor.Tensor, sw []float32) error {
	return m.backwardScaled(y, yPred, sw, 1/float64(y.Shape[0]))
}

// backwardScaled is backward with the per-sample losses weighted by k
// instead of 1/rows: 1/batch for a slice of a batch (sequential.Parallel),
// so that the slices' gradients add up to the whole batch's.
func (m *Model) backwardScaled(y, yPred *tensor.Tensor, sw []float32, k float64) error {
	if m.st.firstTrained == len(m.layers) {
		return nil // nothing to train
	}
	var d *tensor.Tensor
	if m.st.fused != nil {
		z := m.logits()
		d = tensor.Ensure(m.buf.dPred, z.Shape...)
		m.st.fused.BackwardLogits(d, y, z)
	} else {
		d = tensor.Ensure(m.buf.dPred, yPred.Shape...)
		if err := m.c.loss.backward(d, y, yPred); err != nil {
			return err
		}
	}
	m.buf.dPred = d
	scaleRows(d, sw, k)
	for _, p := range m.st.params {
		p.Grad.Zero()
	}
	last := len(m.layers) - 1
	start := last
	if m.st.fused != nil && m.st.fusedLayer == nil {
		start-- // the Activation layer's own backward is folded into the loss's
	}
	m.sizeSharedDx(start)
	g := d
	held := 1 // the shared buffer that may hold g (or what g views); none yet
	for i := start; i >= m.st.firstTrained; i-- {
		needDx := i > m.st.firstTrained
		sh := m.st.sharers[i]
		if sh != nil {
			sh.ShareDx(&m.buf.dx[1-held])
		}
		if i == last && m.st.fusedLayer != nil {
			g = m.st.fusedLayer.BackwardLogits(g, needDx)
		} else {
			g = m.layers[i].Backward(g, needDx)
		}
		if sh != nil && g != nil && g == m.buf.dx[1-held] {
			held = 1 - held
		}
	}
	return nil
}

// sizeSharedDx grows the two shared dx buffers at once to what the layers
// from start down will write into each (their inputs' sizes, the sharers
// taking the buffers in turn), so that a first step does not grow them
// layer by layer, leaving the smaller ones as garbage.
func (m *Model) sizeSharedDx(start int) {
	var want [2]int
	k := 0
	for i := start; i > m.st.firstTrained; i-- {
		if m.st.sharers[i] != nil && i < len(m.buf.inSize) {
			want[k] = max(want[k], m.buf.inSize[i])
			k = 1 - k
		}
	}
	for s, n := range want {
		if b := m.buf.dx[s]; n > 0 && (b == nil || cap(b.Data) < n) {
			m.buf.dx[s] = tensor.New(n)
		}
	}
}

// scaleRows multiplies row i of d by w_i·k (w nil: by k).
func scaleRows(d *tensor.Tensor, w []float32, k float64) {
	n := d.Shape[0]
	per := len(d.Data) / n
	for i := 0; i < n; i++ {
		f := k
		if w != nil {
			f *= float64(w[i])
		}
		row := d.Data[i*per : (i+1)*per]
		tensor.Scale(row, float32(f))
	}
}

// update adds the regularizers' gradients, lets the optimizer step and
// applies the constraints. Keras: BaseOptimizer.apply (constraints after
// the update).
func (m *Model) update() {
	for _, p := range m.st.trained {
		if p.Regularizer != nil {
			p.Regularizer.Grad(p.Grad.Data, p.Value.Data)
		}
	}
	m.c.opt.Apply(m.st.trained)
	for _, p := range m.st.trained {
		if p.Constraint != nil {
			p.Constraint.Apply(p.Value)
		}
	}
}

// trainStep trains on one batch: forward in training mode, the loss, the
// metrics, backward and the update. sw are the loss's sample weights (with
// class weights), nil for none. It returns the batch's loss.
func (m *Model) trainStep(x, y *tensor.Tensor, sw []float32) (float64, error) {
	yPred := m.forward(x, true)
	loss, err := m.batchLoss(y, yPred, sw)
	if err != nil {
		return 0, err
	}
	if err := m.updateMetrics(y, yPred, sw); err != nil {
		return 0, err
	}
	if err := m.backward(y, yPred, sw); err != nil {
		return 0, err
	}
	m.update()
	m.st.lossSum += loss * float64(x.Shape[0])
	m.st.lossCount += float64(x.Shape[0])
	return loss, nil
}

// testStep evaluates one batch: forward in inference mode, the loss and the
// metrics.
func (m *Model) testStep(x, y *tensor.Tensor, sw []float32) (float64, error) {
	yPred := m.forward(x, false)
	loss, err := m.batchLoss(y, yPred, sw)
	if err != nil {
		return 0, err
	}
	if err := m.updateMetrics(y, yPred, sw); err != nil {
		return 0, err
	}
	m.st.lossSum += loss * float64(x.Shape[0])
	m.st.lossCount += float64(x.Shape[0])
	return loss, nil
}

// updateMetrics adds a batch to every metric; only weighted metrics see the
// sample weights, as in Keras.
func (m *Model) updateMetrics(y, yPred *tensor.Tensor, sw []float32) error {
	c := m.c
	if c.metrics == nil {
		if err := c.resolveMetrics(y.Shape, yPred.Shape); err != nil {
			return err
		}
	}
	for i, mt := range c.metrics {
		var w []float32
		if c.specs[i].weighted {
			w = sw
		}
		if err := mt.Update(y, yPred, w); err != nil {
			return fmt.Errorf("metric %q: %w", c.names[i], err)
		}
	}
	return nil
}

// resetState starts the loss mean and the metrics again (each epoch, each
// evaluation).
func (m *Model) resetState() {
	m.st.lossSum, m.st.lossCount = 0, 0
	if m.c != nil {
		m.c.resetMetrics()
	}
}

// fillLogs writes the loss mean and every metric's result into logs, with
// prefix ("" or "val_") before each name.
func (m *Model) fillLogs(logs Logs, prefix string) {
	loss := 0.0
	if m.st.lossCount > 0 {
		loss = m.st.lossSum / m.st.lossCount
	}
	if prefix == "" {
		logs["loss"] = loss
	} else {
		logs["val_loss"] = loss
	}
	for i, mt := range m.c.metrics {
		name := m.c.names[i]
		if prefix != "" {
			name = m.c.valNames[i]
		}
		logs[name] = mt.Result()
	}
}

// nextMask is the mask of layer l's output h given the mask of its input:
// what a MaskingLayer says, else the input's mask when l keeps the batch and
// time axes of a sequence (Dense, Dropout, Activation on (batch, steps, ...):
// Keras's supports_masking layers), else none.
func nextMask(l nn.Layer, in, h *tensor.Tensor, mask []bool) []bool {
	if ml, ok := l.(nn.MaskingLayer); ok {
		return ml.ComputeMask(mask)
	}
	if mask == nil || len(h.Shape) < 3 || len(in.Shape) < 3 || h.Shape[1] != in.Shape[1] {
		return nil
	}
	return mask
}
