package sequential

// fzRecurrentLayer returns, one time in eight, a recurrent, masking or
// wrapper layer config from the next decisions (nil otherwise), so that
// FuzzModelLayers reaches masks (and their refusals), stateful layers
// without a batch size, and the wrappers.
func fzRecurrentLayer(r *fzBytes) map[string]any {
	if r.next()%8 != 0 {
		return nil
	}
	class := pick(r, "Embedding", "Masking", "SimpleRNN", "LSTM", "GRU", "Bidirectional", "TimeDistributed")
	c := map[string]any{}
	switch class {
	case "Embedding":
		c["input_dim"] = r.size()
		c["output_dim"] = r.size()
		c["mask_zero"] = r.next()%2 == 0
	case "Masking":
		c["mask_value"] = pick(r, 0.0, 1.0)
	case "Bidirectional":
		c["layer"] = fzCell(r)
		c["merge_mode"] = pick(r, "concat", "sum", "mul", "ave")
	case "TimeDistributed":
		c["layer"] = map[string]any{"class_name": "Dense", "config": map[string]any{"units": r.size()}}
	default:
		return fzCellOf(r, class)
	}
	return map[string]any{"class_name": class, "config": c}
}

// fzCell returns a SimpleRNN, LSTM or GRU config.
func fzCell(r *fzBytes) map[string]any {
	return fzCellOf(r, pick(r, "SimpleRNN", "LSTM", "GRU"))
}

func fzCellOf(r *fzBytes, class string) map[string]any {
	flags := r.next()
	c := map[string]any{"units": r.size(), "return_sequences": flags&1 != 0, "go_backwards": flags&2 != 0,
		"stateful": flags&4 != 0 && flags&8 != 0}
	if flags&16 != 0 {
		c["dropout"], c["recurrent_dropout"] = 0.2, 0.3
	}
	if class == "GRU" {
		c["reset_after"] = flags&32 == 0
	}
	return map[string]any{"class_name": class, "config": c}
}
