package sequential

// fzShapeClasses are the pooling, reshaping, noise and activation layers
// that fzLayer also picks; fzShapeLayer writes their arguments.
var fzShapeClasses = []string{"AveragePooling2D", "MaxPooling1D", "AveragePooling1D",
	"GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D",
	"Reshape", "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D", "Cropping1D", "Cropping2D", "UpSampling1D", "UpSampling2D",
	"GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D", "SpatialDropout2D", "ActivityRegularization",
	"PReLU", "ThresholdedReLU"}

// fzShapeLayer fills c, the config of one of fzShapeClasses, from the next
// decisions.
func fzShapeLayer(r *fzBytes, class string, c map[string]any) {
	switch class {
	case "AveragePooling2D", "MaxPooling1D", "AveragePooling1D":
		c["pool_size"] = 1 + r.next()%3
		c["strides"] = pick[any](r, nil, 1, 2)
		c["padding"] = pick(r, "valid", "same")
		c["data_format"] = pick(r, "channels_last", "channels_first")
	case "GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D":
		c["data_format"] = pick(r, "channels_last", "channels_first")
		c["keepdims"] = r.next()%2 == 0
	case "Reshape":
		c["target_shape"] = pick[any](r, []any{-1}, []any{-1, 2}, []any{2, -1, 1}, []any{4})
	case "Permute":
		c["dims"] = pick[any](r, []any{1}, []any{2, 1}, []any{3, 1, 2})
	case "RepeatVector":
		c["n"] = 1 + r.next()%3
	case "ZeroPadding1D", "ZeroPadding2D", "Cropping1D", "Cropping2D":
		key := "padding"
		if class[0] == 'C' {
			key = "cropping"
		}
		c[key] = pick[any](r, 0, 1, []any{1, 0}, []any{[]any{0, 1}, []any{1, 0}})
		if class != "Cropping1D" {
			c["data_format"] = pick(r, "channels_last", "channels_first")
		}
	case "UpSampling1D":
		c["size"] = 1 + r.next()%3
	case "UpSampling2D":
		c["size"] = pick[any](r, 1, 2, []any{1, 2})
		c["data_format"] = pick(r, "channels_last", "channels_first")
		c["interpolation"] = pick(r, "nearest", "bilinear")
	case "GaussianNoise":
		c["stddev"] = pick(r, 0.0, 0.1, 1.0)
	case "GaussianDropout", "AlphaDropout", "SpatialDropout1D", "SpatialDropout2D":
		c["rate"] = float64(r.next()%10) / 10
		if class == "SpatialDropout2D" {
			c["data_format"] = pick(r, "channels_last", "channels_first")
		}
	case "ActivityRegularization":
		c["l1"], c["l2"] = pick(r, 0.0, 0.01), pick(r, 0.0, 0.1)
	case "PReLU":
		c["shared_axes"] = pick[any](r, nil, 1, []any{1, 2})
		c["alpha_initializer"] = pick(r, "zeros", "ones", "glorot_uniform")
	case "ThresholdedReLU":
		c["theta"] = pick(r, 0.0, 1.0)
	}
}
