package nn

import "fmt"

// The optimizer's state as weights, for saving a model with its optimizer
// (include_optimizer) and resuming training exactly where it stopped: the
// iteration count and, per kind of slot, one array per trained weight.
//
// The order and the slot names are TF.js's (tfjs-core optimizers'
// getWeights: "iter" first, then every weight's first slot, then every
// weight's second slot, each named "<weight name>/<slot>"), so a TF.js
// model.json written with includeOptimizer loads here and ours loads in
// TF.js where its optimizer keeps the same slots. Names of slots TF.js does
// not have are Keras 3's (Nadam: momentum, velocity; Adam's amsgrad:
// velocity_hat).
//
// Porting note: Keras 3 saves optimizer variables in creation order, with
// the learning rate among them (optimizer/vars/<i> in a .weights.h5); that
// layout is not written here.

// stateful is what every optimizer of this package has: its shared base and
// the shape of its per-weight state.
type stateful interface {
	base() *optimizerBase
	newSlots(n int) [][]float32
}

// base returns b itself, so the state functions reach every optimizer's base.
func (b *optimizerBase) base() *optimizerBase { return b }

// resumer is an optimizer with running state besides its slots (Nadam's
// momentum-schedule product), rebuilt from the iteration count.
type resumer interface{ resumeAt(iterations int64) }

// slotNames are the names of each optimizer's slot positions (newSlots
// order); a position newSlots leaves nil for a config is not saved.
var slotNames = map[string][]string{
	"SGD":      {"momentum"},
	"Adam":     {"m", "v", "velocity_hat"},
	"AdamW":    {"m", "v", "velocity_hat"},
	"RMSprop":  {"rms", "momentum", "mg"},
	"Adagrad":  {"accumulator"},
	"Adadelta": {"accum_grad", "accum_var"},
	"Adamax":   {"m", "v"},
	"Nadam":    {"momentum", "velocity"},
}

// OptimizerSlotNames returns the names of the per-weight state o keeps with
// its config, in saving order (Adam: m, v; SGD without momentum: none).
// ok is false for an optimizer whose state cannot be saved.
func OptimizerSlotNames(o Optimizer) (names []string, ok bool) {
	s, ok := o.(stateful)
	if !ok {
		return nil, false
	}
	all, ok := slotNames[s.base().className]
	if !ok {
		return nil, false
	}
	for i, sl := range s.newSlots(1) {
		if sl != nil && i < len(all) {
			names = append(names, all[i])
		}
	}
	return names, true
}

// OptimizerState returns o's iteration count and its slots for params (the
// weights it trains, in order): slots[k][i] is a copy of slot k of params[i].
// A weight the optimizer has not stepped yet gets the slot's initial values,
// what its first step would start from.
func OptimizerState(o Optimizer, params []*Param) (iterations int64, slots [][][]float32, err error) {
	s, ok := o.(stateful)
	names, ok2 := OptimizerSlotNames(o)
	if !ok || !ok2 {
		return 0, nil, &NotImplemented{What: fmt.Sprintf("saving the state of optimizer %s", o.Config().ClassName)}
	}
	b := s.base()
	slots = make([][][]float32, len(names))
	for k := range slots {
		slots[k] = make([][]float32, len(params))
	}
	for i, p := range params {
		var have [][]float32
		if st := b.states[p]; st != nil && len(st.grad) == len(p.Value.Data) {
			have = st.slots
		} else {
			have = s.newSlots(len(p.Value.Data))
		}
		k := 0
		for _, sl := range have {
			if sl == nil {
				continue
			}
			slots[k][i] = append([]float32(nil), sl...)
			k++
		}
	}
	return b.iterations, slots, nil
}

// SetOptimizerState gives o the state OptimizerState returned (for the same
// params, in the same order). Every count and length is checked before
// anything changes, so a state that does not fit leaves o as it was.
func SetOptimizerState(o Optimizer, params []*Param, iterations int64, slots [][][]float32) error {
	s, ok := o.(stateful)
	names, ok2 := OptimizerSlotNames(o)
	if !ok || !ok2 {
		return &NotImplemented{What: fmt.Sprintf("restoring the state of optimizer %s", o.Config().ClassName)}
	}
	if iterations < 0 {
		return fmt.Errorf("the optimizer's iteration count is %d; expected a count >= 0", iterations)
	}
	if len(slots) != len(names) {
		return fmt.Errorf("optimizer %s keeps %d kinds of state per weight %v; received %d", o.Config().ClassName, len(names), names, len(slots))
	}
	for k, per := range slots {
		if len(per) != len(params) {
			return fmt.Errorf("optimizer state %q: %d weights' values for %d trained weights", names[k], len(per), len(params))
		}
		for i, v := range per {
			if len(v) != len(params[i].Value.Data) {
				return fmt.Errorf("optimizer state %q of weight %q: %d values; the weight has %d", names[k], params[i].Name, len(v), len(params[i].Value.Data))
			}
		}
	}
	b := s.base()
	b.states = make(map[*Param]*paramState, len(params))
	for i, p := range params {
		n := len(p.Value.Data)
		st := &paramState{slots: s.newSlots(n), grad: make([]float32, n)}
		k := 0
		for _, sl := range st.slots {
			if sl == nil {
				continue
			}
			copy(sl, slots[k][i])
			k++
		}
		b.states[p] = st
	}
	b.iterations = iterations
	if r, ok := o.(resumer); ok {
		r.resumeAt(iterations)
	}
	return nil
}

// resumeAt rebuilds Πₜ for the steps done, multiplying in the order prepare
// does, so the next step's coefficients have the same bits as an
// uninterrupted run's.
func (o *Nadam) resumeAt(iterations int64) {
	o.product = 1
	for t := int64(1); t <= iterations; t++ {
		o.product *= o.momentumAt(t)
	}
}
