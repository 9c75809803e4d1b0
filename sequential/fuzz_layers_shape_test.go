package sequential

// fzShapeClasses are the pooling, reshaping, noise and activation layers
// that fzLayer also picks; fzShapeLayer writes their arguments.
var fzShapeClasses = []string{"AveragePooling2D", "MaxPooling1D", "AveragePooling1D",
	"GlobalAveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling1D", "GlobalMaxPooling1D"}

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
	}
}
