package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Embedding turns integer indices into dense vectors: an input (batch, ...)
// of indices in [0, input_dim) gives (batch, ..., output_dim), row i of the
// embeddings matrix (input_dim, output_dim) for index i. The indices arrive
// as float32 and are rounded toward zero, as a cast to int does.
// mask_zero=True makes index 0 padding: the output's mask is false there,
// and input_dim must leave room for it (Keras's rule). input_length is
// Keras 2's input_shape=(input_length,).
//
// Porting note: an index outside [0, input_dim) is an error on TF's CPU and
// gives zeros on its GPU; keraswasm gives zeros (the forward pass cannot
// fail half-way through a batch).
// Keras: keras/src/layers/core/embedding.py.
type Embedding struct {
	LayerBase
	InputDim, OutputDim int
	MaskZero            bool
	spec                weightSpec

	embeddings *Param
	x          *tensor.Tensor
	y          *tensor.Tensor
	dx         *tensor.Tensor
	mask       []bool
	outShape   []int
	act        activity
}

func init() {
	layers.add("Embedding", []string{"input_dim", "output_dim", "embeddings_initializer", "embeddings_regularizer",
		"embeddings_constraint", "mask_zero"}, func(m map[string]any) (Layer, error) { return newEmbeddingFromConfig(m) })
}

// NewEmbedding returns an Embedding of input_dim indices to output_dim
// values; opts holds the other Keras arguments ("mask_zero", ...).
func NewEmbedding(inputDim, outputDim int, opts map[string]any) (*Embedding, error) {
	m, err := withArgs("Embedding", opts, "input_dim", inputDim, "output_dim", outputDim)
	if err != nil {
		return nil, err
	}
	return newEmbeddingFromConfig(m)
}

func newEmbeddingFromConfig(m map[string]any) (*Embedding, error) {
	// input_dim and input_length mean the vocabulary and the sequence
	// length here, not ParseBase's input_shape=(input_length, input_dim).
	a := NewArgs("Embedding", m)
	hasShape := a.Has("input_shape") || a.Has("batch_input_shape") || a.Has("batch_shape")
	e := &Embedding{LayerBase: ParseBase(a, "Embedding")}
	if !hasShape {
		e.Input = nil
	}
	if !a.Has("input_dim") {
		a.Fail("input_dim", nil, "a positive integer, the number of distinct indices (Embedding needs input_dim)")
	} else if e.InputDim = a.Int("input_dim", 0); e.InputDim < 1 {
		a.Fail("input_dim", e.InputDim, "a positive integer, the number of distinct indices")
	}
	if !a.Has("output_dim") {
		a.Fail("output_dim", nil, "a positive integer, the size of each vector (Embedding needs output_dim)")
	} else if e.OutputDim = a.Int("output_dim", 0); e.OutputDim < 1 {
		a.Fail("output_dim", e.OutputDim, "a positive integer")
	}
	e.spec = readWeightSpec(a, "embeddings", "uniform")
	e.MaskZero = a.Bool("mask_zero", false)
	if v, ok := a.Value("input_length"); ok && v != nil {
		l := a.Int("input_length", 0)
		if l < 1 {
			a.Fail("input_length", l, "a positive integer, the length of the input sequences")
		} else if e.Input == nil {
			e.Input = tensor.Shape{l}
		}
	}
	a.Unsupported("sparse", "false (sparse gradients are not implemented)")
	rejectLoRA(a)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return e, nil
}

// OutputShape returns in with output_dim appended.
func (e *Embedding) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	return append(in.Clone(), e.OutputDim), nil
}

// Build creates embeddings (input_dim, output_dim).
func (e *Embedding) Build(in tensor.Shape, rng *tensor.RNG) error {
	if e.Built {
		return nil
	}
	var err error
	if e.embeddings, err = e.spec.newParam("Embedding", "embeddings", rng, e.InputDim, e.OutputDim); err != nil {
		return err
	}
	e.Built = true
	return nil
}

// Params returns [embeddings].
func (e *Embedding) Params() []*Param {
	if !e.Built {
		return nil
	}
	return []*Param{e.embeddings}
}

// index returns the row of value v, or -1 when it is out of range.
func (e *Embedding) index(v float32) int {
	f := float64(v)
	if math.IsNaN(f) || f < 0 || f >= float64(e.InputDim) {
		return -1
	}
	return int(f)
}

// Forward gathers the rows: y[..., :] = embeddings[x[...], :].
func (e *Embedding) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) < 1 {
		panic(fmt.Sprintf("nn: Embedding.Forward: input %v has no batch axis", x.Shape))
	}
	e.x = x
	D := e.OutputDim
	e.outShape = append(append(e.outShape[:0], x.Shape...), D)
	e.y = tensor.Ensure(e.y, e.outShape...)
	W := e.embeddings.Value.Data
	for i, v := range x.Data {
		dst := e.y.Data[i*D : (i+1)*D]
		if k := e.index(v); k >= 0 {
			copy(dst, W[k*D:(k+1)*D])
		} else {
			clear(dst)
		}
	}
	e.act.forward(&e.LayerBase, e.y)
	return e.y
}

// Backward accumulates dembeddings[x[...], :] += dy[..., :]. The indices
// have no gradient: dx is zeros (nil when needDx is false).
func (e *Embedding) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = e.act.backward(&e.LayerBase, e.y, dy)
	D := e.OutputDim
	G := e.embeddings.Grad.Data
	for i, v := range e.x.Data {
		if k := e.index(v); k >= 0 {
			src, dst := dy.Data[i*D:(i+1)*D], G[k*D:(k+1)*D]
			for j, g := range src {
				dst[j] += g
			}
		}
	}
	if !needDx {
		return nil
	}
	e.dx = tensor.Ensure(e.dx, e.x.Shape...)
	clear(e.dx.Data)
	return e.dx
}

// ComputeMask returns x ≠ 0 with mask_zero (for a (batch, steps) input),
// else none, as Keras's Embedding.compute_mask.
func (e *Embedding) ComputeMask(in []bool) []bool {
	if !e.MaskZero {
		return nil
	}
	e.mask = e.mask[:0]
	for _, v := range e.x.Data {
		e.mask = append(e.mask, v != 0)
	}
	return e.mask
}

// Config returns Keras's Embedding config.
func (e *Embedding) Config() Config {
	m := map[string]any{"input_dim": e.InputDim, "output_dim": e.OutputDim, "mask_zero": e.MaskZero,
		"activity_regularizer": nil}
	e.spec.config(m, "embeddings")
	c := e.BaseConfig(m)
	return Config{ClassName: "Embedding", Config: c}
}

// outputMasked: the output carries a mask with mask_zero, none otherwise
// (Keras's Embedding.compute_mask returns None without mask_zero).
func (e *Embedding) outputMasked(bool) (bool, error) { return e.MaskZero, nil }
