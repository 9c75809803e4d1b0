package sequential

// History records the logs of every epoch; Fit adds one and returns it.
// Keras: keras/src/callbacks/history.py.
type History struct {
	BaseCallback
	// History maps each log name ("loss", "accuracy", "val_loss", ...) to
	// its value at the end of each epoch.
	History map[string][]float64
	// Epoch lists the epochs recorded (0-based, from initial_epoch).
	Epoch []int
	// Params are the run's parameters: {"verbose", "epochs", "steps", ...}.
	Params map[string]any
}

// NewHistory returns an empty History.
func NewHistory() *History { return &History{History: map[string][]float64{}} }

// SetParams keeps the run's parameters.
func (h *History) SetParams(p map[string]any) { h.Params = p }

// OnTrainBegin starts a new list of epochs; values of an earlier run with the
// same History are kept, as in Keras.
func (h *History) OnTrainBegin(Logs) error {
	h.Epoch = nil
	if h.History == nil {
		h.History = map[string][]float64{}
	}
	return nil
}

// OnEpochEnd appends the epoch's logs.
func (h *History) OnEpochEnd(epoch int, logs Logs) error {
	h.Epoch = append(h.Epoch, epoch)
	for k, v := range logs {
		h.History[k] = append(h.History[k], v)
	}
	if h.Model != nil {
		h.Model.history = h
	}
	return nil
}
