package sequential

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/keraswasm/keraswasm/internal/hdf5"
	"github.com/keraswasm/keraswasm/nn"
)

// kerasOptimizerGroup is where model.weights.h5 keeps the compiled
// optimizer's variables: the model's attribute "optimizer", walked by
// keras/src/saving/saving_lib.py _save_state after its layers, and
// BaseOptimizer.save_own_variables's datasets "0", "1", ... in it.
const kerasOptimizerGroup = "optimizer/vars"

// kerasOptimizerParams returns the trained weights and their names
// ("dense/kernel") in the order Keras builds its optimizer on them
// (model.trainable_variables: layer by layer).
func (m *Model) kerasOptimizerParams() ([]*nn.Param, []string) {
	params := m.trainedParams()
	names := m.paramNames()
	out := make([]string, len(params))
	for i, p := range params {
		out[i] = names[p]
	}
	return params, out
}

// kerasOptimizerSets returns the optimizer's group and datasets for
// model.weights.h5: nn.KerasOptimizerVariables as datasets, the iteration
// count int64 (as Keras on TensorFlow writes it), the rest float32.
func (m *Model) kerasOptimizerSets() ([]string, []hdf5.Dataset, error) {
	params, names := m.kerasOptimizerParams()
	vars, err := nn.KerasOptimizerVariables(m.c.opt, params, names)
	if err != nil {
		return nil, nil, fmt.Errorf("%w; save with include_optimizer=false to leave the optimizer out", err)
	}
	sets := make([]hdf5.Dataset, len(vars))
	for i, v := range vars {
		path := kerasOptimizerGroup + "/" + strconv.Itoa(i)
		if v.DType == "int64" {
			sets[i] = hdf5.Int64Dataset(path, v.Shape, []int64{v.Int})
		} else {
			sets[i] = hdf5.Float32Dataset(path, v.Shape, v.Values)
		}
	}
	return []string{kerasOptimizerGroup}, sets, nil
}

// loadKerasOptimizer restores the compiled optimizer's state from the
// datasets of f's optimizer group, when it has any (a model saved
// uncompiled or with include_optimizer=false has none, and its optimizer
// starts fresh). Keras's load_own_variables assigns them by position
// after compile_from_config has built the optimizer.
func (m *Model) loadKerasOptimizer(f *hdf5.File) error {
	prefix := kerasOptimizerGroup + "/"
	byIndex := map[int]hdf5.Dataset{}
	for _, d := range f.Datasets {
		if !strings.HasPrefix(d.Path, prefix) {
			if strings.HasPrefix(d.Path, "optimizer/") {
				return fmt.Errorf("the weights file holds %q, which is not one of the optimizer's variables (%s<i>)", d.Path, prefix)
			}
			continue
		}
		i, err := strconv.Atoi(d.Path[len(prefix):])
		if err != nil || i < 0 || strconv.Itoa(i) != d.Path[len(prefix):] {
			return fmt.Errorf("the weights file holds %q; the optimizer's variables are named %s0, %s1, ...", d.Path, prefix, prefix)
		}
		byIndex[i] = d
	}
	if len(byIndex) == 0 {
		return nil
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	vars := make([]nn.KerasVariable, len(idx))
	for j, i := range idx {
		if i != j {
			return fmt.Errorf("the weights file's optimizer variables skip %s%d", prefix, j)
		}
		d := byIndex[i]
		v := nn.KerasVariable{DType: d.DType, Shape: append([]int{}, d.Shape...)}
		if j == 0 && !strings.HasPrefix(d.DType, "float") {
			n, err := d.Int64s()
			if err != nil {
				return err
			}
			if len(n) != 1 {
				return fmt.Errorf("optimizer variable 0 (iteration) has shape %v in the file; expected a scalar", d.Shape)
			}
			v.DType, v.Int = "int64", n[0]
		} else if j > 0 {
			if d.DType != "float32" {
				return fmt.Errorf("optimizer variable %d has dtype %s in the file; keraswasm's optimizers keep float32", j, d.DType)
			}
			vals, err := d.Float32s()
			if err != nil {
				return err
			}
			v.Values = vals
		}
		vars[j] = v
	}
	params, names := m.kerasOptimizerParams()
	return nn.SetKerasOptimizerVariables(m.c.opt, params, names, vars)
}
