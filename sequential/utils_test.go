package sequential

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonValue reads a JSON literal as the wasm door hands it over.
func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}

// kerasPad is Keras's pad_sequences loop (sequence_utils.py) for sequences of numbers, written
// as Keras writes it: np.full((n, maxlen), value, dtype), trunc = s[-maxlen:] or s[:maxlen],
// then x[i, -len(trunc):] = trunc or x[i, :len(trunc)] = trunc; int32 truncates toward zero.
func kerasPad(seqs [][]float64, maxlen int, intDtype bool, padding, truncating string, value float64) [][]float64 {
	cast := func(v float64) float64 {
		if intDtype {
			return math.Trunc(v)
		}
		return float64(float32(v))
	}
	if maxlen < 0 {
		for _, s := range seqs {
			maxlen = max(maxlen, len(s))
		}
	}
	x := make([][]float64, len(seqs))
	for i, s := range seqs {
		x[i] = make([]float64, maxlen)
		for j := range x[i] {
			x[i][j] = cast(value)
		}
		if len(s) == 0 {
			continue
		}
		trunc := s
		if len(s) > maxlen {
			if truncating == "pre" {
				trunc = s[len(s)-maxlen:]
			} else {
				trunc = s[:maxlen]
			}
		}
		off := 0
		if padding == "pre" {
			off = maxlen - len(trunc)
		}
		for j, v := range trunc {
			x[i][off+j] = cast(v)
		}
	}
	return x
}

func rowsOf(t *tensor.Tensor) [][]float64 {
	out := make([][]float64, t.Shape[0])
	for i := range out {
		out[i] = make([]float64, t.Shape[1])
		for j := range out[i] {
			out[i][j] = float64(t.Data[i*t.Shape[1]+j])
		}
	}
	return out
}

func TestPadSequencesMatchesKeras(t *testing.T) {
	seqs := [][]float64{{1, 2, 3}, {4, 5}, {}, {6, 7, 8, 9, 10}, {1.7, -2.5}}
	raw := jsonValue(t, `[[1,2,3],[4,5],[],[6,7,8,9,10],[1.7,-2.5]]`)
	for _, c := range []struct {
		name string
		opts string
		max  int
		int  bool
		pad  string
		trn  string
		val  float64
	}{
		{"defaults", `{}`, -1, true, "pre", "pre", 0},
		{"maxlen 3 pre/pre", `{"maxlen": 3}`, 3, true, "pre", "pre", 0},
		{"maxlen 3 post/post", `{"maxlen": 3, "padding": "post", "truncating": "post"}`, 3, true, "post", "post", 0},
		{"maxlen 4 post padding, pre truncating, value -1", `{"maxlen": 4, "padding": "post", "value": -1}`, 4, true, "post", "pre", -1},
		{"float32 keeps fractions", `{"dtype": "float32", "value": 0.5, "maxlen": 6}`, 6, false, "pre", "pre", 0.5},
		{"int32 truncates value", `{"value": 2.9}`, -1, true, "pre", "pre", 2.9},
		{"maxlen null is the longest", `{"maxlen": null}`, -1, true, "pre", "pre", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, dtype, err := PadSequences(raw, jsonValue(t, c.opts).(map[string]any))
			require.NoError(t, err)
			want := kerasPad(seqs, c.max, c.int, c.pad, c.trn, c.val)
			assert.Equal(t, []int{len(seqs), len(want[0])}, []int(out.Shape))
			assert.Equal(t, want, rowsOf(out))
			if c.int {
				assert.Equal(t, "int32", dtype)
			} else {
				assert.Equal(t, "float32", dtype)
			}
		})
	}
	// The Keras docstring's example: pad_sequences([[1], [2, 3], [4, 5, 6]]).
	out, _, err := PadSequences(jsonValue(t, `[[1],[2,3],[4,5,6]]`), nil)
	require.NoError(t, err)
	assert.Equal(t, [][]float64{{0, 0, 1}, {0, 2, 3}, {4, 5, 6}}, rowsOf(out))
	out, _, err = PadSequences(jsonValue(t, `[[1],[2,3],[4,5,6]]`), map[string]any{"maxlen": 2.0})
	require.NoError(t, err)
	assert.Equal(t, [][]float64{{0, 1}, {2, 3}, {5, 6}}, rowsOf(out))
}

