package parity

import "github.com/keraswasm/keraswasm/nn"

// Training is testdata/parity/training.json: small Sequential models
// trained by TF.js's model.fit from given weights (shuffle off), with the
// batch loss and every weight after each step. Both nn's step-by-step test
// and sequential's Fit test read it.
type Training struct {
	Header
	Cases []TrainingRun
}

// TrainingRun is one model: its Keras layer configs, compile and fit
// arguments, data, initial weights and what TF.js saw at each step.
type TrainingRun struct {
	Name    string
	Layers  []nn.Config
	Compile struct {
		Optimizer nn.Config
		Loss      any      // a Keras name or a decoded {class_name, config} dict
		Metrics   []string // Keras names, also the keys of the metric maps below
	}
	Fit struct {
		BatchSize int `json:"batch_size"`
		Epochs    int
		Shuffle   bool
	}
	X, Y              Tensor
	WeightNames       []string `json:"weight_names"` // "layer index/weight name"
	InitialWeights    []Tensor `json:"initial_weights"`
	InitialPrediction Tensor   `json:"initial_prediction"` // predict(x) before training
	Steps             []struct {
		Loss    float64            // the mean loss of the step's batch before its update, with penalties
		Metrics map[string]float64 // the batch's own metric values
		Weights []Tensor           // every weight after the step, in get_weights order
	}
	EpochLoss    []float64            `json:"epoch_loss"`    // per epoch, the batch losses' mean weighted by batch size
	EpochMetrics []map[string]float64 `json:"epoch_metrics"` // per epoch, likewise
	// Evaluate is model.evaluate(x, y) after training. Loss is Keras's
	// value: TF.js's own (TFJSLoss) leaves out the regularization penalties
	// that Keras adds, so the penalty on the final weights, computed by
	// TF.js's regularizers, is added to it.
	Evaluate struct {
		BatchSize             int                `json:"batch_size"`
		TFJSLoss              float64            `json:"tfjs_loss"`
		RegularizationPenalty float64            `json:"regularization_penalty"`
		Loss                  float64            `json:"loss"`
		Metrics               map[string]float64 `json:"metrics"`
	}
}
