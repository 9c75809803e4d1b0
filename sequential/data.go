package sequential

import (
	"errors"
	"fmt"
	"slices"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// dataset is inputs x (samples, ...), targets y (samples, ...) and
// per-sample weights, checked against the model.
type dataset struct {
	x, y *tensor.Tensor
	sw   []float32 // nil: every weight 1
	n    int
	flow flow // the shapes the samples take through the model
}

// rows returns rows [lo, hi) of the dataset as views (no copy).
func (d *dataset) rows(lo, hi int) *dataset {
	r := &dataset{x: d.x.Rows(lo, hi), n: hi - lo, flow: d.flow}
	if d.y != nil {
		r.y = d.y.Rows(lo, hi)
	}
	if d.sw != nil {
		r.sw = d.sw[lo:hi]
	}
	return r
}

// at is the prefix of a data check's message: empty for the call's own data
// (the caller names the call: the wasm door prefixes the JS method), or the
// part of the call the data came from ("validation_data: ").
func at(part string) string {
	if part == "" {
		return ""
	}
	return part + ": "
}

// checkTensor checks that t is a usable tensor of samples: its data fits
// its shape and it has at least one sample. A vector (samples,) becomes
// (samples, 1), as tf.keras's expand_1d does.
func checkTensor(part, what string, t *tensor.Tensor) (*tensor.Tensor, error) {
	if t == nil {
		return nil, fmt.Errorf("%s%s is nil: expected a tensor of shape (samples, ...)", at(part), what)
	}
	if len(t.Shape) == 0 {
		return nil, fmt.Errorf("%s%s is a scalar: expected a tensor of shape (samples, ...)", at(part), what)
	}
	for _, d := range t.Shape {
		if d < 0 {
			return nil, fmt.Errorf("%s%s has shape %v: expected non-negative dimensions", at(part), what, t.Shape)
		}
	}
	if t.Shape.Size() != len(t.Data) {
		return nil, fmt.Errorf("%s%s has shape %v (%d values) but holds %d values", at(part), what, t.Shape, t.Shape.Size(), len(t.Data))
	}
	if t.Shape[0] == 0 {
		return nil, fmt.Errorf("%s%s is empty (shape %v): expected at least one sample", at(part), what, t.Shape)
	}
	if len(t.Shape) == 1 {
		t = t.Reshape(t.Shape[0], 1)
	}
	return t, nil
}

// checkFinite returns an error naming the first NaN or infinite value.
//
// per is the number of values of one sample, so the message can name the
// sample (1 for sample weights). The scan is the SIMD kernel's under wasm;
// the JS package leaves it to this one rather than scanning on the page too.
func checkFinite(part, what string, data []float32, per int) error {
	if i := tensor.FirstNonFinite(data); i >= 0 {
		return fmt.Errorf("%s%s contains %v at flat index %d (sample %d): the loss would be NaN; remove or impute the missing values first",
			at(part), what, jsNumber(data[i]), i, i/max(per, 1))
	}
	return nil
}

// jsNumber spells a non-finite value as JavaScript and Python print it
// (NaN, Infinity, -Infinity; Go would say NaN, +Inf, -Inf).
func jsNumber(v float32) string {
	switch {
	case v != v:
		return "NaN"
	case v > 0:
		return "Infinity"
	}
	return "-Infinity"
}

// checkInputs checks x against the model (building it from x's shape if it
// has no input shape yet). It returns x and the shapes it takes through the
// model.
func (m *Model) checkInputs(part string, x *tensor.Tensor) (*tensor.Tensor, flow, error) {
	x, err := checkTensor(part, "x", x)
	if err != nil {
		return nil, flow{}, err
	}
	if err := m.buildFromData(x); err != nil {
		return nil, flow{}, err
	}
	want := m.in.shape
	ok := len(x.Shape)-1 == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = want[i] < 0 || want[i] == x.Shape[i+1]
	}
	if !ok {
		return nil, flow{}, fmt.Errorf("%sinput of model %q is incompatible with the model: expected shape=%v, found shape=%v",
			at(part), m.name, m.in.batchShape(), x.Shape)
	}
	f, err := m.flowFor(part, x.Shape)
	if err != nil {
		return nil, flow{}, err
	}
	return x, f, nil
}

