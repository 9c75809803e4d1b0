package main

import (
	"fmt"

	"github.com/keraswasm/keraswasm/internal/idx"
)

// MNISTSplit is one split of keras.datasets.mnist (train or test) as its
// IDX files hold it: Count images of Rows×Cols unsigned-byte pixels,
// row-major, and one label byte per image.
type MNISTSplit struct {
	Count, Rows, Cols int
	Pixels, Labels    []byte
}

// ReadMNISTSplit parses one split of MNIST from the bytes of its two IDX
// files (plain or gzipped; names are the files' names, for messages) and
// checks that they pair: images of rank 3, labels of rank 1, one label per
// image. The values it makes are reserved from the runtime's budget until
// release is called (after they are copied out).
func (r *Runtime) ReadMNISTSplit(images []byte, imagesName string, labels []byte, labelsName string) (s *MNISTSplit, release func(), err error) {
	const op = "mnist.load_data"
	defer guard(op, &err)
	limit := r.budget.Limit()
	read := func(b []byte, name string, rank int, what string) (*idx.File, error) {
		f, err := idx.Read(b, limit)
		if err != nil {
			return nil, &callError{op: op, err: fmt.Errorf("%s: %w", name, err)}
		}
		if len(f.Dims) != rank {
			return nil, &callError{op: op, err: fmt.Errorf("%s: expected %s, an IDX file of %d dimensions, but it has %d (dimensions %v); check that the files are not swapped", name, what, rank, len(f.Dims), f.Dims)}
		}
		return f, nil
	}
	img, err := read(images, imagesName, 3, "images (count, rows, cols)")
	if err != nil {
		return nil, nil, err
	}
	lab, err := read(labels, labelsName, 1, "labels (count)")
	if err != nil {
		return nil, nil, err
	}
	if img.Dims[0] != lab.Dims[0] {
		return nil, nil, &callError{op: op, err: fmt.Errorf("%s holds %d images but %s holds %d labels; expected one label per image (the two files of one split)", imagesName, img.Dims[0], labelsName, lab.Dims[0])}
	}
	release, err = r.reserve(op, fmt.Sprintf("the %d images of %s", img.Dims[0], imagesName), float64(len(img.Data)+len(lab.Data)))
	if err != nil {
		return nil, nil, err
	}
	return &MNISTSplit{Count: img.Dims[0], Rows: img.Dims[1], Cols: img.Dims[2], Pixels: img.Data, Labels: lab.Data}, release, nil
}
