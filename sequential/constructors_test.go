package sequential

import (
	"bytes"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCallbackConstructorsMatchTheConfigDoor checks that the callbacks'
// Go constructors, NewX(Keras's required arguments, opts), make what
// NewCallback makes from the config holding the same arguments.
func TestCallbackConstructorsMatchTheConfigDoor(t *testing.T) {
	fromConfig := func(class string, m map[string]any) Callback {
		t.Helper()
		cb, err := NewCallback(nn.Config{ClassName: class, Config: m})
		require.NoError(t, err)
		return cb
	}
	esOpts := map[string]any{"monitor": "val_accuracy", "patience": 3, "mode": "max", "baseline": 0.5, "restore_best_weights": true}
	es, err := NewEarlyStopping(esOpts)
	require.NoError(t, err)
	assert.Equal(t, fromConfig("EarlyStopping", esOpts), es)
	defaults, err := NewEarlyStopping(nil)
	require.NoError(t, err)
	assert.Equal(t, fromConfig("EarlyStopping", nil), defaults)

	lrOpts := map[string]any{"factor": 0.5, "epsilon": 0.01, "cooldown": 2}
	r, err := NewReduceLROnPlateau(lrOpts)
	require.NoError(t, err)
	assert.Equal(t, fromConfig("ReduceLROnPlateau", lrOpts), r)
	assert.Equal(t, map[string]any{"factor": 0.5, "epsilon": 0.01, "cooldown": 2}, lrOpts, "opts are not written to")

	p, err := NewProgbarLogger(map[string]any{"count_mode": "steps"})
	require.NoError(t, err)
	assert.Equal(t, fromConfig("ProgbarLogger", map[string]any{"count_mode": "steps"}), p)
	_, err = NewProgbarLogger(map[string]any{"count_mode": "batches"})
	assert.ErrorContains(t, err, "batches")

	var buf bytes.Buffer
	csv, err := NewCSVLogger(&buf, map[string]any{"separator": ";", "append": true})
	require.NoError(t, err)
	file := fromConfig("CSVLogger", map[string]any{"filename": "log.csv", "separator": ";", "append": true}).(*CSVLogger)
	assert.Equal(t, file.Separator, csv.Separator)
	assert.Equal(t, file.Append, csv.Append)
	named, err := NewCSVLogger(nil, map[string]any{"filename": "log.csv", "separator": ";", "append": true})
	require.NoError(t, err)
	assert.Equal(t, file, named)
	_, err = NewCSVLogger(&buf, map[string]any{"filename": "log.csv"})
	assert.ErrorContains(t, err, "filename")
	_, err = NewCSVLogger(nil, nil)
	assert.ErrorContains(t, err, "filename")

	s, err := NewLearningRateScheduler(func(_ int, lr float64) (float64, error) { return lr, nil }, map[string]any{"verbose": 1})
	require.NoError(t, err)
	assert.Equal(t, 1, s.Verbose)
	_, err = NewLearningRateScheduler(nil, map[string]any{"verbos": 1})
	assert.ErrorContains(t, err, "verbos")
}
