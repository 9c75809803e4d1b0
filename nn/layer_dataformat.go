package nn

import "github.com/keraswasm/keraswasm/tensor"

// Keras image layers take data_format "channels_last" (N, H, W, C), the
// default of keras.backend.image_data_format(), or "channels_first"
// (N, C, H, W). keraswasm computes in channels_last only; a channels_first
// layer transposes its input in and its output out (and the gradients
// back), which costs a copy each way but gives Keras's numbers.

const (
	channelsLast  = "channels_last"
	channelsFirst = "channels_first"
)

// readDataFormat reads Keras's data_format argument; null means the default,
// channels_last.
func readDataFormat(a *Args) string {
	return a.Choice("data_format", channelsLast, channelsLast, channelsFirst)
}

// lastFromFirst returns a channels_first shape without batch (C, d1, ..., dk)
// as channels_last (d1, ..., dk, C).
func lastFromFirst(s tensor.Shape) tensor.Shape {
	if len(s) < 2 {
		return s.Clone()
	}
	out := append(tensor.Shape(nil), s[1:]...)
	return append(out, s[0])
}

// firstFromLast is the inverse of lastFromFirst: (d1, ..., dk, C) becomes
// (C, d1, ..., dk).
func firstFromLast(s tensor.Shape) tensor.Shape {
	if len(s) < 2 {
		return s.Clone()
	}
	out := tensor.Shape{s[len(s)-1]}
	return append(out, s[:len(s)-1]...)
}

// toChannelsLast writes src (n, c, inner) into dst as (n, inner, c), where
// inner is the product of the spatial dimensions.
func toChannelsLast(dst, src []float32, n, c, inner int) {
	for b := 0; b < n; b++ {
		s := src[b*c*inner : (b+1)*c*inner]
		d := dst[b*c*inner : (b+1)*c*inner]
		for ch := 0; ch < c; ch++ {
			row := s[ch*inner : (ch+1)*inner]
			for i, v := range row {
				d[i*c+ch] = v
			}
		}
	}
}

// toChannelsFirst writes src (n, inner, c) into dst as (n, c, inner).
func toChannelsFirst(dst, src []float32, n, c, inner int) {
	for b := 0; b < n; b++ {
		s := src[b*c*inner : (b+1)*c*inner]
		d := dst[b*c*inner : (b+1)*c*inner]
		for ch := 0; ch < c; ch++ {
			row := d[ch*inner : (ch+1)*inner]
			for i := range row {
				row[i] = s[i*c+ch]
			}
		}
	}
}

// setView points view at data with the given shape, reusing view's Tensor
// and shape storage, so a reshape costs no allocation in steady state.
func setView(view *tensor.Tensor, data []float32, shape ...int) *tensor.Tensor {
	if view == nil {
		view = &tensor.Tensor{}
	}
	view.Shape = append(view.Shape[:0], shape...)
	view.Data = data
	return view
}
