package main

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// Version names the runtime build.
const Version = "0.1.0"

// Names returns the table of names (sequential.Catalog) as JSON: by kind,
// every class and function with its aliases and Keras positional
// signature, and the Keras names that are not implemented. The JS package
// builds its whole namespace from it when the runtime loads.
func Names() (s string, err error) {
	defer guard("names", &err)
	t := sequential.Catalog()
	t.Kinds[sequential.KindCallbacks] = slices.DeleteFunc(t.Kinds[sequential.KindCallbacks], func(e nn.Entry) bool {
		return writesFiles[e.Name]
	})
	b, err := json.Marshal(t)
	return string(b), err
}

// writesFiles are the callbacks that write files: Go's js/wasm port has no
// file system (os.Create fails with "not implemented on js"), so JS is not
// offered them.
var writesFiles = map[string]bool{"CSVLogger": true}

// Get is Keras's get(identifier) for one kind (keras.layers.get,
// keras.losses.get, ...): identifierJSON is a name or a config dict. It
// returns the config of the object made ({"class_name": ..., "config":
// ...}), {"function": name} for an activation, or null for a null
// identifier where Keras returns None. An unknown name is a ValueError
// naming the nearest valid one; a Keras class that is not built here a
// NotImplementedError.
func Get(kind, identifierJSON string) (s string, err error) {
	op := kind + ".get"
	defer guard(op, &err)
	var v any
	if err := json.Unmarshal([]byte(identifierJSON), &v); err != nil {
		return "", fmt.Errorf("%s: expected a name or a config dict {\"class_name\": ..., \"config\": {...}}; %s", op, jsonProblem(err))
	}
	out, err := getObject(kind, v)
	if err != nil {
		return "", wrap(op, err)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// configured is what every object the registries make has: its config.
type configured interface{ Config() nn.Config }

// getObject makes the object of kind that v names or configures.
func getObject(kind string, v any) (any, error) {
	if kind == nn.KindActivations {
		a, err := nn.GetActivation(v)
		if err != nil {
			return nil, err
		}
		return map[string]string{"function": a.Name()}, nil
	}
	if v == nil {
		return nil, nil
	}
	config := func(c configured, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return c.Config(), nil
	}
	switch kind {
	case nn.KindLayers:
		return config(nn.GetLayer(v))
	case nn.KindOptimizers:
		return config(nn.GetOptimizer(v))
	case nn.KindLosses:
		return config(nn.GetLoss(v))
	case nn.KindMetrics:
		return config(nn.GetMetric(v))
	case nn.KindInitializers:
		return config(nn.GetInitializer(v))
	case nn.KindRegularizers:
		return config(nn.GetRegularizer(v))
	case nn.KindConstraints:
		return config(nn.GetConstraint(v))
	}
	return nil, fmt.Errorf("no get for the kind %q (a bug in the JS package)", kind)
}

// LossCall computes a loss function per sample (keras.losses.mse(y_true,
// y_pred)); the result has shape (batch,).
func LossCall(name string, yTrue, yPred *tensor.Tensor) (out *tensor.Tensor, err error) {
	op := "keras.losses." + name
	defer guard(op, &err)
	l, err := nn.GetLoss(name)
	if err != nil {
		return nil, wrap(op, err)
	}
	if yPred.Rank() < 1 || yTrue.Rank() < 1 {
		return nil, fmt.Errorf("%s: y_true and y_pred need a batch dimension; received shapes %v and %v", op, yTrue.Shape, yPred.Shape)
	}
	if err := l.Validate(yTrue, yPred.Shape); err != nil {
		return nil, wrap(op, err)
	}
	losses := make([]float64, yPred.Shape[0])
	l.Forward(losses, yTrue, yPred)
	out = tensor.New(len(losses))
	for i, v := range losses {
		out.Data[i] = float32(v)
	}
	return out, nil
}

// MetricCall computes a metric function per sample
// (keras.metrics.binary_accuracy(y_true, y_pred)); the result has shape
// (batch,). It runs the core's metric on one sample at a time, so the values
// are exactly what the metric averages during fit.
func MetricCall(name string, yTrue, yPred *tensor.Tensor) (out *tensor.Tensor, err error) {
	op := "keras.metrics." + name
	defer guard(op, &err)
	m, err := nn.GetMetric(name)
	if err != nil {
		return nil, wrap(op, err)
	}
	if yPred.Rank() < 1 || yTrue.Rank() < 1 || yTrue.Shape[0] != yPred.Shape[0] {
		return nil, fmt.Errorf("%s: y_true and y_pred need the same batch dimension; received shapes %v and %v", op, yTrue.Shape, yPred.Shape)
	}
	n := yPred.Shape[0]
	out = tensor.New(n)
	for i := 0; i < n; i++ {
		m.Reset()
		if err := m.Update(yTrue.Rows(i, i+1), yPred.Rows(i, i+1), nil); err != nil {
			return nil, wrap(op, err)
		}
		out.Data[i] = float32(m.Result())
	}
	return out, nil
}

// ActivationCall applies an activation function (keras.activations.relu(x)).
func ActivationCall(name string, x *tensor.Tensor) (out *tensor.Tensor, err error) {
	op := "keras.activations." + name
	defer guard(op, &err)
	a, err := nn.GetActivation(name)
	if err != nil {
		return nil, wrap(op, err)
	}
	if x.Rank() < 1 {
		return nil, fmt.Errorf("%s: x needs at least one dimension; received a scalar", op)
	}
	out = tensor.New(x.Shape...)
	a.Forward(out, x)
	return out, nil
}
