package nn

import (
	"fmt"
	"math"
	"strings"

	"github.com/keraswasm/keraswasm/tensor"
)

// The optimizer's state as Keras 3 saves it: BaseOptimizer.save_own_variables
// writes optimizer.variables in order, one dataset each
// (optimizer/vars/0, /1, ... of model.weights.h5), and load_own_variables
// assigns them back by position once the loaded model's optimizer is built
// on its trainable variables (Trainer.compile_from_config). The order is
// creation order (keras/src/optimizers/base_optimizer.py __init__ and
// build, and each optimizer's build):
//
//	0  iteration      int64 scalar (dtype "int": int64 on TensorFlow, int32
//	                  on JAX and PyTorch)
//	1  learning_rate  float32 scalar (the base rate; a schedule has no variable)
//	then, once the optimizer is built, its slots:
//	SGD (momentum > 0): momentum of every trained variable
//	Adam, AdamW: momentum, velocity of the first variable, of the second, ...;
//	  then, with amsgrad, velocity_hat of every variable
//	RMSprop: velocity of every variable; then momentum of every variable
//	  (momentum > 0); then average_gradient of every variable (centered)
//	Adagrad: accumulator of every variable
//	Adadelta: accumulated_grad, accumulated_delta_var of each variable in turn
//	Adamax: momentum, norm of each variable in turn
//	Nadam: u_product (float32 scalar, the momentum schedule's running
//	  product), then momentum, velocity of each variable in turn
//
// Nadam's u_product comes before the slots up to Keras 3.9 and after them
// from Keras 3.10 (its build creates it after add_optimizer_variables); the
// file is written in the order of the Keras release the .keras file names
// (3.6) and read in either.

// KerasVariable is one variable of a Keras 3 optimizer: Name is Keras's
// ("iteration", "learning_rate", "dense_kernel_momentum"), DType "int64"
// (the iteration count, in Int) or "float32" (in Values).
type KerasVariable struct {
	Name   string
	DType  string
	Shape  []int
	Int    int64
	Values []float32
}

// kerasSlots are, per optimizer class, Keras 3's blocks of slot variables in
// build order: the slots of one block are interleaved per trained variable
// (add_optimizer_variables with a list of names), the blocks follow one
// another. Each pair is this package's slot name and Keras's.
var kerasSlots = map[string][][][2]string{
	"SGD":      {{{"momentum", "momentum"}}},
	"Adam":     {{{"m", "momentum"}, {"v", "velocity"}}, {{"velocity_hat", "velocity_hat"}}},
	"AdamW":    {{{"m", "momentum"}, {"v", "velocity"}}, {{"velocity_hat", "velocity_hat"}}},
	"RMSprop":  {{{"rms", "velocity"}}, {{"momentum", "momentum"}}, {{"mg", "average_gradient"}}},
	"Adagrad":  {{{"accumulator", "accumulator"}}},
	"Adadelta": {{{"accum_grad", "accumulated_grad"}, {"accum_var", "accumulated_delta_var"}}},
	"Adamax":   {{{"m", "momentum"}, {"v", "norm"}}},
	"Nadam":    {{{"momentum", "momentum"}, {"velocity", "velocity"}}},
}

// kerasSlotRef is one slot variable: slot k (OptimizerState's index) of
// trained weight i.
type kerasSlotRef struct {
	k, i int
	name string
}

// kerasLayout returns o's slot variables in Keras's order for params named
// names ("dense/kernel").
func kerasLayout(o Optimizer, params []*Param, names []string) (refs []kerasSlotRef, kinds []string, err error) {
	class := o.Config().ClassName
	have, ok := OptimizerSlotNames(o)
	blocks, known := kerasSlots[class]
	if !ok || !known {
		return nil, nil, &NotImplemented{What: fmt.Sprintf("saving or restoring the state of optimizer %s in a Keras file", class)}
	}
	index := map[string]int{}
	for k, n := range have {
		index[n] = k
	}
	covered := 0
	for _, block := range blocks {
		var present [][2]string
		for _, pair := range block {
			if _, ok := index[pair[0]]; ok {
				present = append(present, pair)
			}
		}
		covered += len(present)
		for _, pair := range present {
			kinds = append(kinds, pair[1])
		}
		for i := range params {
			for _, pair := range present {
				refs = append(refs, kerasSlotRef{index[pair[0]], i, strings.ReplaceAll(names[i], "/", "_") + "_" + pair[1]})
			}
		}
	}
	if covered != len(have) {
		return nil, nil, &NotImplemented{What: fmt.Sprintf("saving the state of optimizer %s in a Keras file: it keeps %v, not all of which Keras's %s has", class, have, class)}
	}
	return refs, kinds, nil
}

// optimizerBuilt reports whether o has state for its weights, as a Keras
// optimizer is built: it has stepped, or its state was restored.
func optimizerBuilt(o Optimizer) bool {
	s, ok := o.(stateful)
	return ok && (len(s.base().states) > 0 || s.base().iterations > 0)
}

// KerasOptimizerVariables returns o's state as Keras 3's optimizer.variables
// for the weights it trains, params (named names[i], such as
// "dense/kernel"): iteration and learning_rate, then, when o is built (it has
// stepped or its state was restored; Keras builds its optimizer on the first
// step too), its slots in Keras's order. An optimizer whose state has no
// Keras layout is a *NotImplemented naming it.
func KerasOptimizerVariables(o Optimizer, params []*Param, names []string) ([]KerasVariable, error) {
	refs, _, err := kerasLayout(o, params, names)
	if err != nil {
		return nil, err
	}
	iters, slots, err := OptimizerState(o, params)
	if err != nil {
		return nil, err
	}
	vars := []KerasVariable{
		{Name: "iteration", DType: "int64", Shape: []int{}, Int: iters},
		{Name: "learning_rate", DType: "float32", Shape: []int{}, Values: []float32{float32(o.LearningRate())}},
	}
	if !optimizerBuilt(o) {
		return vars, nil
	}
	if n, ok := o.(*Nadam); ok {
		vars = append(vars, KerasVariable{Name: "u_product", DType: "float32", Shape: []int{}, Values: []float32{float32(n.product)}})
	}
	for _, r := range refs {
		vars = append(vars, KerasVariable{Name: r.name, DType: "float32", Shape: append([]int{}, params[r.i].Value.Shape...), Values: slots[r.k][r.i]})
	}
	return vars, nil
}

