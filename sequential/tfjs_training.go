package sequential

import (
	"fmt"
	"sort"
	"strings"

	"github.com/keraswasm/keraswasm/nn"
)

// The training config a saved model carries (TF.js's trainingConfig,
// tf.keras's training_config): the loss, the metrics and the optimizer's
// config, so a loaded model is compiled as it was.
// Keras: tf_keras/saving/legacy/saving_utils.py model_metadata;
// TF.js: tfjs-layers/src/engine/training.ts getTrainingConfig / loadTrainingConfig.

// trainingConfig returns the compile settings as tf.keras writes them:
// {"loss": ..., "metrics": [...], "optimizer_config": {"class_name", "config"}},
// with "weighted_metrics" only when there are some (TF.js refuses to load a
// config that has them).
//
// Porting note: the optimizer config is Keras's (snake_case keys such as
// learning_rate, beta_1), as tf.keras and tensorflowjs_converter write it,
// which TF.js 4.22 reads for Adam, Adagrad, Adadelta and Adamax. RMSprop is
// written as TF.js's RMSProp when TF.js can express it (tfjsRMSProp). TF.js
// has no Nadam or AdamW, and its SGD has no momentum (and no settable
// state), so tf.loadLayersModel refuses a file with those; save it with
// include_optimizer: false for TF.js.
func (m *Model) trainingConfig() (map[string]any, error) {
	o := m.c.opts
	tc := map[string]any{"loss": nil, "metrics": []any{}}
	if o.Loss != nil {
		v, err := serialLoss(o.Loss)
		if err != nil {
			return nil, err
		}
		tc["loss"] = v
	}
	var err error
	if tc["metrics"], err = serialMetrics(o.Metrics, "metrics"); err != nil {
		return nil, err
	}
	if len(o.WeightedMetrics) > 0 {
		if tc["weighted_metrics"], err = serialMetrics(o.WeightedMetrics, "weighted_metrics"); err != nil {
			return nil, err
		}
	}
	oc := m.c.opt.Config()
	tc["optimizer_config"] = map[string]any{"class_name": oc.ClassName, "config": oc.Config}
	if t, ok := tfjsRMSProp(oc); ok {
		tc["optimizer_config"] = t
	}
	return tc, nil
}

// tfjsRMSProp writes RMSprop as TF.js's RMSProp ({learningRate, decay (Keras's
// rho), momentum, epsilon, centered}) when no Keras-only argument is set, so
// that tf.loadLayersModel reads it: RMSprop is Keras's default optimizer, and
// TF.js knows it only under its own spelling. The reader takes both forms.
func tfjsRMSProp(oc nn.Config) (map[string]any, bool) {
	if oc.ClassName != "RMSprop" {
		return nil, false
	}
	c := oc.Config
	for _, k := range []string{"weight_decay", "clipnorm", "global_clipnorm", "clipvalue", "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps", "decay"} {
		if c[k] != nil {
			return nil, false
		}
	}
	if c["use_ema"] != false {
		return nil, false
	}
	return map[string]any{"class_name": "RMSProp", "config": map[string]any{
		"learningRate": c["learning_rate"], "decay": c["rho"], "momentum": c["momentum"], "epsilon": c["epsilon"], "centered": c["centered"],
	}}, true
}

// errUnsaved is the error for a compile setting that is a function of the
// caller's: it has no config to save.
func errUnsaved(what, name string) error {
	return &nn.NotImplemented{What: fmt.Sprintf("saving the custom %s %q with the optimizer", what, name),
		Hint: "save with include_optimizer: false and compile the loaded model again"}
}

func serialLoss(v any) (any, error) {
	switch x := v.(type) {
	case string, map[string]any:
		return x, nil
	case nn.Config:
		return map[string]any{"class_name": x.ClassName, "config": x.Config}, nil
	case nn.Loss:
		c := x.Config()
		return map[string]any{"class_name": c.ClassName, "config": c.Config}, nil
	case LossFunc:
		return nil, errUnsaved("loss", x.Name)
	case *LossFunc:
		return nil, errUnsaved("loss", x.Name)
	}
	return nil, fmt.Errorf("the loss %v has no config to save", v)
}

func serialMetrics(list []any, key string) ([]any, error) {
	out := make([]any, 0, len(list))
	for _, v := range list {
		switch x := v.(type) {
		case string, map[string]any:
			out = append(out, x)
		case nn.Config:
			out = append(out, map[string]any{"class_name": x.ClassName, "config": x.Config})
		case nn.Metric:
			c := x.Config()
			out = append(out, map[string]any{"class_name": c.ClassName, "config": c.Config})
		case MetricFunc:
			return nil, errUnsaved("metric", x.Name)
		case *MetricFunc:
			return nil, errUnsaved("metric", x.Name)
		default:
			return nil, fmt.Errorf("%s: %v has no config to save", key, v)
		}
	}
	return out, nil
}

