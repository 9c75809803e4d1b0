package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// TestBudgetCollectsBeforeReusingReleasedSpace: a budget with a collector
// runs it before a reservation that grows the memory in use once a MiB or
// more was given back since (a call's data released, a model released), and
// not otherwise: not for the first reservations, not for a fit whose
// buffers are already held, not when less was given back. The collector
// runs outside the budget's lock (it may use the budget).
func TestBudgetCollectsBeforeReusingReleasedSpace(t *testing.T) {
	b := NewBudget(256<<20, 0)
	calls := 0
	b.SetCollector(0, func() {
		b.InUse() // would deadlock under the lock
		calls++
	})
	fit := func(m *Model) {
		x, y := tensor.New(64, 256), tensor.New(64, 256)
		_, err := m.Fit(x, y, FitOptions{Epochs: 1, BatchSize: 32})
		require.NoError(t, err)
	}
	m := budgetModel(t, b, "first", 256, 256)
	fit(m)
	assert.Zero(t, calls, "nothing was given back yet")

	release, err := b.Reserve("fit", "x", 2<<20)
	require.NoError(t, err)
	release()
	fit(m)
	assert.Zero(t, calls, "a second fit of the same shapes grows nothing: no collection")
	release, err = b.Reserve("fit", "x", 2<<20)
	require.NoError(t, err)
	assert.Equal(t, 1, calls, "the data of the next call is reserved after collecting the last call's")
	assert.Equal(t, 1, b.Collections())
	release()

	m.Release()
	second := budgetModel(t, b, "second", 256, 256)
	assert.Equal(t, 2, calls, "a model built after one was released (disposed) collects first")
	fit(second)
	assert.Equal(t, 2, calls)

	release, err = b.Reserve("predict", "x", 512<<10)
	require.NoError(t, err)
	release()
	release, err = b.Reserve("predict", "x", 512<<10)
	require.NoError(t, err)
	release()
	assert.Equal(t, 2, calls, "half a MiB given back is left to Go's pacing")

	b.SetCollector(0, nil)
	second.Release()
	budgetModel(t, b, "third", 256, 256)
	assert.Equal(t, 2, calls, "no collector, no collection")
}
