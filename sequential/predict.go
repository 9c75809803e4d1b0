package sequential

import (
	"fmt"
	"io"
	"os"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// PredictOptions are the arguments of Keras's model.predict after x.
type PredictOptions struct {
	BatchSize int // 0 means 32
	Steps     int // when > 0, predict only the first Steps batches
	Callbacks []Callback
	// Verbose is 0 (silent, Keras 2's default), 1 (a progress bar over the
	// samples) or 2 (its last line only), as evaluate's.
	Verbose int
	Out     io.Writer // where Verbose output goes (nil: os.Stdout)
}

// Predict returns the model's outputs for x (samples, ...), computed in
// batches of batchSize (0 means 32) with dropout off. Keras: Model.predict.
func (m *Model) Predict(x *tensor.Tensor, batchSize int) (*tensor.Tensor, error) {
	return m.PredictWith(x, PredictOptions{BatchSize: batchSize})
}

// PredictWith is Predict with Keras's other arguments (steps, callbacks).
func (m *Model) PredictWith(x *tensor.Tensor, o PredictOptions) (out *tensor.Tensor, err error) {
	defer recoverInto(&err, "Predict")
	if o.Verbose < 0 || o.Verbose > 2 {
		return nil, &nn.ArgError{Owner: "predict", Key: "verbose", Value: o.Verbose, Want: "0 (silent), 1 (progress bar) or 2 (one line)"}
	}
	x, f, err := m.checkInputs("", x)
	if err != nil {
		return nil, err
	}
	n := x.Shape[0]
	bs, err := m.checkBatchSize("batch_size", o.BatchSize, n)
	if err != nil {
		return nil, err
	}
	if o.Steps < 0 {
		return nil, fmt.Errorf("invalid argument steps: expected a positive integer, or 0 for all the data. Received: steps=%d", o.Steps)
	}
	if o.Steps > 0 && o.Steps < (n+bs-1)/bs { // compared in batches: Steps·bs may overflow
		n = o.Steps * bs
	}
	release, err := m.checkRunMemory("predict", f, min(bs, n), false, float64(n)*shapeValues(f.out)*bytesPerValue)
	if err != nil {
		return nil, err
	}
	defer release()
	cbs := append(callbackList(nil), o.Callbacks...)
	if o.Verbose > 0 {
		// The bar writes to o.Out itself, not through the model's Out: a
		// predict may run while a fit of the same model waits (a JS fit
		// yields to the page), and fit's output must stay where it goes.
		out := o.Out
		if out == nil {
			out = os.Stdout
		}
		cbs = append(cbs, &ProgbarLogger{CountMode: "samples", Out: out})
	}
	cbs.setup(m, map[string]any{"verbose": o.Verbose, "epochs": 1, "steps": (n + bs - 1) / bs, "samples": n})
	logs := Logs{}
	if err := cbs.predictBegin(logs); err != nil {
		return nil, err
	}
	shape := append(tensor.Shape{n}, f.out...)
	out = tensor.New(shape...)
	per := shape.Size() / max(n, 1)
	d := &dataset{x: x, n: x.Shape[0]}
	seq := m.sequence(n)
	bl := m.batchLogs()
	for b, lo := 0, 0; lo < n; b, lo = b+1, lo+bs {
		hi := min(lo+bs, n)
		bl["batch"], bl["size"] = float64(b), float64(hi-lo)
		if err := cbs.predictBatchBegin(b, bl); err != nil {
			return nil, err
		}
		xb, _, _ := m.gather(d, seq[lo:hi])
		y := m.forward(xb, false)
		copy(out.Data[lo*per:hi*per], y.Data)
		if err := cbs.predictBatchEnd(b, bl); err != nil {
			return nil, err
		}
	}
	if err := cbs.predictEnd(logs); err != nil {
		return nil, err
	}
	return out, nil
}

// PredictOnBatch returns the outputs for x as one batch.
func (m *Model) PredictOnBatch(x *tensor.Tensor) (out *tensor.Tensor, err error) {
	defer recoverInto(&err, "PredictOnBatch")
	return m.oneBatch("predict_on_batch", x, false)
}
