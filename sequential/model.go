package sequential

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// Model is Keras's Sequential model: layers applied one after another, one
// input and one output. Keras: keras/src/models/sequential.py.
//
// Make one with New, add layers with Add, Compile it, then Fit, Evaluate and
// Predict. The input shape comes from the first layer's input arguments
// (input_shape, input_dim, batch_input_shape), from an InputLayer config, from
// Build, or else from the first data the model sees.
type Model struct {
	name   string
	seed   uint64
	rng    *tensor.RNG // shuffling; layers draw from sources derived from seed
	layers []nn.Layer
	counts map[string]int      // Keras's per-class name counters: dense, dense_1, ...
	named  map[string]nn.Layer // the layers by name (appendLayer)

	in *inputSpec // nil until the input shape is known

	// shapes[i] is layer i's output shape without the batch; set for every
	// layer once the model is built.
	shapes []tensor.Shape
	builds uint64 // layers built so far; numbers their random sources

	acct         *account  // what it holds of its memory budget (budget.go); nil until first used
	c            *compiled // nil before Compile
	stopTraining bool
	out          io.Writer // where fit's messages go while it runs
	history      *History  // of the last fit
	buf          buffers
	st           stepState
}

// New returns an empty model. name "" gives Keras's "sequential". seed drives
// the initializers, the dropout masks and the shuffling: one seed, one run.
// Its memory budget is its own, of DefaultMemoryLimit (NewIn shares one).
func New(name string, seed uint64) *Model {
	if name == "" {
		name = "sequential"
	}
	return &Model{name: name, seed: seed, rng: tensor.NewRNG(seed), counts: map[string]int{}}
}

// NewIn is New for a model that reserves its memory from budget b, shared
// with other models (nil: a budget of its own). Release gives it back.
func NewIn(b *Budget, name string, seed uint64) *Model {
	m := New(name, seed)
	if b != nil {
		m.useBudget(b)
	}
	return m
}

