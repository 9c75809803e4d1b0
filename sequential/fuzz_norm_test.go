package sequential

// fzNormLayer writes the config of a BatchNormalization, a
// LayerNormalization or one of the convolutions beside Conv2D (Conv1D,
// SeparableConv1D, DepthwiseConv1D, Conv1DTranspose, DepthwiseConv2D,
// SeparableConv2D, Conv2DTranspose) for one decision in eight, and nil
// otherwise (fzLayer then picks another class).
func fzNormLayer(r *fzBytes) map[string]any {
	if r.next()%8 != 0 {
		return nil
	}
	if r.next()%4 == 0 {
		class := pick(r, "DepthwiseConv2D", "SeparableConv2D", "Conv2DTranspose")
		cfg := map[string]any{
			"kernel_size": 1 + r.next()%3, "strides": 1 + r.next()%2, "depth_multiplier": 1 + r.next()%3,
			"padding": pick(r, "valid", "same"), "data_format": pick(r, "channels_last", "channels_first"),
			"activation": pick(r, fzActivations...)}
		if class != "DepthwiseConv2D" {
			cfg["filters"] = r.size()
		}
		if class == "Conv2DTranspose" {
			delete(cfg, "depth_multiplier")
		}
		return map[string]any{"class_name": class, "config": cfg}
	}
	if r.next()%3 == 0 {
		if class := pick(r, "Conv1D", "SeparableConv1D", "DepthwiseConv1D", "Conv1DTranspose"); class != "Conv1D" {
			cfg := map[string]any{"kernel_size": 1 + r.next()%3, "strides": 1 + r.next()%2,
				"padding": pick(r, "valid", "same"), "data_format": pick(r, "channels_last", "channels_first")}
			if class != "DepthwiseConv1D" {
				cfg["filters"] = r.size()
			}
			return map[string]any{"class_name": class, "config": cfg}
		}
		return map[string]any{"class_name": "Conv1D", "config": map[string]any{
			"filters": r.size(), "kernel_size": 1 + r.next()%3, "strides": 1 + r.next()%2,
			"padding": pick(r, "valid", "same", "causal"), "data_format": pick(r, "channels_last", "channels_first"),
			"activation": pick(r, fzActivations...)}}
	}
	c := map[string]any{"axis": pick[any](r, -1, 1, []any{-1}), "center": r.next()%2 == 0, "scale": r.next()%2 == 0}
	if pick(r, true, false) {
		c["momentum"] = pick(r, 0.99, 0.5, 0.0)
		return map[string]any{"class_name": "BatchNormalization", "config": c}
	}
	return map[string]any{"class_name": "LayerNormalization", "config": c}
}
