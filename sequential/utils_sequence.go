package sequential

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Keras: keras/src/utils/sequence_utils.py (pad_sequences).

// utilsMaxValues caps what a utility may make at 2 GiB of float32, the
// runtime's memory budget for one tensor (keras.utils.to_categorical's cap too).
const utilsMaxValues = 1 << 29

// PadSequences is keras.utils.pad_sequences: it makes a (len(sequences),
// maxlen) tensor of the sequences, each truncated to maxlen and padded with
// value, and returns it with its dtype tag. sequences are lists of numbers
// (decoded JSON: []any of []any of float64). Options, with Keras's defaults:
// maxlen (the longest sequence), dtype ("int32"), padding ("pre"),
// truncating ("pre"), value (0.0).
//
// Porting note: Keras's default dtype is int32, which truncates every value
// (and value itself) toward zero, as numpy's cast does; tensors here hold
// float32, so "int32" is kept as a tag on float32 integers. Sequences of
// vectors (sample_shape != ()) are not implemented.
func PadSequences(sequences any, opts map[string]any) (*tensor.Tensor, string, error) {
	a := nn.NewArgs("pad_sequences", opts)
	maxlen, hasMax := 0, a.Has("maxlen")
	if hasMax {
		// A non-integer is failed by Int, which then returns its default, 1.
		if maxlen = a.Int("maxlen", 1); maxlen < 1 {
			a.Fail("maxlen", opts["maxlen"], "a positive integer or null (the longest sequence)")
		}
	}
	dtype := a.Choice("dtype", "int32", "int32", "float32")
	padding := a.Choice("padding", "pre", "pre", "post")
	truncating := a.Choice("truncating", "pre", "pre", "post")
	value := a.Float("value", 0)
	if err := a.Err(); err != nil {
		return nil, "", err
	}
	rows, err := sequenceRows(sequences)
	if err != nil {
		return nil, "", err
	}
	if !hasMax {
		for _, r := range rows {
			maxlen = max(maxlen, len(r))
		}
	}
	if n := len(rows) * maxlen; maxlen > 0 && (n/maxlen != len(rows) || n > utilsMaxValues) {
		return nil, "", fmt.Errorf("the result would hold %d × %d values, more than the %d a tensor may hold; lower maxlen", len(rows), maxlen, utilsMaxValues)
	}
	cast := func(v float64) float32 { return float32(v) }
	if dtype == "int32" {
		cast = func(v float64) float32 { return float32(math.Trunc(v)) }
	}
	out := tensor.New(len(rows), maxlen)
	pad := cast(value)
	for i := range out.Data {
		out.Data[i] = pad
	}
	for i, s := range rows {
		if len(s) > maxlen { // truncating "pre" keeps the last maxlen values, "post" the first
			if truncating == "pre" {
				s = s[len(s)-maxlen:]
			} else {
				s = s[:maxlen]
			}
		}
		row := out.Data[i*maxlen : (i+1)*maxlen]
		if padding == "pre" {
			row = row[maxlen-len(s):]
		}
		for j, v := range s {
			row[j] = cast(v)
		}
	}
	return out, dtype, nil
}

// sequenceRows reads sequences: a list of lists of finite numbers.
func sequenceRows(sequences any) ([][]float64, error) {
	list, ok := sequences.([]any)
	if !ok {
		return nil, fmt.Errorf("sequences must be a list of sequences (lists of numbers). Received: %s", describeJSON(sequences))
	}
	rows := make([][]float64, len(list))
	total := 0
	for i, s := range list {
		seq, ok := s.([]any)
		if !ok {
			return nil, fmt.Errorf("sequences must be a list of iterables. Found non-iterable: %s at position %d", describeJSON(s), i)
		}
		total += len(seq)
		if total > utilsMaxValues {
			return nil, fmt.Errorf("the sequences hold more than %d values in all; pass fewer", utilsMaxValues)
		}
		rows[i] = make([]float64, len(seq))
		for j, v := range seq {
			f, ok := v.(float64)
			if !ok {
				if _, nested := v.([]any); nested {
					return nil, &nn.NotImplemented{What: fmt.Sprintf("pad_sequences of sequences of vectors (sequence %d holds a list at position %d)", i, j),
						Hint: "pass sequences of numbers (token ids)"}
				}
				return nil, fmt.Errorf("sequence %d holds %s at position %d; sequences must hold numbers", i, describeJSON(v), j)
			}
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("sequence %d holds %v at position %d; sequences must hold finite numbers", i, f, j)
			}
			rows[i][j] = f
		}
	}
	return rows, nil
}
