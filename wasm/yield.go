package main

import (
	"fmt"
	"math"
	"time"
)

// autoYieldEvery is how long fit computes before it gives the event loop a
// turn when yield_every is "auto".
//
// Porting note: TF.js's yieldEvery 'auto' waits 125 ms, which holds a page
// to about 8 frames a second; 25 ms keeps it near 30–40 while a yield (a
// MessageChannel post or setImmediate) costs well under a millisecond.
const autoYieldEvery = 25 * time.Millisecond

// yieldPolicy says when fit yields: after Every of work (checked at batch
// ends), after every batch, after every epoch, or never. TF.js's yieldEvery
// values: "auto", "batch", "epoch", "never", or a number of milliseconds.
type yieldPolicy struct {
	Every time.Duration
	Batch bool // at every batch end
	Epoch bool // only at epoch ends
	Never bool
}

// parseYieldEvery reads fit's yield_every option (nil means "auto").
func parseYieldEvery(v any) (yieldPolicy, error) {
	switch x := v.(type) {
	case nil:
		return yieldPolicy{Every: autoYieldEvery}, nil
	case string:
		switch x {
		case "auto":
			return yieldPolicy{Every: autoYieldEvery}, nil
		case "batch":
			return yieldPolicy{Batch: true}, nil
		case "epoch":
			return yieldPolicy{Epoch: true}, nil
		case "never":
			return yieldPolicy{Never: true}, nil
		}
	case float64:
		if x >= 0 && !math.IsInf(x, 0) {
			return yieldPolicy{Every: time.Duration(x * float64(time.Millisecond))}, nil
		}
	}
	return yieldPolicy{}, fmt.Errorf("fit: invalid argument yield_every: expected \"auto\", \"batch\", \"epoch\", \"never\" "+
		"or a number of milliseconds >= 0. Received: yield_every=%v", describe(v))
}

// yielder applies a yieldPolicy: the fit loop reports batch and epoch ends
// and yielder calls yield when the policy says so. now is the clock (a fake
// in tests).
type yielder struct {
	policy yieldPolicy
	now    func() time.Time
	yield  func(epoch, batch int) error
	last   time.Time
	epoch  int
}

func newYielder(p yieldPolicy, now func() time.Time, yield func(epoch, batch int) error) *yielder {
	return &yielder{policy: p, now: now, yield: yield, last: now()}
}

// batchEnd is called after every training or validation batch.
func (y *yielder) batchEnd(batch int) error {
	switch {
	case y.policy.Never || y.policy.Epoch:
		return nil
	case y.policy.Batch:
		return y.do(batch)
	}
	if y.now().Sub(y.last) >= y.policy.Every {
		return y.do(batch)
	}
	return nil
}

// epochBegin records the epoch that onYield hooks are told.
func (y *yielder) epochBegin(epoch int) { y.epoch = epoch }

// epochEnd is called after every epoch.
func (y *yielder) epochEnd(epoch int) error {
	if y.policy.Epoch {
		return y.do(-1)
	}
	return nil
}

func (y *yielder) do(batch int) error {
	err := y.yield(y.epoch, batch)
	y.last = y.now()
	return err
}
