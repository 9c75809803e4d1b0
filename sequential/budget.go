package sequential

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/keraswasm/keraswasm/nn"
)

// Budget is one memory budget shared by models: an accountant that every
// allocation sized by user input reserves from before it is made, and
// releases to when it goes. A model holds what stays with it (its weights
// and their gradients, its optimizer's state, the largest batch buffers its
// layers have kept); a call holds its transient buffers (predict's output,
// data copied in for it) until it ends. A reservation that would take the
// total above the limit is refused with a *MemoryError, before anything is
// allocated: running out of memory is the one failure Go cannot recover
// from (in wasm32 the whole heap is at most 4 GiB, shared by all models).
//
// A wasm runtime owns one Budget for all its models (NewIn, FromJSONIn,
// LoadKerasIn); a model made with New has a budget of its own, of
// DefaultMemoryLimit. A Budget is safe for concurrent use.
type Budget struct {
	mu       sync.Mutex
	limit    int64
	ceiling  int64 // the largest limit SetLimit takes; 0 for none
	accounts map[*account]struct{}
	peak     float64
	opened   int // accounts opened so far: their order, for stable messages

	// The collector (budget_collect.go): bytes released since it last ran.
	collect      func()
	collectAfter float64
	released     float64
	collections  int
}

// account is what one holder (a model, or the calls of no model) has
// reserved from a budget.
type account struct {
	b         *Budget
	order     int     // when it was opened
	name      string  // a model's name, or what the holder is
	model     bool    // a model, named as one in messages
	values    float64 // weight values of the built layers
	weights   float64 // bytes of those weights and their gradients
	state     float64 // bytes of the optimizer's state
	buffers   float64 // bytes of the run buffers the layers keep (the largest run so far)
	transient float64 // bytes of calls in progress
}

func (a *account) held() float64 { return a.weights + a.state + a.buffers + a.transient }

// NewBudget returns a budget of limit bytes (DefaultMemoryLimit if limit <
// 1) whose limit may later be set up to ceiling (0: no ceiling).
func NewBudget(limit, ceiling int64) *Budget {
	if limit < 1 {
		limit = DefaultMemoryLimit
	}
	if ceiling > 0 && limit > ceiling {
		limit = ceiling
	}
	return &Budget{limit: limit, ceiling: ceiling, accounts: map[*account]struct{}{}}
}

// SetLimit sets the limit in bytes. A limit below what is in use is taken:
// what holds memory keeps it, and new reservations are refused until enough
// is released.
func (b *Budget) SetLimit(bytes int64) error {
	if bytes < 1 {
		return fmt.Errorf("invalid argument bytes: expected a positive number of bytes. Received: bytes=%d", bytes)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ceiling > 0 && bytes > b.ceiling {
		return fmt.Errorf("invalid argument bytes: the memory limit can be at most %d bytes (%s), what this runtime's memory can grow to. Received: bytes=%d (%s)",
			b.ceiling, formatBytes(float64(b.ceiling)), bytes, formatBytes(float64(bytes)))
	}
	b.limit = bytes
	return nil
}

// Limit returns the limit in bytes.
func (b *Budget) Limit() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit
}

// Ceiling returns the largest limit SetLimit takes (0: none).
func (b *Budget) Ceiling() int64 { return b.ceiling }

// Usage is what one holder has reserved.
type Usage struct {
	Name  string // the model's name, or what holds it
	Model bool   // the holder is a model
	Bytes int64
}

// InUse returns the bytes reserved now, the most reserved at once so far,
// and who holds them, the largest first.
func (b *Budget) InUse() (total, peak int64, users []Usage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	t, u := b.usage(nil)
	return int64(t), int64(b.peak), u
}

// othersHold reports whether a model other than a's holds memory.
func (b *Budget) othersHold(a *account) bool {
	for o := range b.accounts {
		if o != a && o.model && o.held() > 0 {
			return true
		}
	}
	return false
}

// total sums what the accounts hold.
func (b *Budget) total() float64 {
	var t float64
	for a := range b.accounts {
		t += a.held()
	}
	return t
}

// usage sums the accounts and lists those that hold memory (skip aside).
func (b *Budget) usage(skip *account) (float64, []Usage) {
	var total float64
	var users []Usage
	merged := map[string]int{} // holders other than models, by name: one line each
	accounts := make([]*account, 0, len(b.accounts))
	for a := range b.accounts {
		accounts = append(accounts, a)
	}
	sort.Slice(accounts, func(i, j int) bool { return accounts[i].order < accounts[j].order })
	for _, a := range accounts {
		h := a.held()
		total += h
		if h <= 0 || a == skip {
			continue
		}
		if i, ok := merged[a.name]; ok && !a.model {
			users[i].Bytes += int64(h)
			continue
		}
		if !a.model {
			merged[a.name] = len(users)
		}
		users = append(users, Usage{Name: a.name, Model: a.model, Bytes: int64(h)})
	}
	sort.SliceStable(users, func(i, j int) bool { return users[i].Bytes > users[j].Bytes })
	return total, users
}

// open makes an account of the budget; a model's is released when the
// model is collected, if it was not released before.
func (b *Budget) open(name string, model bool) *account {
	b.mu.Lock()
	b.opened++
	a := &account{b: b, name: name, model: model, order: b.opened}
	b.accounts[a] = struct{}{}
	b.mu.Unlock()
	return a
}

