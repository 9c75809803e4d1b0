package main

import (
	"encoding/json"
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
)

// decodeObject reads the JSON keyword arguments of the JS method op (what
// names them: "the arguments", "the options"). JS always sends an object;
// anything else is a bug of the JS package or a hand-made call, and its
// message must still name no Go type (encoding/json says "cannot unmarshal
// string into Go value of type map[string]interface {}"). JSON null is no
// arguments, as an empty object.
func decodeObject(op, what, s string) (map[string]any, error) {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, fmt.Errorf("%s: %s must be a JSON object; %s", op, what, jsonProblem(err))
	}
	return m, nil
}

// jsonProblem is nn.JSONProblem.
func jsonProblem(err error) string { return nn.JSONProblem(err) }