// CompileOptionsFromTrainingConfig reads a training config as tf.keras,
// tensorflowjs_converter, TF.js and keraswasm write it. Settings that would
// change training and are not built here (loss_weights, sample_weight_mode,
// several outputs) are refused, never dropped.
func CompileOptionsFromTrainingConfig(tc map[string]any) (CompileOptions, error) {
	var o CompileOptions
	for k, v := range tc {
		switch k {
		case "loss":
			l, err := singleOutput("loss", v)
			if err != nil {
				return o, err
			}
			o.Loss = l
		case "metrics", "weighted_metrics":
			list, err := metricList(k, v)
			if err != nil {
				return o, err
			}
			if k == "metrics" {
				o.Metrics = list
			} else {
				o.WeightedMetrics = list
			}
		case "optimizer_config":
			c, err := optimizerFromTraining(v)
			if err != nil {
				return o, err
			}
			o.Optimizer = c
		case "loss_weights", "sample_weight_mode":
			if v != nil {
				return o, &nn.NotImplemented{What: fmt.Sprintf("the training config's %s", k), Hint: "a Sequential model here has one output and per-sample weights come from fit's sample_weight"}
			}
		default:
			return o, fmt.Errorf("unknown key %q in the training config; expected loss, metrics, weighted_metrics, optimizer_config (and loss_weights, sample_weight_mode as null)", k)
		}
	}
	return o, nil
}

// singleOutput reads a loss given for the one output: a name or config, a
// list of one, or a dict of one output name.
func singleOutput(key string, v any) (any, error) {
	switch x := v.(type) {
	case []any:
		if len(x) != 1 {
			return nil, &nn.NotImplemented{What: fmt.Sprintf("a training config %s for %d outputs", key, len(x)), Hint: "a Sequential model has one output"}
		}
		return singleOutput(key, x[0])
	case map[string]any:
		if _, ok := x["class_name"]; ok || len(x) != 1 {
			if !ok {
				return nil, &nn.NotImplemented{What: fmt.Sprintf("a training config %s for %d outputs", key, len(x)), Hint: "a Sequential model has one output"}
			}
			return x, nil
		}
		for _, inner := range x {
			return singleOutput(key, inner)
		}
	}
	return v, nil
}

// metricList reads metrics: a list of names or configs; tf.keras 2 nests one
// list per output ([[...]]), and TF.js may key them by output name.
func metricList(key string, v any) ([]any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []any:
		if len(x) == 1 {
			if inner, ok := x[0].([]any); ok {
				return inner, nil
			}
		}
		return x, nil
	case map[string]any:
		if len(x) != 1 {
			return nil, &nn.NotImplemented{What: fmt.Sprintf("training config %s for %d outputs", key, len(x)), Hint: "a Sequential model has one output"}
		}
		for _, inner := range x {
			return metricList(key, inner)
		}
	}
	return []any{v}, nil
}

// tfjsOptimizerKeys maps TF.js's optimizer classes and config keys to
// Keras's. TF.js: tfjs-core/src/optimizers/*_optimizer.ts getConfig.
var tfjsOptimizerKeys = map[string]struct {
	class string
	keys  map[string]string
}{
	"SGD":      {"SGD", map[string]string{"learningRate": "learning_rate"}},
	"Momentum": {"SGD", map[string]string{"learningRate": "learning_rate", "momentum": "momentum", "useNesterov": "nesterov"}},
	"RMSProp":  {"RMSprop", map[string]string{"learningRate": "learning_rate", "decay": "rho", "momentum": "momentum", "epsilon": "epsilon", "centered": "centered"}},
	"Adam":     {"Adam", map[string]string{"learningRate": "learning_rate", "beta1": "beta_1", "beta2": "beta_2", "epsilon": "epsilon"}},
	"Adamax":   {"Adamax", map[string]string{"learningRate": "learning_rate", "beta1": "beta_1", "beta2": "beta_2", "epsilon": "epsilon", "decay": "decay"}},
	"Adagrad":  {"Adagrad", map[string]string{"learningRate": "learning_rate", "initialAccumulatorValue": "initial_accumulator_value"}},
	"Adadelta": {"Adadelta", map[string]string{"learningRate": "learning_rate", "rho": "rho", "epsilon": "epsilon"}},
}

// optimizerFromTraining reads optimizer_config: Keras's {"class_name",
// "config"} (tf.keras 2 may write "Custom>Adam" and is_legacy_optimizer) or
// TF.js's (camelCase keys; RMSProp, Momentum), brought to Keras's config.
func optimizerFromTraining(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		if s, isStr := v.(string); isStr {
			return s, nil
		}
		return nil, fmt.Errorf("optimizer_config must be {\"class_name\": ..., \"config\": {...}}; received %s", describeJSON(v))
	}
	class, _ := m["class_name"].(string)
	class = strings.TrimPrefix(class, "Custom>")
	cfg, _ := m["config"].(map[string]any)
	inner := map[string]any{}
	for k, x := range cfg {
		if k != "is_legacy_optimizer" {
			inner[k] = x
		}
	}
	if t, ok := tfjsOptimizerKeys[class]; ok && (class == "RMSProp" || class == "Momentum" || inner["learningRate"] != nil) {
		conv := map[string]any{}
		keys := make([]string, 0, len(inner))
		for k := range inner {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			to, ok := t.keys[k]
			if !ok {
				return nil, fmt.Errorf("unknown key %q in the TF.js %s optimizer config", k, class)
			}
			if inner[k] != nil {
				conv[to] = inner[k]
			}
		}
		class, inner = t.class, conv
	}
	return nn.Config{ClassName: class, Config: inner}, nil
}
