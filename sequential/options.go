package sequential

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// FitOptions are the arguments of Keras's model.fit after x and y. Start
// from DefaultFitOptions: the zero value of a bool cannot say Keras's
// shuffle=True. Keras: keras/src/trainers/trainer.py fit.
type FitOptions struct {
	// Epochs is the number of epochs to train (Keras default 1); training
	// runs epochs InitialEpoch ... Epochs-1.
	Epochs int
	// BatchSize is the number of samples per gradient update; 0 means
	// Keras's default of 32 (batch_size=None).
	BatchSize int
	// Verbose is 0 (silent), 1 (a progress bar) or 2 (one line per epoch).
	Verbose int
	// Callbacks are called at Keras's hook points; History and (with
	// Verbose > 0) a ProgbarLogger are added after them, as Keras does.
	Callbacks []Callback
	// ValidationSplit is the fraction in [0, 1) of the data held out for
	// validation: the LAST samples, taken before any shuffling.
	ValidationSplit float64
	// ValidationX and ValidationY are validation data (Keras's
	// validation_data); they take precedence over ValidationSplit.
	ValidationX, ValidationY *tensor.Tensor
	// ValidationSampleWeight weighs the validation samples' losses (the
	// third element of Keras's validation_data tuple).
	ValidationSampleWeight []float32
	// Shuffle shuffles the training samples before each epoch (Keras
	// default true).
	Shuffle bool
	// ClassWeight maps a class index to a weight for the training loss
	// (Keras's class_weight); it multiplies SampleWeight.
	ClassWeight map[int]float64
	// SampleWeight weighs each training sample's loss (Keras's
	// sample_weight); nil for all ones.
	SampleWeight []float32
	// InitialEpoch is the epoch at which to start (to resume training).
	InitialEpoch int
	// StepsPerEpoch, when > 0, makes an epoch that many batches; the data
	// is then read as an endless stream of shuffled passes (Keras 3's
	// EpochIterator), so epochs need not start at a pass's beginning.
	StepsPerEpoch int
	// ValidationSteps, when > 0, limits validation to that many batches.
	ValidationSteps int
	// ValidationBatchSize is the batch size for validation; 0 means
	// BatchSize.
	ValidationBatchSize int
	// ValidationFreq runs validation every ValidationFreq epochs (0 means 1).
	ValidationFreq int
	// Out is where Verbose output goes (nil: os.Stdout).
	Out io.Writer
}

// DefaultFitOptions returns Keras's defaults: epochs 1, batch_size 32,
// verbose 1 ("auto"), shuffle true, validation_freq 1.
func DefaultFitOptions() FitOptions {
	return FitOptions{Epochs: 1, BatchSize: 32, Verbose: 1, Shuffle: true, ValidationFreq: 1}
}

// EvaluateOptions are the arguments of Keras's model.evaluate after x and y.
type EvaluateOptions struct {
	BatchSize    int // 0 means 32
	Verbose      int // 0 or 1 (a progress bar); Keras's evaluate default is 1 ("auto")
	SampleWeight []float32
	Steps        int // when > 0, evaluate only that many batches
	Callbacks    []Callback
	Out          io.Writer // nil: os.Stdout
}

// fitKeys are the keys FitOptionsFromMap takes, for its error messages.
var fitKeys = []string{"batch_size", "class_weight", "epochs", "initial_epoch", "sample_weight", "shuffle",
	"steps_per_epoch", "validation_batch_size", "validation_freq", "validation_split", "validation_steps", "verbose"}

// FitOptionsFromMap reads fit's keyword arguments as decoded JSON carries
// them (snake_case keys; numbers as float64), starting from
// DefaultFitOptions. null means the default. Unknown keys are rejected, as
// are Keras's arguments that mean nothing here (validation_data and
// callbacks are not JSON: the caller fills ValidationX/Y and Callbacks).
func FitOptionsFromMap(m map[string]any) (FitOptions, error) {
	o := DefaultFitOptions()
	a := nn.NewArgs("fit", m)
	o.Epochs = a.Int("epochs", o.Epochs)
	if bs := readBatchSize(a); bs > 0 {
		o.BatchSize = bs
	}
	o.Verbose = readVerbose(a)
	o.ValidationSplit = a.Float("validation_split", 0)
	o.Shuffle = readShuffle(a)
	o.ClassWeight = readClassWeight(a)
	if v, ok := a.Value("sample_weight"); ok {
		o.SampleWeight = readFloats(a, "sample_weight", v)
	}
	o.InitialEpoch = a.Int("initial_epoch", 0)
	o.StepsPerEpoch = a.Int("steps_per_epoch", 0)
	o.ValidationSteps = a.Int("validation_steps", 0)
	o.ValidationBatchSize = a.Int("validation_batch_size", 0)
	o.ValidationFreq = a.Int("validation_freq", 1)
	if v, ok := a.Value("validation_data"); ok {
		a.Fail("validation_data", v, "no validation_data among the JSON options: pass it beside them (FitOptions.ValidationX/Y)")
	}
	rejectData(a)
	if err := a.Err(); err != nil {
		return o, err
	}
	return o, o.check()
}

