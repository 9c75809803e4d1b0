package sequential

import (
	"fmt"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
)

// callbackEntries are the callbacks of the catalog, with their Keras
// positional signatures (tf.keras order): those NewCallback makes from a
// config, and those the JS package implements itself (Host), because they
// wrap JS functions or hold JS state. The JS namespace offers exactly these.
var callbackEntries = []nn.Entry{
	// BackupAndRestore saves and restores through the JS package's destinations (js/src/io/backup.mjs).
	{Name: "BackupAndRestore", Args: []string{"backup_dir", "save_freq", "double_checkpoint", "delete_checkpoint"}, Host: true},
	{Name: "Callback", Args: []string{}, Host: true}, // the base class of JS callbacks
	{Name: "CSVLogger", Args: []string{"filename", "separator", "append"}},
	{Name: "EarlyStopping", Args: []string{"monitor", "min_delta", "patience", "verbose", "mode", "baseline",
		"restore_best_weights", "start_from_epoch"}},
	{Name: "History", Args: []string{}, Host: true},
	{Name: "LambdaCallback", Args: []string{"on_epoch_begin", "on_epoch_end", "on_batch_begin", "on_batch_end",
		"on_train_begin", "on_train_end"}, Host: true},
	{Name: "LearningRateScheduler", Args: []string{"schedule", "verbose"}, Host: true},
	// ModelCheckpoint saves through the JS package's destinations (js/src/io/checkpoint.mjs); Go code calls Model.Save.
	{Name: "ModelCheckpoint", Args: []string{"filepath", "monitor", "verbose", "save_best_only", "save_weights_only", "mode",
		"save_freq", "initial_value_threshold"}, Host: true},
	{Name: "ProgbarLogger", Args: []string{"count_mode", "stateful_metrics"}},
	{Name: "ReduceLROnPlateau", Args: []string{"monitor", "factor", "patience", "verbose", "mode", "min_delta",
		"cooldown", "min_lr"}},
	{Name: "TerminateOnNaN", Args: []string{}},
}

// missingCallbacks are Keras callbacks keraswasm does not build.
var missingCallbacks = []string{"RemoteMonitor", "SwapEMAWeights", "TensorBoard"}

// unknownCallback is the error for a callback name NewCallback cannot make.
func unknownCallback(name string) error {
	for _, m := range missingCallbacks {
		if m == name {
			return &nn.NotImplemented{What: "the callback " + name,
				Hint: "the callbacks keraswasm has are: " + strings.Join(callbackNames(), ", ")}
		}
	}
	return nn.NewUnknownNameError("callback", "callbacks", name, callbackEntries)
}

// callbackNames returns the names of callbackEntries.
func callbackNames() []string {
	s := make([]string, len(callbackEntries))
	for i, e := range callbackEntries {
		s[i] = e.Name
	}
	return s
}

// NewCallback makes a built-in callback from its Keras class name and
// arguments, e.g. {"class_name": "EarlyStopping", "config": {"monitor":
// "val_loss", "patience": 2}}. Callbacks that need a function
// (LearningRateScheduler, LambdaCallback) are made in Go with their
// constructors instead.
func NewCallback(c nn.Config) (Callback, error) {
	a := nn.NewArgs(c.ClassName, c.Config)
	var cb Callback
	switch c.ClassName {
	case "EarlyStopping":
		cb = earlyStoppingFromArgs(a)
	case "ReduceLROnPlateau":
		cb = reduceLRFromArgs(a)
	case "TerminateOnNaN":
		cb = &TerminateOnNaN{}
	case "History":
		cb = NewHistory()
	case "ProgbarLogger":
		p := &ProgbarLogger{CountMode: a.Choice("count_mode", "samples", "samples", "steps")}
		if v, ok := a.Value("stateful_metrics"); ok {
			a.Fail("stateful_metrics", v, "null: every metric of the model is already stateful (an epoch mean)")
		}
		cb = p
	case "CSVLogger":
		l := &CSVLogger{Filename: a.String("filename", ""), Separator: a.String("separator", ","), Append: a.Bool("append", false)}
		if l.Filename == "" {
			a.Fail("filename", nil, "the path of the CSV file (in Go, NewCSVLogger writes to any io.Writer)")
		}
		cb = l
	case "BackupAndRestore":
		return nil, &nn.NotImplemented{What: "BackupAndRestore as a Go callback", Hint: "in Go, call Model.Save from a callback's OnEpochEnd and fit again with InitialEpoch; in JS, keras.callbacks.BackupAndRestore backs up and restores"}
	case "ModelCheckpoint":
		return nil, &nn.NotImplemented{What: "ModelCheckpoint as a Go callback", Hint: "in Go, call Model.Save from a callback's OnEpochEnd; in JS, keras.callbacks.ModelCheckpoint saves"}
	case "LearningRateScheduler", "LambdaCallback":
		return nil, fmt.Errorf("%s needs a function, which a config cannot carry; make it with its function (keras.callbacks.%s in JS; NewLearningRateScheduler or a LambdaCallback in Go)", c.ClassName, c.ClassName)
	default:
		return nil, unknownCallback(c.ClassName)
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	return cb, nil
}

func earlyStoppingFromArgs(a *nn.Args) *EarlyStopping {
	e := &EarlyStopping{
		Monitor:            a.String("monitor", "val_loss"),
		MinDelta:           a.Float("min_delta", 0),
		Patience:           a.Int("patience", 0),
		Verbose:            a.Int("verbose", 0),
		Mode:               a.Choice("mode", "auto", "auto", "min", "max"),
		RestoreBestWeights: a.Bool("restore_best_weights", false),
		StartFromEpoch:     a.Int("start_from_epoch", 0),
	}
	if a.Has("baseline") {
		b := a.Float("baseline", 0)
		e.Baseline = &b
	}
	if e.Patience < 0 {
		a.Fail("patience", e.Patience, "an integer >= 0")
	}
	if e.StartFromEpoch < 0 {
		a.Fail("start_from_epoch", e.StartFromEpoch, "an integer >= 0")
	}
	return e
}

func reduceLRFromArgs(a *nn.Args) *ReduceLROnPlateau {
	a.Alias("min_delta", "epsilon") // Keras 2's old spelling
	r := &ReduceLROnPlateau{
		Monitor:  a.String("monitor", "val_loss"),
		Factor:   a.Float("factor", 0.1),
		Patience: a.Int("patience", 10),
		Verbose:  a.Int("verbose", 0),
		Mode:     a.Choice("mode", "auto", "auto", "min", "max"),
		MinDelta: a.Float("min_delta", 1e-4),
		Cooldown: a.Int("cooldown", 0),
		MinLR:    a.Float("min_lr", 0),
	}
	if !(r.Factor < 1) || r.Factor < 0 {
		a.Fail("factor", r.Factor, "a number in [0, 1): ReduceLROnPlateau does not support a factor >= 1.0")
	}
	if r.Patience < 0 {
		a.Fail("patience", r.Patience, "an integer >= 0")
	}
	if r.Cooldown < 0 {
		a.Fail("cooldown", r.Cooldown, "an integer >= 0")
	}
	if r.MinLR < 0 {
		a.Fail("min_lr", r.MinLR, "a number >= 0")
	}
	return r
}
