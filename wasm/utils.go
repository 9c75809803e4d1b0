package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// PadSequences is keras.utils.pad_sequences: argsJSON holds the sequences
// (lists of numbers, which no tensor can carry: they are ragged) under
// "sequences" and the keyword arguments beside them. It returns the padded
// tensor and its dtype tag (sequential.PadSequences).
func PadSequences(argsJSON string) (out *tensor.Tensor, dtype string, err error) {
	const op = "pad_sequences"
	defer guard(op, &err)
	var m map[string]any
	if err := json.Unmarshal([]byte(argsJSON), &m); err != nil || m == nil {
		return nil, "", fmt.Errorf("%s: the arguments must be a JSON object with the sequences", op)
	}
	seqs, ok := m["sequences"]
	if !ok {
		return nil, "", fmt.Errorf("%s: sequences is required: a list of lists of numbers", op)
	}
	delete(m, "sequences")
	out, dtype, err = sequential.PadSequences(seqs, m)
	return out, dtype, wrap(op, err)
}

// Normalize is keras.utils.normalize of x with the options in optsJSON
// (axis, order; sequential.Normalize).
func Normalize(x *tensor.Tensor, optsJSON string) (out *tensor.Tensor, err error) {
	const op = "normalize"
	defer guard(op, &err)
	m, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, err
	}
	if x == nil {
		return nil, fmt.Errorf("%s: x is required", op)
	}
	out, err = sequential.Normalize(x, m)
	return out, wrap(op, err)
}

// SplitDataset is keras.utils.split_dataset of arrays that share their
// sample axis ((x, y)), with the options in optsJSON (left_size,
// right_size, shuffle, seed; sequential.SplitDataset). Without a seed, a
// shuffle draws one from Go's random source, as Keras draws one at random.
func SplitDataset(arrays []*tensor.Tensor, optsJSON string) (left, right []*tensor.Tensor, err error) {
	const op = "split_dataset"
	defer guard(op, &err)
	m, err := decodeOptions(op, optsJSON)
	if err != nil {
		return nil, nil, err
	}
	left, right, err = sequential.SplitDataset(arrays, m, rand.Uint64)
	return left, right, wrap(op, err)
}
