package sequential

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Keras: keras/src/utils/dataset_utils.py (split_dataset, _rescale_dataset_split_sizes).

// SplitDataset is keras.utils.split_dataset over arrays that share their
// first (sample) axis, as Keras's tuple of arrays (x, y): it returns the
// left and right splits of every array, the same samples in each. Options,
// with Keras's defaults: left_size, right_size (a fraction in (0, 1) or a
// count; at least one is required, the other is the rest), shuffle (false),
// seed (null: a random one). As in Keras, left takes the first left_size
// samples and right the last right_size, so sizes that sum to less than the
// whole leave the samples between them out; a fraction is rounded half to
// even (Python's round).
//
// Porting note: Keras returns tf.data.Datasets; this returns the arrays. A
// JS number carries no int/float distinction, so an integer value is a count
// (Keras reads 1.0 as a fraction and rejects it) and any other a fraction.
// Shuffling uses the runtime's seeded generator, not numpy's: the same seed
// gives the same split here, but not numpy's order.
func SplitDataset(arrays []*tensor.Tensor, opts map[string]any, seedless func() uint64) (left, right []*tensor.Tensor, err error) {
	a := nn.NewArgs("split_dataset", opts)
	lv, lok := a.Value("left_size")
	rv, rok := a.Value("right_size")
	shuffle := a.Bool("shuffle", false)
	seed := -1
	if a.Has("seed") {
		if seed = a.Int("seed", 0); seed < 0 {
			a.Fail("seed", opts["seed"], "a non-negative integer or null")
		}
	}
	if err := a.Err(); err != nil {
		return nil, nil, err
	}
	if len(arrays) == 0 {
		return nil, nil, fmt.Errorf("split_dataset: dataset is empty; pass an array of samples, or a list of arrays such as [x, y]")
	}
	n := -1
	for i, t := range arrays {
		if t == nil || t.Rank() < 1 {
			return nil, nil, fmt.Errorf("split_dataset: array %d has no sample axis; each array needs its samples along the first axis", i)
		}
		if n >= 0 && t.Shape[0] != n {
			return nil, nil, fmt.Errorf("split_dataset: the arrays hold different numbers of samples (%d and %d, array %d); give arrays of one length, as (x, y)", n, t.Shape[0], i)
		}
		n = t.Shape[0]
	}
	if !lok && !rok {
		return nil, nil, fmt.Errorf("split_dataset: at least one of the `left_size` or `right_size` must be specified. Received: left_size=None and right_size=None")
	}
	nl, nr, err := splitSizes(lv, lok, rv, rok, n)
	if err != nil {
		return nil, nil, err
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	if shuffle {
		s := uint64(seed)
		if seed < 0 {
			s = seedless()
		}
		tensor.NewRNG(s).Shuffle(order)
	}
	for _, t := range arrays {
		left = append(left, takeRows(t, order[:nl]))
		right = append(right, takeRows(t, order[n-nr:]))
	}
	return left, right, nil
}

// splitSize is one of left_size and right_size: a count, a fraction, or absent.
type splitSize struct {
	given, fraction bool
	v               float64
}

// readSplitSize reads a size as Keras's types: an integer is a count, another number a fraction.
func readSplitSize(key string, v any, ok bool) (splitSize, error) {
	if !ok {
		return splitSize{}, nil
	}
	f, isNum := v.(float64)
	if !isNum || math.IsNaN(f) || math.IsInf(f, 0) {
		return splitSize{}, &nn.ArgError{Owner: "split_dataset", Key: key, Value: v, Want: "an integer, a float or None", Class: nn.TypeError}
	}
	return splitSize{given: true, fraction: f != math.Trunc(f), v: f}, nil
}

// splitSizes is Keras's _rescale_dataset_split_sizes: the checks in its order, then the counts.
func splitSizes(lv any, lok bool, rv any, rok bool, total int) (int, int, error) {
	l, err := readSplitSize("left_size", lv, lok)
	if err != nil {
		return 0, 0, err
	}
	r, err := readSplitSize("right_size", rv, rok)
	if err != nil {
		return 0, 0, err
	}
	if l.given && r.given && l.v == 0 && r.v == 0 {
		return 0, 0, fmt.Errorf("split_dataset: both `left_size` and `right_size` are zero. At least one of the split sizes must be non-zero")
	}
	for _, c := range []struct {
		name string
		s    splitSize
	}{{"left_size", l}, {"right_size", r}} {
		s := c.s
		if s.given && ((!s.fraction && (s.v <= 0 || s.v >= float64(total))) || (s.fraction && (s.v <= 0 || s.v >= 1))) {
			return 0, 0, fmt.Errorf("split_dataset: `%s` should be either a positive integer smaller than the total length of the dataset (%d) or a float within the range `[0, 1]`. Received: %s=%v", c.name, total, c.name, s.v)
		}
	}
	if l.fraction && r.fraction && l.v+r.v > 1 {
		return 0, 0, fmt.Errorf("split_dataset: the sum of `left_size` and `right_size` is greater than 1. It must be less than or equal to 1")
	}
	count := func(s splitSize) float64 {
		if s.fraction {
			return math.RoundToEven(s.v * float64(total)) // Python's round
		}
		return s.v
	}
	nl, nr := count(l), count(r)
	if !l.given {
		nl = float64(total) - nr
	} else if !r.given {
		nr = float64(total) - nl
	}
	if nl+nr > float64(total) {
		return 0, 0, fmt.Errorf("split_dataset: the sum of `left_size` and `right_size` should be smaller than the %d. Received: left_size + right_size = %v and total_length = %d", total, nl+nr, total)
	}
	for _, c := range []struct {
		side string
		v    float64
	}{{"left", nl}, {"right", nr}} {
		if c.v == 0 {
			return 0, 0, fmt.Errorf("split_dataset: with `dataset` of length %d, `left_size`=%v and `right_size`=%v result in an empty %s dataset split; raise the %s size", total, nl, nr, c.side, c.side)
		}
	}
	return int(nl), int(nr), nil
}

// takeRows copies the samples idx of t (samples along its first axis) into a new tensor.
func takeRows(t *tensor.Tensor, idx []int) *tensor.Tensor {
	var buf *tensor.Tensor
	var shape []int
	return gatherRows(&buf, &shape, t, idx)
}
