package main

import (
	"encoding/json"
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// decodeOptions reads a call's JSON keyword arguments.
func decodeOptions(op, optsJSON string) (*nn.Args, error) {
	var m map[string]any
	if optsJSON != "" {
		if err := json.Unmarshal([]byte(optsJSON), &m); err != nil {
			return nil, fmt.Errorf("%s: the options must be a JSON object: %w", op, err)
		}
	}
	return nn.NewArgs(op, m), nil
}

// readVerbose reads verbose as Keras does: 0, 1, 2 or "auto" (1).
func readVerbose(a *nn.Args, max int) int {
	v, ok := a.Value("verbose")
	if !ok {
		return 1
	}
	if s, isStr := v.(string); isStr {
		if s != "auto" {
			a.Fail("verbose", s, `0, 1 or "auto"`)
		}
		return 1
	}
	n := a.Int("verbose", 1)
	if n < 0 || n > max {
		a.Fail("verbose", n, fmt.Sprintf(`an integer in [0, %d] or "auto"`, max))
	}
	return n
}

// refuseGeneratorArgs rejects Keras's arguments for Python generators.
func refuseGeneratorArgs(a *nn.Args) {
	for _, k := range []string{"max_queue_size", "workers", "use_multiprocessing"} {
		if v, ok := a.Value(k); ok {
			a.Fail(k, v, "nothing: "+k+" serves Python generators and is not supported here")
		}
	}
}

// readBatchSize reads batch_size: a positive integer, or null for 32.
func readBatchSize(a *nn.Args) int {
	n := a.Int("batch_size", 32)
	if n < 1 {
		a.Fail("batch_size", n, "a positive integer (or null for 32)")
	}
	return n
}

// Evaluate returns [loss, metrics...] for x and y.
func (r *Runtime) Evaluate(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) (scores []float64, err error) {
	const op = "evaluate"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return nil, err
	}
	a, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, err
	}
	o := sequential.EvaluateOptions{BatchSize: readBatchSize(a), Verbose: readVerbose(a, 2), Steps: a.Int("steps", 0)}
	refuseGeneratorArgs(a)
	if err := a.Err(); err != nil {
		return nil, wrap(op, err)
	}
	if o.Callbacks, err = buildCallbacks(ex.Callbacks, ex.Hook, ex.Params, false); err != nil {
		return nil, wrap(op, err)
	}
	o.SampleWeight = weights(ex.SampleWeight)
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
	m, err := r.model(h, op, false)
	if err != nil {
		return nil, err
	}
	a, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, err
	}
	o := sequential.PredictOptions{BatchSize: readBatchSize(a), Steps: a.Int("steps", 0)}
	if v, given := a.Value("verbose"); given && v != "auto" {
		// Porting note: Keras's predict prints a progress bar by default
		// ("auto"); here it prints nothing, and asking for one is refused.
		if n := readVerbose(a, 2); n != 0 {
			a.Fail("verbose", n, `0 or "auto": predict prints no progress bar here (not implemented)`)
		}
	}
	refuseGeneratorArgs(a)
	if err := a.Err(); err != nil {
		return nil, wrap(op, err)
	}
	if o.Callbacks, err = buildCallbacks(ex.Callbacks, ex.Hook, ex.Params, false); err != nil {
		return nil, wrap(op, err)
	}
	out, err = m.PredictWith(x, o)
	return out, wrap(op, err)
}

// onBatchOptions reads train_on_batch's and test_on_batch's keyword arguments.
func onBatchOptions(op, optsJSON string) error {
	a, err := decodeOptions(op, optsJSON)
	if err != nil {
		return err
	}
	notImplemented(a, "class_weight", "weight the samples with sample_weight")
	if !a.Bool("reset_metrics", true) {
		a.Fail("reset_metrics", false, "true: accumulating metrics across calls is not implemented")
	}
	return a.Err()
}

// TrainOnBatch runs one gradient step; it returns [loss, metrics...].
func (r *Runtime) TrainOnBatch(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) (scores []float64, err error) {
	const op = "train_on_batch"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return nil, err
	}
	if err := onBatchOptions(op, optsJSON); err != nil {
		return nil, wrap(op, err)
	}
	scores, err = m.TrainOnBatch(x, y, weights(ex.SampleWeight))
	return scores, wrap(op, err)
}

// TestOnBatch evaluates one batch; it returns [loss, metrics...].
func (r *Runtime) TestOnBatch(h int, x, y *tensor.Tensor, optsJSON string, ex Extras) (scores []float64, err error) {
	const op = "test_on_batch"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return nil, err
	}
	if err := onBatchOptions(op, optsJSON); err != nil {
		return nil, wrap(op, err)
	}
	scores, err = m.TestOnBatch(x, y, weights(ex.SampleWeight))
	return scores, wrap(op, err)
}

// PredictOnBatch returns the outputs for one batch.
func (r *Runtime) PredictOnBatch(h int, x *tensor.Tensor) (out *tensor.Tensor, err error) {
	const op = "predict_on_batch"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return nil, err
	}
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
	m, err := r.model(h, op, false)
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
