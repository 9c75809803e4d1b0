package sequential

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
