package main

import (
	"encoding/json"
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// Add appends the layer a Keras config (JSON) describes.
func (r *Runtime) Add(h int, layerJSON string) (err error) {
	const op = "add"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	c, err := nn.ParseConfig([]byte(layerJSON))
	if err != nil {
		return wrap(op, err)
	}
	return wrap(op, m.AddConfig(c))
}

// Pop removes the last layer.
func (r *Runtime) Pop(h int) (err error) {
	const op = "pop"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	return wrap(op, m.Pop())
}

// SetTrainable sets layer i's trainable flag (JS's layer.trainable = false).
// As in Keras, training obeys it from the next compile on; summary and the
// weight lists show it at once.
func (r *Runtime) SetTrainable(h, i int, trainable bool) (err error) {
	const op = "trainable"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return err
	}
	l, err := layerAt(m, i, op)
	if err != nil {
		return err
	}
	l.Base().Trainable = trainable
	return nil
}

// weightInfo describes one weight of a layer.
type weightInfo struct {
	Name      string `json:"name"`
	Shape     []int  `json:"shape"`
	Trainable bool   `json:"trainable"`
}

// layerInfo is what JS's model.layers shows of a layer.
type layerInfo struct {
	Name        string       `json:"name"`
	ClassName   string       `json:"class_name"`
	Trainable   bool         `json:"trainable"`
	Config      nn.Config    `json:"config"`
	InputShape  []any        `json:"input_shape"`
	OutputShape []any        `json:"output_shape"`
	Weights     []weightInfo `json:"weights"`
}

// modelInfo is what JS reads of a model's state in one crossing.
type modelInfo struct {
	Name         string      `json:"name"`
	Built        bool        `json:"built"`
	Compiled     bool        `json:"compiled"`
	InputShape   []any       `json:"input_shape"`
	OutputShape  []any       `json:"output_shape"`
	MetricsNames []string    `json:"metrics_names"`
	Layers       []layerInfo `json:"layers"`
}

// batchShape writes a shape with Keras's None batch dimension: (None, 32) is [null, 32].
func batchShape(s tensor.Shape) []any { return fixedBatchShape(s, 0) }

// fixedBatchShape is batchShape with a fixed batch size (0 for None): (8, 32) is [8, 32].
func fixedBatchShape(s tensor.Shape, batch int) []any {
	if s == nil {
		return nil
	}
	out := make([]any, len(s)+1)
	if batch > 0 {
		out[0] = batch
	}
	for i, d := range s {
		if d >= 0 {
			out[i+1] = d
		}
	}
	return out
}

// Info returns the model's name, shapes, metric names and layers as JSON.
func (r *Runtime) Info(h int) (s string, err error) {
	const op = "model"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return "", err
	}
	info := modelInfo{Name: m.Name(), Compiled: m.Optimizer() != nil, MetricsNames: m.MetricsNames(), Layers: []layerInfo{}}
	in := m.InputShape()
	info.Built = in != nil
	bs := m.BatchSize()
	info.InputShape = fixedBatchShape(in, bs)
	for _, l := range m.Layers() {
		b := l.Base()
		li := layerInfo{Name: b.Name, ClassName: b.ClassName, Trainable: b.Trainable, Config: l.Config(), Weights: []weightInfo{}}
		if in != nil {
			li.InputShape = fixedBatchShape(in, bs)
			out, err := l.OutputShape(in)
			if err == nil {
				li.OutputShape = fixedBatchShape(out, bs)
			}
			in = out
		}
		for _, p := range l.Params() {
			li.Weights = append(li.Weights, weightInfo{Name: p.Name, Shape: p.Value.Shape.Clone(), Trainable: p.Trainable && b.Trainable})
		}
		info.Layers = append(info.Layers, li)
		info.OutputShape = li.OutputShape
	}
	if info.MetricsNames == nil {
		info.MetricsNames = []string{}
	}
	b, err := json.Marshal(info)
	return string(b), err
}

