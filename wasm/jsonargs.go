package main

import (
	"encoding/json"
	"errors"
	"fmt"
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

// jsonProblem says what is wrong with JSON that does not decode into the
// Go value it was meant for, without encoding/json's Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("received a JSON %s for %s", te.Value, te.Field)
		}
		return "received a JSON " + te.Value
	}
	return "the JSON is malformed: " + err.Error()
}
