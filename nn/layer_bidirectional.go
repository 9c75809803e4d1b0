package nn

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// Bidirectional is Keras's Bidirectional wrapper: a recurrent layer run
// forwards and a copy of it run backwards (go_backwards flipped) over the
// same input, their outputs merged by merge_mode: "concat" (the default,
// forward then backward along the last axis), "sum", "mul" or "ave". With
// return_sequences the backward layer's outputs are reversed in time before
// the merge, so that step t of both halves belongs to input step t.
//
// The weights are the forward layer's, then the backward layer's (Keras's
// get_weights order), named forward_<layer>/kernel, ... as Keras names
// them. A mask reaches both layers; with return_sequences the output keeps
// it. backward_layer gives the backward layer's own config (it must run the
// other way and match return_sequences and stateful); weights gives initial
// weights, forward then backward, as Keras 2's Bidirectional(weights=...).
//
// With return_sequences and a mask, the output at a masked step is zeros
// in both halves: Keras's Bidirectional sets zero_output_for_mask on both
// layers.
//
// Porting note: TF.js's Bidirectional does not; its masked steps repeat the
// previous output, as a plain recurrent layer's. keraswasm follows Keras.
//
// merge_mode=None (the two outputs as a list) needs a layer with two
// outputs, which a Sequential model cannot hold: NotImplementedError.
// Keras: keras/src/layers/rnn/bidirectional.py (tf_keras/layers/rnn/bidirectional.py).
type Bidirectional struct {
	LayerBase
	MergeMode string
	layer     *Recurrent // the wrapped layer as given; it runs forwards
	backward  *Recurrent
	origName  string  // the wrapped layer's own name, for its config
	backCfg   *Config // backward_layer as given, nil for none
	initial   [][]float32

	act      activity
	seq      bool // return_sequences
	B, T, U  int
	y, dx    *tensor.Tensor
	dyf, dyb *tensor.Tensor
}

func init() {
	layers.add("Bidirectional", []string{"layer", "merge_mode", "weights", "backward_layer"},
		func(m map[string]any) (Layer, error) { return newBidirectional(m) })
}

// NewBidirectional wraps layer (a recurrent layer, or its config); opts
// holds the other Keras arguments ("merge_mode", "backward_layer", ...).
func NewBidirectional(layer any, opts map[string]any) (*Bidirectional, error) {
	m, err := withArgs("Bidirectional", opts, "layer", layer)
	if err != nil {
		return nil, err
	}
	return newBidirectional(m)
}

// wrappedRecurrent reads a recurrent layer (a Layer or a config) from key.
func wrappedRecurrent(a *Args, key, want string) *Recurrent {
	v, ok := a.Value(key)
	if !ok {
		a.Fail(key, nil, want)
		return nil
	}
	l, err := GetLayer(v)
	if err != nil {
		a.Fail(key, v, want+" ("+err.Error()+")")
		return nil
	}
	r, isRNN := l.(*Recurrent)
	if !isRNN {
		a.Fail(key, l.Base().ClassName, want)
		return nil
	}
	if r.Built {
		a.Fail(key, r.Name, want+" not built yet (a new layer, or one from its config)")
		return nil
	}
	return r
}