// SetKerasOptimizerVariables gives o the state in vars, Keras 3's
// optimizer.variables as KerasOptimizerVariables returns them (or as Keras
// wrote them: an iteration count of any integer dtype, Nadam's u_product
// before or after the slots). Only iteration and learning_rate (an optimizer
// saved before its first step) leave o's slots fresh. Every count and shape
// is checked before anything changes.
//
// The learning rate is Keras's float32 variable: o keeps its own rate when
// that rounds to the file's (the compile config gave it), and takes the
// file's otherwise (a callback had changed it). Nadam's running product is
// rebuilt from the iteration count, in the order its steps multiply it, so
// a resumed run has the bits of an uninterrupted one; the file's float32
// u_product is checked to be a scalar and not used.
func SetKerasOptimizerVariables(o Optimizer, params []*Param, names []string, vars []KerasVariable) error {
	refs, kinds, err := kerasLayout(o, params, names)
	if err != nil {
		return err
	}
	class := o.Config().ClassName
	_, nadam := o.(*Nadam)
	extra := 0
	if nadam {
		extra = 1
	}
	full := 2 + extra + len(refs)
	if len(vars) != 2 && len(vars) != full {
		what := "iteration and learning_rate"
		if len(kinds) > 0 {
			what += fmt.Sprintf(", then %s for its %d trained weights", strings.Join(kinds, ", "), len(params))
		}
		if nadam {
			what += ", and u_product"
		}
		return fmt.Errorf("the file holds %d optimizer variables; optimizer %s of this model keeps %d (%s), or 2 before its first step", len(vars), class, full, what)
	}
	labels := []string{"iteration", "learning_rate"}
	if nadam {
		labels = append(labels, "u_product")
	}
	for _, r := range refs {
		labels = append(labels, r.name)
	}
	for j, v := range vars {
		if j < 2 && len(v.Shape) != 0 {
			return fmt.Errorf("optimizer variable %d (%s) has shape %v in the file; expected a scalar", j, labels[j], tensor.Shape(v.Shape))
		}
		if j > 0 && v.DType != "float32" {
			return fmt.Errorf("optimizer variable %d (%s) has dtype %s in the file; expected float32", j, labels[j], v.DType)
		}
		if j > 0 && len(v.Values) != tensor.Shape(v.Shape).Size() {
			return fmt.Errorf("optimizer variable %d (%s) holds %d values for shape %v", j, labels[j], len(v.Values), tensor.Shape(v.Shape))
		}
	}
	if vars[0].DType != "int64" {
		return fmt.Errorf("optimizer variable 0 (iteration) has dtype %s in the file; expected an integer", vars[0].DType)
	}
	iters := vars[0].Int
	if iters < 0 {
		return fmt.Errorf("optimizer variable 0 (iteration) is %d; expected a count >= 0", iters)
	}
	lr := vars[1].Values[0]
	if !(lr > 0) || math.IsInf(float64(lr), 0) {
		return fmt.Errorf("optimizer variable 1 (learning_rate) is %v; expected a positive number", lr)
	}
	if len(vars) == 2 {
		// Saved before its first step: the slots start fresh on the next.
		b := o.(stateful).base()
		b.states = map[*Param]*paramState{}
		b.iterations = iters
		if r, ok := o.(resumer); ok {
			r.resumeAt(iters)
		}
	} else {
		have, _ := OptimizerSlotNames(o)
		slots := make([][][]float32, len(have))
		for k := range slots {
			slots[k] = make([][]float32, len(params))
		}
		at := 2 // the first slot variable
		if nadam {
			at, err = nadamSlotsAt(vars, params)
			if err != nil {
				return err
			}
		}
		for j, r := range refs {
			v := vars[at+j]
			if !tensor.Shape(v.Shape).Equal(params[r.i].Value.Shape) {
				return fmt.Errorf("optimizer variable %d (%s) has shape %v in the file; the weight it belongs to has %v", at+j, r.name, tensor.Shape(v.Shape), params[r.i].Value.Shape)
			}
			slots[r.k][r.i] = v.Values
		}
		if err := SetOptimizerState(o, params, iters, slots); err != nil {
			return err
		}
	}
	if float32(o.LearningRate()) != lr {
		o.SetLearningRate(float64(lr))
	}
	return nil
}

// nadamSlotsAt finds where Nadam's slot variables start: after u_product at
// index 2 (Keras up to 3.9, and the files written here) or at index 2 with
// u_product last (Keras 3.10 and later).
func nadamSlotsAt(vars []KerasVariable, params []*Param) (int, error) {
	scalar := func(v KerasVariable) bool { return len(v.Shape) == 0 }
	firstScalar := len(params) > 0 && len(params[0].Value.Shape) == 0
	switch {
	case len(params) == 0 || (scalar(vars[2]) && !firstScalar):
		return 3, nil
	case scalar(vars[len(vars)-1]):
		return 2, nil
	}
	return 0, fmt.Errorf("Nadam's optimizer variables hold no scalar u_product (the momentum schedule's product) at index 2 or last")
}
