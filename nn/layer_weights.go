package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// weightSpec is how one weight of a layer is made and kept in check: the
// initializer, regularizer and constraint that Keras reads from the
// <name>_initializer, <name>_regularizer and <name>_constraint arguments of
// Dense and Conv2D. Keras: keras/src/layers/core/dense.py.
type weightSpec struct {
	initializer Initializer
	regularizer Regularizer // nil for none
	constraint  Constraint  // nil for none
}

// readWeightSpec reads the three arguments of weight name ("kernel",
// "bias"); defInit is Keras's default initializer ("glorot_uniform",
// "zeros"). A null initializer means the default, as in Keras.
func readWeightSpec(a *Args, name, defInit string) weightSpec {
	var s weightSpec
	key := name + "_initializer"
	var spec any = defInit
	if v, ok := a.Value(key); ok {
		spec = v
	}
	ini, err := GetInitializer(spec)
	if err != nil {
		a.Fail(key, spec, "an initializer such as \"glorot_uniform\" ("+err.Error()+")")
	}
	s.initializer = ini

	key = name + "_regularizer"
	if v, ok := a.Value(key); ok {
		r, err := GetRegularizer(v)
		if err != nil {
			a.Fail(key, v, "a regularizer such as \"l2\" or null ("+err.Error()+")")
		}
		s.regularizer = r
	}

	key = name + "_constraint"
	if v, ok := a.Value(key); ok {
		c, err := GetConstraint(v)
		if err != nil {
			a.Fail(key, v, "a constraint such as \"non_neg\" or null ("+err.Error()+")")
		}
		s.constraint = c
	}
	return s
}

// config writes the three arguments of weight name into m as Keras's
// get_config does: the initializer as {class_name, config}, the regularizer
// and constraint as the same or null.
func (s weightSpec) config(m map[string]any, name string) {
	m[name+"_initializer"] = s.initializer.Config()
	m[name+"_regularizer"] = nil
	if s.regularizer != nil {
		m[name+"_regularizer"] = s.regularizer.Config()
	}
	m[name+"_constraint"] = nil
	if s.constraint != nil {
		m[name+"_constraint"] = s.constraint.Config()
	}
}

// newParam makes weight name of the given shape, initialized from rng (or the
// initializer's own seed), carrying the regularizer and constraint the model
// applies. owner names the layer class in errors.
func (s weightSpec) newParam(owner, name string, rng *tensor.RNG, shape ...int) (*Param, error) {
	if err := checkWeightSize(owner, name, shape); err != nil {
		return nil, err
	}
	p := NewParam(name, shape...)
	if err := s.initializer.Initialize(p.Value, rng); err != nil {
		return nil, fmt.Errorf("%s: cannot initialize %s of shape %v: %w", owner, name, p.Value.Shape, err)
	}
	if err := CheckConstraint(s.constraint, p.Value.Shape); err != nil {
		return nil, fmt.Errorf("%s: %s_constraint cannot apply to the %s of shape %v: %w", owner, name, name, p.Value.Shape, err)
	}
	p.Regularizer = s.regularizer
	p.Constraint = s.constraint
	return p, nil
}

// readLayerActivation reads a layer's activation argument (null or absent
// means linear, Keras's activation=None).
func readLayerActivation(a *Args) Activation {
	v, _ := a.Value("activation")
	act, err := GetActivation(v)
	if err != nil {
		a.Fail("activation", v, "an activation name such as \"relu\" ("+err.Error()+")")
		return linear{}
	}
	return act
}

// rejectLoRA accepts the LoRA/DoRA arguments Keras 3 writes into Dense and
// Conv configs when they are null, and rejects them otherwise: low-rank
// fine-tuning is not implemented here.
func rejectLoRA(a *Args) {
	for _, k := range []string{"lora_rank", "lora_alpha", "dora_rank", "dora_alpha"} {
		a.Unsupported(k, "null (LoRA/DoRA fine-tuning is not implemented in keraswasm)")
	}
}

// withArgs returns a copy of opts with the positional arguments of a Go
// constructor (kv: key, value, key, value ...) added; giving one of them in
// opts as well is an error, like a Python argument passed twice.
func withArgs(owner string, opts map[string]any, kv ...any) (map[string]any, error) {
	m := make(map[string]any, len(opts)+len(kv)/2)
	for k, v := range opts {
		m[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if _, dup := opts[k]; dup {
			return nil, fmt.Errorf("%s: argument %s given twice: as a parameter and in the options; give it once", owner, k)
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// maxWeightElements is the most elements one weight may have: 2^30 float32
// values are 4 GiB, all the memory WebAssembly can address, so a larger
// weight could never be made in the browser and natively would exhaust
// memory (a fatal error, not a recoverable panic).
const maxWeightElements = 1 << 30

// checkWeightSize returns an error when a weight of the given shape cannot
// be made: a dimension below 1 or more than maxWeightElements elements
// (checked without overflowing, as units and kernel sizes come from configs).
func checkWeightSize(owner, name string, shape []int) error {
	n := 1
	for _, d := range shape {
		if d < 1 {
			return fmt.Errorf("%s: cannot make the %s of shape %v: every dimension must be at least 1", owner, name, tensor.Shape(shape))
		}
		if n > maxWeightElements/d {
			return fmt.Errorf("%s: the %s of shape %v has more than 2^30 elements, more than WebAssembly's 4 GiB of memory holds: use fewer units, filters or a smaller kernel",
				owner, name, tensor.Shape(shape))
		}
		n *= d
	}
	return nil
}
