package sequential

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// progbar is Keras's Progbar utility: a progress bar with ETA and the
// running values of the logs. Keras: keras/utils/generic_utils.py Progbar
// (Keras 2.2.4, the version of the user's study note, testdata/studynote/).
type progbar struct {
	out      io.Writer
	target   int
	width    int
	verbose  int
	dynamic  bool          // rewrite the line with \r (a terminal); else a new line per update
	interval time.Duration // minimum time between updates (Keras: 0.05 s)
	now      func() time.Time

	start, lastUpdate time.Time
	totalWidth        int
}

func newProgbar(out io.Writer, target, verbose int, dynamic bool, now func() time.Time) *progbar {
	p := &progbar{out: out, target: target, width: 30, verbose: verbose, dynamic: dynamic,
		interval: 50 * time.Millisecond, now: now}
	p.start = now()
	return p
}

// logValue is one name and value shown after the bar.
type logValue struct {
	name  string
	value float64
}

// due reports whether an update at current would be shown: verbose 1 shows
// one at most every interval (and always the last); verbose 2 only the last.
func (p *progbar) due(current int) bool {
	if current >= p.target {
		return true
	}
	return p.verbose == 1 && p.now().Sub(p.lastUpdate) >= p.interval
}

// update shows the bar at current (out of target) with values. Values are
// shown as given: the model's metrics are already running means over the
// epoch (Keras's stateful_metrics).
func (p *progbar) update(current int, values []logValue) {
	now := p.now()
	info := fmt.Sprintf(" - %.0fs", now.Sub(p.start).Seconds())
	switch p.verbose {
	case 1:
		if now.Sub(p.lastUpdate) < p.interval && current < p.target {
			return
		}
		prev := p.totalWidth
		var b strings.Builder
		if p.dynamic {
			b.WriteString("\r")
		} else {
			b.WriteString("\n")
		}
		bar := p.bar(current)
		p.totalWidth = len(bar)
		b.WriteString(bar)
		perUnit := 0.0
		if current > 0 {
			perUnit = now.Sub(p.start).Seconds() / float64(current)
		}
		if current < p.target {
			info = " - ETA: " + formatETA(perUnit*float64(p.target-current))
		} else {
			info += formatPerStep(perUnit)
		}
		for _, v := range values {
			info += " - " + v.name + ": " + formatLogValue(v.value, true)
		}
		p.totalWidth += len(info)
		if prev > p.totalWidth {
			info += strings.Repeat(" ", prev-p.totalWidth)
		}
		if current >= p.target {
			info += "\n"
		}
		b.WriteString(info)
		io.WriteString(p.out, b.String())
	case 2:
		if current >= p.target {
			for _, v := range values {
				info += " - " + v.name + ": " + formatLogValue(v.value, false)
			}
			io.WriteString(p.out, info+"\n")
		}
	}
	p.lastUpdate = now
}

// bar returns "  32/1000 [>.............................]".
func (p *progbar) bar(current int) string {
	digits := len(fmt.Sprint(p.target))
	s := fmt.Sprintf("%*d/%d [", digits, current, p.target)
	w := 0
	if p.target > 0 {
		w = int(float64(p.width) * float64(current) / float64(p.target))
	}
	if w > p.width {
		w = p.width
	}
	if w > 0 {
		s += strings.Repeat("=", w-1)
		if current < p.target {
			s += ">"
		} else {
			s += "="
		}
	}
	return s + strings.Repeat(".", p.width-w) + "]"
}

// formatETA writes seconds as Keras does: "5s", "1:05", "1:01:05".
func formatETA(eta float64) string {
	switch {
	case eta > 3600:
		return fmt.Sprintf("%d:%02d:%02d", int(eta/3600), int(math.Mod(eta, 3600)/60), int(math.Mod(eta, 60)))
	case eta > 60:
		return fmt.Sprintf("%d:%02d", int(eta/60), int(math.Mod(eta, 60)))
	}
	return fmt.Sprintf("%ds", int(eta))
}

// formatPerStep writes the time per unit: " 2s/step", " 15ms/step", " 67us/step".
func formatPerStep(t float64) string {
	switch {
	case t >= 1:
		return fmt.Sprintf(" %.0fs/step", t)
	case t >= 1e-3:
		return fmt.Sprintf(" %.0fms/step", t*1e3)
	}
	return fmt.Sprintf(" %.0fus/step", t*1e6)
}

// formatLogValue writes a value as Keras's Progbar: "%.4f", or "%.4e" for
// small values (abs for verbose 1; Keras 2 compares the signed value for
// verbose 2). NaN and infinities are written as Python does.
func formatLogValue(v float64, useAbs bool) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	big := v > 1e-3
	if useAbs {
		big = math.Abs(v) > 1e-3
	}
	if big {
		return fmt.Sprintf("%.4f", v)
	}
	return fmt.Sprintf("%.4e", v)
}
