package main

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// decodeOptions reads a call's JSON keyword arguments; sequential's
// ...OptionsFromMap read them. Their errors already start with the call's
// name (Keras's owner of the arguments), so the door adds no second one.
func decodeOptions(op, optsJSON string) (map[string]any, error) {
	if optsJSON == "" {
		return nil, nil
	}
	return decodeObject(op, "the options", optsJSON)
}

// Evaluate returns [loss, metrics...] for x and y.
func (r *Runtime) Evaluate(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) (scores []float64, err error) {
	const op = "evaluate"
	defer guard(op, &err)
	e, end, err := r.begin(h, op, false)
	if err != nil {
		return nil, err
	}
	defer end()
	m := e.m
	opts, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, err
	}
	o, err := sequential.EvaluateOptionsFromMap(opts)
	if err != nil {
		return nil, err
	}
	if o.Callbacks, err = buildCallbacks(ex.Callbacks, ex.Hook, ex.Params, false); err != nil {
		return nil, wrap(op, err)
	}
	if ex.SampleWeight != nil {
		o.SampleWeight = weights(ex.SampleWeight)
	}
	w, flush := ex.out()
	defer flush()
	o.Out = w
	scores, err = m.Evaluate(x, y, o)
	return scores, wrap(op, err)
}

// Predict returns the model's outputs for x.
func (r *Runtime) Predict(h int, x *tensor.Tensor, optsJSON string, ex Extras) (out *tensor.Tensor, err error) {
	const op = "predict"
	defer guard(op, &err)
	e, end, err := r.begin(h, op, false)
	if err != nil {
		return nil, err
	}
	defer end()
	m := e.m
	opts, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, err
	}
	o, err := sequential.PredictOptionsFromMap(opts)
	if err != nil {
		return nil, err
	}
	if o.Callbacks, err = buildCallbacks(ex.Callbacks, ex.Hook, ex.Params, false); err != nil {
		return nil, wrap(op, err)
	}
	w, flush := ex.out()
	defer flush()
	o.Out = w
	out, err = m.PredictWith(x, o)
	return out, wrap(op, err)
}

// TrainOnBatch runs one gradient step; it returns [loss, metrics...].
func (r *Runtime) TrainOnBatch(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) ([]float64, error) {
	return r.onBatch("train_on_batch", h, x, y, optsJSON, ex)
}

// TestOnBatch evaluates one batch; it returns [loss, metrics...].
func (r *Runtime) TestOnBatch(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) ([]float64, error) {
	return r.onBatch("test_on_batch", h, x, y, optsJSON, ex)
}

// onBatch is the one body of train_on_batch and test_on_batch (op).
func (r *Runtime) onBatch(op string, h int, x, y *tensor.Tensor, optsJSON string, ex Extras) (scores []float64, err error) {
	defer guard(op, &err)
	e, end, err := r.begin(h, op, op == "train_on_batch")
	if err != nil {
		return nil, err
	}
	defer end()
	m := e.m
	opts, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, err
	}
	o, err := sequential.OnBatchOptionsFromMap(op, opts)
	if err != nil {
		return nil, err
	}
	if ex.SampleWeight != nil {
		o.SampleWeight = weights(ex.SampleWeight)
	}
	run := m.TestOnBatch
	if op == "train_on_batch" {
		run = m.TrainOnBatch
	}
	scores, err = run(x, y, o.SampleWeight)
	return scores, wrap(op, err)
}

// PredictOnBatch returns the outputs for one batch.
func (r *Runtime) PredictOnBatch(h int, x *tensor.Tensor) (out *tensor.Tensor, err error) {
	const op = "predict_on_batch"
	defer guard(op, &err)
	e, end, err := r.begin(h, op, false)
	if err != nil {
		return nil, err
	}
	defer end()
	m := e.m
	out, err = m.PredictOnBatch(x)
	return out, wrap(op, err)
}

// GetWeights returns copies of the model's weights (layer < 0) or of one
// layer's, in Keras's order.
func (r *Runtime) GetWeights(h, layer int) (ws []*tensor.Tensor, err error) {
	const op = "get_weights"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return nil, err
	}
	if layer < 0 {
		release, err := r.reserveCopy(op, m, 1)
		if err != nil {
			return nil, err
		}
		defer release()
		return m.GetWeights(), nil
	}
	l, err := layerAt(m, layer, op)
	if err != nil {
		return nil, err
	}
	for _, p := range l.Params() {
		ws = append(ws, p.Value.Clone())
	}
	return ws, nil
}

// SetWeights loads weights into the model (layer < 0) or one layer. Every
// count and shape is checked before anything is written.
func (r *Runtime) SetWeights(h, layer int, ws []*tensor.Tensor) (err error) {
	const op = "set_weights"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	if layer < 0 {
		return wrap(op, m.SetWeights(ws))
	}
	l, err := layerAt(m, layer, op)
	if err != nil {
		return err
	}
	ps := l.Params()
	if len(ws) != len(ps) {
		return fmt.Errorf("%s: layer %q has %d weights but the list has %d; pass them as layer.get_weights() returns them",
			op, l.Base().Name, len(ps), len(ws))
	}
	for i, p := range ps {
		if !ws[i].Shape.Equal(p.Value.Shape) {
			return fmt.Errorf("%s: layer %q weight %d (%s) has shape %v but the value has shape %v",
				op, l.Base().Name, i, p.Name, p.Value.Shape, ws[i].Shape)
		}
	}
	for i, p := range ps {
		p.Value.CopyFrom(ws[i])
	}
	return nil
}

func layerAt(m *sequential.Model, i int, op string) (nn.Layer, error) {
	ls := m.Layers()
	if i >= len(ls) {
		return nil, fmt.Errorf("%s: the model has %d layers; there is no layer %d", op, len(ls), i)
	}
	return ls[i], nil
}

// Call runs the model (layer < 0) or one of its layers on one batch, as
// Keras's model(x) / layer(x); training is Keras's training argument.
func (r *Runtime) Call(h, layer int, x *tensor.Tensor, training bool) (out *tensor.Tensor, err error) {
	const op = "call"
	defer guard(op, &err)
	e, end, err := r.begin(h, op, false)
	if err != nil {
		return nil, err
	}
	defer end()
	if layer < 0 {
		out, err = e.m.Call(x, training)
	} else {
		out, err = e.m.CallLayer(layer, x, training)
	}
	return out, wrap(op, err)
}
