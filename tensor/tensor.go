package tensor

import "fmt"

// Tensor is a dense float32 array in row-major order.
//
// Data holds exactly Shape.Size() elements. Several tensors may share one
// Data slice (see Reshape); writing through one is seen by the others.
type Tensor struct {
	Shape Shape
	Data  []float32
}

// New returns a zeroed tensor of the given shape.
func New(shape ...int) *Tensor {
	s := Shape(shape).Clone()
	if s == nil {
		s = Shape{}
	}
	for _, d := range s {
		if d < 0 {
			panic(fmt.Sprintf("tensor: New with negative dimension in %v", s))
		}
	}
	return &Tensor{Shape: s, Data: make([]float32, s.Size())}
}

// FromSlice wraps data (without copying) in a tensor of the given shape.
// It panics if len(data) is not the shape's size.
func FromSlice(data []float32, shape ...int) *Tensor {
	s := Shape(shape).Clone()
	if s == nil {
		s = Shape{}
	}
	if s.Size() != len(data) {
		panic(fmt.Sprintf("tensor: FromSlice with %d values for shape %v (%d values)", len(data), s, s.Size()))
	}
	return &Tensor{Shape: s, Data: data}
}

// Size returns the number of elements.
func (t *Tensor) Size() int { return len(t.Data) }

// Rank returns the number of dimensions.
func (t *Tensor) Rank() int { return len(t.Shape) }

// Dim returns dimension i; negative i counts from the end (-1 is the last).
func (t *Tensor) Dim(i int) int {
	if i < 0 {
		i += len(t.Shape)
	}
	return t.Shape[i]
}

// Reshape returns a view of t with a new shape over the same data. One
// dimension may be -1; it is inferred. It panics if the sizes differ.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	s := Shape(shape).Clone()
	infer, known := -1, 1
	for i, d := range s {
		if d == -1 {
			if infer >= 0 {
				panic("tensor: Reshape with more than one -1")
			}
			infer = i
			continue
		}
		known *= d
	}
	if infer >= 0 && known > 0 {
		s[infer] = len(t.Data) / known
	}
	if s.Size() != len(t.Data) {
		panic(fmt.Sprintf("tensor: Reshape of %v (%d values) to %v", t.Shape, len(t.Data), Shape(shape)))
	}
	return &Tensor{Shape: s, Data: t.Data}
}

// Clone returns a deep copy of t.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: t.Shape.Clone(), Data: append([]float32(nil), t.Data...)}
}

// Zero sets every element to 0.
func (t *Tensor) Zero() { clear(t.Data) }

// Fill sets every element to v.
func (t *Tensor) Fill(v float32) {
	for i := range t.Data {
		t.Data[i] = v
	}
}

// CopyFrom copies src's values into t. It panics if the sizes differ.
func (t *Tensor) CopyFrom(src *Tensor) {
	if len(src.Data) != len(t.Data) {
		panic(fmt.Sprintf("tensor: CopyFrom %v into %v", src.Shape, t.Shape))
	}
	copy(t.Data, src.Data)
}

// Rows returns the view of rows [lo, hi) along the first dimension, sharing
// data with t. It is how a batch is cut from a dataset without copying.
func (t *Tensor) Rows(lo, hi int) *Tensor {
	if len(t.Shape) == 0 || lo < 0 || hi > t.Shape[0] || lo > hi {
		panic(fmt.Sprintf("tensor: Rows(%d, %d) of %v", lo, hi, t.Shape))
	}
	stride := 1
	if t.Shape[0] > 0 {
		stride = len(t.Data) / t.Shape[0]
	}
	s := t.Shape.Clone()
	s[0] = hi - lo
	return &Tensor{Shape: s, Data: t.Data[lo*stride : hi*stride]}
}

// Ensure returns a tensor of the given shape for use as a reusable buffer:
// buf itself (reshaped in place) when its storage is large enough, otherwise
// a new zeroed tensor. The contents are unspecified. Layers keep the result
// and pass it back next step, so a steady-state step allocates nothing.
func Ensure(buf *Tensor, shape ...int) *Tensor {
	n := 1
	for _, d := range shape {
		n *= d
	}
	if buf == nil || cap(buf.Data) < n {
		return New(shape...)
	}
	buf.Data = buf.Data[:n]
	buf.Shape = append(buf.Shape[:0], shape...)
	return buf
}
