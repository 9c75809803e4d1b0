package main

import "github.com/keraswasm/keraswasm/sequential"

// LoadTFJSState restores the weights (by position) and the optimizer's
// state of artifacts into the model: BackupAndRestore's restore
// (js/src/io/backup.mjs). Refused during a fit; a backup that does not fit
// changes nothing.
func (r *Runtime) LoadTFJSState(h int, artifacts string, data []byte, op string) (err error) {
	defer guard(op, &err)
	m, err := r.model(h, op, true)
	if err != nil {
		return err
	}
	a, err := sequential.ParseTFJSArtifacts([]byte(artifacts))
	if err != nil {
		return wrap(op, err)
	}
	return wrap(op, m.LoadTFJSState(a.WeightSpecs, data))
}
