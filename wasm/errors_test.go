package main

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// goSyntax matches what a JS user must never read in a message: Go package
// prefixes, Go method chains, Go type names and Go's printing of nil.
var goSyntax = regexp.MustCompile(`\b(nn|sequential|main): |\b(Compile|FromJSON|FromConfig|ToJSON|Build|Fit|Add|AddConfig|SetWeights|NewCallback): |` +
	`interface \{\}|<nil>|\bmap\[|\[\]any|\*[a-z]+\.[A-Z]|CompileOptions|FitOptions|%!`)

// assertDoor checks an error as it leaves for JS: exactly one prefix, the
// JS method op, no Go syntax, and the Keras class want.
func assertDoor(t *testing.T, err error, op, want string, contains ...string) {
	t.Helper()
	require.Error(t, err)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, op+": "), "%q does not start with %q", msg, op+": ")
	assert.False(t, strings.HasPrefix(strings.TrimPrefix(msg, op+": "), op+": "), "%q names %s twice", msg, op)
	assert.False(t, goSyntax.MatchString(msg), "%q has Go syntax: %q", msg, goSyntax.FindString(msg))
	assert.Equal(t, want, errorName(err), msg)
	for _, c := range contains {
		assert.Contains(t, msg, c)
	}
}

// TestErrorsReachJSWithOnePrefixAndTheirClass walks representative mistakes
// through the runtime, as the JS table calls it.
func TestErrorsReachJSWithOnePrefixAndTheirClass(t *testing.T) {
	rt := NewRuntime()
	x, y := binaryData(4, 32, 100)
	compiled := func(t *testing.T) int {
		h := seedBinaryModel(t, rt)
		require.NoError(t, rt.Compile(h, `{"loss": "binary_crossentropy"}`, nil))
		return h
	}
	tests := []struct {
		name, op, class string
		run             func(t *testing.T) error
		contains        []string
	}{
		{"unknown argument", "add", nn.ValueError, func(t *testing.T) error {
			return rt.Add(seedBinaryModel(t, rt), `{"class_name": "Dense", "config": {"units": 2, "unit": 4}}`)
		}, []string{`unknown argument "unit"`, "Dense takes: ", "units"}},
		{"bad value", "add", nn.ValueError, func(t *testing.T) error {
			return rt.Add(seedBinaryModel(t, rt), `{"class_name": "Dense", "config": {"units": 0}}`)
		}, []string{"Dense: invalid argument units", "Received: units=0"}},
		{"not implemented argument", "add", nn.NotImplementedError, func(t *testing.T) error {
			return rt.Add(seedBinaryModel(t, rt), `{"class_name": "Dense", "config": {"units": 2, "lora_rank": 4}}`)
		}, []string{"lora_rank", "not implemented"}},
		{"not implemented value", "add", nn.NotImplementedError, func(t *testing.T) error {
			h, err := rt.NewModel(`{}`)
			require.NoError(t, err)
			return rt.Add(h, `{"class_name": "Conv2D", "config": {"filters": 2, "kernel_size": 3, "groups": 2, "input_shape": [8, 8, 2]}}`)
		}, []string{"groups", "not implemented"}},
		{"not implemented loss argument", "compile", nn.NotImplementedError, func(t *testing.T) error {
			return rt.Compile(seedBinaryModel(t, rt),
				`{"loss": {"class_name": "SparseCategoricalCrossentropy", "config": {"ignore_class": 1}}}`, nil)
		}, []string{"loss: SparseCategoricalCrossentropy: invalid argument ignore_class"}},
		{"fit before compile", "fit", nn.ValueError, func(t *testing.T) error {
			_, err := fit(t, rt, seedBinaryModel(t, rt), x, y, `{"verbose": 0}`, Extras{})
			return err
		}, []string{"compile your model", "model.compile({optimizer, loss})"}},
		{"train_on_batch before compile", "train_on_batch", nn.ValueError, func(t *testing.T) error {
			_, err := rt.TrainOnBatch(seedBinaryModel(t, rt), x, y, "", Extras{})
			return err
		}, []string{"compile your model"}},
		{"shape mismatch", "fit", nn.ValueError, func(t *testing.T) error {
			_, err := fit(t, rt, compiled(t), tensor.New(32, 7), y, `{"verbose": 0}`, Extras{})
			return err
		}, []string{"expected shape=(None, 100)", "found shape=(32, 7)"}},
		{"validation shape mismatch", "fit", nn.ValueError, func(t *testing.T) error {
			ex := Extras{ValidationX: tensor.New(4, 7), ValidationY: tensor.New(4, 1)}
			_, err := fit(t, rt, compiled(t), x, y, `{"verbose": 0}`, ex)
			return err
		}, []string{"validation_data: input of model"}},
		{"unknown fit option", "fit", nn.ValueError, func(t *testing.T) error {
			_, err := fit(t, rt, compiled(t), x, y, `{"epoch": 2}`, Extras{})
			return err
		}, []string{`unknown argument "epoch"`, "epochs"}},
		{"a string for a number", "fit", nn.ValueError, func(t *testing.T) error {
			_, err := fit(t, rt, compiled(t), x, y, `{"epochs": "ten"}`, Extras{})
			return err
		}, []string{`Received: epochs="ten"`}},
		{"predict shape", "predict", nn.ValueError, func(t *testing.T) error {
			_, err := rt.Predict(compiled(t), tensor.New(3, 7), "{}", Extras{})
			return err
		}, []string{"found shape=(3, 7)"}},
		{"layers not a list", "model_from_json", nn.ValueError, func(t *testing.T) error {
			_, err := rt.FromConfig(`{"class_name": "Sequential", "config": {"layers": 3}}`)
			return err
		}, []string{`"layers" must be a list`, "received the number 3"}},
		{"a layer entry not an object", "model_from_json", nn.ValueError, func(t *testing.T) error {
			_, err := rt.FromConfig(`{"class_name": "Sequential", "config": {"layers": [[1]]}}`)
			return err
		}, []string{"layer 0 must be a config", "received a list"}},
		{"set_weights count", "set_weights", nn.ValueError, func(t *testing.T) error {
			return rt.SetWeights(seedBinaryModel(t, rt), -1, []*tensor.Tensor{tensor.New(2)})
		}, []string{"you called set_weights(weights)", "expecting 4"}},
		{"a JS callback's TypeError", "fit", nn.TypeError, func(t *testing.T) error {
			hook := func(int, string, int, int, sequential.Logs, []string, bool) error {
				return &jsThrown{msg: "callbacks[0].onEpochEnd threw: nope", name: "TypeError"}
			}
			ex := Extras{Callbacks: `[{"js": 0, "hooks": ["epoch_end"]}]`, Hook: hook}
			_, err := fit(t, rt, compiled(t), x, y, `{"verbose": 0}`, ex)
			return err
		}, []string{"fit: callbacks[0].onEpochEnd threw: nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { assertDoor(t, tt.run(t), tt.op, tt.class, tt.contains...) })
	}
}

func TestWrapNamesTheMethodOnce(t *testing.T) {
	base := errors.New("x is bad")
	once := wrap("fit", base)
	assert.Equal(t, "fit: x is bad", once.Error())
	assert.Equal(t, once, wrap("fit", once), "an error named before is not named again")
	assert.Equal(t, once, wrap("evaluate", once), "the first name, the method called, stays")
	own := &nn.ArgError{Owner: "fit", Key: "epochs", Value: "ten", Want: "an integer"}
	assert.Equal(t, own, wrap("fit", own), "an ArgError of fit's own options names fit itself")
	assert.ErrorIs(t, wrap("fit", fmt.Errorf("loss: %w", base)), base)
	assert.Nil(t, wrap("fit", nil))
}

func TestErrorNames(t *testing.T) {
	var internal error
	func() {
		panicOut = &strings.Builder{}
		defer func() { panicOut = os.Stderr }()
		defer guard("op", &internal)
		var m map[string]int
		m["x"] = 1
	}()
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("x"), nn.ValueError},
		{"not implemented", wrap("add", &nn.NotImplemented{What: "the layer LSTM"}), nn.NotImplementedError},
		{"internal", internal, "Error"},
		{"recovered in sequential", wrap("fit", &sequential.PanicError{Op: "Fit", Value: "boom"}), "Error"},
		{"thrown TypeError", wrap("fit", &jsThrown{msg: "m threw: t", name: "TypeError"}), nn.TypeError},
		{"thrown other", wrap("fit", &jsThrown{msg: "m threw: r", name: "RangeError"}), "Error"},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, errorName(tc.err)) })
	}
	assert.Contains(t, internal.Error(), "op: internal error (a bug in keraswasm")
}