func TestPadSequencesErrors(t *testing.T) {
	for _, c := range []struct {
		seqs, opts, want, class string
	}{
		{`[[1],[2]]`, `{"padding": "middle"}`, `padding`, nn.ValueError},
		{`[[1],[2]]`, `{"truncating": "mid"}`, `truncating`, nn.ValueError},
		{`[[1],[2]]`, `{"maxlen": 0}`, `maxlen`, nn.ValueError},
		{`[[1],[2]]`, `{"maxlen": 1.5}`, `maxlen`, nn.ValueError},
		{`[[1],[2]]`, `{"dtype": "int8"}`, `dtype`, nn.ValueError},
		{`[[1],[2]]`, `{"maxlne": 3}`, `maxlne`, nn.ValueError},
		{`[[1], 2]`, `{}`, `non-iterable: the number 2 at position 1`, nn.ValueError},
		{`3`, `{}`, `sequences must be a list`, nn.ValueError},
		{`[[1, "a"]]`, `{}`, `the string "a" at position 1`, nn.ValueError},
		{`[[[1, 2], [3, 4]]]`, `{}`, `sequences of vectors`, nn.NotImplementedError},
		{`[[1],[2]]`, `{"maxlen": 1e9}`, `lower maxlen`, nn.ValueError},
	} {
		t.Run(c.opts+c.seqs, func(t *testing.T) {
			_, _, err := PadSequences(jsonValue(t, c.seqs), jsonValue(t, c.opts).(map[string]any))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, c.class, nn.ErrorClass(err))
		})
	}
}

// kerasNormalize is Keras 2's normalize on a 2-D array along axis 1 or 0, written as numpy
// computes it: l = np.atleast_1d(np.linalg.norm(x, order, axis)); l[l == 0] = 1; x / expand_dims(l).
func kerasNormalize(x [][]float64, axis int, order float64) [][]float64 {
	rows, cols := len(x), len(x[0])
	norm := func(v []float64) float64 {
		switch {
		case math.IsInf(order, 1):
			m := 0.0
			for _, e := range v {
				m = math.Max(m, math.Abs(e))
			}
			return m
		case order == 0:
			c := 0.0
			for _, e := range v {
				if e != 0 {
					c++
				}
			}
			return c
		}
		s := 0.0
		for _, e := range v {
			s += math.Pow(math.Abs(e), order)
		}
		return math.Pow(s, 1/order)
	}
	out := make([][]float64, rows)
	for i := range out {
		out[i] = make([]float64, cols)
	}
	if axis == 1 || axis == -1 {
		for i := range x {
			l := norm(x[i])
			if l == 0 {
				l = 1
			}
			for j := range x[i] {
				out[i][j] = x[i][j] / l
			}
		}
		return out
	}
	for j := 0; j < cols; j++ {
		col := make([]float64, rows)
		for i := range x {
			col[i] = x[i][j]
		}
		l := norm(col)
		if l == 0 {
			l = 1
		}
		for i := range x {
			out[i][j] = x[i][j] / l
		}
	}
	return out
}

func TestNormalizeMatchesKeras(t *testing.T) {
	x := [][]float64{{3, 4, 0}, {0, 0, 0}, {-1, 2, -2}, {0.5, -0.25, 1}}
	xt := tensor.New(4, 3)
	for i, r := range x {
		for j, v := range r {
			xt.Data[i*3+j] = float32(v)
		}
	}
	for _, c := range []struct {
		name  string
		opts  string
		axis  int
		order float64
	}{
		{"defaults: L2 over the last axis", `{}`, -1, 2},
		{"L1 over axis 1", `{"axis": 1, "order": 1}`, 1, 1},
		{"L2 over axis 0", `{"axis": 0}`, 0, 2},
		{"inf over the last axis", `{"order": "inf"}`, -1, math.Inf(1)},
		{"order 3 over axis -2", `{"axis": -2, "order": 3}`, 0, 3},
		{"order 0 counts non-zeros", `{"order": 0}`, -1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Normalize(xt, jsonValue(t, c.opts).(map[string]any))
			require.NoError(t, err)
			want := kerasNormalize(x, c.axis, c.order)
			got := rowsOf(out)
			for i := range want {
				assert.InDeltaSlice(t, want[i], got[i], 1e-6, "row %d", i)
			}
		})
	}
	// A 3-D tensor along its middle axis: each (i, :, k) column has unit L2 norm.
	x3 := tensor.New(2, 3, 2)
	for i := range x3.Data {
		x3.Data[i] = float32(i%5) - 1.5
	}
	out, err := Normalize(x3, map[string]any{"axis": 1.0})
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		for k := 0; k < 2; k++ {
			s := 0.0
			for j := 0; j < 3; j++ {
				v := float64(out.Data[i*6+j*2+k])
				s += v * v
			}
			assert.InDelta(t, 1, s, 1e-6)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	x := tensor.New(2, 3)
	for _, c := range []struct{ opts, want, class string }{
		{`{"axis": 2}`, "axis 2 is out of bounds for x of rank 2", nn.ValueError},
		{`{"axis": -3}`, "axis -3 is out of bounds", nn.ValueError},
		{`{"axis": [0, 1]}`, "axis", nn.NotImplementedError},
		{`{"axis": null}`, "axis=None", nn.NotImplementedError},
		{`{"order": "fro"}`, "order", nn.ValueError},
		{`{"ord": 2}`, "ord", nn.ValueError},
	} {
		t.Run(c.opts, func(t *testing.T) {
			_, err := Normalize(x, jsonValue(t, c.opts).(map[string]any))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Equal(t, c.class, nn.ErrorClass(err))
		})
	}
}
