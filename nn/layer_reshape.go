package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Reshape gives each sample the shape target_shape, in which one entry
// may be -1, inferred from the sample's size. The values keep their
// row-major order, so Forward and Backward are views without a copy.
// Keras: keras/src/layers/reshaping/reshape.py.
type Reshape struct {
	LayerBase
	TargetShape []int // -1 for the inferred entry

	act   activity
	in    []int
	shape []int // the output's shape, batch first
	y, dx *tensor.Tensor
}

func init() {
	layers.add("Reshape", []string{"target_shape"}, func(m map[string]any) (Layer, error) { return newReshapeFromConfig(m) })
}

// NewReshape returns a Reshape layer to targetShape (-1 for one inferred
// entry); opts holds the other Keras arguments.
func NewReshape(targetShape []int, opts map[string]any) (*Reshape, error) {
	ts := make([]any, len(targetShape))
	for i, d := range targetShape {
		ts[i] = d
	}
	m, err := withArgs("Reshape", opts, "target_shape", ts)
	if err != nil {
		return nil, err
	}
	return newReshapeFromConfig(m)
}

func newReshapeFromConfig(m map[string]any) (*Reshape, error) {
	a := NewArgs("Reshape", m)
	r := &Reshape{LayerBase: ParseBase(a, "Reshape")}
	v, ok := a.Value("target_shape")
	const want = "a list of positive integers, one of which may be -1 (inferred), such as [4, -1]"
	if !ok {
		a.Fail("target_shape", nil, want+" (Reshape needs one)")
	} else if r.TargetShape, ok = readTargetShape(v); !ok {
		a.Fail("target_shape", v, want)
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// readTargetShape reads a list of dimensions: positive, or -1 (or null)
// once for the inferred one.
func readTargetShape(v any) ([]int, bool) {
	if n, isInt := toInt(v); isInt {
		v = []any{n}
	}
	list, ok := toList(v)
	if !ok {
		return nil, false
	}
	out := make([]int, len(list))
	inferred := false
	for i, e := range list {
		n, isInt := toInt(e)
		if e == nil {
			n, isInt = -1, true
		}
		switch {
		case !isInt || n == 0 || n < -1:
			return nil, false
		case n == -1 && inferred:
			return nil, false
		case n == -1:
			inferred = true
		}
		out[i] = n
	}
	return out, true
}

// OutputShape returns target_shape with -1 resolved against in's size (or
// left unknown when in has an unknown dimension).
func (r *Reshape) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	out := tensor.Shape(append([]int(nil), r.TargetShape...))
	total, known := 1, true
	for _, d := range in {
		if d < 0 {
			known = false
			break
		}
		if d > 0 && total > math.MaxInt/d {
			return nil, r.sizeError(in)
		}
		total *= d
	}
	if !known {
		return out, nil
	}
	prod, infer := 1, -1
	for i, d := range out {
		if d == -1 {
			infer = i
			continue
		}
		if prod > math.MaxInt/d {
			return nil, r.sizeError(in)
		}
		prod *= d
	}
	if infer >= 0 {
		if total%prod != 0 {
			return nil, r.sizeError(in)
		}
		out[infer] = total / prod
	} else if prod != total {
		return nil, r.sizeError(in)
	}
	return out, nil
}

func (r *Reshape) sizeError(in tensor.Shape) error {
	name := r.Name
	if name == "" {
		name = "Reshape"
	}
	return &ShapeError{Layer: name, Got: in.Clone(), Want: fmt.Sprintf(
		"an input whose size fits target_shape %v: the total size of the new array must be unchanged", tensor.Shape(r.TargetShape))}
}

// Build checks that the input's size fits target_shape.
func (r *Reshape) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := r.OutputShape(in); err != nil {
		return err
	}
	r.Built = true
	return nil
}

// Params returns nil: Reshape has no weights.
func (r *Reshape) Params() []*Param { return nil }

// Forward returns x viewed as (batch, target_shape...).
func (r *Reshape) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	r.in = append(r.in[:0], x.Shape...)
	r.shape = append(append(r.shape[:0], x.Shape[0]), r.TargetShape...)
	infer, prod := -1, 1
	for i, d := range r.shape[1:] {
		if d == -1 {
			infer = i + 1
		} else {
			prod *= d
		}
	}
	sample := tensor.Shape(x.Shape[1:]).Size()
	if infer >= 0 {
		r.shape[infer] = sample / max(prod, 1)
	}
	if tensor.Shape(r.shape[1:]).Size() != sample {
		panic(fmt.Sprintf("nn: Reshape.Forward: input %v does not fit target_shape %v", x.Shape, tensor.Shape(r.TargetShape)))
	}
	r.y = setView(r.y, x.Data, r.shape...)
	r.act.forward(&r.LayerBase, r.y)
	return r.y
}

// Backward returns dy viewed in the input's shape.
func (r *Reshape) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	dy = r.act.backward(&r.LayerBase, r.y, dy)
	r.dx = setView(r.dx, dy.Data, r.in...)
	return r.dx
}

// Config returns Keras's Reshape config.
func (r *Reshape) Config() Config {
	return Config{ClassName: "Reshape", Config: r.BaseConfig(map[string]any{"target_shape": append([]int{}, r.TargetShape...)})}
}

