package sequential

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// DefaultMemoryLimit is the limit of a model's own budget (a model made
// with New), unless SetMemoryLimit says otherwise: 2 GiB, half of the 4 GiB
// address space of wasm32, which leaves room for the Go runtime, the data
// and the page. A wasm runtime's one budget is set from what its memory can
// still grow to instead (wasm/memory.go).
const DefaultMemoryLimit int64 = 2 << 30

const (
	bytesPerValue = 4 // float32
	// optimizerValues is the optimizer's state per trainable weight at
	// most: the clipped-gradient buffer and up to three slots (Adam with
	// amsgrad).
	optimizerValues = 4
)

// SetMemoryLimit sets the limit of the budget the model reserves from (its
// own, unless it was made in a shared one): the bytes for weights (with
// their gradients and optimizer state) and the buffers of batches
// (activations, im2col columns, gradients). Build, Add, Compile, Fit,
// Evaluate and Predict estimate what they need first and refuse with a
// *MemoryError above the limit instead of running out of memory, which Go
// cannot recover from. The default is DefaultMemoryLimit.
func (m *Model) SetMemoryLimit(bytes int64) error { return m.account().b.SetLimit(bytes) }

// MemoryLimit returns the limit in bytes of the budget the model reserves from.
func (m *Model) MemoryLimit() int64 { return m.account().b.Limit() }

// MemoryInUse returns the bytes the model holds in its budget.
func (m *Model) MemoryInUse() int64 {
	a := m.account()
	a.b.mu.Lock()
	defer a.b.mu.Unlock()
	return int64(a.held())
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

// reserveWeights reserves the weights of layers about to be built (with
// their gradients, and the optimizer's state once compiled) on top of
// those the model holds, and refuses above the budget. ins[i] is the input
// shape of layers[i].
func (m *Model) reserveWeights(layers []nn.Layer, ins []tensor.Shape) error {
	var add, top float64
	topName := ""
	for i, l := range layers {
		if l.Base().Built {
			continue
		}
		w := weightValues(l, ins[i])
		add += w
		if w > top {
			top, topName = w, layerLabel(l)
		}
	}
	a := m.account()
	values := a.values + add
	detail := fmt.Sprintf("%.0f weights and as many gradients", values)
	if m.c != nil {
		detail += ", and the optimizer's state"
	}
	if topName != "" {
		detail += fmt.Sprintf(", of which layer %s has %.0f weights", topName, top)
	}
	_, err := a.reserve(m.weightRequest("build", values, m.optimizerState(), detail))
	return err
}

// weightRequest is the request that sets the model's weights to values
// weight values with state optimizer values per weight.
func (m *Model) weightRequest(op string, values float64, state int, detail string) request {
	a := m.account()
	return request{op: op, values: values, weights: values * 2 * bytesPerValue,
		state: values * float64(state) * bytesPerValue, buffers: a.buffers, detail: detail,
		fix: "use a smaller model (fewer units or filters, or a smaller input to a Dense layer)"}
}

// optimizerState is the optimizer's values per weight (0 before compile).
func (m *Model) optimizerState() int { return optimizerStateOf(m.c) }

func optimizerStateOf(c *compiled) int {
	if c == nil || c.opt == nil {
		return 0
	}
	if n, ok := nn.OptimizerStateValues(c.opt); ok {
		return n
	}
	return optimizerValues
}

// reserveCompiled reserves the state of c's optimizer for the built
// weights, replacing the state of the optimizer before.
func (m *Model) reserveCompiled(c *compiled) error {
	a := m.account()
	_, err := a.reserve(m.weightRequest("compile", a.values, optimizerStateOf(c),
		fmt.Sprintf("the optimizer's state for %.0f weights", a.values)))
	return err
}

// recountWeights sets the model's weights to those of its built layers
// (after Pop, which only gives memory back).
func (m *Model) recountWeights() {
	var values float64
	for _, l := range m.layers {
		if l.Base().Built {
			for _, p := range l.Params() {
				values += float64(len(p.Value.Data))
			}
		}
	}
	if _, err := m.account().reserve(m.weightRequest("pop", values, m.optimizerState(), "")); err != nil {
		panic("sequential: releasing weights was refused: " + err.Error())
	}
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
	scratch   float64 // bytes of the convolution scratch (part of fixed)
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
	e.scratch = scratch * bytesPerValue
	if scratch > 0 {
		e.state += " and convolution scratch"
	}
	e.perSample = perSample * bytesPerValue
	e.top *= bytesPerValue
	return e
}

// checkRunMemory reserves the buffers of a run whose batches have the
// given size (the layers keep them: the model holds the largest run's),
// and extra bytes besides for the call (predict's output), refusing above
// the budget. training counts the gradients of the activations. The
// returned function releases extra; call it when the call ends.
func (m *Model) checkRunMemory(op string, f flow, batch int, training bool, extra float64) (func(), error) {
	e := m.estimateRun(f, training)
	b := float64(batch)
	a := m.account()
	run := e.scratch + e.perSample*b
	q := m.weightRequest(op, a.values, m.optimizerState(), "")
	q.buffers, q.transient = max(a.buffers, run), extra
	q.detail = fmt.Sprintf("a batch of %d: %s, of which layer %s takes %s",
		batch, formatBytes(e.perSample*b), e.topName, formatBytes(e.top*b))
	if e.scratch > 0 {
		q.detail += "; convolution scratch " + formatBytes(e.scratch)
	}
	if extra > 0 {
		q.detail += "; the predictions " + formatBytes(extra)
	}
	q.fix = "use a smaller model (fewer units or filters, or smaller inputs)"
	if fits := math.Floor((a.room() - e.scratch - extra) / e.perSample); fits >= 1 && fits < b {
		q.fix = fmt.Sprintf("use a smaller batch_size (%.0f or less fits), or a smaller model", fits)
	}
	if extra > float64(a.b.Limit())/2 {
		q.fix += "; predict fewer samples at a time"
	}
	return a.reserve(q)
}

// room is the bytes the account's run buffers and a new transient could
// take: the limit less what everyone else holds and its own weights and
// calls in progress.
func (a *account) room() float64 {
	a.b.mu.Lock()
	defer a.b.mu.Unlock()
	return float64(a.b.limit) - (a.b.total() - a.buffers)
}

// shapeValues is the number of values of a shape without the batch.
func shapeValues(s tensor.Shape) float64 {
	n := 1.0
	for _, d := range s {
		n *= float64(max(d, 1))
	}
	return n
}
