package tensor

import (
	"strconv"
	"strings"
)

// Shape is the list of a tensor's dimensions, outermost first.
type Shape []int

// Size returns the number of elements a tensor of this shape holds
// (1 for the empty shape, a scalar).
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Equal reports whether s and o have the same dimensions.
func (s Shape) Equal(o Shape) bool {
	if len(s) != len(o) {
		return false
	}
	for i := range s {
		if s[i] != o[i] {
			return false
		}
	}
	return true
}

// Clone returns a copy of s that shares nothing with it.
func (s Shape) Clone() Shape {
	if s == nil {
		return nil
	}
	return append(Shape(nil), s...)
}

// String formats s the way Keras prints shapes: "(2, 3)", "(5,)", "()".
// A negative dimension stands for an unknown one and prints as None.
func (s Shape) String() string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		if d < 0 {
			b.WriteString("None")
		} else {
			b.WriteString(strconv.Itoa(d))
		}
	}
	if len(s) == 1 {
		b.WriteByte(',')
	}
	b.WriteByte(')')
	return b.String()
}