// Permute reorders the axes of each sample: dims is a permutation of 1..rank
// (axis 0, the batch, stays), output axis i being input axis dims[i].
// Keras: keras/src/layers/reshaping/permute.py.
type Permute struct {
	LayerBase
	Dims []int // 1-based

	g gather
}

func init() {
	layers.add("Permute", []string{"dims"}, func(m map[string]any) (Layer, error) { return newPermuteFromConfig(m) })
}

func newPermuteFromConfig(m map[string]any) (*Permute, error) {
	a := NewArgs("Permute", m)
	p := &Permute{LayerBase: ParseBase(a, "Permute")}
	v, ok := a.Value("dims")
	const want = "a permutation of 1, ..., rank (the batch axis 0 is not permuted), such as [2, 1]"
	if !ok {
		a.Fail("dims", nil, want+" (Permute needs one)")
	} else if p.Dims, ok = readPermutation(v); !ok {
		a.Fail("dims", v, want)
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// readPermutation reads a list holding each of 1..n once.
func readPermutation(v any) ([]int, bool) {
	list, ok := toList(v)
	if !ok || len(list) == 0 {
		return nil, false
	}
	out := make([]int, len(list))
	seen := make([]bool, len(list)+1)
	for i, e := range list {
		n, isInt := toInt(e)
		if !isInt || n < 1 || n > len(list) || seen[n] {
			return nil, false
		}
		seen[n], out[i] = true, n
	}
	return out, true
}

// OutputShape returns in's axes in dims's order.
func (p *Permute) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if err := checkRank(&p.LayerBase, in, len(p.Dims), fmt.Sprintf("a sample of rank %d, as dims %v permutes", len(p.Dims), p.Dims)); err != nil {
		return nil, err
	}
	out := make(tensor.Shape, len(in))
	for i, d := range p.Dims {
		out[i] = in[d-1]
	}
	return out, nil
}

// Build checks the input's rank.
func (p *Permute) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := p.OutputShape(in); err != nil {
		return err
	}
	p.Built = true
	return nil
}

// Params returns nil: Permute has no weights.
func (p *Permute) Params() []*Param { return nil }

func (p *Permute) mapping(in tensor.Shape) (tensor.Shape, int, []int32, []float32) {
	out, _ := p.OutputShape(in)
	inStr := strides(in)
	idx := make([]int32, out.Size())
	pos := make([]int, len(out))
	for o := range idx {
		j := 0
		for i, d := range p.Dims {
			j += pos[i] * inStr[d-1]
		}
		idx[o] = int32(j)
		for i := len(pos) - 1; i >= 0; i-- { // next output position, row-major
			if pos[i]++; pos[i] < out[i] {
				break
			}
			pos[i] = 0
		}
	}
	return out, 1, idx, nil
}

// Forward returns x with its sample axes permuted.
func (p *Permute) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	return p.g.forward(&p.LayerBase, p, x)
}

// Backward returns dy with the axes put back.
func (p *Permute) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	return p.g.backward(&p.LayerBase, dy)
}

// Config returns Keras's Permute config.
func (p *Permute) Config() Config {
	return Config{ClassName: "Permute", Config: p.BaseConfig(map[string]any{"dims": append([]int{}, p.Dims...)})}
}

// RepeatVector repeats each sample (features,) n times: (n, features).
// Keras: keras/src/layers/reshaping/repeat_vector.py.
type RepeatVector struct {
	LayerBase
	N int

	g gather
}

func init() {
	layers.add("RepeatVector", []string{"n"}, func(m map[string]any) (Layer, error) { return newRepeatVectorFromConfig(m) })
}

func newRepeatVectorFromConfig(m map[string]any) (*RepeatVector, error) {
	a := NewArgs("RepeatVector", m)
	r := &RepeatVector{LayerBase: ParseBase(a, "RepeatVector")}
	if !a.Has("n") {
		a.Fail("n", nil, "a positive integer, the number of repetitions (RepeatVector needs one)")
	} else if r.N = a.Int("n", 1); r.N < 1 {
		a.Fail("n", r.N, "a positive integer, the number of repetitions")
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// OutputShape returns (n, features).
func (r *RepeatVector) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if err := checkRank(&r.LayerBase, in, 1, "(features,): RepeatVector repeats vectors"); err != nil {
		return nil, err
	}
	return tensor.Shape{r.N, in[0]}, nil
}

// Build checks the input's rank.
func (r *RepeatVector) Build(in tensor.Shape, _ *tensor.RNG) error {
	if _, err := r.OutputShape(in); err != nil {
		return err
	}
	r.Built = true
	return nil
}

// Params returns nil: RepeatVector has no weights.
func (r *RepeatVector) Params() []*Param { return nil }

func (r *RepeatVector) mapping(in tensor.Shape) (tensor.Shape, int, []int32, []float32) {
	f := in[0]
	idx := make([]int32, r.N*f)
	for i := range idx {
		idx[i] = int32(i % f)
	}
	return tensor.Shape{r.N, f}, 1, idx, nil
}

// Forward returns x repeated n times per sample.
func (r *RepeatVector) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	return r.g.forward(&r.LayerBase, r, x)
}

// Backward returns dy summed over the repetitions.
func (r *RepeatVector) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	return r.g.backward(&r.LayerBase, dy)
}

// Config returns Keras's RepeatVector config.
func (r *RepeatVector) Config() Config {
	return Config{ClassName: "RepeatVector", Config: r.BaseConfig(map[string]any{"n": r.N})}
}