// flowFor returns the shapes inputs of shape x (batch first) take through
// the model. When the model's input has None dimensions, the layers were
// built for unknown sizes, so each layer's OutputShape runs on the sizes the
// data gives it: a layer that cannot take them (a 3×3 valid convolution on
// 2×2 images) is an error naming it and both shapes, not a failure inside
// its Forward.
func (m *Model) flowFor(part string, x tensor.Shape) (flow, error) {
	if !slices.Contains(m.in.shape, -1) {
		return flow{in: m.in.shape, ins: inputShapes(m.in.shape, m.shapes), out: m.OutputShape()}, nil
	}
	cur := x[1:].Clone()
	ins := make([]tensor.Shape, len(m.layers))
	for i, l := range m.layers {
		ins[i] = cur
		out, err := l.OutputShape(cur)
		if err != nil {
			b := l.Base()
			return flow{}, fmt.Errorf("%slayer %q (%s) cannot take the shape %v that inputs of shape %v give it (the model's input shape is %v, with None dimensions): %w; give inputs whose sizes every layer can take",
				at(part), b.Name, b.ClassName, batched(cur), x, m.in.batchShape(), err)
		}
		cur = out
	}
	return flow{in: x[1:], ins: ins, out: cur}, nil
}

// checkData checks inputs, targets and sample weights for fit and evaluate.
func (m *Model) checkData(part string, x, y *tensor.Tensor, sw []float32) (*dataset, error) {
	if m.c == nil {
		return nil, errors.New("you must compile your model before training/testing: model.compile({optimizer, loss})")
	}
	if m.c.loss == nil {
		return nil, errors.New("no loss to compute: give compile a loss, model.compile({optimizer, loss})")
	}
	if m.outputMasked() {
		// Keras 2 weights the loss and the metrics by the output's mask
		// (compile_utils: apply_mask); that is not built, and leaving the
		// masked steps in would be silently different numbers.
		return nil, &nn.NotImplemented{What: "a loss over an output that carries a mask (from Embedding(mask_zero=True) or Masking, passed on by return_sequences)",
			Hint: "consume the mask before the output (a recurrent layer without return_sequences, or GlobalAveragePooling1D); predict works with it"}
	}
	x, err := checkTensor(part, "x", x)
	if err != nil {
		return nil, err
	}
	y, err = checkTensor(part, "y", y)
	if err != nil {
		return nil, err
	}
	if x.Shape[0] != y.Shape[0] {
		return nil, fmt.Errorf("%sdata cardinality is ambiguous: x sizes: %d, y sizes: %d. Make sure all arrays contain the same number of samples",
			at(part), x.Shape[0], y.Shape[0])
	}
	if sw != nil && len(sw) != x.Shape[0] {
		return nil, fmt.Errorf("%ssample_weight has %d values for %d samples: expected one weight per sample", at(part), len(sw), x.Shape[0])
	}
	perSample := func(t *tensor.Tensor) int { return len(t.Data) / max(t.Shape[0], 1) }
	for _, c := range []struct {
		what string
		data []float32
		per  int
	}{{"x", x.Data, perSample(x)}, {"y", y.Data, perSample(y)}, {"sample_weight", sw, 1}} {
		if err := checkFinite(part, c.what, c.data, c.per); err != nil {
			return nil, err
		}
	}
	x, f, err := m.checkInputs(part, x)
	if err != nil {
		return nil, err
	}
	if err := m.c.loss.validate(y, batched(f.out)); err != nil {
		return nil, fmt.Errorf("%s%w", at(part), err)
	}
	return &dataset{x: x, y: y, sw: sw, n: x.Shape[0], flow: f}, nil
}