// readVerbose reads verbose: 0, 1, 2 or "auto" (1), as Keras.
func readVerbose(a *nn.Args) int {
	v, ok := a.Value("verbose")
	if !ok {
		return 1
	}
	if s, isStr := v.(string); isStr {
		if s != "auto" {
			a.Fail("verbose", s, `0, 1, 2 or "auto"`)
		}
		return 1
	}
	n := a.Int("verbose", 1)
	if n < 0 || n > 2 {
		a.Fail("verbose", n, `0 (silent), 1 (progress bar), 2 (one line per epoch) or "auto"`)
	}
	return n
}

// readShuffle reads shuffle: true or false; Keras's "batch" (for HDF5
// data) is not implemented.
func readShuffle(a *nn.Args) bool {
	v, ok := a.Value("shuffle")
	if !ok {
		return true
	}
	if s, isStr := v.(string); isStr {
		a.Fail("shuffle", s, `true or false (shuffle="batch" is not implemented here)`)
		return true
	}
	return a.Bool("shuffle", true)
}

// readClassWeight reads class_weight: a dict from class index (a JSON key
// is a string, "0") to weight.
func readClassWeight(a *nn.Args) map[int]float64 {
	v, ok := a.Value("class_weight")
	if !ok {
		return nil
	}
	want := `a dict from class index to weight, such as {"0": 1, "1": 5}`
	out := map[int]float64{}
	switch d := v.(type) {
	case map[string]any:
		for k, w := range d {
			c, err := strconv.Atoi(k)
			f, okF := nn.Number(w)
			if err != nil || !okF {
				a.Fail("class_weight", v, want)
				return nil
			}
			out[c] = f
		}
	case map[int]float64:
		for k, w := range d {
			out[k] = w
		}
	default:
		a.Fail("class_weight", v, want)
		return nil
	}
	return out
}

// readFloats reads a list of numbers.
func readFloats(a *nn.Args, key string, v any) []float32 {
	switch x := v.(type) {
	case []float32:
		return x
	case []float64:
		out := make([]float32, len(x))
		for i, f := range x {
			out[i] = float32(f)
		}
		return out
	case []any:
		out := make([]float32, len(x))
		for i, e := range x {
			f, ok := nn.Number(e)
			if !ok {
				a.Fail(key, v, "a list of numbers, one per sample")
				return nil
			}
			out[i] = float32(f)
		}
		return out
	}
	a.Fail(key, v, "a list of numbers, one per sample")
	return nil
}

// check validates the options that do not depend on the data.
func (o *FitOptions) check() error {
	bad := func(key string, v any, want string) error {
		return fmt.Errorf("fit: invalid argument %s: expected %s. Received: %s=%v", key, want, key, v)
	}
	switch {
	case o.Epochs < 0:
		return bad("epochs", o.Epochs, "an integer >= 0")
	case o.BatchSize < 0:
		return bad("batch_size", o.BatchSize, "a positive integer")
	case o.Verbose < 0 || o.Verbose > 2:
		return bad("verbose", o.Verbose, "0 (silent), 1 (progress bar) or 2 (one line per epoch)")
	case !(o.ValidationSplit >= 0 && o.ValidationSplit < 1):
		return bad("validation_split", o.ValidationSplit, "a number in [0, 1), the fraction of the data (its last samples) held out for validation")
	case o.InitialEpoch < 0:
		return bad("initial_epoch", o.InitialEpoch, "an integer >= 0")
	case o.StepsPerEpoch < 0:
		return bad("steps_per_epoch", o.StepsPerEpoch, "a positive integer, or 0 (None) for one pass over the data")
	case o.ValidationSteps < 0:
		return bad("validation_steps", o.ValidationSteps, "a positive integer, or 0 (None) for all the validation data")
	case o.ValidationBatchSize < 0:
		return bad("validation_batch_size", o.ValidationBatchSize, "a positive integer, or 0 (None) for batch_size")
	case o.ValidationFreq < 0:
		return bad("validation_freq", o.ValidationFreq, "a positive integer")
	case (o.ValidationX == nil) != (o.ValidationY == nil):
		return fmt.Errorf("fit: validation_data needs both x and y (ValidationX and ValidationY); received only one")
	}
	for c, w := range o.ClassWeight {
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return bad("class_weight", fmt.Sprintf("{%d: %v}", c, w), "finite weights")
		}
	}
	return nil
}

