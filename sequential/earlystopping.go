package sequential

import (
	"fmt"
	"maps"
	"math"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// EarlyStopping stops training when a monitored value has stopped
// improving. Keras: tf_keras/callbacks.py EarlyStopping (the current
// tf-keras, which Keras 3 matches).
//
// An epoch improves on the best so far when the value is better by more than
// MinDelta. Training stops after Patience epochs without improvement (never
// after the first epoch). With a Baseline, the patience count restarts only
// when the value beats both the best and the baseline. Epochs before
// StartFromEpoch are not watched. With RestoreBestWeights, the weights of
// the best epoch are put back when training ends.
//
// Porting note: "auto" mode maximizes names ending in "acc", "accuracy" or
// "auc" and minimizes the others, as tf.keras; Keras 3 asks the metric.
type EarlyStopping struct {
	BaseCallback
	Monitor            string   // default "val_loss"
	MinDelta           float64  // default 0
	Patience           int      // default 0
	Verbose            int      // default 0
	Mode               string   // "auto" (default), "min" or "max"
	Baseline           *float64 // nil for none
	RestoreBestWeights bool
	StartFromEpoch     int

	greater            bool // improvement means larger
	wait, stoppedEpoch int
	best               float64
	bestEpoch          int
	bestWeights        []*tensor.Tensor
	warned             bool
}

// NewEarlyStopping returns an EarlyStopping. Keras's EarlyStopping has no
// required argument; opts holds its Keras arguments by config key
// ("monitor", default "val_loss"; "patience", "mode", "min_delta",
// "baseline", "restore_best_weights", "start_from_epoch", "verbose").
// NewEarlyStopping(nil) has Keras's defaults.
func NewEarlyStopping(opts map[string]any) (*EarlyStopping, error) {
	return callbackFromOpts[*EarlyStopping]("EarlyStopping", opts)
}

// callbackFromOpts is the Go door of the callbacks a config can make: a copy
// of opts goes through NewCallback, so a Go constructor and a config cannot
// disagree.
func callbackFromOpts[T Callback](class string, opts map[string]any) (T, error) {
	var none T
	cb, err := NewCallback(nn.Config{ClassName: class, Config: maps.Clone(opts)})
	if err != nil {
		return none, err
	}
	return cb.(T), nil
}

func (e *EarlyStopping) setup() error {
	if e.Monitor == "" {
		e.Monitor = "val_loss"
	}
	greater, err := monitorGreater("EarlyStopping", e.Mode, e.Monitor, func(m string) bool {
		return strings.HasSuffix(m, "acc") || strings.HasSuffix(m, "accuracy") || strings.HasSuffix(m, "auc")
	})
	if err != nil {
		return err
	}
	if e.Patience < 0 || e.StartFromEpoch < 0 {
		return fmt.Errorf("EarlyStopping: patience and start_from_epoch must be >= 0; received patience=%d, start_from_epoch=%d", e.Patience, e.StartFromEpoch)
	}
	e.greater = greater
	return nil
}

// monitorGreater decides whether larger values are better: mode "max", or
// "auto" when auto says so for the monitored name.
func monitorGreater(owner, mode, monitor string, auto func(string) bool) (bool, error) {
	switch mode {
	case "", "auto":
		return auto(monitor), nil
	case "min":
		return false, nil
	case "max":
		return true, nil
	}
	return false, fmt.Errorf("%s: invalid argument mode: expected \"auto\", \"min\" or \"max\". Received: mode=%q", owner, mode)
}

// improves reports whether current is better than reference by more than
// MinDelta.
func (e *EarlyStopping) improves(current, reference float64) bool {
	d := math.Abs(e.MinDelta)
	if e.greater {
		return current-d > reference
	}
	return current+d < reference
}

// OnTrainBegin resets the state, so the callback can be used again.
func (e *EarlyStopping) OnTrainBegin(Logs) error {
	if err := e.setup(); err != nil {
		return err
	}
	e.wait, e.stoppedEpoch, e.bestEpoch, e.bestWeights = 0, 0, 0, nil
	e.best = math.Inf(1)
	if e.greater {
		e.best = math.Inf(-1)
	}
	return nil
}

// OnEpochEnd watches the monitored value.
func (e *EarlyStopping) OnEpochEnd(epoch int, logs Logs) error {
	current, ok := logs[e.Monitor]
	if !ok {
		e.warnMissing(logs)
		return nil
	}
	if epoch < e.StartFromEpoch {
		return nil
	}
	if e.RestoreBestWeights && e.bestWeights == nil {
		// The first watched epoch's weights, if nothing ever improves.
		e.bestWeights, e.bestEpoch = e.Model.GetWeights(), epoch
	}
	e.wait++
	if e.improves(current, e.best) {
		e.best, e.bestEpoch = current, epoch
		if e.RestoreBestWeights {
			e.bestWeights = e.Model.GetWeights()
		}
		// Only restart the wait if both the baseline and the best are beaten.
		if e.Baseline == nil || e.improves(current, *e.Baseline) {
			e.wait = 0
		}
		return nil
	}
	if e.wait >= e.Patience && epoch > 0 {
		e.stoppedEpoch = epoch
		e.Model.SetStopTraining(true)
	}
	return nil
}

// OnTrainEnd says when training stopped and puts back the best weights.
func (e *EarlyStopping) OnTrainEnd(Logs) error {
	if e.stoppedEpoch > 0 && e.Verbose > 0 {
		fmt.Fprintf(e.Model.output(), "Epoch %d: early stopping\n", e.stoppedEpoch+1)
	}
	if e.RestoreBestWeights && e.bestWeights != nil {
		if e.Verbose > 0 {
			fmt.Fprintf(e.Model.output(), "Restoring model weights from the end of the best epoch: %d.\n", e.bestEpoch+1)
		}
		return e.Model.SetWeights(e.bestWeights)
	}
	return nil
}

// StoppedEpoch returns the epoch at which training was stopped (0 if it was not).
func (e *EarlyStopping) StoppedEpoch() int { return e.stoppedEpoch }

// BestEpoch returns the epoch with the best monitored value.
func (e *EarlyStopping) BestEpoch() int { return e.bestEpoch }

func (e *EarlyStopping) warnMissing(logs Logs) {
	if e.warned {
		return
	}
	e.warned = true
	fmt.Fprintf(e.Model.output(), "WARNING: Early stopping conditioned on metric `%s` which is not available. Available metrics are: %s\n",
		e.Monitor, strings.Join(sortedKeys(logs), ","))
}