// close releases everything the account holds and removes it.
func (a *account) close() {
	b := a.b
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.accounts, a)
	b.releasedBytes(a.held())
	a.values, a.weights, a.state, a.buffers, a.transient = 0, 0, 0, 0, 0
}

// request is one reservation being decided: the account's new held parts.
type request struct {
	op             string
	values         float64
	weights, state float64
	buffers        float64
	transient      float64 // added to the account's transient
	detail, fix    string  // for the error: where the bytes go, what to change
}

// reserve sets the account's resident parts to those of q and adds q's
// transient bytes, if the budget takes the growth; it returns the release
// of the transient bytes (call it once the call ends).
func (a *account) reserve(q request) (func(), error) {
	a.collectBefore(q)
	b := a.b
	b.mu.Lock()
	defer b.mu.Unlock()
	total := b.total()
	before := a.held()
	after := q.weights + q.state + q.buffers + a.transient + q.transient
	if after > before && total-before+after > float64(b.limit) {
		_, users := b.usage(nil)
		return nil, &MemoryError{Op: q.op, Model: a.name, Need: after - before, InUse: total,
			Limit: b.limit, Users: users, Detail: q.detail, Fix: q.fix, OthersHold: b.othersHold(a)}
	}
	if _, ok := b.accounts[a]; !ok {
		b.accounts[a] = struct{}{} // a released model used again: it holds memory again
	}
	b.releasedBytes(before - (q.weights + q.state + q.buffers + a.transient))
	a.values, a.weights, a.state, a.buffers = q.values, q.weights, q.state, q.buffers
	a.transient += q.transient
	b.peak = max(b.peak, total-before+after)
	once := sync.Once{}
	return func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.releasedBytes(min(a.transient, q.transient))
			a.transient = max(0, a.transient-q.transient)
		})
	}, nil
}

// Reserve reserves bytes for a call of no model (data that op copies in);
// what says what they are. It returns the release.
func (b *Budget) Reserve(op, what string, bytes float64) (func(), error) {
	return b.ReserveFor("the data of calls in progress", op, what, bytes)
}

// ReserveFor is Reserve for memory that holder (not a model: "the staging
// buffers", ...) keeps until the release.
func (b *Budget) ReserveFor(holder, op, what string, bytes float64) (func(), error) {
	a := b.open(holder, false)
	release, err := a.reserve(request{op: op, transient: bytes,
		detail: what, fix: "pass less data at a time"})
	if err != nil {
		a.close()
		return nil, err
	}
	return func() { release(); a.close() }, nil
}

// account returns the model's account, opening one in a budget of its own
// for a model made without one.
func (m *Model) account() *account {
	if m.acct == nil {
		m.useBudget(NewBudget(DefaultMemoryLimit, 0))
	}
	return m.acct
}

// useBudget opens the model's account in b, releasing the one it had, and
// closes it when the model is collected (a Go program that drops a model
// without Release gives its memory back then).
func (m *Model) useBudget(b *Budget) {
	if m.acct != nil {
		m.acct.close()
	}
	m.acct = b.open(m.name, true)
	runtime.AddCleanup(m, func(a *account) { a.close() }, m.acct)
}

// Budget returns the budget the model reserves from.
func (m *Model) Budget() *Budget { return m.account().b }

// Release gives back all the memory the model has reserved; call it when
// the model is dropped (the wasm runtime does on dispose). The model
// reserves again if it is used after.
func (m *Model) Release() {
	if m.acct != nil {
		m.acct.close()
	}
}

// MemoryError says that an operation would take the memory in use above
// the budget's limit. Need is an estimate, made before anything is
// allocated. JS sees it as ResourceExhaustedError (TensorFlow's class for
// running out of memory).
type MemoryError struct {
	Op     string  // "build", "fit", "evaluate", "predict", ...
	Model  string  // the model's name, or what asked
	Need   float64 // the bytes asked for, beyond what the asker holds
	InUse  float64 // the bytes in use before, by everyone
	Limit  int64   // the limit in bytes
	Users  []Usage // who holds memory, the largest first
	Detail string  // where the bytes would go
	Fix    string  // what to change
	// OthersHold says models other than the asker hold memory (disposing
	// them would help).
	OthersHold bool
}

// KerasClass reports ResourceExhaustedError.
func (e *MemoryError) KerasClass() string { return nn.ResourceExhaustedError }

func (e *MemoryError) Error() string {
	who := "this call"
	if e.Model != "" && !strings.HasPrefix(e.Model, "the ") {
		who = fmt.Sprintf("model %q", e.Model)
	}
	s := fmt.Sprintf("out of memory: %s would need about %s more (%s), but %s of the memory limit of %s is in use",
		who, formatBytes(e.Need), e.Detail, formatBytes(e.InUse), formatBytes(float64(e.Limit)))
	if len(e.Users) > 0 {
		parts := make([]string, 0, len(e.Users))
		for i, u := range e.Users {
			if i == 6 {
				parts = append(parts, fmt.Sprintf("and %d more", len(e.Users)-i))
				break
			}
			name := u.Name
			if u.Model {
				name = fmt.Sprintf("model %q", u.Name)
			}
			parts = append(parts, fmt.Sprintf("%s %s", name, formatBytes(float64(u.Bytes))))
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	s += "; " + e.Fix
	if e.OthersHold {
		s += "; or dispose the models you no longer need (model.dispose())"
	}
	return s + "; or raise the limit with keras.config.set_memory_limit(bytes)"
}
