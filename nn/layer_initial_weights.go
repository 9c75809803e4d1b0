package nn

import "fmt"

// configMap is c as the dict a nested config is in Keras's JSON
// ({"class_name": ..., "config": {...}}), as a wrapper's "layer".
func configMap(c Config) map[string]any {
	return map[string]any{"class_name": c.ClassName, "config": c.Config}
}

// readInitialWeights reads the weights argument (Keras 2's initial weights
// of a layer, in get_weights order): a list of arrays, each nested lists of
// numbers or a flat list. It returns nil when absent.
func readInitialWeights(a *Args) [][]float32 {
	v, ok := a.Value("weights")
	if !ok {
		return nil
	}
	list, isList := v.([]any)
	if !isList {
		a.Fail("weights", v, "a list of weight arrays in get_weights order")
		return nil
	}
	out := make([][]float32, len(list))
	for i, e := range list {
		var flat []float32
		if !flattenNumbers(e, &flat) {
			a.Fail("weights", fmt.Sprintf("entry %d", i), "a list of weight arrays (nested lists of numbers)")
			return nil
		}
		out[i] = flat
	}
	return out
}

// flattenNumbers appends the numbers of nested lists v to dst.
func flattenNumbers(v any, dst *[]float32) bool {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if !flattenNumbers(e, dst) {
				return false
			}
		}
		return true
	case []float32:
		*dst = append(*dst, x...)
		return true
	case float64:
		*dst = append(*dst, float32(x))
		return true
	case float32:
		*dst = append(*dst, x)
		return true
	case int:
		*dst = append(*dst, float32(x))
		return true
	}
	return false
}

// assignInitial copies the initial weights into ps, checking their count
// and sizes as Keras's set_weights does.
func assignInitial(class string, ps []*Param, w [][]float32) error {
	if len(w) != len(ps) {
		return fmt.Errorf("%s: the weights argument holds %d arrays, but the layer was expecting %d weights (forward then backward: %s)",
			class, len(w), len(ps), weightNames(ps))
	}
	for i, p := range ps {
		if len(w[i]) != len(p.Value.Data) {
			return fmt.Errorf("%s: weights[%d] (%s) has %d values; the layer expects shape %v (%d values)",
				class, i, p.Name, len(w[i]), p.Value.Shape, len(p.Value.Data))
		}
	}
	for i, p := range ps {
		copy(p.Value.Data, w[i])
	}
	return nil
}

func weightNames(ps []*Param) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.Name
	}
	return s
}