// classWeightTable turns class_weight into a table indexed by class, as
// tf.keras does: the keys must be 0 ... n-1.
// Keras: tf_keras/engine/data_adapter.py _make_class_weight_map_fn.
func classWeightTable(cw map[int]float64) ([]float64, error) {
	if len(cw) == 0 {
		return nil, nil
	}
	keys := make([]int, 0, len(cw))
	for k := range cw {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for i, k := range keys {
		if k != i {
			return nil, fmt.Errorf("fit: expected class_weight to be a dict with keys from 0 to one less than the number of classes; found keys %v", keys)
		}
	}
	t := make([]float64, len(keys))
	for k, w := range cw {
		t[k] = w
	}
	return t, nil
}

// EvaluateOptionsFromMap reads evaluate's keyword arguments as decoded JSON
// carries them (batch_size, verbose, sample_weight, steps); unknown keys are
// rejected. Keras: Model.evaluate.
func EvaluateOptionsFromMap(m map[string]any) (EvaluateOptions, error) {
	a := nn.NewArgs("evaluate", m)
	o := EvaluateOptions{BatchSize: readBatchSize(a), Verbose: readVerbose(a), Steps: a.Int("steps", 0)}
	if v, ok := a.Value("sample_weight"); ok {
		o.SampleWeight = readFloats(a, "sample_weight", v)
	}
	if o.Steps < 0 {
		a.Fail("steps", o.Steps, "a positive integer, or null for all the data")
	}
	if v, ok := a.Value("return_dict"); ok && v != false {
		a.Fail("return_dict", v, "false: evaluate returns the list [loss, metrics...] (MetricsNames gives the names)")
	}
	rejectData(a)
	if err := a.Err(); err != nil {
		return o, err
	}
	return o, nil
}

// PredictOptionsFromMap reads predict's keyword arguments (batch_size,
// steps; verbose is accepted, as predict prints nothing here). Unknown keys
// are rejected. Keras: Model.predict.
func PredictOptionsFromMap(m map[string]any) (PredictOptions, error) {
	a := nn.NewArgs("predict", m)
	o := PredictOptions{BatchSize: readBatchSize(a), Steps: a.Int("steps", 0)}
	if v := readVerbose(a); v != 0 && v != 1 {
		a.Fail("verbose", v, "0 or 1 (predict shows no progress bar here)")
	}
	if o.Steps < 0 {
		a.Fail("steps", o.Steps, "a positive integer, or null for all the data")
	}
	rejectData(a)
	if err := a.Err(); err != nil {
		return o, err
	}
	return o, nil
}

// readBatchSize reads batch_size: a positive integer, or null for 32 (0).
func readBatchSize(a *nn.Args) int {
	if !a.Has("batch_size") {
		return 0
	}
	bs := a.Int("batch_size", 0)
	if bs < 1 {
		a.Fail("batch_size", bs, "a positive integer (or null for 32)")
	}
	return bs
}

// rejectData refuses the keys that carry data or Python objects, which JSON
// options cannot.
func rejectData(a *nn.Args) {
	for _, k := range []string{"x", "y", "callbacks"} {
		if v, ok := a.Value(k); ok {
			a.Fail(k, v, "no "+k+" among the JSON options: pass it beside them")
		}
	}
	for _, k := range []string{"max_queue_size", "workers", "use_multiprocessing"} {
		if v, ok := a.Value(k); ok {
			a.Fail(k, v, "nothing: "+k+" serves Python generators and is not supported here")
		}
	}
}
