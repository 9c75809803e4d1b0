package main

import (
	"encoding/json"

	"github.com/keraswasm/keraswasm/sequential"
)

// The TF.js Layers door: a model's artifacts out as JSON (TF.js's
// ModelArtifacts without weightData) and its weight bytes, and a model or
// its weights from the same in. js/src/io/router.mjs makes IOHandler
// artifacts of them. op is the JS method the user called.

// SaveTFJS returns the model's artifacts JSON and weight data; weightsOnly
// leaves out the topology (save_weights).
func (r *Runtime) SaveTFJS(h int, includeOptimizer, weightsOnly bool, op string) (js string, data []byte, err error) {
	defer guard(op, &err)
	m, err := r.model(h, op, false)
	if err != nil {
		return "", nil, err
	}
	// The artifacts hold a copy of the weights and, with the optimizer, of
	// its slots (at most three per weight: RMSprop's rms, mg and momentum).
	copies := 1.0
	if includeOptimizer && !weightsOnly {
		copies = 4
	}
	release, err := r.reserveCopy(op, m, copies)
	if err != nil {
		return "", nil, err
	}
	defer release()
	a, err := m.TFJSArtifacts(includeOptimizer && !weightsOnly)
	if err != nil {
		return "", nil, wrap(op, err)
	}
	if weightsOnly {
		a.ModelTopology = nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", nil, wrap(op, err)
	}
	return string(b), a.WeightData, nil
}

// LoadTFJS makes a model from artifacts JSON and weight data and returns
// its handle.
func (r *Runtime) LoadTFJS(artifacts string, data []byte, op string) (h int, err error) {
	defer guard(op, &err)
	a, err := sequential.ParseTFJSArtifacts([]byte(artifacts))
	if err != nil {
		return 0, wrap(op, err)
	}
	a.WeightData = data
	m, err := sequential.FromTFJSArtifactsIn(r.budget, a, r.nextSeed())
	if err != nil {
		return 0, wrap(op, err)
	}
	return r.register(m), nil
}

// LoadTFJSWeights reads the weights of artifacts into the model (refused
// during a fit; weights that do not fit change nothing).
func (r *Runtime) LoadTFJSWeights(h int, artifacts string, data []byte, op string) (err error) {
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	a, err := sequential.ParseTFJSArtifacts([]byte(artifacts))
	if err != nil {
		return wrap(op, err)
	}
	return wrap(op, m.LoadTFJSWeights(a.WeightSpecs, data, false))
}
