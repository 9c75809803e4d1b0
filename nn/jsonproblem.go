package nn

import (
	"encoding/json"
	"errors"
	"fmt"
)

// JSONProblem says what is wrong with JSON that does not decode into the Go
// value it was meant for, without encoding/json's Go type names ("cannot
// unmarshal number into Go value of type map[string]interface {}"), which
// a JS user or a file must never read.
func JSONProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("received a JSON %s for %s", te.Value, te.Field)
		}
		return "received a JSON " + te.Value
	}
	return "the JSON is malformed: " + err.Error()
}