// UserFunc runs the i-th JS function of a compile call (a custom metric or
// loss) on a batch; it returns one value per sample, or one for the batch.
type UserFunc func(i int, yTrue, yPred *tensor.Tensor) ([]float32, error)

// userFuncKey marks a JS function in compile's JSON: {"__js_fn__": i, "name": ...}.
const userFuncKey = "__js_fn__"

// Compile configures training from compile's arguments (JSON), which
// sequential.CompileOptionsFromMap reads; a loss or metrics (weighted or
// not) that are JS functions run through user.
func (r *Runtime) Compile(h int, cfgJSON string, user UserFunc) (err error) {
	const op = "compile"
	defer guard(op, &err)
	e, err := r.get(h, op, true)
	if err != nil {
		return err
	}
	m := e.m
	if user != nil {
		// A custom metric or loss runs inside one of the model's steps: it may
		// not reenter the model (reentry.go).
		js := user
		user = func(i int, yTrue, yPred *tensor.Tensor) ([]float32, error) {
			r.enterUser(e)
			defer r.leaveUser(e)
			return js(i, yTrue, yPred)
		}
	}
	cfg, err := decodeObject(op, "the arguments", cfgJSON)
	if err != nil {
		return err
	}
	if err := userFuncsIn(cfg, user); err != nil {
		return wrap(op, err)
	}
	o, err := sequential.CompileOptionsFromMap(cfg)
	if err != nil {
		return err // named after compile already
	}
	return wrap(op, m.Compile(o))
}

// userFuncsIn replaces the {"__js_fn__": i, "name": ...} entries of compile's
// loss, metrics and weighted_metrics with the Go values that call the JS
// functions (a LossFunc, MetricFuncs).
func userFuncsIn(cfg map[string]any, user UserFunc) error {
	if d, ok := cfg["loss"].(map[string]any); ok && d[userFuncKey] != nil {
		k, name, err := userFunc(d, user)
		if err != nil {
			return fmt.Errorf("loss: %w", err)
		}
		cfg["loss"] = sequential.LossFunc{Name: name, Fn: func(yTrue, yPred *tensor.Tensor) ([]float32, error) {
			return user(k, yTrue, yPred)
		}}
	}
	for _, key := range []string{"metrics", "weighted_metrics"} {
		list, ok := cfg[key].([]any)
		if !ok {
			continue
		}
		for i, item := range list {
			d, ok := item.(map[string]any)
			if !ok || d[userFuncKey] == nil {
				continue
			}
			k, name, err := userFunc(d, user)
			if err != nil {
				return fmt.Errorf("%s[%d]: %w", key, i, err)
			}
			list[i] = sequential.MetricFunc{Name: name, Fn: func(yTrue, yPred *tensor.Tensor) ([]float32, error) {
				return user(k, yTrue, yPred)
			}}
		}
	}
	return nil
}

// userFunc reads a {"__js_fn__": i, "name": ...} entry.
func userFunc(d map[string]any, user UserFunc) (int, string, error) {
	idx, okIdx := d[userFuncKey].(float64)
	name, okName := d["name"].(string)
	if !okIdx || !okName || name == "" || user == nil {
		return 0, "", fmt.Errorf("malformed custom function %v", describe(d))
	}
	return int(idx), name, nil
}

// Build builds the model from build's options as JSON:
// {"input_shape": [null, 784]}, the batch first and null for None, as
// Keras's model.build((None, 784)). Without input_shape a model that
// already knows its input is left as it is.
func (r *Runtime) Build(h int, optsJSON string) (err error) {
	const op = "build"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	opts, err := decodeObject(op, "the options", optsJSON)
	if err != nil {
		return err
	}
	a := nn.NewArgs("build", opts)
	shape, ok := a.Shape("input_shape")
	if err := a.Err(); err != nil {
		return wrap(op, err)
	}
	if !ok {
		if m.InputShape() != nil {
			return nil
		}
		return fmt.Errorf("%s: model %q has no input shape yet; pass one with the batch first, e.g. build([null, 784])", op, m.Name())
	}
	return wrap(op, m.Build(tensor.Shape(shape)))
}

