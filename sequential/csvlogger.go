package sequential

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
)

// CSVLogger writes each epoch's logs as a CSV row: a header "epoch,<keys>"
// (the keys sorted, as Keras), then one row per epoch, with Python's number
// formatting and "\r\n" line ends (the csv module's excel dialect).
// Keras: tf_keras/callbacks.py CSVLogger.
//
// It writes to W, or, when W is nil, to the file Filename (created, or with
// Append extended). Append means the output continues an earlier log: for a
// file the header is written only if the file is empty; for a writer, which
// cannot be read back, no header is written.
type CSVLogger struct {
	BaseCallback
	W         io.Writer
	Filename  string
	Separator string // default ","
	Append    bool

	file          *os.File
	keys          []string
	writeHeader   bool
	headerWritten bool
}

// NewCSVLogger returns a CSVLogger writing to w, which stands in for
// Keras's required filename; opts holds the other Keras arguments by config
// key ("separator", default ","; "append", default false). With w nil, opts
// must name the file ("filename") and the logger is made by NewCallback,
// as from a config.
func NewCSVLogger(w io.Writer, opts map[string]any) (*CSVLogger, error) {
	if w == nil {
		return callbackFromOpts[*CSVLogger]("CSVLogger", opts)
	}
	a := nn.NewArgs("CSVLogger", opts)
	a.Refuse("filename")
	if v, ok := a.Value("filename"); ok {
		a.Fail("filename", v, "no filename when a writer is given: the log goes to the writer (give a nil writer to log to the file)")
	}
	l := &CSVLogger{W: w, Separator: a.String("separator", ","), Append: a.Bool("append", false)}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

func (c *CSVLogger) sep() string {
	if c.Separator == "" {
		return ","
	}
	return c.Separator
}

func (c *CSVLogger) out() io.Writer {
	if c.file != nil {
		return c.file
	}
	return c.W
}

// OnTrainBegin opens the file (when writing to one).
func (c *CSVLogger) OnTrainBegin(Logs) error {
	c.keys, c.headerWritten = nil, false
	c.writeHeader = !c.Append
	if c.W != nil {
		return nil
	}
	if c.Filename == "" {
		return fmt.Errorf("CSVLogger: give a writer (W) or a filename")
	}
	flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if c.Append {
		flags = os.O_CREATE | os.O_WRONLY | os.O_APPEND
		st, err := os.Stat(c.Filename)
		c.writeHeader = err != nil || st.Size() == 0
	}
	f, err := os.OpenFile(c.Filename, flags, 0o644)
	if err != nil {
		return fmt.Errorf("CSVLogger: %w", err)
	}
	c.file = f
	return nil
}

// OnEpochEnd writes the epoch's row (and the header before the first).
func (c *CSVLogger) OnEpochEnd(epoch int, logs Logs) error {
	if c.keys == nil {
		c.keys = sortedKeys(logs)
	}
	var b strings.Builder
	if c.writeHeader && !c.headerWritten {
		b.WriteString(csvField("epoch", c.sep()))
		for _, k := range c.keys {
			b.WriteString(c.sep() + csvField(k, c.sep()))
		}
		b.WriteString("\r\n")
		c.headerWritten = true
	}
	fmt.Fprintf(&b, "%d", epoch)
	for _, k := range c.keys {
		v, ok := logs[k]
		field := "NA" // Keras writes NA for a value missing on the last epoch
		if ok {
			field = pyFloat(v)
		}
		b.WriteString(c.sep() + csvField(field, c.sep()))
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(c.out(), b.String())
	return err
}

// OnTrainEnd closes the file (a writer stays open: it is the caller's).
func (c *CSVLogger) OnTrainEnd(Logs) error {
	if c.file == nil {
		return nil
	}
	err := c.file.Close()
	c.file = nil
	return err
}

// csvField quotes a field as Python's csv module does (QUOTE_MINIMAL).
func csvField(s, sep string) string {
	if !strings.Contains(s, sep) && !strings.ContainsAny(s, "\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// sortedKeys returns the names in logs, sorted.
func sortedKeys(logs Logs) []string {
	keys := make([]string, 0, len(logs))
	for k := range logs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