// checkBatchSize returns batch_size for n samples, with 0 meaning Keras's
// 32, and checks it against a batch size fixed by the model's input.
func (m *Model) checkBatchSize(key string, bs, n int) (int, error) {
	if bs < 0 {
		return 0, fmt.Errorf("invalid argument %s: expected a positive integer. Received: %s=%d", key, key, bs)
	}
	if fixed := m.in.batchSize; fixed > 0 {
		if bs == 0 {
			bs = fixed
		}
		if bs == fixed {
			if err := m.checkStatefulSamples(n); err != nil {
				return 0, err
			}
		}
		if bs != fixed || n%fixed != 0 {
			return 0, fmt.Errorf("the model's input has a fixed batch size of %d (batch_size or batch_input_shape of its first layer): expected %s=%d and a number of samples divisible by it; received %s=%d for %d samples",
				fixed, key, fixed, key, bs, n)
		}
	}
	if bs == 0 {
		bs = 32
	}
	// A batch larger than the data is the data: the same batches, and the
	// step counts ⌈n/bs⌉ cannot overflow for a huge batch_size.
	return min(bs, n), nil
}

// gather copies the samples idx of d into the model's batch buffers and
// returns them: x (k, ...), y (k, ...) and the weights (nil when d has none).
func (m *Model) gather(d *dataset, idx []int) (x, y *tensor.Tensor, sw []float32) {
	k := len(idx)
	x = gatherRows(&m.buf.xb, &m.buf.shape, d.x, idx)
	if d.y != nil {
		y = gatherRows(&m.buf.yb, &m.buf.shape, d.y, idx)
	}
	if d.sw != nil {
		m.buf.sw = ensureFloat32(m.buf.sw, k)
		for i, j := range idx {
			m.buf.sw[i] = d.sw[j]
		}
		sw = m.buf.sw
	}
	return x, y, sw
}

// gatherRows copies rows idx of src into *buf (reused) and returns it.
func gatherRows(buf **tensor.Tensor, shape *[]int, src *tensor.Tensor, idx []int) *tensor.Tensor {
	*shape = append(append((*shape)[:0], len(idx)), src.Shape[1:]...)
	*buf = tensor.Ensure(*buf, (*shape)...)
	per := len(src.Data) / src.Shape[0]
	dst := (*buf).Data
	for i, j := range idx {
		copy(dst[i*per:(i+1)*per], src.Data[j*per:(j+1)*per])
	}
	return *buf
}

func ensureFloat32(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// classWeights returns per-sample weights sample_weight·class_weight[class]
// for targets y: the class is y's argmax for one-hot rows, else the label
// itself. Keras: tf_keras/engine/data_adapter.py _make_class_weight_map_fn.
//
// Porting note: a fractional label is truncated to its class, as tf.keras's
// cast does; Keras 3 rounds it.
func classWeights(y *tensor.Tensor, sw []float32, cw map[int]float64) ([]float32, error) {
	table, err := classWeightTable(cw)
	if err != nil || table == nil {
		return sw, err
	}
	if len(y.Shape) > 2 {
		return nil, fmt.Errorf("class_weight is not supported for 3+ dimensional targets; y has shape %v", y.Shape)
	}
	n := y.Shape[0]
	per := len(y.Data) / n
	out := make([]float32, n)
	for i := 0; i < n; i++ {
		row := y.Data[i*per : (i+1)*per]
		c := int(row[0]) // tf.cast truncates
		if per > 1 {
			c = tensor.ArgMax(row)
		}
		if c < 0 || c >= len(table) {
			return nil, fmt.Errorf("sample %d has class %d but class_weight gives weights for classes 0 to %d: give a weight for every class", i, c, len(table)-1)
		}
		w := float32(table[c])
		if sw != nil {
			w *= sw[i]
		}
		out[i] = w
	}
	return out, nil
}
