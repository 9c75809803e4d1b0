package nn

// VarGroup is one object of Keras 3's weights file (model.weights.h5) that
// saves variables for a layer: Path is where it sits below the layer's own
// group ("" for the layer itself, "cell" for a recurrent layer's cell,
// "forward_layer/cell" in a Bidirectional), Params its variables in order.
// Keras 3 walks a layer's attributes (saving_lib._save_state), so a
// recurrent layer's variables are its cell's, and a wrapper's are its
// wrapped layers'.
type VarGroup struct {
	Path   string
	Params []*Param
}

// varGrouper is implemented by layers whose variables Keras 3 keeps in
// nested objects.
type varGrouper interface {
	varGroups() []VarGroup
}

// KerasVarGroups returns the groups of Keras 3's weights file that layer l
// fills, the layer's own first; a plain layer has one, its own.
func KerasVarGroups(l Layer) []VarGroup {
	if g, ok := l.(varGrouper); ok {
		return g.varGroups()
	}
	return []VarGroup{{Path: "", Params: l.Params()}}
}

// nested returns l's groups below path.
func nested(path string, l Layer) []VarGroup {
	var out []VarGroup
	for _, g := range KerasVarGroups(l) {
		p := path
		if g.Path != "" {
			p += "/" + g.Path
		}
		out = append(out, VarGroup{Path: p, Params: g.Params})
	}
	return out
}

// varGroups: the RNN layer has no variables of its own; its cell has them
// (Keras 3: RNN.cell).
func (r *Recurrent) varGroups() []VarGroup {
	return []VarGroup{{Path: ""}, {Path: "cell", Params: r.Params()}}
}

// varGroups: Keras 3's Bidirectional keeps backward_layer and forward_layer
// (the attributes in the order Keras walks them, sorted).
func (w *Bidirectional) varGroups() []VarGroup {
	out := []VarGroup{{Path: ""}}
	out = append(out, nested("backward_layer", w.backward)...)
	return append(out, nested("forward_layer", w.layer)...)
}

// varGroups: Keras 3's TimeDistributed keeps the wrapped layer as layer.
func (w *TimeDistributed) varGroups() []VarGroup {
	return append([]VarGroup{{Path: ""}}, nested("layer", w.layer)...)
}
