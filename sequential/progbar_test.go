package sequential

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeClock returns a clock that reads the times in at, one per call, then
// keeps the last.
func fakeClock(at ...float64) func() time.Time {
	t0 := time.Unix(1000, 0)
	i := 0
	return func() time.Time {
		s := at[min(i, len(at)-1)]
		i++
		return t0.Add(time.Duration(s * float64(time.Second)))
	}
}

func TestProgbarVerbose1(t *testing.T) {
	var out bytes.Buffer
	p := newProgbar(&out, 1000, 1, false, fakeClock(0, 1, 1.01, 2, 4))
	p.update(32, []logValue{{"loss", 0.69}, {"accuracy", 0.51}})
	p.update(64, nil) // within 0.05 s of the last: skipped
	p.update(500, []logValue{{"loss", 0.5}})
	p.update(1000, []logValue{{"loss", 0.0001}, {"accuracy", 0.875}})
	want := "\n  32/1000 [..............................] - ETA: 30s - loss: 0.6900 - accuracy: 0.5100" +
		"\n 500/1000 [==============>...............] - ETA: 2s - loss: 0.5000" + strings.Repeat(" ", 20) +
		"\n1000/1000 [==============================] - 4s 4ms/step - loss: 1.0000e-04 - accuracy: 0.8750\n"
	assert.Equal(t, want, out.String())
}

func TestProgbarDynamicAndVerbose2(t *testing.T) {
	var out bytes.Buffer
	p := newProgbar(&out, 10, 1, true, fakeClock(0, 100, 3700))
	p.update(5, nil)
	p.update(10, nil)
	assert.Equal(t, "\r 5/10 [==============>...............] - ETA: 1:40\r10/10 [==============================] - 3700s 370s/step\n", out.String())

	out.Reset()
	p = newProgbar(&out, 10, 2, false, fakeClock(0, 1, 2.6))
	p.update(5, []logValue{{"loss", 1}})
	p.update(10, []logValue{{"loss", 0.25}, {"val_loss", -0.5}})
	assert.Equal(t, " - 3s - loss: 0.2500 - val_loss: -5.0000e-01\n", out.String())

	assert.Equal(t, "1:01:05", formatETA(3665))
	assert.Equal(t, "nan", formatLogValue(nan(), true))
}

// TestFitVerboseOutput checks fit's text: "Epoch i/n", the bar in samples
// with the loss and metrics in compile order and their val_ twins.
func TestFitVerboseOutput(t *testing.T) {
	x, y := randomClasses(100, 8, 3, 1)
	m := smallNet(t, 8, 3, 0, 1)
	var out bytes.Buffer
	o := DefaultFitOptions()
	o.Epochs, o.ValidationSplit, o.Out = 2, 0.2, &out
	o.Callbacks = []Callback{&ProgbarLogger{CountMode: "samples", now: fakeClock(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)}}
	_, err := m.Fit(x, y, o)
	require.NoError(t, err)
	lines := strings.Split(out.String(), "\n")
	assert.Equal(t, "Train on 80 samples, validate on 20 samples", lines[0])
	assert.Equal(t, "Epoch 1/2", lines[1])
	assert.Regexp(t, regexp.MustCompile(`^32/80 \[={11}>\.{18}\] - ETA: \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} *$`), lines[3])
	assert.Regexp(t, regexp.MustCompile(`^80/80 \[=+\] - \d+s \d+ms/step - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}$`), lines[5])
	assert.Contains(t, out.String(), "Epoch 2/2")

	out.Reset()
	o.Verbose, o.Callbacks = 2, nil
	_, err = m.Fit(x, y, o)
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^Train on 80 samples, validate on 20 samples\nEpoch 1/2\n - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}\nEpoch 2/2\n`), out.String())

	out.Reset()
	_, err = m.Evaluate(x, y, EvaluateOptions{Verbose: 1, Out: &out})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`100/100 \[=+\] - \d+s \d+(u|m)s/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}\n$`), out.String())
}
