package tensor

import (
	"math"
	"math/rand/v2"
)

// smoothSpecials are the inputs where Sigmoid's and Tanh's branches turn:
// ±0, ±Inf, NaNs, denormals, the x ≥ 0 branch of the sigmoid, |x| around
// exp's near-zero cut 2^-28, tanh's 0.625 and 44.01 (0.5·log 2^127) cuts,
// sigmoids whose exp(−|x|) is denormal or underflows (|x| near 708 and
// 745, beyond float32's exp range), and float32's extremes.
func smoothSpecials() []float32 {
	xs := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.Inf(-1)),
		float32(math.NaN()), math.Float32frombits(0x7fc00001), math.Float32frombits(0xffa00000),
		1e-45, -1e-45, 1e-40, -1e-40, 1e-38, -1e-38, math.MaxFloat32, -math.MaxFloat32,
		1, -1, 0.5, -0.5, 20, -20, 88.7, -88.7, 103.9, -103.9, 708.3, -708.3, 708.4, -708.4,
		744.4, -744.4, 745.1, -745.1, 745.2, -745.2, 1e4, -1e4, 1e30, -1e30}
	for _, c := range []float32{1.0 / (1 << 28), 0.625, 44.014845965556527, 22.007423, 1.0 / (1 << 14)} {
		for _, v := range []float32{c, math.Nextafter32(c, 0), math.Nextafter32(c, 100)} {
			xs = append(xs, v, -v)
		}
	}
	return xs
}

// smoothInputs is smoothSpecials followed by n values: normal values at
// scales 1, 10 and 100 and random bit patterns (every exponent, NaNs, Infs).
func smoothInputs(r *rand.Rand, n int) []float32 {
	xs := smoothSpecials()
	for i := range n {
		switch i % 4 {
		case 0:
			xs = append(xs, float32(r.NormFloat64()))
		case 1:
			xs = append(xs, float32(r.NormFloat64()*10))
		case 2:
			xs = append(xs, float32(r.NormFloat64()*100))
		default:
			xs = append(xs, math.Float32frombits(r.Uint32()))
		}
	}
	return xs
}