// NewWithLayers returns a model made of layers, as Keras's
// Sequential([layer, ...]) does. The first error of Add is returned.
func NewWithLayers(name string, seed uint64, layers ...nn.Layer) (*Model, error) {
	m := New(name, seed)
	for _, l := range layers {
		if err := m.Add(l); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Name returns the model's name.
func (m *Model) Name() string { return m.name }

// Layers returns the model's layers in order (the slice is a copy; the layers
// are the model's own).
func (m *Model) Layers() []nn.Layer { return append([]nn.Layer(nil), m.layers...) }

// InputShape returns the input shape without the batch dimension (-1 for an
// unknown dimension), or nil while it is not known.
func (m *Model) InputShape() tensor.Shape {
	if m.in == nil {
		return nil
	}
	return m.in.shape.Clone()
}

// OutputShape returns the model's output shape without the batch dimension,
// or nil while the model is not built.
func (m *Model) OutputShape() tensor.Shape {
	if !m.Built() {
		return nil
	}
	if len(m.layers) == 0 {
		return m.in.shape.Clone()
	}
	return m.shapes[len(m.shapes)-1].Clone()
}

// Built reports whether every layer has its weights: the input shape is known.
func (m *Model) Built() bool { return m.in != nil && len(m.shapes) == len(m.layers) }

// Add appends a layer. Keras: Sequential.add.
//
// A layer without a name is given Keras's next name for its class (dense,
// dense_1, ...; counters are per model). If the model's input shape is known,
// the layer is built at once, and a layer that cannot take the previous
// layer's output is refused with an error naming both shapes. The model is
// unchanged after any error.
func (m *Model) Add(l nn.Layer) (err error) {
	defer recoverInto(&err, "Add")
	if l == nil || l.Base() == nil {
		return fmt.Errorf("expected a layer, received null")
	}
	b := l.Base()
	if m.layerNamed(b.Name) == l {
		return fmt.Errorf("layer %q is already in model %q; a layer can appear once, so make a new layer (or one from its config)", b.Name, m.name)
	}
	if b.Built {
		return fmt.Errorf("layer %q (%s) is already built, for another model; make a new layer (or one from its config, nn.NewLayer(layer.Config()))", b.Name, b.ClassName)
	}
	name, fresh, next := b.Name, b.Name == "", 0
	if fresh {
		name, next = m.nextName(b.ClassName)
	} else if m.layerNamed(name) != nil {
		return fmt.Errorf("all layers added to a Sequential model should have unique names. Name %q is already the name of a layer in this model; pass a unique name (or none, to get one)", name)
	}
	b.Name = name
	if err := m.attach(l); err != nil {
		if fresh {
			b.Name = ""
		}
		return err
	}
	if fresh {
		m.counts[nn.SnakeCase(b.ClassName)] = next
	}
	if m.c != nil {
		m.c.outputChanged()
	}
	return nil
}

// attach appends l, taking the model's input shape from l when it is the
// first layer and building it when the input shape is known.
func (m *Model) attach(l nn.Layer) error {
	b := l.Base()
	if err := m.checkMask(l); err != nil {
		return err
	}
	if len(m.layers) == 0 && m.in == nil && b.Input != nil {
		spec := &inputSpec{shape: b.Input.Clone(), batchSize: b.BatchSize, from: fromFirstLayer}
		if err := spec.check(); err != nil {
			return fmt.Errorf("layer %q: %w", b.Name, err)
		}
		m.in = spec
		if err := m.buildLayer(l, spec.shape); err != nil {
			m.in = nil
			return err
		}
		m.appendLayer(l)
		return nil
	}
	if m.Built() {
		if err := m.buildLayer(l, m.lastShape()); err != nil {
			return err
		}
	}
	m.appendLayer(l)
	return nil
}

// appendLayer appends l and indexes it by name, so that adding n layers
// takes time linear in n.
func (m *Model) appendLayer(l nn.Layer) {
	if m.named == nil {
		m.named = map[string]nn.Layer{}
	}
	m.layers = append(m.layers, l)
	m.named[l.Base().Name] = l
}

// AddConfig makes the layer a Keras config describes (nn.NewLayer) and adds
// it. An "InputLayer" config sets the model's input shape instead, as
// keras.Input / InputLayer does as the first entry of a Sequential model.
func (m *Model) AddConfig(c nn.Config) error {
	if isInputLayer(c.ClassName) {
		spec, err := parseInputLayer(c.Config)
		if err != nil {
			return err
		}
		return m.setInput(spec)
	}
	l, err := nn.NewLayer(c)
	if err != nil {
		return err
	}
	return m.Add(l)
}

// Pop removes the last layer. Keras: Sequential.pop. Compiled settings stay;
// metrics that depend on the output shape ('accuracy') are resolved again.
func (m *Model) Pop() error {
	if len(m.layers) == 0 {
		return fmt.Errorf("there are no layers in model %q", m.name)
	}
	delete(m.named, m.layers[len(m.layers)-1].Base().Name)
	m.layers = m.layers[:len(m.layers)-1]
	if len(m.shapes) > len(m.layers) {
		m.shapes = m.shapes[:len(m.layers)]
	}
	if len(m.layers) == 0 && m.in != nil && m.in.from == fromFirstLayer {
		m.in = nil
	}
	if m.c != nil {
		m.c.outputChanged()
	}
	m.recountWeights()
	return nil
}

// layerNamed returns the layer called name, or nil.
func (m *Model) layerNamed(name string) nn.Layer { return m.named[name] }

// GetLayer returns the layer called name, as Keras's model.get_layer(name).
func (m *Model) GetLayer(name string) (nn.Layer, error) {
	if l := m.layerNamed(name); l != nil {
		return l, nil
	}
	names := make([]string, len(m.layers))
	for i, l := range m.layers {
		names[i] = l.Base().Name
	}
	return nil, fmt.Errorf("no such layer: %q; the layers of %q are: %s", name, m.name, strings.Join(names, ", "))
}

// nextName returns Keras's next unused name for a layer class: "dense",
// then "dense_1", "dense_2", ... and the counter to keep once the layer is
// added. Keras's counter is global to the session; here it is per model, so
// a model's names do not depend on other models. Names a user chose are
// skipped.
func (m *Model) nextName(className string) (string, int) {
	base := nn.SnakeCase(className) // Keras: keras/src/utils/naming.py auto_name
	for n := m.counts[base]; ; n++ {
		name := base
		if n > 0 {
			name = fmt.Sprintf("%s_%d", base, n)
		}
		if m.layerNamed(name) == nil {
			return name, n + 1
		}
	}
}

// SetStopTraining asks fit to stop (Keras's model.stop_training = True); fit
// checks it after each batch and each epoch, and clears it when it starts.
func (m *Model) SetStopTraining(stop bool) { m.stopTraining = stop }

// StopTraining reports whether training was asked to stop.
func (m *Model) StopTraining() bool { return m.stopTraining }

// History returns the History of the last Fit (Keras's model.history), or nil.
func (m *Model) History() *History { return m.history }

// output is where messages of the running fit or evaluate go.
func (m *Model) output() io.Writer {
	if m.out != nil {
		return m.out
	}
	return os.Stdout
}
