package sequential

import (
	"math"
	"strconv"
	"strings"
)

// pyFloat writes v as Python's repr(float) (and str of a numpy float64):
// the shortest digits that read back as v, "0.1", "100.0", "1e-05",
// "1.5e+16", "nan", "inf". CSVLogger and the callbacks' messages use it so
// that their text is Keras's.
func pyFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	if v == 0 {
		if math.Signbit(v) {
			return "-0.0"
		}
		return "0.0"
	}
	exp := int(math.Floor(math.Log10(math.Abs(v))))
	// Rounding to the shortest digits may carry into the next power of ten.
	e := strconv.FormatFloat(v, 'e', -1, 64)
	if k := strings.IndexByte(e, 'e'); k >= 0 {
		if n, err := strconv.Atoi(e[k+1:]); err == nil {
			exp = n
		}
	}
	if exp < -4 || exp >= 16 {
		mant, ex, _ := strings.Cut(e, "e")
		sign := ex[0]
		digits := strings.TrimLeft(ex[1:], "0")
		if len(digits) < 2 {
			digits = strings.Repeat("0", 2-len(digits)) + digits
		}
		return mant + "e" + string(sign) + digits
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(s, ".") {
		s += ".0"
	}
	return s
}
