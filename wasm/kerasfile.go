package main

import (
	"bytes"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
)

// The Keras 3 file door: a model's .keras bytes and .weights.h5 bytes out,
// a model from .keras bytes and weights from .weights.h5 bytes in. op is
// the JS method the user called (it prefixes errors); the bytes cross as
// one copy each way.

// SaveKeras returns the model as a Keras 3 .keras file, with the compiled
// optimizer's state unless includeOptimizer is false.
func (r *Runtime) SaveKeras(h int, includeOptimizer bool, op string) (b []byte, err error) {
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return nil, err
	}
	copies := 2.0 // the weights' values and the file's copy of them
	if o := m.Optimizer(); includeOptimizer && o != nil {
		if n, ok := nn.OptimizerStateValues(o); ok {
			copies *= float64(n) // and each slot's, as many as the weights
		} else {
			copies *= 4
		}
	}
	release, err := r.reserveCopy(op, m, copies)
	if err != nil {
		return nil, err
	}
	defer release()
	var buf bytes.Buffer
	if err := m.SaveKerasWith(&buf, includeOptimizer); err != nil {
		return nil, wrap(op, err)
	}
	return buf.Bytes(), nil
}

// LoadKeras makes a model from the bytes of a Keras 3 .keras file and
// returns its handle.
func (r *Runtime) LoadKeras(b []byte, op string) (h int, err error) {
	defer guard(op, &err)
	m, err := sequential.LoadKerasIn(r.budget, bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return 0, wrap(op, err)
	}
	return r.register(m), nil
}

// SaveWeightsH5 returns the model's weights as a Keras 3 .weights.h5 file.
func (r *Runtime) SaveWeightsH5(h int, op string) (b []byte, err error) {
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return nil, err
	}
	release, err := r.reserveCopy(op, m, 2)
	if err != nil {
		return nil, err
	}
	defer release()
	var buf bytes.Buffer
	if err := m.SaveWeightsH5(&buf); err != nil {
		return nil, wrap(op, err)
	}
	return buf.Bytes(), nil
}

// LoadWeightsH5 reads a Keras 3 .weights.h5 file into the model's weights
// (refused during a fit; a file that does not fit changes nothing).
func (r *Runtime) LoadWeightsH5(h int, b []byte, op string) (err error) {
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	return wrap(op, m.LoadWeightsH5(bytes.NewReader(b), int64(len(b))))
}
