package sequential

import (
	"fmt"
	"reflect"
)

// Logs carries the values of a hook: "loss", each metric by name and their
// "val_" twins, and what callbacks add ("lr"). Keras: the logs dict.
type Logs map[string]float64

// Callback has Keras's hook points. Fit calls the train, epoch and batch
// hooks, and the test hooks while it validates; Evaluate calls the test
// hooks and Predict the predict hooks. A hook that returns an error stops
// the run, which returns that error. Embed BaseCallback to implement only
// the hooks you need. Keras: keras/src/callbacks/callback.py.
//
// The logs passed to batch and epoch hooks belong to the model and are
// reused: a callback that keeps values must copy them.
type Callback interface {
	SetModel(m *Model)
	OnTrainBegin(logs Logs) error
	OnTrainEnd(logs Logs) error
	OnEpochBegin(epoch int, logs Logs) error
	OnEpochEnd(epoch int, logs Logs) error
	OnTrainBatchBegin(batch int, logs Logs) error
	OnTrainBatchEnd(batch int, logs Logs) error
	OnTestBegin(logs Logs) error
	OnTestEnd(logs Logs) error
	OnTestBatchBegin(batch int, logs Logs) error
	OnTestBatchEnd(batch int, logs Logs) error
	OnPredictBegin(logs Logs) error
	OnPredictEnd(logs Logs) error
	OnPredictBatchBegin(batch int, logs Logs) error
	OnPredictBatchEnd(batch int, logs Logs) error
}

// ParamsSetter is implemented by callbacks that want the run's parameters
// (Keras's set_params): {"verbose": 1, "epochs": 10, "steps": 32}.
type ParamsSetter interface {
	SetParams(params map[string]any)
}

// BaseCallback implements every hook as doing nothing and keeps the model;
// embed it in a callback.
type BaseCallback struct {
	Model *Model
}

// SetModel keeps the model the callback serves; the other hooks do nothing.
func (b *BaseCallback) SetModel(m *Model)                 { b.Model = m }
func (*BaseCallback) OnTrainBegin(Logs) error             { return nil }
func (*BaseCallback) OnTrainEnd(Logs) error               { return nil }
func (*BaseCallback) OnEpochBegin(int, Logs) error        { return nil }
func (*BaseCallback) OnEpochEnd(int, Logs) error          { return nil }
func (*BaseCallback) OnTrainBatchBegin(int, Logs) error   { return nil }
func (*BaseCallback) OnTrainBatchEnd(int, Logs) error     { return nil }
func (*BaseCallback) OnTestBegin(Logs) error              { return nil }
func (*BaseCallback) OnTestEnd(Logs) error                { return nil }
func (*BaseCallback) OnTestBatchBegin(int, Logs) error    { return nil }
func (*BaseCallback) OnTestBatchEnd(int, Logs) error      { return nil }
func (*BaseCallback) OnPredictBegin(Logs) error           { return nil }
func (*BaseCallback) OnPredictEnd(Logs) error             { return nil }
func (*BaseCallback) OnPredictBatchBegin(int, Logs) error { return nil }
func (*BaseCallback) OnPredictBatchEnd(int, Logs) error   { return nil }

// LambdaCallback is a callback made of functions, as Keras's LambdaCallback;
// a nil function is skipped. (The fields cannot carry the hooks' own names,
// which Go keeps for the methods.) Batch hooks are the train batch hooks,
// Keras's on_batch_begin/on_batch_end.
type LambdaCallback struct {
	BaseCallback
	TrainBegin, TrainEnd     func(logs Logs) error
	EpochBegin, EpochEnd     func(epoch int, logs Logs) error
	BatchBegin, BatchEnd     func(batch int, logs Logs) error
	TestBegin, TestEnd       func(logs Logs) error
	TestBatchBegin           func(batch int, logs Logs) error
	TestBatchEnd             func(batch int, logs Logs) error
	PredictBegin, PredictEnd func(logs Logs) error
	PredictBatchBegin        func(batch int, logs Logs) error
	PredictBatchEnd          func(batch int, logs Logs) error
}

func call0(f func(Logs) error, logs Logs) error {
	if f == nil {
		return nil
	}
	return f(logs)
}

func call1(f func(int, Logs) error, n int, logs Logs) error {
	if f == nil {
		return nil
	}
	return f(n, logs)
}

func (l *LambdaCallback) OnTrainBegin(logs Logs) error { return call0(l.TrainBegin, logs) }
func (l *LambdaCallback) OnTrainEnd(logs Logs) error   { return call0(l.TrainEnd, logs) }
func (l *LambdaCallback) OnEpochBegin(e int, logs Logs) error {
	return call1(l.EpochBegin, e, logs)
}
func (l *LambdaCallback) OnEpochEnd(e int, logs Logs) error { return call1(l.EpochEnd, e, logs) }
func (l *LambdaCallback) OnTrainBatchBegin(b int, logs Logs) error {
	return call1(l.BatchBegin, b, logs)
}
func (l *LambdaCallback) OnTrainBatchEnd(b int, logs Logs) error {
	return call1(l.BatchEnd, b, logs)
}
func (l *LambdaCallback) OnTestBegin(logs Logs) error { return call0(l.TestBegin, logs) }
func (l *LambdaCallback) OnTestEnd(logs Logs) error   { return call0(l.TestEnd, logs) }
func (l *LambdaCallback) OnTestBatchBegin(b int, logs Logs) error {
	return call1(l.TestBatchBegin, b, logs)
}
func (l *LambdaCallback) OnTestBatchEnd(b int, logs Logs) error {
	return call1(l.TestBatchEnd, b, logs)
}
func (l *LambdaCallback) OnPredictBegin(logs Logs) error { return call0(l.PredictBegin, logs) }
func (l *LambdaCallback) OnPredictEnd(logs Logs) error   { return call0(l.PredictEnd, logs) }
func (l *LambdaCallback) OnPredictBatchBegin(b int, logs Logs) error {
	return call1(l.PredictBatchBegin, b, logs)
}
func (l *LambdaCallback) OnPredictBatchEnd(b int, logs Logs) error {
	return call1(l.PredictBatchEnd, b, logs)
}

