package tensor

// FirstNonFinite returns the index of the first NaN or ±Inf in x, or −1
// when every value is finite: the scan that refuses bad training data
// before a fit, over the whole data set.
func FirstNonFinite(x []float32) int {
	if simdOK {
		return firstNonFiniteSIMD(x)
	}
	return firstNonFiniteGo(x)
}

func firstNonFiniteGo(x []float32) int {
	for i, v := range x {
		if v-v != 0 { // NaN or ±Inf: one subtraction per value keeps the scan cheap
			return i
		}
	}
	return -1
}
