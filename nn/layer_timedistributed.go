package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// TimeDistributed is Keras's TimeDistributed wrapper: the wrapped layer
// applied to every time step of a (batch, timesteps, ...) input with the
// same weights. The steps are folded into the batch, (batch·timesteps, ...),
// which for row-major tensors is the same memory, so the wrapped layer runs
// once over all steps (one GEMM for a Dense, one convolution for a Conv2D).
//
// A recurrent layer (SimpleRNN, LSTM, GRU, Bidirectional) wrapped so takes
// a (batch, outer, timesteps, features) input: each (row, outer step) is one
// sequence of the folded batch, run from zero states, as Keras 3's loop over
// the outer steps runs the layer on each (batch, timesteps, features) slice.
// Dropout draws one mask per folded sequence, as Keras draws one per row at
// each outer step's call. A stateful layer is refused.
//
// The weights are the wrapped layer's (Keras's get_weights order). A mask
// passes through: the wrapped layer sees one sample per step, so it must be
// one that takes a mask per sample (Dense, Dropout, activations); others
// are refused when the mask would reach them, as Keras's compute_mask does.
// Keras: keras/src/layers/rnn/time_distributed.py.
type TimeDistributed struct {
	LayerBase
	layer Layer

	act   activity
	B, T  int
	xv    tensor.Tensor // x as (batch·timesteps, ...)
	dyv   tensor.Tensor // dy as (batch·timesteps, ...)
	y, dx tensor.Tensor // views of the wrapped layer's output and dx with the time axis
}

func init() {
	layers.add("TimeDistributed", []string{"layer"}, func(m map[string]any) (Layer, error) { return newTimeDistributed(m) })
}

// NewTimeDistributed wraps layer (a Layer or its config); opts holds the
// other Keras arguments.
func NewTimeDistributed(layer any, opts map[string]any) (*TimeDistributed, error) {
	m, err := withArgs("TimeDistributed", opts, "layer", layer)
	if err != nil {
		return nil, err
	}
	return newTimeDistributed(m)
}

func newTimeDistributed(m map[string]any) (*TimeDistributed, error) {
	a := NewArgs("TimeDistributed", m)
	w := &TimeDistributed{LayerBase: ParseBase(a, "TimeDistributed")}
	const want = "a layer or its config, e.g. TimeDistributed(Dense(8))"
	v, ok := a.Value("layer")
	if !ok {
		a.Fail("layer", nil, want)
	} else if l, err := GetLayer(v); err != nil {
		a.Fail("layer", v, want+" ("+err.Error()+")")
	} else if l.Base().Built {
		a.Fail("layer", l.Base().Name, want+" not built yet (a new layer, or one from its config)")
	} else {
		w.layer = l
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	if s, ok := w.layer.(interface{ IsStateful() bool }); ok && s.IsStateful() {
		// Keras 3 calls the wrapped layer once per outer step, so a stateful
		// layer's states would run on from one outer step into the next; the
		// folded batch here runs every step from the same states.
		return nil, &NotImplemented{What: "TimeDistributed over a stateful recurrent layer",
			Hint: "use stateful=False inside TimeDistributed, or a stateful recurrent layer without the wrapper"}
	}
	if _, wrapper := w.layer.(*TimeDistributed); wrapper {
		return nil, &NotImplemented{What: "TimeDistributed over a TimeDistributed layer"}
	}
	b := w.layer.Base()
	if _, given := m["trainable"]; !given {
		// The weights are the wrapped layer's: a frozen layer freezes them
		// (Keras freezes them through the layer's own flag).
		w.Trainable = b.Trainable
		w.Frozen = !w.Trainable
	}
	if b.Input != nil {
		return nil, &ArgError{Owner: "TimeDistributed", Key: "layer", Value: b.ClassName + " with input_shape",
			Want: "the input shape on the wrapper, with the time axis: TimeDistributed(" + b.ClassName + "(...), input_shape=(timesteps, ...))"}
	}
	if b.Name == "" {
		b.Name = SnakeCase(b.ClassName)
	}
	return w, nil
}

// Layer returns the wrapped layer.
func (w *TimeDistributed) Layer() Layer { return w.layer }

// OutputShape returns (timesteps, the wrapped layer's output shape...).
func (w *TimeDistributed) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if len(in) < 2 {
		name := w.Name
		if name == "" {
			name = w.ClassName
		}
		return nil, &ShapeError{Layer: name, Got: in.Clone(), Want: "(timesteps, ...): an input of rank 3 or more, (batch, timesteps, ...)"}
	}
	out, err := w.layer.OutputShape(in[1:])
	if err != nil {
		return nil, err
	}
	return append(tensor.Shape{in[0]}, out...), nil
}

// Build builds the wrapped layer for one step's shape.
func (w *TimeDistributed) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := w.OutputShape(in); err != nil {
		return err
	}
	if w.Built {
		return nil
	}
	if err := w.layer.Build(in[1:], rng); err != nil {
		return err
	}
	w.layer.Base().Built = true
	w.Built = true
	return nil
}

// Params returns the wrapped layer's weights.
func (w *TimeDistributed) Params() []*Param { return w.layer.Params() }

func (w *TimeDistributed) outputMasked(in bool) (bool, error) {
	if !in {
		return false, nil
	}
	if _, consumes := w.layer.(MaskConsumer); consumes {
		b := w.layer.Base()
		return false, &NotImplemented{What: fmt.Sprintf("a mask into TimeDistributed(%s), whose layer would use it", b.ClassName),
			Hint: "drop the mask before it (mask_zero=False, no Masking layer)"}
	}
	if _, err := OutputMasked(w.layer, true); err != nil {
		return false, err
	}
	return true, nil
}

// fold sets v to t's data with the first two axes merged.
func fold(v *tensor.Tensor, t *tensor.Tensor) *tensor.Tensor {
	v.Data = t.Data
	v.Shape = append(append(v.Shape[:0], t.Shape[0]*t.Shape[1]), t.Shape[2:]...)
	return v
}

// unfold sets v to t's data with its first axis split into (B, T).
func unfold(v *tensor.Tensor, t *tensor.Tensor, B, T int) *tensor.Tensor {
	v.Data = t.Data
	v.Shape = append(append(v.Shape[:0], B, T), t.Shape[1:]...)
	return v
}

// Forward runs the wrapped layer on x (batch, timesteps, ...) as one batch
// of batch·timesteps samples and returns (batch, timesteps, ...out).
func (w *TimeDistributed) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) < 3 {
		panic(fmt.Sprintf("nn: TimeDistributed.Forward: input %v is not (batch, timesteps, ...)", x.Shape))
	}
	w.B, w.T = x.Shape[0], x.Shape[1]
	y := w.layer.Forward(fold(&w.xv, x), training)
	out := unfold(&w.y, y, w.B, w.T)
	w.act.forward(&w.LayerBase, out)
	// The wrapped layer's penalty is per step; Keras's is over its
	// batch·timesteps samples, so it is already batch-agnostic.
	w.ActivityLoss += w.layer.Base().ActivityLoss
	return out
}

// Backward runs the wrapped layer back over all steps at once.
func (w *TimeDistributed) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = w.act.backward(&w.LayerBase, &w.y, dy)
	dx := w.layer.Backward(fold(&w.dyv, dy), needDx)
	if !needDx {
		return nil
	}
	return unfold(&w.dx, dx, w.B, w.T)
}

// Config returns Keras's config, the wrapped layer's under "layer".
func (w *TimeDistributed) Config() Config {
	return Config{ClassName: "TimeDistributed", Config: w.BaseConfig(map[string]any{"layer": configMap(w.layer.Config())})}
}