// callbackList calls every callback at each hook, in order, and stops at
// the first error, naming the callback and the hook.
// Keras: keras/src/callbacks/callback_list.py.
type callbackList []Callback

func (cl callbackList) setup(m *Model, params map[string]any) {
	for _, c := range cl {
		c.SetModel(m)
		if p, ok := c.(ParamsSetter); ok {
			p.SetParams(params)
		}
	}
}

func (cl callbackList) each(hook string, f func(Callback) error) error {
	for _, c := range cl {
		if err := f(c); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: hook, Err: err}
		}
	}
	return nil
}

func (cl callbackList) trainBegin(logs Logs) error {
	return cl.each("on_train_begin", func(c Callback) error { return c.OnTrainBegin(logs) })
}
func (cl callbackList) trainEnd(logs Logs) error {
	return cl.each("on_train_end", func(c Callback) error { return c.OnTrainEnd(logs) })
}
func (cl callbackList) testBegin(logs Logs) error {
	return cl.each("on_test_begin", func(c Callback) error { return c.OnTestBegin(logs) })
}
func (cl callbackList) testEnd(logs Logs) error {
	return cl.each("on_test_end", func(c Callback) error { return c.OnTestEnd(logs) })
}
func (cl callbackList) predictBegin(logs Logs) error {
	return cl.each("on_predict_begin", func(c Callback) error { return c.OnPredictBegin(logs) })
}
func (cl callbackList) predictEnd(logs Logs) error {
	return cl.each("on_predict_end", func(c Callback) error { return c.OnPredictEnd(logs) })
}
func (cl callbackList) epochBegin(e int, logs Logs) error {
	return cl.each("on_epoch_begin", func(c Callback) error { return c.OnEpochBegin(e, logs) })
}
func (cl callbackList) epochEnd(e int, logs Logs) error {
	return cl.each("on_epoch_end", func(c Callback) error { return c.OnEpochEnd(e, logs) })
}

// The batch hooks run for every batch; they are written out (not through
// each and a closure) so that a step allocates nothing.

func (cl callbackList) trainBatchBegin(b int, logs Logs) error {
	for _, c := range cl {
		if err := c.OnTrainBatchBegin(b, logs); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: "on_train_batch_begin", Err: err}
		}
	}
	return nil
}
func (cl callbackList) trainBatchEnd(b int, logs Logs) error {
	for _, c := range cl {
		if err := c.OnTrainBatchEnd(b, logs); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: "on_train_batch_end", Err: err}
		}
	}
	return nil
}
func (cl callbackList) testBatchBegin(b int, logs Logs) error {
	for _, c := range cl {
		if err := c.OnTestBatchBegin(b, logs); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: "on_test_batch_begin", Err: err}
		}
	}
	return nil
}
func (cl callbackList) testBatchEnd(b int, logs Logs) error {
	for _, c := range cl {
		if err := c.OnTestBatchEnd(b, logs); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: "on_test_batch_end", Err: err}
		}
	}
	return nil
}
func (cl callbackList) predictBatchBegin(b int, logs Logs) error {
	for _, c := range cl {
		if err := c.OnPredictBatchBegin(b, logs); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: "on_predict_batch_begin", Err: err}
		}
	}
	return nil
}
func (cl callbackList) predictBatchEnd(b int, logs Logs) error {
	for _, c := range cl {
		if err := c.OnPredictBatchEnd(b, logs); err != nil {
			return &CallbackError{Callback: callbackName(c), Hook: "on_predict_batch_end", Err: err}
		}
	}
	return nil
}

// CallbackError is an error returned by a callback's hook; it stops the run.
type CallbackError struct {
	Callback string // the callback's Keras class, e.g. "EarlyStopping" (see callbackName)
	Hook     string // Keras's hook name, e.g. "on_epoch_end"
	Err      error
}

func (e *CallbackError) Error() string {
	if e.Callback == "" {
		return e.Err.Error() // the hook's error names the callback and the hook itself
	}
	return fmt.Sprintf("callback %s failed in %s: %v", e.Callback, e.Hook, e.Err)
}

// callbackName is how an error names callback c: its CallbackName if it has
// one (empty for one whose errors name it and the hook themselves, as a JS
// callback's do), else its type's name, which is the Keras class for the
// callbacks of this package.
func callbackName(c Callback) string {
	if n, ok := c.(interface{ CallbackName() string }); ok {
		return n.CallbackName()
	}
	t := reflect.TypeOf(c)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" {
		return "(an unnamed callback type)"
	}
	return t.Name()
}

func (e *CallbackError) Unwrap() error { return e.Err }
