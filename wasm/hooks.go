package main

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
)

// HookFunc runs hook ("epoch_end", "train_batch_end", "yield" ...) of the
// cb-th JS callback with Keras's arguments: step is the epoch or batch index
// (for "yield", the epoch, and batch the batch). The JS side may change logs
// (Keras callbacks share one logs dict); HookFunc writes the changes back into
// logs. canWait says whether it may wait for a Promise the hook returns (only
// fit, which runs in its own goroutine, can).
type HookFunc func(cb int, hook string, step, batch int, logs sequential.Logs, order []string, canWait bool) error

// logOrder lists the keys of logs in Keras's order: the names given (loss,
// then the metrics as compiled), then their "val_" twins, then any others
// (such as "lr") sorted. A Go map has no order; a JS object shows one.
func logOrder(logs map[string]float64, names []string) []string {
	out := make([]string, 0, len(logs))
	seen := map[string]bool{}
	take := func(k string) {
		if _, ok := logs[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, n := range names {
		take(n)
	}
	for _, n := range names {
		take("val_" + n)
	}
	var rest []string
	for k := range logs {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// ParamsFunc gives the cb-th JS callback the run's parameters (Keras's
// set_params: {"epochs": 10, "steps": 32, "verbose": 1, ...}) as JSON.
type ParamsFunc func(cb int, paramsJSON string)

// hookNames are the hooks a JS callback may have.
var hookNames = map[string]bool{
	"train_begin": true, "train_end": true, "epoch_begin": true, "epoch_end": true,
	"train_batch_begin": true, "train_batch_end": true, "test_begin": true, "test_end": true,
	"test_batch_begin": true, "test_batch_end": true, "predict_begin": true, "predict_end": true,
	"predict_batch_begin": true, "predict_batch_end": true, "yield": true,
}

// callbackItem is one entry of a call's callbacks list: a Keras callback the
// core implements, or a JS callback with the hooks it defines.
type callbackItem struct {
	Config   json.RawMessage `json:"config"`
	JS       *int            `json:"js"`
	Hooks    []string        `json:"hooks"`
	Schedule *int            `json:"schedule"` // a LearningRateScheduler: its JS callback index
	Verbose  int             `json:"verbose"`
}

// buildCallbacks makes the sequential callbacks a call's list describes, in
// its order (Keras calls callbacks in list order).
func buildCallbacks(itemsJSON string, hook HookFunc, params ParamsFunc, canWait bool) ([]sequential.Callback, error) {
	if itemsJSON == "" {
		return nil, nil
	}
	var items []callbackItem
	if err := json.Unmarshal([]byte(itemsJSON), &items); err != nil {
		return nil, fmt.Errorf("callbacks: malformed list: %s", jsonProblem(err))
	}
	out := make([]sequential.Callback, 0, len(items))
	for i, it := range items {
		switch {
		case it.Schedule != nil:
			if hook == nil {
				return nil, fmt.Errorf("callbacks[%d]: JS callbacks cannot run here", i)
			}
			s, err := sequential.NewLearningRateScheduler(schedule(hook, *it.Schedule), map[string]any{"verbose": it.Verbose})
			if err != nil {
				return nil, fmt.Errorf("callbacks[%d]: %w", i, err)
			}
			out = append(out, s)
		case it.JS != nil:
			if hook == nil {
				return nil, fmt.Errorf("callbacks[%d]: JS callbacks cannot run here", i)
			}
			hooks := map[string]bool{}
			for _, h := range it.Hooks {
				if !hookNames[h] {
					return nil, fmt.Errorf("callbacks[%d]: unknown hook %q", i, h)
				}
				hooks[h] = true
			}
			out = append(out, &jsCallback{index: *it.JS, hooks: hooks, hook: hook, params: params, canWait: canWait})
		case len(it.Config) > 0:
			c, err := nn.ParseConfig(it.Config)
			if err != nil {
				return nil, fmt.Errorf("callbacks[%d]: %w", i, err)
			}
			cb, err := sequential.NewCallback(c)
			if err != nil {
				return nil, fmt.Errorf("callbacks[%d]: %w", i, err)
			}
			out = append(out, cb)
		default:
			return nil, fmt.Errorf("callbacks[%d]: expected a callback config or a JS callback", i)
		}
	}
	return out, nil
}

// schedule makes the core's LearningRateScheduler call a JS schedule
// function: hook "schedule" gets the epoch and logs {"lr": rate} and leaves
// the new rate in logs["lr"].
func schedule(hook HookFunc, cb int) func(epoch int, lr float64) (float64, error) {
	return func(epoch int, lr float64) (float64, error) {
		logs := sequential.Logs{"lr": lr}
		if err := hook(cb, "schedule", epoch, 0, logs, []string{"lr"}, false); err != nil {
			return 0, err
		}
		v, ok := logs["lr"]
		if !ok {
			return 0, fmt.Errorf("callbacks[%d]: LearningRateScheduler: the schedule gave no learning rate", cb)
		}
		return v, nil
	}
}

// jsThrown is an exception a user's JS function (a callback hook, a custom
// metric or loss) threw, as the JS side reports it: its message (which names
// the function) and its class. The fit or compile call then fails with that
// class when it is a Keras one, or as a plain Error (errorName).
type jsThrown struct {
	msg  string
	name string // the JS exception's name: "TypeError", "ValueError", "Error" ...
}

func (e *jsThrown) Error() string { return e.msg }

// className is the name the JS Error of e gets.
func (e *jsThrown) className() string {
	switch e.name {
	case nn.ValueError, nn.TypeError, nn.NotImplementedError, "IndexError", "RecursionError":
		return e.name
	}
	return "Error"
}

// jsCallback is a JS callback seen from the core: each hook it defines calls
// into JS; the others do nothing (and cost no crossing).
type jsCallback struct {
	sequential.BaseCallback
	index   int
	hooks   map[string]bool
	hook    HookFunc
	params  ParamsFunc
	canWait bool
}

// SetParams passes the run's parameters on to JS (sequential.ParamsSetter).
func (c *jsCallback) SetParams(p map[string]any) {
	if c.params == nil {
		return
	}
	if b, err := json.Marshal(p); err == nil {
		c.params(c.index, string(b))
	}
}

// CallbackName is empty: the errors of a JS callback's hooks name it
// themselves ("callbacks[0].onEpochEnd threw: ...").
func (c *jsCallback) CallbackName() string { return "" }

func (c *jsCallback) call(name string, step, batch int, logs sequential.Logs) error {
	if !c.hooks[name] {
		return nil
	}
	if logs == nil {
		logs = sequential.Logs{}
	}
	var names []string
	if c.Model != nil {
		names = c.Model.MetricsNames()
	}
	return c.hook(c.index, name, step, batch, logs, logOrder(logs, names), c.canWait)
}

func (c *jsCallback) OnTrainBegin(logs sequential.Logs) error {
	return c.call("train_begin", 0, 0, logs)
}
func (c *jsCallback) OnTrainEnd(logs sequential.Logs) error { return c.call("train_end", 0, 0, logs) }
func (c *jsCallback) OnEpochBegin(epoch int, logs sequential.Logs) error {
	return c.call("epoch_begin", epoch, 0, logs)
}
func (c *jsCallback) OnEpochEnd(epoch int, logs sequential.Logs) error {
	return c.call("epoch_end", epoch, 0, logs)
}
func (c *jsCallback) OnTrainBatchBegin(batch int, logs sequential.Logs) error {
	return c.call("train_batch_begin", batch, 0, logs)
}
func (c *jsCallback) OnTrainBatchEnd(batch int, logs sequential.Logs) error {
	return c.call("train_batch_end", batch, 0, logs)
}
func (c *jsCallback) OnTestBegin(logs sequential.Logs) error { return c.call("test_begin", 0, 0, logs) }
func (c *jsCallback) OnTestEnd(logs sequential.Logs) error   { return c.call("test_end", 0, 0, logs) }
func (c *jsCallback) OnTestBatchBegin(batch int, logs sequential.Logs) error {
	return c.call("test_batch_begin", batch, 0, logs)
}
func (c *jsCallback) OnTestBatchEnd(batch int, logs sequential.Logs) error {
	return c.call("test_batch_end", batch, 0, logs)
}
func (c *jsCallback) OnPredictBegin(logs sequential.Logs) error {
	return c.call("predict_begin", 0, 0, logs)
}
func (c *jsCallback) OnPredictEnd(logs sequential.Logs) error {
	return c.call("predict_end", 0, 0, logs)
}
func (c *jsCallback) OnPredictBatchBegin(batch int, logs sequential.Logs) error {
	return c.call("predict_batch_begin", batch, 0, logs)
}
func (c *jsCallback) OnPredictBatchEnd(batch int, logs sequential.Logs) error {
	return c.call("predict_batch_end", batch, 0, logs)
}
