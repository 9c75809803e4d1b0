package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
)

// FuzzWindowLayers: Conv2D and MaxPooling2D with any window, strides,
// dilation, padding and data format, on any input shape, through the same
// checks as FuzzLayerConfig. The arguments are fuzzed as numbers rather than
// JSON text, so the exploration reaches the window arithmetic quickly.
func FuzzWindowLayers(f *testing.F) {
	f.Add(true, int64(2), int64(3), int64(3), int64(1), int64(1), int64(1), int64(1), true, false, int64(5), int64(5), int64(2), uint8(2))
	f.Add(true, int64(1), int64(2), int64(2), int64(1), int64(1), int64(3), int64(3), true, true, int64(1), int64(1), int64(1), uint8(1))
	f.Add(false, int64(0), int64(2), int64(3), int64(3), int64(1), int64(1), int64(1), false, false, int64(-1), int64(7), int64(3), uint8(1))
	f.Add(false, int64(0), int64(3), int64(3), int64(5), int64(5), int64(1), int64(1), true, true, int64(2), int64(4), int64(4), uint8(0))
	f.Add(true, int64(1), int64(1<<30), int64(1), int64(1), int64(1), int64(1<<30), int64(1), true, false, int64(-1), int64(3), int64(1), uint8(1))
	f.Fuzz(func(t *testing.T, conv bool, filters, kh, kw, sh, sw, dh, dw int64, same, first bool, d0, d1, d2 int64, batch uint8) {
		m := map[string]any{"padding": "valid", "data_format": "channels_last", "strides": []any{float64(sh), float64(sw)}}
		if same {
			m["padding"] = "same"
		}
		if first {
			m["data_format"] = "channels_first"
		}
		class := "MaxPooling2D"
		if conv {
			class = "Conv2D"
			m["filters"], m["kernel_size"] = float64(filters), []any{float64(kh), float64(kw)}
			m["dilation_rate"] = []any{float64(dh), float64(dw)}
		} else {
			m["pool_size"] = []any{float64(kh), float64(kw)}
		}
		l, err := NewLayer(Config{ClassName: class, Config: m})
		if err != nil {
			fzErr(t, err)
			return
		}
		fzExerciseLayer(t, l, tensor.Shape{int(d0), int(d1), int(d2)}, int(batch%3), uint64(kh))
	})
}
