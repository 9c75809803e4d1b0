package sequential

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// DefaultMemoryLimit is the memory a model may plan to use unless
// SetMemoryLimit says otherwise: 2 GiB, half of the 4 GiB address space of
// wasm32, which leaves room for the Go runtime, the data and the page.
const DefaultMemoryLimit int64 = 2 << 30

const (
	bytesPerValue = 4 // float32
	// optimizerValues is the optimizer's state per trainable weight at
	// most: the clipped-gradient buffer and up to three slots (Adam with
	// amsgrad).
	optimizerValues = 4
)

// SetMemoryLimit sets the number of bytes the model may plan to use for its
// weights (with their gradients and optimizer state) and the buffers of a
// batch (activations, im2col columns, gradients). Build, Add, Fit,
// Evaluate and Predict estimate what they need first and refuse with a
// *MemoryError above the limit instead of running out of memory, which Go
// cannot recover from. The default is DefaultMemoryLimit.
func (m *Model) SetMemoryLimit(bytes int64) error {
	if bytes < 1 {
		return fmt.Errorf("invalid argument bytes: expected a positive number of bytes. Received: bytes=%d", bytes)
	}
	m.memLimit = bytes
	return nil
}

// MemoryLimit returns the model's memory limit in bytes.
func (m *Model) MemoryLimit() int64 {
	if m.memLimit == 0 {
		return DefaultMemoryLimit
	}
	return m.memLimit
}

// MemoryError says that an operation would need more memory than the
// model's limit. Need is an estimate, made before anything is allocated.
type MemoryError struct {
	Op     string  // "build", "fit", "evaluate", "predict", ...
	Model  string  // the model's name
	Need   float64 // the estimated bytes
	Limit  int64   // the model's limit in bytes
	Detail string  // where the bytes would go
	Fix    string  // what to change
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("model %q would need about %s of memory (%s), above its memory limit of %s; %s",
		e.Model, formatBytes(e.Need), e.Detail, formatBytes(float64(e.Limit)), e.Fix)
}

// formatBytes writes a byte count in the largest binary unit below it.
func formatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// flow is the shapes that data of one input shape takes through the model,
// without the batch: the model's input, the input of each layer and the
// model's output.
type flow struct {
	in, out tensor.Shape
	ins     []tensor.Shape
}

// checkWeightMemory refuses to build layers whose weights, with their
// gradients, would exceed the limit. ins[i] is the input shape of layer i
// (used only while it is not built).
func (m *Model) checkWeightMemory(layers []nn.Layer, ins []tensor.Shape) error {
	var total, top float64
	topName := ""
	for i, l := range layers {
		w := weightValues(l, ins[i])
		total += w
		if w > top {
			top, topName = w, layerLabel(l)
		}
	}
	need := total * 2 * bytesPerValue
	if need <= float64(m.MemoryLimit()) {
		return nil
	}
	return &MemoryError{Op: "build", Model: m.name, Need: need, Limit: m.MemoryLimit(),
		Detail: fmt.Sprintf("%.0f weights and as many gradients, of which layer %s has %.0f weights", total, topName, top),
		Fix:    "use a smaller model (fewer units or filters, or a smaller input to a Dense layer), or raise the limit with SetMemoryLimit"}
}

// weightValues returns the weights of l: those it has when built, else
// those Build would create for input shape in.
func weightValues(l nn.Layer, in tensor.Shape) float64 {
	if l.Base().Built {
		var w float64
		for _, p := range l.Params() {
			w += float64(len(p.Value.Data))
		}
		return w
	}
	return nn.LayerFootprint(l, in).Weights
}

// layerLabel names a layer the way errors do: "dense" (Dense).
func layerLabel(l nn.Layer) string {
	return fmt.Sprintf("%q (%s)", l.Base().Name, l.Base().ClassName)
}

// runEstimate is what a run needs: bytes independent of the batch size
// (weights, gradients, optimizer state) and bytes per sample of a batch.
type runEstimate struct {
	fixed     float64 // bytes of the weights and what goes with them
	perSample float64 // bytes per sample of a batch
	state     string  // what fixed counts
	top       float64 // bytes per sample of the largest layer
	topName   string
}

// estimateRun adds up the layers' footprints for data that flows as f.
// training counts the gradients of the activations and the optimizer's
// state.
func (m *Model) estimateRun(f flow, training bool) runEstimate {
	var weights, scratch, perSample float64
	e := runEstimate{state: "weights and gradients"}
	for i, l := range m.layers {
		fp := nn.LayerFootprint(l, f.ins[i])
		weights += weightValues(l, f.ins[i])
		scratch += fp.Scratch
		v := fp.Forward
		if training {
			v += fp.Backward
		}
		perSample += v
		if v > e.top {
			e.top, e.topName = v, layerLabel(l)
		}
	}
	copies := 2.0 // values and gradients
	if training {
		state := optimizerValues
		if m.c != nil && m.c.opt != nil {
			if n, ok := nn.OptimizerStateValues(m.c.opt); ok {
				state = n
			}
		}
		copies += float64(state)
		e.state = "weights, gradients and optimizer state"
	}
	// The model's own buffers: the gathered x and y, and ∂loss/∂output.
	perSample += shapeValues(f.in) + 2*shapeValues(f.out)
	e.fixed = (weights*copies + scratch) * bytesPerValue
	if scratch > 0 {
		e.state += " and convolution scratch"
	}
	e.perSample = perSample * bytesPerValue
	e.top *= bytesPerValue
	return e
}

// checkRunMemory refuses a run whose batches of the given size would need,
// with the weights, more memory than the limit. training counts the
// gradients of the activations and the optimizer's state; extra is memory
// the run allocates besides (predict's output), in bytes.
func (m *Model) checkRunMemory(op string, f flow, batch int, training bool, extra float64) error {
	e := m.estimateRun(f, training)
	b := float64(batch)
	fixed := e.fixed + extra
	need := fixed + e.perSample*b
	limit := float64(m.MemoryLimit())
	if need <= limit {
		return nil
	}
	detail := fmt.Sprintf("%s %s; a batch of %d: %s, of which layer %s takes %s",
		e.state, formatBytes(e.fixed), batch, formatBytes(e.perSample*b), e.topName, formatBytes(e.top*b))
	if extra > 0 {
		detail += "; the predictions " + formatBytes(extra)
	}
	fix := "use a smaller model (fewer units or filters, or smaller inputs), or raise the limit with SetMemoryLimit"
	if fits := math.Floor((limit - fixed) / e.perSample); fits >= 1 && fits < b {
		fix = fmt.Sprintf("use a smaller batch_size (%.0f or less fits), or a smaller model, or raise the limit with SetMemoryLimit", fits)
	}
	if extra > limit/2 {
		fix += "; predict fewer samples at a time"
	}
	return &MemoryError{Op: op, Model: m.name, Need: need, Limit: m.MemoryLimit(), Detail: detail, Fix: fix}
}

// shapeValues is the number of values of a shape without the batch.
func shapeValues(s tensor.Shape) float64 {
	n := 1.0
	for _, d := range s {
		n *= float64(max(d, 1))
	}
	return n
}
