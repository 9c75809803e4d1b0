package hdf5

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Dataset is one n-dimensional array at a slash-separated path such as
// "layers/dense/vars/0". Data holds the elements in C (row-major) order,
// little-endian, len(Data) == product(Shape) * DTypeSize(DType).
type Dataset struct {
	Path  string
	DType string // "float16", "float32", "float64", "int8".."int64", "uint8".."uint64"
	Shape []int  // empty for a scalar
	Data  []byte
}

// DTypeSize is the size in bytes of one element of dtype, or 0 if the
// dtype is not one this package reads and writes.
func DTypeSize(dtype string) int {
	switch dtype {
	case "int8", "uint8":
		return 1
	case "float16", "int16", "uint16":
		return 2
	case "float32", "int32", "uint32":
		return 4
	case "float64", "int64", "uint64":
		return 8
	}
	return 0
}

// Float32Dataset makes a float32 dataset of shape from values.
func Float32Dataset(path string, shape []int, values []float32) Dataset {
	b := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
	return Dataset{Path: path, DType: "float32", Shape: append([]int(nil), shape...), Data: b}
}

// Int64Dataset makes an int64 dataset of shape from values (Keras stores an
// optimizer's iteration count this way).
func Int64Dataset(path string, shape []int, values []int64) Dataset {
	b := make([]byte, 8*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(v))
	}
	return Dataset{Path: path, DType: "int64", Shape: append([]int(nil), shape...), Data: b}
}

// Size is the number of elements, product(Shape).
func (d Dataset) Size() int {
	n := 1
	for _, s := range d.Shape {
		n *= s
	}
	return n
}

// Float32s returns the elements as float32, converting from float16,
// float64 or an integer type (Keras casts to the variable's dtype on load).
func (d Dataset) Float32s() ([]float32, error) {
	es := DTypeSize(d.DType)
	if es == 0 || len(d.Data) != d.Size()*es {
		return nil, fmt.Errorf("dataset %q: %d bytes do not hold %d elements of dtype %s", d.Path, len(d.Data), d.Size(), d.DType)
	}
	out := make([]float32, d.Size())
	le := binary.LittleEndian
	for i := range out {
		b := d.Data[i*es:]
		switch d.DType {
		case "float32":
			out[i] = math.Float32frombits(le.Uint32(b))
		case "float64":
			out[i] = float32(math.Float64frombits(le.Uint64(b)))
		case "float16":
			out[i] = halfToFloat(le.Uint16(b))
		case "int8":
			out[i] = float32(int8(b[0]))
		case "uint8":
			out[i] = float32(b[0])
		case "int16":
			out[i] = float32(int16(le.Uint16(b)))
		case "uint16":
			out[i] = float32(le.Uint16(b))
		case "int32":
			out[i] = float32(int32(le.Uint32(b)))
		case "uint32":
			out[i] = float32(le.Uint32(b))
		case "int64":
			out[i] = float32(int64(le.Uint64(b)))
		case "uint64":
			out[i] = float32(le.Uint64(b))
		}
	}
	return out, nil
}

// halfToFloat widens an IEEE 754 binary16 value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	case exp == 31:
		return math.Float32frombits(sign | 0x7f800000 | frac<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
}

// Int64s returns the elements of an integer dataset as int64 (Keras stores
// an optimizer's iteration count as int64, or int32 on JAX and PyTorch); a
// uint64 above the int64 range and a float dataset are errors.
func (d Dataset) Int64s() ([]int64, error) {
	es := DTypeSize(d.DType)
	if es == 0 || len(d.Data) != d.Size()*es {
		return nil, fmt.Errorf("dataset %q: %d bytes do not hold %d elements of dtype %s", d.Path, len(d.Data), d.Size(), d.DType)
	}
	out := make([]int64, d.Size())
	le := binary.LittleEndian
	for i := range out {
		b := d.Data[i*es:]
		switch d.DType {
		case "int8":
			out[i] = int64(int8(b[0]))
		case "uint8":
			out[i] = int64(b[0])
		case "int16":
			out[i] = int64(int16(le.Uint16(b)))
		case "uint16":
			out[i] = int64(le.Uint16(b))
		case "int32":
			out[i] = int64(int32(le.Uint32(b)))
		case "uint32":
			out[i] = int64(le.Uint32(b))
		case "int64":
			out[i] = int64(le.Uint64(b))
		case "uint64":
			u := le.Uint64(b)
			if u > math.MaxInt64 {
				return nil, fmt.Errorf("dataset %q: %d does not fit an int64", d.Path, u)
			}
			out[i] = int64(u)
		default:
			return nil, fmt.Errorf("dataset %q has dtype %s; expected an integer dtype", d.Path, d.DType)
		}
	}
	return out, nil
}
