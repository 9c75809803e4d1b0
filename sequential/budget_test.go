package sequential

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// budgetModel is Dense(units, input_dim=in) compiled with Adam, in b.
func budgetModel(t *testing.T, b *Budget, name string, units, in int) *Model {
	t.Helper()
	m := NewIn(b, name, 1)
	require.NoError(t, m.Add(dense(t, units, map[string]any{"input_dim": in})))
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	return m
}

// TestSharedBudgetRefusesTheModelOverIt: three models, each well within the
// limit alone, do not fit together: the third is refused (build, with a
// ResourceExhaustedError naming what it asked, who holds the rest and the
// limit), the others still train, and after one is released a fresh model
// trains in the same budget.
func TestSharedBudgetRefusesTheModelOverIt(t *testing.T) {
	// Dense(256) on 256 inputs: 65,792 weights; with gradients and Adam's
	// state (two slots and the clipped gradient), 5 copies: 1.25 MiB.
	b := NewBudget(3<<20, 0)
	a := budgetModel(t, b, "first", 256, 256)
	c := budgetModel(t, b, "second", 256, 256)
	total, _, users := b.InUse()
	assert.Equal(t, int64(2*5*4*65792), total)
	require.Len(t, users, 2)

	third := NewIn(b, "third", 1)
	err := third.Add(dense(t, 256, map[string]any{"input_dim": 256}))
	require.Error(t, err)
	var me *MemoryError
	require.ErrorAs(t, err, &me)
	assert.Equal(t, nn.ResourceExhaustedError, nn.ErrorClass(err))
	for _, s := range []string{`model "third" would need about 514.0 KiB more`, "65792 weights",
		`model "first" 1.3 MiB`, `model "second" 1.3 MiB`, "memory limit of 3.0 MiB", "dispose the models",
		"keras.config.set_memory_limit(bytes)"} {
		assert.Contains(t, err.Error(), s)
	}
	assert.Empty(t, third.Layers(), "the refused layer is not added")

	x, y := tensor.New(8, 256), tensor.New(8, 256)
	for _, m := range []*Model{a, c} {
		_, err := m.Fit(x, y, FitOptions{Epochs: 1, BatchSize: 8})
		require.NoError(t, err, "the models within the budget still train")
	}
	a.Release()
	fresh := budgetModel(t, b, "fresh", 256, 256)
	_, err = fresh.Fit(x, y, FitOptions{Epochs: 1, BatchSize: 8})
	require.NoError(t, err, "a fresh model trains once one is released")
	total, peak, _ := b.InUse()
	assert.Less(t, total, int64(3<<20))
	assert.GreaterOrEqual(t, peak, total)
}

// TestBudgetCountsCompileAndRuns: compile reserves the optimizer's state,
// a run its batch buffers (kept: the largest so far), predict's output
// only while it runs; Pop and Release give memory back.
func TestBudgetCountsCompileAndRuns(t *testing.T) {
	b := NewBudget(64<<20, 0)
	m := NewIn(b, "m", 1)
	require.NoError(t, m.Add(dense(t, 100, map[string]any{"input_dim": 10})))
	built := m.MemoryInUse()
	assert.Equal(t, int64(2*4*1100), built, "weights and gradients")
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	sgd := m.MemoryInUse()
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "mse"}))
	adam := m.MemoryInUse()
	assert.Greater(t, adam, sgd, "Adam keeps more state than SGD, and replaces it")
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	assert.Equal(t, sgd, m.MemoryInUse(), "compile again replaces the optimizer's state")

	_, err := m.Predict(tensor.New(1000, 10), 50)
	require.NoError(t, err)
	kept := m.MemoryInUse()
	assert.Greater(t, kept, sgd, "the layers keep a batch's buffers")
	assert.Less(t, kept, sgd+int64(1000*100*4), "predict's output is released when it returns")
	_, err = m.Predict(tensor.New(10, 10), 5)
	require.NoError(t, err)
	assert.Equal(t, kept, m.MemoryInUse(), "a smaller batch reuses the buffers")

	require.NoError(t, m.Pop())
	total, _, _ := b.InUse()
	assert.Equal(t, kept-built-(sgd-built), total, "pop gives the weights and their state back")
	m.Release()
	total, _, _ = b.InUse()
	assert.Zero(t, total)
}

// TestBudgetReserveForData: the door's reservations for data of no model
// are refused above the limit and released after.
func TestBudgetReserveForData(t *testing.T) {
	b := NewBudget(1<<20, 0)
	release, err := b.Reserve("fit", "x: 512 KiB", 512<<10)
	require.NoError(t, err)
	_, err = b.Reserve("fit", "y: 768 KiB", 768<<10)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "this call would need about 768.0 KiB more (y: 768 KiB)")
	release()
	release()
	total, _, _ := b.InUse()
	assert.Zero(t, total, "released once, however often called")
}

// TestBudgetLimit: the limit must be positive and at most the ceiling.
func TestBudgetLimit(t *testing.T) {
	b := NewBudget(0, 4<<30)
	assert.Equal(t, DefaultMemoryLimit, b.Limit())
	require.NoError(t, b.SetLimit(3<<30))
	err := b.SetLimit(5 << 30)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "at most 4294967296 bytes (4.0 GiB)")
	assert.Error(t, b.SetLimit(0))
	assert.Equal(t, int64(3<<30), b.Limit())
}

// TestBudgetReclaimsCollectedModels: a model a Go program drops without
// Release gives its memory back once it is collected.
func TestBudgetReclaimsCollectedModels(t *testing.T) {
	b := NewBudget(64<<20, 0)
	func() { budgetModel(t, b, "dropped", 64, 64) }()
	for i := 0; i < 50; i++ {
		runtime.GC()
		if total, _, _ := b.InUse(); total == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	total, _, _ := b.InUse()
	t.Fatalf("a dropped model still holds %d bytes", total)
}

// TestFromConfigRefusedHoldsNothing: a model refused while its layers are
// built from a config holds nothing of the shared budget.
func TestFromConfigRefusedHoldsNothing(t *testing.T) {
	b := NewBudget(1<<20, 0)
	_, err := FromJSONIn(b, `{"class_name": "Sequential", "config": {"layers": [
		{"class_name": "Dense", "config": {"units": 64, "batch_input_shape": [null, 64]}},
		{"class_name": "Dense", "config": {"units": 4096}}]}}`, 1)
	require.Error(t, err)
	total, _, _ := b.InUse()
	assert.Zero(t, total)
}
