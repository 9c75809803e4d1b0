package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/sequential"
	"github.com/keraswasm/keraswasm/tensor"
)

// Version names the runtime build.
const Version = "0.1.0"

// catalog lists what the core knows, for the JS namespace: the classes of
// each registry, and which of the JS package's candidate names (functions
// and classes that have no exported list) resolve.
type catalog struct {
	Layers               []string `json:"layers"`
	Optimizers           []string `json:"optimizers"`
	Losses               []string `json:"losses"`
	Metrics              []string `json:"metrics"`
	Activations          []string `json:"activations"`
	Initializers         []string `json:"initializers"`
	Regularizers         []string `json:"regularizers"`
	RegularizerFunctions []string `json:"regularizer_functions"`
	Constraints          []string `json:"constraints"`
	Callbacks            []string `json:"callbacks"`
	LossFunctions        []string `json:"loss_functions"`
	MetricFunctions      []string `json:"metric_functions"`
}

// known keeps the names get resolves; only an unknown name is left out
// (a name whose default arguments are not enough still exists).
func known(names []string, get func(string) error) []string {
	out := []string{}
	for _, n := range names {
		var unknown *nn.UnknownNameError
		if err := get(n); !errors.As(err, &unknown) {
			out = append(out, n)
		}
	}
	return out
}

// Names answers the JS namespace's question: which classes and functions
// exist. candidatesJSON maps a kind to the names the JS package knows.
func Names(candidatesJSON string) (s string, err error) {
	defer guard("names", &err)
	var cand map[string][]string
	if err := json.Unmarshal([]byte(candidatesJSON), &cand); err != nil {
		return "", fmt.Errorf("names: malformed candidates: %w", err)
	}
	ignore := func(_ any, err error) error { return err }
	c := catalog{
		Layers:      orEmpty(nn.LayerClasses()),
		Optimizers:  orEmpty(nn.OptimizerNames()),
		Losses:      orEmpty(nn.LossNames()),
		Metrics:     orEmpty(nn.MetricNames()),
		Activations: orEmpty(nn.ActivationNames()),
		Initializers: known(cand["initializers"], func(n string) error {
			return ignore(nn.GetInitializer(n))
		}),
		Regularizers: known(cand["regularizers"], func(n string) error {
			return ignore(nn.GetRegularizer(n))
		}),
		RegularizerFunctions: known(cand["regularizer_functions"], func(n string) error {
			return ignore(nn.GetRegularizer(n))
		}),
		Constraints: known(cand["constraints"], func(n string) error {
			return ignore(nn.GetConstraint(n))
		}),
		Callbacks: known(cand["callbacks"], func(n string) error {
			return ignore(sequential.NewCallback(nn.Config{ClassName: n}))
		}),
		LossFunctions: known(cand["loss_functions"], func(n string) error {
			return ignore(nn.GetLoss(n))
		}),
		MetricFunctions: orEmpty(nn.MetricFunctionNames()),
	}
	b, err := json.Marshal(c)
	return string(b), err
}

// orEmpty makes a nil list an empty one (JSON [] rather than null).
func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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
