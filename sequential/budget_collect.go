package sequential

// A budget knows, better than Go's collector pacing does, when large
// buffers became garbage: a model released (disposed), the data a call
// copied in given back, a run's buffers replaced. Where memory never
// shrinks (wasm32: the linear memory only grows), allocating the next
// buffers before that garbage is collected grows the memory for good, by
// up to the size of the live heap (Go's default pacing, GOGC=100, lets the
// heap reach twice the live heap before it collects). So a budget may be
// given a collector, which it runs before a reservation that adds to the
// memory in use when enough was released since the last run: the space
// given back is then reused instead of grown past.

// DefaultCollectAfter is the released bytes above which a growing
// reservation collects first, in a budget given a collector: below it
// Go's own pacing is left alone. A collection marks the live heap: about
// 0.6 ms in wasm for W3's 120 MiB of float32 buffers, which hold no
// pointers, so collecting once per call that gives back a MiB costs less
// than moving that MiB did.
const DefaultCollectAfter = 1 << 20

// SetCollector makes the budget call collect (runtime.GC in wasm) before a
// reservation that adds to the bytes in use, when at least after bytes
// (DefaultCollectAfter if after < 1) were released since the last call.
// collect nil stops it. It runs outside the budget's lock.
func (b *Budget) SetCollector(after float64, collect func()) {
	if after < 1 {
		after = DefaultCollectAfter
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.collect, b.collectAfter = collect, after
}

// Collections returns how many times the budget ran its collector.
func (b *Budget) Collections() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.collections
}

// released records bytes given back (the caller holds b.mu).
func (b *Budget) releasedBytes(n float64) {
	if n > 0 {
		b.released += n
	}
}

// collectBefore runs the collector before q is reserved for a, when q adds
// to a's bytes and enough was released since the last collection.
func (a *account) collectBefore(q request) {
	b := a.b
	b.mu.Lock()
	after := q.weights + q.state + q.buffers + a.transient + q.transient
	run := b.collect != nil && after > a.held() && b.released >= b.collectAfter
	collect := b.collect
	if run {
		b.released = 0
		b.collections++
	}
	b.mu.Unlock()
	if run {
		collect()
	}
}