func newBidirectional(m map[string]any) (*Bidirectional, error) {
	a := NewArgs("Bidirectional", m)
	w := &Bidirectional{LayerBase: ParseBase(a, "Bidirectional")}
	const want = "a recurrent layer (SimpleRNN, LSTM or GRU) or its config, e.g. Bidirectional(LSTM(8))"
	w.layer = wrappedRecurrent(a, "layer", want)
	a.asked["merge_mode"] = true
	mode, given := a.m["merge_mode"]
	switch {
	case !given:
		w.MergeMode = "concat"
	case mode == nil:
		a.Unimplemented("merge_mode", nil, "\"concat\", \"sum\", \"mul\" or \"ave\": merge_mode=None returns two outputs, which a Sequential layer cannot")
	default:
		w.MergeMode = a.Choice("merge_mode", "concat", "concat", "sum", "mul", "ave")
	}
	if a.Has("backward_layer") {
		w.backward = wrappedRecurrent(a, "backward_layer", want)
	}
	w.initial = readInitialWeights(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	if _, given := m["trainable"]; !given && w.layer != nil {
		// Keras: trainable = kwargs.get("trainable", layer.trainable).
		w.Trainable = w.layer.Trainable
	}
	w.Frozen = !w.Trainable
	if err := w.pair(); err != nil {
		return nil, err
	}
	return w, nil
}

// pair names the forward layer and makes (or checks) the backward one, as
// Keras's Bidirectional.__init__.
func (w *Bidirectional) pair() error {
	f := w.layer
	if f.Name == "" {
		f.Name = SnakeCase(f.ClassName)
	}
	w.origName = f.Name
	if w.Input == nil && f.Input != nil {
		w.Input, w.BatchSize = f.Input.Clone(), f.BatchSize
	}
	if w.backward == nil {
		c := f.Config()
		c.Config["go_backwards"] = !f.GoBackwards
		c.Config["name"] = "backward_" + strings.TrimPrefix(f.Name, "forward_")
		l, err := NewLayer(c)
		if err != nil {
			return err
		}
		w.backward = l.(*Recurrent)
	} else {
		bc := w.backward.Config()
		w.backCfg = &bc
		b := w.backward
		if b.Name == "" {
			b.Name = SnakeCase(b.ClassName)
		}
		if b.GoBackwards == f.GoBackwards {
			return fmt.Errorf("Bidirectional: forward layer and backward layer should have different go_backwards values; received go_backwards=%v for both. Give the backward layer go_backwards=%v", f.GoBackwards, !f.GoBackwards)
		}
		if b.ReturnSequences != f.ReturnSequences || b.Stateful != f.Stateful {
			return fmt.Errorf("Bidirectional: forward layer and backward layer should have the same return_sequences and stateful; received return_sequences=%v/%v, stateful=%v/%v",
				f.ReturnSequences, b.ReturnSequences, f.Stateful, b.Stateful)
		}
		b.Name = "backward_" + strings.TrimPrefix(b.Name, "backward_")
	}
	// Keras 3 writes the forward layer (named forward_lstm) as "layer":
	// its prefix is not doubled, as Keras's removeprefix.
	f.Name = "forward_" + strings.TrimPrefix(f.Name, "forward_")
	w.seq = f.ReturnSequences
	// Keras's Bidirectional forces zero_output_for_mask = return_sequences
	// on both layers: a masked step's output is zeros in both halves.
	f.ZeroOutputForMask, w.backward.ZeroOutputForMask = w.seq, w.seq
	return nil
}

// Layers returns the forward and the backward layer.
func (w *Bidirectional) Layers() (forward, backward *Recurrent) { return w.layer, w.backward }

// OutputShape returns the inner layer's output shape, its last dimension
// doubled for "concat".
func (w *Bidirectional) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	out, err := w.layer.OutputShape(in)
	if err != nil {
		return nil, err
	}
	if w.MergeMode == "concat" {
		out[len(out)-1] *= 2
	}
	return out, nil
}

// Build builds both layers and assigns the initial weights, if given.
func (w *Bidirectional) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := w.OutputShape(in); err != nil {
		return err
	}
	if w.Built {
		return nil
	}
	for _, l := range []*Recurrent{w.layer, w.backward} {
		if err := l.Build(in, rng); err != nil {
			return err
		}
	}
	ps := w.Params()
	if w.initial != nil {
		if err := assignInitial("Bidirectional", ps, w.initial); err != nil {
			return err
		}
	}
	for _, l := range []*Recurrent{w.layer, w.backward} {
		for _, p := range l.Params() {
			p.Name = l.Name + "/" + p.Name
		}
	}
	w.Built = true
	return nil
}

// Params returns the forward layer's weights, then the backward layer's.
func (w *Bidirectional) Params() []*Param {
	if !w.layer.Built {
		return nil
	}
	return append(w.layer.Params(), w.backward.Params()...)
}

// SetMask gives both layers the input's mask.
func (w *Bidirectional) SetMask(mask []bool) {
	w.layer.SetMask(mask)
	w.backward.SetMask(mask)
}

// ComputeMask returns the input's mask with return_sequences, else none.
func (w *Bidirectional) ComputeMask(in []bool) []bool { return w.layer.ComputeMask(in) }

func (w *Bidirectional) outputMasked(in bool) (bool, error) { return in && w.seq, nil }

// ResetStates resets both layers' carried states.
func (w *Bidirectional) ResetStates() {
	w.layer.ResetStates()
	w.backward.ResetStates()
}

