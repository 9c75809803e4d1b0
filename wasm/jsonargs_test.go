package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// TestArgumentsThatAreNotObjectsNameNoGoType: JSON arguments of the wrong
// kind (found by FuzzDoor) get a message without encoding/json's Go type
// names ("map[string]interface {}").
func TestArgumentsThatAreNotObjectsNameNoGoType(t *testing.T) {
	rt := NewRuntime()
	_, err := rt.NewModel(`"m"`)
	assertDoor(t, err, "Sequential", nn.ValueError, "the arguments must be a JSON object; received a JSON string")
	h := seedBinaryModel(t, rt)
	assertDoor(t, rt.Compile(h, `[1]`, nil), "compile", nn.ValueError, "received a JSON array")
	assertDoor(t, rt.Build(h, `3`), "build", nn.ValueError, "received a JSON number")
	_, err = rt.Predict(h, tensor.New(1, 100), `true`, Extras{})
	assertDoor(t, err, "predict", nn.ValueError, "received a JSON bool")
	_, err = rt.Evaluate(h, tensor.New(1, 100), tensor.New(1, 1), `{"verbose": 0,`, Extras{})
	assertDoor(t, err, "evaluate", nn.ValueError, "the JSON is malformed")
	_, err = rt.Predict(h, tensor.New(1, 100), `{"verbose": 0}`, Extras{Callbacks: `{"js": 1}`})
	assertDoor(t, err, "predict", nn.ValueError, "callbacks: malformed list: received a JSON object")
}

// TestLayerConfigThatIsNotAnObject: add('3') (found by FuzzDoor).
func TestLayerConfigThatIsNotAnObject(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	assertDoor(t, rt.Add(h, `3`), "add", nn.ValueError, "a config must be a JSON object; received a JSON number")
}

// TestOneErrorPerArgument: a batch_size that is no integer is one error,
// not a second one about the default read in its place (seen by the JS
// property tests: "batch_size=1e+300; ... batch_size=0").
func TestOneErrorPerArgument(t *testing.T) {
	rt := NewRuntime()
	h := seedBinaryModel(t, rt)
	_, err := rt.Predict(h, tensor.New(1, 100), `{"batch_size": 1e300}`, Extras{})
	assertDoor(t, err, "predict", nn.ValueError, "batch_size=1e+300")
	assert.NotContains(t, err.Error(), "batch_size=0")
}
