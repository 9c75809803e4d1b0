package sequential

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
)

// EvaluateOptionsFromMap reads evaluate's keyword arguments as decoded JSON
// carries them (batch_size, verbose, sample_weight, steps, return_dict);
// unknown keys are rejected, and so are x, y and the generator arguments.
// callbacks come beside the JSON (EvaluateOptions.Callbacks).
// Keras: Model.evaluate.
func EvaluateOptionsFromMap(m map[string]any) (EvaluateOptions, error) {
	a := nn.NewArgs("evaluate", m)
	o := EvaluateOptions{BatchSize: readBatchSize(a), Verbose: readVerbose(a, 1), Steps: readSteps(a)}
	o.SampleWeight = readSampleWeight(a)
	readReturnDict(a)
	besideOptions(a, "callbacks")
	refuseData(a, "x", "y")
	refuseGeneratorArgs(a)
	return o, a.Err()
}

// PredictOptionsFromMap reads predict's keyword arguments (batch_size,
// verbose, steps); unknown keys are rejected, and so are x and the
// generator arguments. callbacks come beside the JSON
// (PredictOptions.Callbacks). Keras: Model.predict.
//
// verbose 1 prints a progress bar over the samples, verbose 2 its last line
// only, as evaluate's. Its default is 0, Keras 2's (keras 2.2.4 and tf.keras
// before 2.9); "auto", tf.keras 2.9's and Keras 3's default, is 1.
func PredictOptionsFromMap(m map[string]any) (PredictOptions, error) {
	a := nn.NewArgs("predict", m)
	o := PredictOptions{BatchSize: readBatchSize(a), Verbose: readVerbose(a, 0), Steps: readSteps(a)}
	besideOptions(a, "callbacks")
	refuseData(a, "x")
	refuseGeneratorArgs(a)
	return o, a.Err()
}

// OnBatchOptions are the arguments of Keras's train_on_batch and
// test_on_batch after x and y.
type OnBatchOptions struct {
	// SampleWeight weighs each sample's loss (and the weighted metrics);
	// nil for all ones.
	SampleWeight []float32
}

// OnBatchOptionsFromMap reads the keyword arguments of op, "train_on_batch"
// or "test_on_batch": sample_weight, reset_metrics (true: the metrics are
// those of this batch alone) and return_dict; train_on_batch's class_weight
// is not implemented. Keras: Model.train_on_batch, Model.test_on_batch.
func OnBatchOptionsFromMap(op string, m map[string]any) (OnBatchOptions, error) {
	if op != "train_on_batch" && op != "test_on_batch" {
		panic(fmt.Sprintf("sequential: OnBatchOptionsFromMap: op %q is neither train_on_batch nor test_on_batch", op))
	}
	a := nn.NewArgs(op, m)
	o := OnBatchOptions{SampleWeight: readSampleWeight(a)}
	if op == "train_on_batch" {
		a.Unsupported("class_weight", "no class_weight (not implemented for train_on_batch): weight the samples with sample_weight")
	}
	if !a.Bool("reset_metrics", true) {
		a.Fail("reset_metrics", false, "true: accumulating metrics across calls is not implemented")
	}
	readReturnDict(a)
	refuseData(a, "x", "y")
	return o, a.Err()
}
