package main

import (
	"encoding/json"
	"fmt"
	"runtime"

	"github.com/keraswasm/keraswasm/sequential"
)

// The runtime's one memory budget (sequential.Budget): every model made
// here, and the data the door copies in, reserve from it. In wasm32 the
// whole linear memory is at most 4 GiB and never shrinks, and Go cannot
// recover from running out of it, so the budget's default is what that
// memory can still grow to, less a margin for the Go runtime, garbage not
// yet collected and the small allocations no budget counts.

const (
	// wasmMaxMemory is the most linear memory a wasm32 module can have.
	wasmMaxMemory = 4 << 30
	// budgetMargin is what the default limit leaves of the rest.
	budgetMargin = 640 << 20
	// ceilingMargin is what even a limit set by hand leaves.
	ceilingMargin = 256 << 20
	// goMemoryMargin is how far above the budget Go's own soft limit sits:
	// the collector works harder as the heap nears it, so garbage from
	// released reservations is reclaimed before the memory must grow.
	goMemoryMargin = 128 << 20
)

// memoryLimits returns the default limit and the ceiling of the budget for
// a wasm runtime that already uses sys bytes of memory.
func memoryLimits(sys uint64) (limit, ceiling int64) {
	rest := int64(wasmMaxMemory) - int64(sys)
	return max(rest-budgetMargin, 64<<20), max(rest-ceilingMargin, 64<<20)
}

// newBudget returns the runtime's budget for a memory that already holds
// sys bytes (limits from memoryLimits). It collects Go's garbage before a
// reservation grows the memory in use once 1 MiB or more was given back
// since (a model disposed, the data of a call released): wasm memory never
// shrinks, and Go's pacing would otherwise let the heap grow to twice what
// is live before it reuses that space (sequential.Budget.SetCollector).
func newBudget(sys uint64) *sequential.Budget {
	b := sequential.NewBudget(memoryLimits(sys))
	b.SetCollector(sequential.DefaultCollectAfter, runtime.GC)
	return b
}

// goMemoryLimit is Go's soft memory limit (runtime/debug.SetMemoryLimit)
// for a budget of limit bytes in a wasm runtime.
func goMemoryLimit(limit int64) int64 {
	return min(limit+goMemoryMargin, wasmMaxMemory-64<<20)
}

// setGoMemoryLimit is called with goMemoryLimit whenever the budget's limit
// changes; main sets it in wasm, where the Go heap is the whole memory.
var setGoMemoryLimit = func(int64) {}

// SetMemoryLimit sets the budget's limit (keras.config.set_memory_limit).
func (r *Runtime) SetMemoryLimit(bytes float64) (err error) {
	const op = "keras.config.set_memory_limit"
	defer guard(op, &err)
	if bytes != float64(int64(bytes)) || bytes < 1 {
		return fmt.Errorf("%s: bytes must be a positive whole number of bytes, such as 2 * 2**30. Received: bytes=%v", op, bytes)
	}
	if err := r.budget.SetLimit(int64(bytes)); err != nil {
		return wrap(op, err)
	}
	setGoMemoryLimit(goMemoryLimit(int64(bytes)))
	return nil
}

// MemoryInfo returns the budget as JSON for keras.config.get_memory_info:
// {limit, ceiling, current, peak, holders: [{name, model, bytes}]}.
func (r *Runtime) MemoryInfo() (string, error) {
	total, peak, users := r.budget.InUse()
	type holder struct {
		Name  string `json:"name"`
		Model bool   `json:"model"`
		Bytes int64  `json:"bytes"`
	}
	hs := make([]holder, len(users))
	for i, u := range users {
		hs[i] = holder{u.Name, u.Model, u.Bytes}
	}
	b, err := json.Marshal(map[string]any{"limit": r.budget.Limit(), "ceiling": r.budget.Ceiling(),
		"current": total, "peak": peak, "holders": hs})
	return string(b), err
}

// reserve reserves bytes of data that op copies in (what: which), for
// the call; the release gives them back.
func (r *Runtime) reserve(op, what string, bytes float64) (func(), error) {
	release, err := r.budget.Reserve(op, what, bytes)
	if err != nil {
		return nil, wrap(op, err)
	}
	return release, nil
}

// Budget returns the runtime's memory budget.
func (r *Runtime) Budget() *sequential.Budget { return r.budget }

// ReserveCheck refuses, as a reservation would, bytes that op (a JS
// function such as to_categorical, which makes data the runtime will copy
// in) is about to make; it reserves nothing.
func (r *Runtime) ReserveCheck(op, what string, bytes float64) error {
	release, err := r.reserve(op, what, bytes)
	if err != nil {
		return err
	}
	release()
	return nil
}

// reserveCopy reserves, for op, a copy of the model's weights (get_weights,
// and the files save writes, whose buffers may grow to twice their size).
func (r *Runtime) reserveCopy(op string, m *sequential.Model, copies float64) (func(), error) {
	bytes := 4 * float64(m.CountParams()) * copies
	return r.reserve(op, fmt.Sprintf("a copy of the %d weights of model %q", m.CountParams(), m.Name()), bytes)
}