// Summary returns Keras's summary table.
func (r *Runtime) Summary(h int) (s string, err error) { return r.SummaryWith(h, false) }

// SummaryWith returns Keras's summary table, with the Trainable column
// when showTrainable is set (summary(show_trainable=True)).
func (r *Runtime) SummaryWith(h int, showTrainable bool) (s string, err error) {
	const op = "summary"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return "", err
	}
	s, err = m.SummaryWith(sequential.SummaryOptions{ShowTrainable: showTrainable})
	if err != nil {
		return err.Error(), nil // Keras's message for a model not built, as Summary gives it
	}
	return s, nil
}

// CountParams returns the number of weights.
func (r *Runtime) CountParams(h int) (n int, err error) {
	const op = "count_params"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return 0, err
	}
	return m.CountParams(), nil
}

// GetConfig returns the model's Keras config as JSON.
func (r *Runtime) GetConfig(h int) (s string, err error) {
	const op = "get_config"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(m.GetConfig())
	return string(b), wrap(op, err)
}

// ToJSON returns the model JSON (Keras's to_json).
func (r *Runtime) ToJSON(h int) (s string, err error) {
	const op = "to_json"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return "", err
	}
	s, err = m.ToJSON()
	return s, wrap(op, err)
}

// StopTraining reads model.stop_training.
func (r *Runtime) StopTraining(h int) (v bool, err error) {
	const op = "stop_training"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return false, err
	}
	return m.StopTraining(), nil
}

// SetStopTraining sets model.stop_training; fit checks it after each batch.
func (r *Runtime) SetStopTraining(h int, v bool) (err error) {
	const op = "stop_training"
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return err
	}
	m.SetStopTraining(v)
	return nil
}

// optimizer returns the compiled optimizer for op.
func (r *Runtime) optimizer(h int, op string) (nn.Optimizer, error) {
	m, err := r.model(h, op, false)
	if err != nil {
		return nil, err
	}
	o := m.Optimizer()
	if o == nil {
		return nil, fmt.Errorf("%s: the model has no optimizer yet; call compile first", op)
	}
	return o, nil
}

// LearningRate reads the optimizer's base learning rate.
func (r *Runtime) LearningRate(h int) (v float64, err error) {
	const op = "optimizer.learning_rate"
	defer guard(op, &err)
	o, err := r.optimizer(h, op)
	if err != nil {
		return 0, err
	}
	return o.LearningRate(), nil
}

// SetLearningRate sets it (LearningRateScheduler and users do).
func (r *Runtime) SetLearningRate(h int, v float64) (err error) {
	const op = "optimizer.learning_rate"
	defer guard(op, &err)
	o, err := r.optimizer(h, op)
	if err != nil {
		return err
	}
	if !(v >= 0) {
		return fmt.Errorf("%s: expected a non-negative number. Received: learning_rate=%v", op, v)
	}
	o.SetLearningRate(v)
	return nil
}

// Iterations reads how many updates the optimizer has made.
func (r *Runtime) Iterations(h int) (n int64, err error) {
	const op = "optimizer.iterations"
	defer guard(op, &err)
	o, err := r.optimizer(h, op)
	if err != nil {
		return 0, err
	}
	return o.Iterations(), nil
}

// OptimizerConfig returns the optimizer's Keras config as JSON.
func (r *Runtime) OptimizerConfig(h int) (s string, err error) {
	const op = "optimizer.get_config"
	defer guard(op, &err)
	o, err := r.optimizer(h, op)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(o.Config())
	return string(b), wrap(op, err)
}

// describe formats a value for an error message, as Keras's "Received: ..." does.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return fmt.Sprintf("%q", x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// ResetStates resets the carried states of the stateful layers: of layer i,
// or with i = -1 of every layer (Keras's model.reset_states()).
func (r *Runtime) ResetStates(h, i int) (err error) {
	const op = "reset_states"
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	if i < 0 {
		m.ResetStates()
		return nil
	}
	return wrap(op, m.ResetLayerStates(i))
}
