package sequential

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// tfjsOptimizerRestore checks the optimizer's weights of a manifest (the
// specs at indexes opt, group "optimizer") against the compiled optimizer
// and returns the function that restores them, to be called once the
// model's weights are in. TF.js's layout is "iter" and then one run of
// trained-weight values per slot (tfjs-core optimizers' setWeights read them
// by position); a run whose slot this optimizer does not keep (TF.js's
// RMSProp keeps a momentum run even with momentum 0) is skipped by its name.
func (m *Model) tfjsOptimizerRestore(specs []TFJSWeightSpec, offsets []int, data []byte, opt []int) (func(), error) {
	names, ok := nn.OptimizerSlotNames(m.c.opt)
	if !ok {
		return nil, &nn.NotImplemented{What: fmt.Sprintf("restoring the state of optimizer %s", m.c.opt.Config().ClassName)}
	}
	first := specs[opt[0]]
	if first.Name != tfjsIterName || len(first.Shape) != 0 {
		return nil, fmt.Errorf("the optimizer's weights must start with the scalar %q (its iteration count); found %q with shape %v", tfjsIterName, first.Name, first.Shape)
	}
	iterVal := make([]float32, 1)
	decodeInto(iterVal, first.Dtype, data[offsets[opt[0]]:])
	iters := int64(iterVal[0])
	if float32(iters) != iterVal[0] || iters < 0 {
		return nil, fmt.Errorf("the optimizer's iteration count is %v; expected a whole number >= 0", iterVal[0])
	}
	params := m.trainedParams()
	rest := opt[1:]
	var slots [][][]float32
	if len(rest) > 0 {
		n := len(params)
		if n == 0 || len(rest)%n != 0 {
			return nil, fmt.Errorf("the file holds %d optimizer state arrays, not a whole number of runs for the model's %d trained weights; it does not belong to this model", len(rest), n)
		}
		runs := len(rest) / n
		pick := make([]int, 0, len(names))
		if runs == len(names) {
			for k := range names {
				pick = append(pick, k)
			}
		} else {
			for _, want := range names {
				at := -1
				for r := 0; r < runs; r++ {
					if strings.HasSuffix(specs[rest[r*n]].Name, "/"+want) {
						at = r
					}
				}
				if at < 0 {
					return nil, fmt.Errorf("the file holds %d runs of optimizer state and none for %q, which optimizer %s keeps (it keeps %v)", runs, want, m.c.opt.Config().ClassName, names)
				}
				pick = append(pick, at)
			}
		}
		slots = make([][][]float32, len(pick))
		for k, r := range pick {
			slots[k] = make([][]float32, n)
			for i, p := range params {
				s := specs[rest[r*n+i]]
				if !shapeEqual(s.Shape, p.Value.Shape) {
					return nil, fmt.Errorf("optimizer state %q has shape %v; the weight it belongs to has %v", s.Name, tensor.Shape(s.Shape), p.Value.Shape)
				}
				v := make([]float32, len(p.Value.Data))
				decodeInto(v, s.Dtype, data[offsets[rest[r*n+i]]:])
				slots[k][i] = v
			}
		}
	} else {
		// Only the count was saved (nothing trained yet, or no slots): fresh slots.
		_, fresh, err := nn.OptimizerState(m.c.opt, params)
		if err != nil {
			return nil, err
		}
		slots = fresh
	}
	if len(slots) != len(names) {
		return nil, fmt.Errorf("the file holds optimizer state for %d slots; optimizer %s keeps %d %v", len(slots), m.c.opt.Config().ClassName, len(names), names)
	}
	return func() { _ = nn.SetOptimizerState(m.c.opt, params, iters, slots) }, nil
}

func shapeEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
