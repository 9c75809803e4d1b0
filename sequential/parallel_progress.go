package sequential

import (
	"fmt"
	"io"
)

// Progress makes this replica print fit's progress as one model's fit
// does (ProgbarLogger, verbose 1: a bar; 2: a line per epoch) to out, for
// a run of epochs epochs. The coordinator asks one replica only (the one
// whose logs it reports); the bar then advances in Apply, and EpochBegin
// and EpochEnd print the epoch's header and last line.
func (p *Parallel) Progress(out io.Writer, verbose, epochs int) {
	if verbose <= 0 {
		p.bar = nil
		return
	}
	steps := (p.d.n + p.batch - 1) / p.batch
	p.bar = &ProgbarLogger{CountMode: "samples", Out: out}
	p.bar.SetModel(p.m)
	p.bar.SetParams(map[string]any{
		"verbose": verbose, "epochs": epochs, "steps": steps, "samples": p.d.n,
		"metrics": p.m.logNames(false),
	})
	p.logs = Logs{}
	_ = p.bar.OnTrainBegin(nil)
}

// EpochBegin starts epoch (from 0): the loss mean and the metrics start
// again, and with Progress the epoch's header is printed.
func (p *Parallel) EpochBegin(epoch int) {
	p.m.resetState()
	if p.bar == nil {
		return
	}
	if p.val != nil && !p.announced { // as fit does before its first epoch
		fmt.Fprintf(p.bar.out(), "Train on %d samples, validate on %d samples\n", p.d.n, p.val.n)
	}
	p.announced = true
	_ = p.bar.OnEpochBegin(epoch, nil)
}

// EpochEnd prints the epoch's last progress line with logs (the epoch's,
// EpochLogs) when there is Progress.
func (p *Parallel) EpochEnd(epoch int, logs Logs) {
	if p.bar == nil {
		return
	}
	// The names in order, as fit's params give them: with validation data, the val_ twins too.
	p.bar.params["metrics"] = p.m.logNames(p.val != nil)
	_ = p.bar.OnEpochEnd(epoch, logs)
}

// advance moves the bar by a batch of rows samples (with Progress).
func (p *Parallel) advance(rows int) {
	if p.bar == nil {
		return
	}
	p.m.fillLogs(p.logs, "")
	p.logs["size"] = float64(rows)
	_ = p.bar.OnTrainBatchEnd(0, p.logs)
	delete(p.logs, "size")
}