// IsStateful says whether the wrapped layers carry states across batches.
func (w *Bidirectional) IsStateful() bool { return w.layer.Stateful }

// backRow returns the row of the backward layer's output that merges into
// row r of the output: with return_sequences its steps are reversed.
func (w *Bidirectional) backRow(r int) int {
	if !w.seq {
		return r
	}
	b, t := r/w.T, r%w.T
	return b*w.T + w.T - 1 - t
}

// Forward runs both layers on x (batch, timesteps, features) and merges
// their outputs (batch, [timesteps,] units) into y (…, units or 2·units).
func (w *Bidirectional) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	yf := w.layer.Forward(x, training)
	yb := w.backward.Forward(x, training)
	w.B, w.T, w.U = x.Shape[0], x.Shape[1], w.layer.Units
	shape := append([]int(nil), yf.Shape...)
	if w.MergeMode == "concat" {
		shape[len(shape)-1] *= 2
	}
	w.y = tensor.Ensure(w.y, shape...)
	U, rows := w.U, len(yf.Data)/w.U
	for r := range rows {
		f, b := yf.Data[r*U:(r+1)*U], yb.Data[w.backRow(r)*U:][:U]
		switch w.MergeMode {
		case "concat":
			copy(w.y.Data[2*r*U:], f)
			copy(w.y.Data[(2*r+1)*U:(2*r+2)*U], b)
		case "sum":
			for j := range U {
				w.y.Data[r*U+j] = f[j] + b[j]
			}
		case "mul":
			for j := range U {
				w.y.Data[r*U+j] = f[j] * b[j]
			}
		case "ave":
			for j := range U {
				w.y.Data[r*U+j] = (f[j] + b[j]) / 2
			}
		}
	}
	w.act.forward(&w.LayerBase, w.y)
	w.ActivityLoss += w.layer.ActivityLoss + w.backward.ActivityLoss
	return w.y
}

// Backward splits dy into the two layers' output gradients, runs both back
// and returns dx, the sum of theirs.
func (w *Bidirectional) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = w.act.backward(&w.LayerBase, w.y, dy)
	yf, yb := w.layer.run.y, w.backward.run.y
	w.dyf = tensor.Ensure(w.dyf, yf.Shape...)
	w.dyb = tensor.Ensure(w.dyb, yb.Shape...)
	U, rows := w.U, len(yf.Data)/w.U
	for r := range rows {
		br := w.backRow(r)
		df, db := w.dyf.Data[r*U:(r+1)*U], w.dyb.Data[br*U:][:U]
		switch w.MergeMode {
		case "concat":
			copy(df, dy.Data[2*r*U:(2*r+1)*U])
			copy(db, dy.Data[(2*r+1)*U:(2*r+2)*U])
		case "sum", "ave":
			k := float32(1)
			if w.MergeMode == "ave" {
				k = 0.5
			}
			for j := range U {
				df[j], db[j] = k*dy.Data[r*U+j], k*dy.Data[r*U+j]
			}
		case "mul":
			f, b := yf.Data[r*U:(r+1)*U], yb.Data[br*U:][:U]
			for j := range U {
				df[j], db[j] = dy.Data[r*U+j]*b[j], dy.Data[r*U+j]*f[j]
			}
		}
	}
	dxf := w.layer.Backward(w.dyf, needDx)
	dxb := w.backward.Backward(w.dyb, needDx)
	if !needDx {
		return nil
	}
	w.dx = tensor.Ensure(w.dx, dxf.Shape...)
	for i := range w.dx.Data {
		w.dx.Data[i] = dxf.Data[i] + dxb.Data[i]
	}
	return w.dx
}

// Config returns Keras's config: the wrapped layer's config under "layer",
// merge_mode, and backward_layer when one was given.
func (w *Bidirectional) Config() Config {
	inner := w.layer.Config()
	inner.Config["name"] = w.origName
	delete(inner.Config, "zero_output_for_mask") // set by the wrapper, not the user
	m := map[string]any{"layer": configMap(inner), "merge_mode": w.MergeMode}
	if w.backCfg != nil {
		m["backward_layer"] = configMap(*w.backCfg)
	}
	return Config{ClassName: "Bidirectional", Config: w.BaseConfig(m)}
}
