package sequential

import (
	"fmt"
	"math"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
)

// ReduceLROnPlateau multiplies the learning rate by Factor when a monitored
// value has not improved for Patience epochs, then waits Cooldown epochs
// before watching again; the rate never goes below MinLR. It adds the
// current rate to the epoch's logs as "lr". Keras: tf_keras/callbacks.py
// ReduceLROnPlateau.
type ReduceLROnPlateau struct {
	BaseCallback
	Monitor  string  // default "val_loss"
	Factor   float64 // default 0.1; must be < 1
	Patience int     // default 10
	Verbose  int
	Mode     string  // "auto" (default), "min" or "max"
	MinDelta float64 // default 1e-4
	Cooldown int
	MinLR    float64

	greater             bool
	best                float64
	wait, cooldownCount int
	warned              bool
}

// NewReduceLROnPlateau returns a ReduceLROnPlateau. Keras's has no
// required argument; opts holds its Keras arguments by config key
// ("monitor", default "val_loss"; "factor", 0.1; "patience", 10; "mode",
// "auto"; "min_delta", 1e-4, or Keras 2's "epsilon"; "cooldown"; "min_lr";
// "verbose"). NewReduceLROnPlateau(nil) has Keras's defaults.
func NewReduceLROnPlateau(opts map[string]any) (*ReduceLROnPlateau, error) {
	return callbackFromOpts[*ReduceLROnPlateau]("ReduceLROnPlateau", opts)
}

func (r *ReduceLROnPlateau) check() error {
	if r.Monitor == "" {
		r.Monitor = "val_loss"
	}
	if !(r.Factor < 1) || r.Factor < 0 {
		return fmt.Errorf("ReduceLROnPlateau does not support a factor >= 1.0 (or < 0). Received: factor=%v", r.Factor)
	}
	if r.Patience < 0 || r.Cooldown < 0 || r.MinLR < 0 {
		return fmt.Errorf("ReduceLROnPlateau: patience, cooldown and min_lr must be >= 0; received patience=%d, cooldown=%d, min_lr=%v", r.Patience, r.Cooldown, r.MinLR)
	}
	g, err := monitorGreater("ReduceLROnPlateau", r.Mode, r.Monitor, func(m string) bool { return strings.Contains(m, "acc") })
	r.greater = g
	return err
}

// OnTrainBegin resets the state.
func (r *ReduceLROnPlateau) OnTrainBegin(Logs) error {
	if err := r.check(); err != nil {
		return err
	}
	r.best = math.Inf(1)
	if r.greater {
		r.best = math.Inf(-1)
	}
	r.wait, r.cooldownCount = 0, 0
	return nil
}

func (r *ReduceLROnPlateau) improves(current float64) bool {
	if r.greater {
		return current > r.best+r.MinDelta
	}
	return current < r.best-r.MinDelta
}

// OnEpochEnd logs "lr" and lowers the rate on a plateau.
func (r *ReduceLROnPlateau) OnEpochEnd(epoch int, logs Logs) error {
	opt := r.Model.Optimizer()
	if opt == nil {
		return fmt.Errorf("ReduceLROnPlateau: the model has no optimizer; compile it first")
	}
	logs["lr"] = f32(opt.LearningRate())
	current, ok := logs[r.Monitor]
	if !ok {
		if !r.warned {
			r.warned = true
			fmt.Fprintf(r.Model.output(), "WARNING: Learning rate reduction is conditioned on metric `%s` which is not available. Available metrics are: %s\n",
				r.Monitor, strings.Join(sortedKeys(logs), ","))
		}
		return nil
	}
	if r.cooldownCount > 0 {
		r.cooldownCount--
		r.wait = 0
	}
	if r.improves(current) {
		r.best, r.wait = current, 0
		return nil
	}
	if r.cooldownCount > 0 {
		return nil
	}
	r.wait++
	if r.wait < r.Patience {
		return nil
	}
	old := f32(opt.LearningRate())
	if old > f32(r.MinLR) {
		lr := math.Max(old*r.Factor, r.MinLR)
		opt.SetLearningRate(f32(lr))
		if r.Verbose > 0 {
			fmt.Fprintf(r.Model.output(), "\nEpoch %d: ReduceLROnPlateau reducing learning rate to %s.\n", epoch+1, pyFloat(lr))
		}
		r.cooldownCount, r.wait = r.Cooldown, 0
	}
	return nil
}

// LearningRateScheduler sets the learning rate at the beginning of each
// epoch to Schedule(epoch, current rate), and logs it as "lr".
// Keras: tf_keras/callbacks.py LearningRateScheduler.
type LearningRateScheduler struct {
	BaseCallback
	Schedule func(epoch int, lr float64) (float64, error)
	Verbose  int
}

// NewLearningRateScheduler returns a scheduler calling schedule, Keras's
// required argument; opts holds the others by config key ("verbose",
// default 0). A function cannot travel in a config, so this Go door has no
// config twin; it reads opts with the same Args reader.
func NewLearningRateScheduler(schedule func(epoch int, lr float64) (float64, error), opts map[string]any) (*LearningRateScheduler, error) {
	a := nn.NewArgs("LearningRateScheduler", opts)
	s := &LearningRateScheduler{Schedule: schedule, Verbose: a.Int("verbose", 0)}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// OnEpochBegin sets the epoch's learning rate.
func (s *LearningRateScheduler) OnEpochBegin(epoch int, _ Logs) error {
	opt := s.Model.Optimizer()
	if opt == nil {
		return fmt.Errorf("LearningRateScheduler: the model has no optimizer; compile it first")
	}
	if s.Schedule == nil {
		return fmt.Errorf("LearningRateScheduler: Schedule is nil; give a function of (epoch, lr)")
	}
	lr, err := s.Schedule(epoch, f32(opt.LearningRate()))
	if err != nil {
		return err
	}
	if math.IsNaN(lr) || math.IsInf(lr, 0) || lr < 0 {
		return fmt.Errorf("LearningRateScheduler: the schedule returned %v for epoch %d: expected a finite learning rate >= 0", lr, epoch)
	}
	opt.SetLearningRate(f32(lr))
	if s.Verbose > 0 {
		fmt.Fprintf(s.Model.output(), "\nEpoch %d: LearningRateScheduler setting learning rate to %s.\n", epoch+1, pyFloat(lr))
	}
	return nil
}

// OnEpochEnd logs the rate as "lr".
func (s *LearningRateScheduler) OnEpochEnd(_ int, logs Logs) error {
	if opt := s.Model.Optimizer(); opt != nil {
		logs["lr"] = f32(opt.LearningRate())
	}
	return nil
}

// TerminateOnNaN stops training when a batch's loss is NaN or infinite.
// Keras: tf_keras/callbacks.py TerminateOnNaN.
type TerminateOnNaN struct {
	BaseCallback
}

// OnTrainBatchEnd checks the loss.
func (t *TerminateOnNaN) OnTrainBatchEnd(batch int, logs Logs) error {
	if loss, ok := logs["loss"]; ok && (math.IsNaN(loss) || math.IsInf(loss, 0)) {
		fmt.Fprintf(t.Model.output(), "Batch %d: Invalid loss, terminating training\n", batch)
		t.Model.SetStopTraining(true)
	}
	return nil
}

// f32 rounds a learning rate to float32: Keras keeps it in a float32
// variable, so callbacks read, log and print it that way
// (0.001 reads as 0.0010000000474974513).
func f32(v float64) float64 { return float64(float32(v)) }
