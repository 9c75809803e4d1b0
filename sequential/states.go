package sequential

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
)

// stateful is a layer that carries states across batches (a stateful
// SimpleRNN, LSTM or GRU).
type stateful interface {
	ResetStates()
}

// ResetStates sets the carried states of every stateful layer back to
// zeros, as Keras's model.reset_states() does (the layers that carry none
// are left alone).
func (m *Model) ResetStates() {
	for _, l := range m.layers {
		if s, ok := l.(stateful); ok {
			s.ResetStates()
		}
	}
}

// statefulLayer is a layer that may carry states (SimpleRNN, LSTM, GRU,
// Bidirectional); IsStateful says whether this one does.
type statefulLayer interface {
	IsStateful() bool
}

// isStateful says whether l carries states across batches.
func isStateful(l nn.Layer) bool {
	s, ok := l.(statefulLayer)
	return ok && s.IsStateful()
}

// hasStateful says whether one of the model's layers is stateful.
func (m *Model) hasStateful() bool {
	for _, l := range m.layers {
		if isStateful(l) {
			return true
		}
	}
	return false
}

// checkStatefulBatch refuses to build a stateful layer for an input without
// a fixed batch size, with Keras's words (tf_keras/layers/rnn/base_rnn.py
// reset_states: "If a RNN is stateful, it needs to know its batch size").
// The carried states are (batch, units): without the batch size a state
// could not be kept from one batch to the next.
func checkStatefulBatch(layers []nn.Layer, spec *inputSpec) error {
	if spec.batchSize > 0 {
		return nil
	}
	for _, l := range layers {
		if isStateful(l) {
			b := l.Base()
			return fmt.Errorf("layer %q (%s): if a RNN is stateful, it needs to know its batch size. Specify the batch size of your input tensors: "+
				"pass batch_size (or batch_input_shape) to the first layer of the Sequential model, e.g. batch_size=32, input_shape=%v, or keras.Input(shape, {batch_size: 32})",
				b.Name, b.ClassName, pyTuple(spec.shape))
		}
	}
	return nil
}

// checkStatefulSamples refuses a number of samples that the fixed batch
// size does not divide, in Keras 2's words (training_v1: "In a stateful
// network, you should only pass inputs with a number of samples that can be
// divided by the batch size"); a last, smaller batch would start from
// states of another size.
func (m *Model) checkStatefulSamples(n int) error {
	fixed := m.BatchSize()
	if fixed == 0 || n%fixed == 0 || !m.hasStateful() {
		return nil
	}
	return fmt.Errorf("in a stateful network, you should only pass inputs with a number of samples that can be divided by the batch size. Found: %d samples. Batch size: %d", n, fixed)
}

// checkOnBatch refuses a batch of another size than the fixed one (Keras:
// the input spec's batch dimension) for the *_on_batch calls.
func (m *Model) checkOnBatch(n int) error {
	if fixed := m.BatchSize(); fixed > 0 && n != fixed {
		return fmt.Errorf("the model's input has a fixed batch size of %d (batch_size or batch_input_shape of its first layer): expected a batch of %d samples; received %d",
			fixed, fixed, n)
	}
	return nil
}

// pyTuple writes a shape as Python writes a tuple: (6, 8), (784,), None for
// an unknown dimension.
func pyTuple(s []int) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = "None"
		if d >= 0 {
			parts[i] = strconv.Itoa(d)
		}
	}
	if len(parts) == 1 {
		return "(" + parts[0] + ",)"
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// StatesError says that reset_states was called on a layer that carries no
// states. Its Keras class is TypeError for a layer without reset_states at
// all (Python's AttributeError: 'Dense' object has no attribute
// 'reset_states'), ValueError for a recurrent layer that is not stateful
// (Keras: "Layer must be stateful.").
type StatesError struct {
	Layer, Class string
	Recurrent    bool
}

func (e *StatesError) Error() string {
	if e.Recurrent {
		return fmt.Sprintf("layer %q (%s): layer must be stateful. reset_states() resets the states a recurrent layer made with stateful=True carries from batch to batch", e.Layer, e.Class)
	}
	return fmt.Sprintf("layer %q (%s) has no states to reset: reset_states() is a method of the stateful recurrent layers (SimpleRNN, LSTM, GRU, Bidirectional)", e.Layer, e.Class)
}

// KerasClass reports TypeError or ValueError (see StatesError).
func (e *StatesError) KerasClass() string {
	if e.Recurrent {
		return nn.ValueError
	}
	return nn.TypeError
}

// ResetLayerStates resets the carried states of layer i, as Keras's
// model.layers[i].reset_states(); a layer that carries none is an error.
func (m *Model) ResetLayerStates(i int) error {
	if i < 0 || i >= len(m.layers) {
		return fmt.Errorf("the model has %d layers; there is no layer %d", len(m.layers), i)
	}
	l := m.layers[i]
	s, ok := l.(statefulLayer)
	if !ok || !s.IsStateful() {
		return &StatesError{Layer: l.Base().Name, Class: l.Base().ClassName, Recurrent: ok}
	}
	l.(stateful).ResetStates()
	return nil
}
