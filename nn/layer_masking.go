package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Masking marks the time steps whose features all equal mask_value as
// padding: for an input (batch, steps, features) the output is the input
// with those steps set to 0, and its mask is false there, so the recurrent
// layers after it skip them. Keras: keras/src/layers/core/masking.py.
type Masking struct {
	LayerBase
	MaskValue float64

	keep  []bool // per step: whether Forward kept it
	mask  []bool // the output's mask
	x, y  *tensor.Tensor
	dx    *tensor.Tensor
	inner int // features per step
}

func init() {
	layers.add("Masking", []string{"mask_value"}, func(m map[string]any) (Layer, error) { return newMaskingFromConfig(m) })
}

func newMaskingFromConfig(m map[string]any) (*Masking, error) {
	a := NewArgs("Masking", m)
	l := &Masking{LayerBase: ParseBase(a, "Masking")}
	l.MaskValue = a.Float("mask_value", 0)
	if err := a.Err(); err != nil {
		return nil, err
	}
	return l, nil
}

// OutputShape returns in; it needs at least (steps, features).
func (l *Masking) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if len(in) < 2 || in[len(in)-1] < 1 {
		name := l.Name
		if name == "" {
			name = "Masking"
		}
		return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: "(timesteps, features) with known features"}
	}
	return in.Clone(), nil
}

// Build checks the input shape; Masking has no weights.
func (l *Masking) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := l.OutputShape(in); err != nil {
		return err
	}
	l.Built = true
	return nil
}

// Params returns nil.
func (l *Masking) Params() []*Param { return nil }

// Forward sets the masked steps to 0 and remembers which they are.
func (l *Masking) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) < 3 {
		panic(fmt.Sprintf("nn: Masking.Forward: input %v is not (batch, steps, features)", x.Shape))
	}
	l.x, l.inner = x, x.Shape[len(x.Shape)-1]
	l.y = tensor.Ensure(l.y, x.Shape...)
	l.keep = l.keep[:0]
	mv := float32(l.MaskValue)
	for i := 0; i < len(x.Data); i += l.inner {
		row := x.Data[i : i+l.inner]
		k := false
		for _, v := range row {
			if v != mv {
				k = true
				break
			}
		}
		l.keep = append(l.keep, k)
		if k {
			copy(l.y.Data[i:i+l.inner], row)
		} else {
			clear(l.y.Data[i : i+l.inner])
		}
	}
	return l.y
}

// Backward passes dy at the kept steps and 0 at the masked ones.
func (l *Masking) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	if !needDx {
		return nil
	}
	l.dx = tensor.Ensure(l.dx, dy.Shape...)
	for s, k := range l.keep {
		d := l.dx.Data[s*l.inner : (s+1)*l.inner]
		if k {
			copy(d, dy.Data[s*l.inner:(s+1)*l.inner])
		} else {
			clear(d)
		}
	}
	return l.dx
}

// ComputeMask returns whether each step has a feature ≠ mask_value (and
// the input's mask, when there is one).
func (l *Masking) ComputeMask(in []bool) []bool {
	l.mask = append(l.mask[:0], l.keep...)
	if in != nil && len(in) == len(l.mask) {
		for i, k := range in {
			l.mask[i] = l.mask[i] && k
		}
	}
	return l.mask
}

// Config returns Keras's Masking config.
func (l *Masking) Config() Config {
	return Config{ClassName: "Masking", Config: l.BaseConfig(map[string]any{"mask_value": l.MaskValue})}
}

// outputMasked: Masking's output always carries a mask.
func (l *Masking) outputMasked(bool) (bool, error) { return true, nil }
