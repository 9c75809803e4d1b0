package nn

import "github.com/keraswasm/keraswasm/tensor"

// footprint counts a recurrent layer's time-major buffers (rnnRun): the
// dropped input, the gate pre-activations and activations, the states (and
// LSTM's cell states, GRU's recurrent products), the output forward; the
// gates' gradients, the input's and dx backward. T unknown counts as 1.
func (r *Recurrent) footprint(in tensor.Shape) Footprint {
	T, I := 1.0, 1.0
	if len(in) == 2 {
		T, I = float64(max(in[0], 1)), float64(max(in[1], 1))
	}
	U := float64(r.Units)
	KU := float64(r.kind.gates()) * U
	f := Footprint{Weights: I*KU + U*KU}
	if r.UseBias {
		f.Weights += KU
		if r.kind == kindGRU && r.ResetAfter {
			f.Weights += KU
		}
	}
	out := U
	if r.ReturnSequences {
		out = T * U
	}
	f.Forward = T*I + 2*T*KU + (T+1)*U + out + I + U
	f.Backward = T*KU + 2*T*I + 3*U
	switch r.kind {
	case kindLSTM:
		f.Forward += (T+1)*U + T*U
	case kindGRU:
		f.Forward += T * KU
		f.Backward += T * KU
		if !r.ResetAfter {
			f.Forward += T * U
		}
	}
	if r.RecurrentDropout > 0 {
		f.Forward += T * U
	}
	f.Backward += activityValues(&r.LayerBase, out)
	return f
}

// footprint counts the table, the output and its mask forward, dx backward.
func (e *Embedding) footprint(in tensor.Shape) Footprint {
	steps := shapeValues(in)
	out := steps * float64(e.OutputDim)
	return Footprint{Weights: float64(e.InputDim) * float64(e.OutputDim), Forward: out + steps, Backward: steps + activityValues(&e.LayerBase, out)}
}

// footprint is both layers' and the merged output forward, the two split
// output gradients and dx backward.
func (w *Bidirectional) footprint(in tensor.Shape) Footprint {
	f, b := w.layer.footprint(in), w.backward.footprint(in)
	out := shapeValues(in)
	if o, err := w.OutputShape(in); err == nil {
		out = shapeValues(o)
	}
	return Footprint{Weights: f.Weights + b.Weights, Forward: f.Forward + b.Forward + out,
		Backward: f.Backward + b.Backward + out + shapeValues(in) + activityValues(&w.LayerBase, out)}
}

// footprint is the wrapped layer's for one step, times the steps per sample
// (T unknown counts as 1); its scratch does not grow.
func (w *TimeDistributed) footprint(in tensor.Shape) Footprint {
	if len(in) < 2 {
		return Footprint{Forward: shapeValues(in), Backward: shapeValues(in)}
	}
	T := float64(max(in[0], 1))
	f := LayerFootprint(w.layer, in[1:])
	out := shapeValues(in)
	if o, err := w.OutputShape(in); err == nil {
		out = shapeValues(o)
	}
	return Footprint{Weights: f.Weights, Forward: T * f.Forward, Backward: T*f.Backward + activityValues(&w.LayerBase, out), Scratch: f.Scratch}
}
