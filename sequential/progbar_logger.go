package sequential

import (
	"fmt"
	"io"
	"os"
	"sort"
	"time"
)

// ProgbarLogger prints the progress of fit (and of evaluate and predict) to the run's
// Out: "Epoch 1/10", then a progress bar with ETA and the running loss and
// metrics (verbose 1), or one line per epoch (verbose 2). Fit adds one when
// Verbose > 0. Keras: keras/callbacks.py ProgbarLogger (Keras 2.2.4).
//
// Porting note: CountMode "samples" (counting samples, "32/1000 [>...]") is
// Keras 2's default and the default here; tf.keras 2.2+ and Keras 3 count
// steps ("1/32 [...]"), which CountMode "steps" gives.
type ProgbarLogger struct {
	BaseCallback
	CountMode string    // "samples" (default) or "steps"
	Out       io.Writer // nil: the run's Out (FitOptions.Out)

	now         func() time.Time // the clock; tests set it
	params      map[string]any
	verbose     int
	bar         *progbar
	seen        int
	calledInFit bool
	values      []logValue
}

// NewProgbarLogger returns a ProgbarLogger. Keras's has no required
// argument; opts holds its Keras arguments by config key ("count_mode",
// "samples" (the default) or "steps").
func NewProgbarLogger(opts map[string]any) (*ProgbarLogger, error) {
	return callbackFromOpts[*ProgbarLogger]("ProgbarLogger", opts)
}

// SetParams keeps the run's parameters (verbose, epochs, steps, samples, metrics).
func (p *ProgbarLogger) SetParams(params map[string]any) {
	p.params = params
	p.verbose, _ = params["verbose"].(int)
}

func (p *ProgbarLogger) out() io.Writer {
	if p.Out != nil {
		return p.Out
	}
	if p.Model != nil && p.Model.out != nil {
		return p.Model.out
	}
	return os.Stdout
}

func (p *ProgbarLogger) clock() func() time.Time {
	if p.now != nil {
		return p.now
	}
	return time.Now
}

func (p *ProgbarLogger) useSteps() bool {
	if p.CountMode == "steps" {
		return true
	}
	_, hasSamples := p.params["samples"]
	return !hasSamples
}

func (p *ProgbarLogger) newBar(target int) *progbar {
	return newProgbar(p.out(), target, p.verbose, isTerminal(p.out()), p.clock())
}

// OnTrainBegin notes that the hooks that follow belong to fit.
func (p *ProgbarLogger) OnTrainBegin(Logs) error { p.calledInFit = true; return nil }

// OnTrainEnd ends fit.
func (p *ProgbarLogger) OnTrainEnd(Logs) error { p.calledInFit = false; return nil }

// OnEpochBegin prints "Epoch 3/10" and starts a bar.
func (p *ProgbarLogger) OnEpochBegin(epoch int, _ Logs) error {
	p.seen = 0
	if p.verbose == 0 {
		return nil
	}
	epochs, _ := p.params["epochs"].(int)
	fmt.Fprintf(p.out(), "Epoch %d/%d\n", epoch+1, epochs)
	target, _ := p.params["samples"].(int)
	if p.useSteps() {
		target, _ = p.params["steps"].(int)
	}
	p.bar = p.newBar(target)
	return nil
}

// OnTrainBatchEnd advances the bar; the last batch is shown by OnEpochEnd.
func (p *ProgbarLogger) OnTrainBatchEnd(_ int, logs Logs) error {
	p.advance(logs)
	if p.verbose > 0 && p.bar != nil && p.seen < p.bar.target && p.bar.due(p.seen) {
		p.bar.update(p.seen, p.logValues(logs))
	}
	return nil
}

// OnEpochEnd shows the final line of the epoch with the validation values.
func (p *ProgbarLogger) OnEpochEnd(_ int, logs Logs) error {
	if p.verbose > 0 && p.bar != nil {
		p.bar.update(p.bar.target, p.logValues(logs))
	}
	return nil
}

// OnTestBegin starts a bar for evaluate (not for fit's validation).
func (p *ProgbarLogger) OnTestBegin(Logs) error {
	if p.calledInFit || p.verbose == 0 {
		return nil
	}
	p.seen = 0
	target, _ := p.params["samples"].(int)
	if p.useSteps() {
		target, _ = p.params["steps"].(int)
	}
	p.bar = p.newBar(target)
	return nil
}

// OnTestBatchEnd advances evaluate's bar.
func (p *ProgbarLogger) OnTestBatchEnd(_ int, logs Logs) error {
	if p.calledInFit || p.verbose == 0 || p.bar == nil {
		return nil
	}
	p.advance(logs)
	if p.seen < p.bar.target && p.bar.due(p.seen) {
		p.bar.update(p.seen, p.logValues(logs))
	}
	return nil
}

// OnTestEnd shows evaluate's final line.
func (p *ProgbarLogger) OnTestEnd(logs Logs) error {
	if p.calledInFit || p.verbose == 0 || p.bar == nil {
		return nil
	}
	p.bar.update(p.bar.target, p.logValues(logs))
	return nil
}

// OnPredictBegin starts predict's bar (Keras 2's predict shows the bar
// alone, with no values).
func (p *ProgbarLogger) OnPredictBegin(logs Logs) error { return p.OnTestBegin(logs) }

// OnPredictBatchEnd advances predict's bar.
func (p *ProgbarLogger) OnPredictBatchEnd(batch int, logs Logs) error {
	return p.OnTestBatchEnd(batch, logs)
}

// OnPredictEnd shows predict's final line.
func (p *ProgbarLogger) OnPredictEnd(logs Logs) error { return p.OnTestEnd(logs) }

func (p *ProgbarLogger) advance(logs Logs) {
	if p.useSteps() {
		p.seen++
	} else {
		p.seen += int(logs["size"])
	}
}

// logValues lists the logs to show: the run's metrics in order ("loss",
// the metrics, their val_ twins), then any other value callbacks added
// ("lr"), by name.
func (p *ProgbarLogger) logValues(logs Logs) []logValue {
	p.values = p.values[:0]
	names, _ := p.params["metrics"].([]string)
	shown := map[string]bool{"batch": true, "size": true}
	for _, n := range names {
		if v, ok := logs[n]; ok {
			p.values = append(p.values, logValue{n, v})
		}
		shown[n] = true
	}
	var extra []string
	for k := range logs {
		if !shown[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		p.values = append(p.values, logValue{k, logs[k]})
	}
	return p.values
}

// isTerminal reports whether w is a character device (a terminal), where
// the bar rewrites its line with "\r"; elsewhere each update is a new line.
//
// Porting note: Keras rewrites the line ("\b…\r") on every POSIX system
// even when stdout is a file or a pipe; a line per update reads better in
// logs and in a browser console, so only terminals get the rewriting.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
