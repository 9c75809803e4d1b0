package sequential

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// GetConfig returns the model's Keras config, as tf.keras writes it:
// {"class_name": "Sequential", "config": {"name": ..., "layers": [...]}}.
// Keras: keras/src/models/sequential.py get_config.
//
// When the input shape came from the first layer (or an InputLayer), the
// list starts with an InputLayer entry and the first layer keeps its
// batch_input_shape; when it came from Build or from data, the config
// carries "build_input_shape" instead.
func (m *Model) GetConfig() nn.Config {
	layers := make([]nn.Config, 0, len(m.layers)+1)
	cfg := map[string]any{"name": m.name}
	if m.in != nil {
		switch m.in.from {
		case fromFirstLayer, fromInputLayer:
			layers = append(layers, m.inputLayerConfig())
		default:
			cfg["build_input_shape"] = shapeJSON(m.in.batchShape())
		}
	}
	for _, l := range m.layers {
		layers = append(layers, l.Config())
	}
	cfg["layers"] = layers
	return nn.Config{ClassName: "Sequential", Config: cfg}
}

// inputLayerConfig is tf.keras's InputLayer entry: the first layer's name
// with "_input" (dense_input) when the first layer carried the input shape,
// "input_1" for an unnamed keras.Input (tf.keras's first automatic Input
// name), or the name a config gave.
func (m *Model) inputLayerConfig() nn.Config {
	name := m.in.name
	if name == "" {
		name = "input_1"
		if len(m.layers) > 0 && m.in.from == fromFirstLayer {
			name = m.layers[0].Base().Name + "_input"
		}
	}
	return nn.Config{ClassName: "InputLayer", Config: map[string]any{
		"batch_input_shape": shapeJSON(m.in.batchShape()),
		"dtype":             "float32",
		"sparse":            false,
		"ragged":            false,
		"name":              name,
	}}
}

// shapeJSON writes a shape as Keras does, with null (nil) for None.
func shapeJSON(s tensor.Shape) []any {
	out := make([]any, len(s))
	for i, d := range s {
		if d >= 0 {
			out[i] = d
		}
	}
	return out
}

// ToJSON returns the model's config as JSON (Keras's model.to_json()).
func (m *Model) ToJSON() (string, error) {
	b, err := json.Marshal(m.GetConfig())
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// FromJSON makes a model from Keras's model JSON (model.to_json(), or the
// "model_config" / "modelTopology" of a saved model), tf.keras's or Keras 3's.
func FromJSON(s string, seed uint64) (*Model, error) {
	return fromJSON(s, seed, nil)
}

// FromJSONIn is FromJSON for a model that reserves its memory from budget b
// (nil: a budget of its own); on an error it holds nothing.
func FromJSONIn(b *Budget, s string, seed uint64) (*Model, error) {
	return fromJSON(s, seed, b)
}

// fromJSON is FromJSON in fromConfig's budget.
func fromJSON(s string, seed uint64, b *Budget) (*Model, error) {
	var top map[string]any
	if err := json.Unmarshal([]byte(s), &top); err != nil {
		return nil, fmt.Errorf("the model JSON must be an object {\"class_name\": \"Sequential\", \"config\": {...}}; %s", jsonProblem(err))
	}
	for k := range top {
		switch k {
		case "class_name", "config", "module", "registered_name", "build_config", "compile_config", "keras_version", "backend":
		default:
			return nil, fmt.Errorf("unknown key %q in the model JSON; expected class_name, config (and keras_version, backend, module, registered_name, build_config, compile_config)", k)
		}
	}
	name, _ := top["class_name"].(string)
	cfg, ok := top["config"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the model JSON needs a \"config\" object; received %s", describeJSON(top["config"]))
	}
	m, err := fromConfig(nn.Config{ClassName: name, Config: cfg}, seed, b)
	if err != nil {
		return nil, err
	}
	if err := m.fromBuildAndCompile(top["build_config"], top["compile_config"]); err != nil {
		m.Release() // give back what it reserved from b
		return nil, err
	}
	return m, nil
}

// fromBuildAndCompile applies Keras 3's build_config ({"input_shape": [...]},
// when the layers did not give the input shape) and compile_config (the
// arguments of compile) to a model made from its config, as Keras 3's
// deserialize_keras_object does. Keras: keras/src/saving/serialization_lib.py.
func (m *Model) fromBuildAndCompile(build, compile any) error {
	if b, ok := build.(map[string]any); ok && !m.Built() {
		a := nn.NewArgs("build_config", b)
		shape, has := a.Shape("input_shape")
		if err := a.Err(); err != nil {
			return err
		}
		if has && len(shape) > 1 {
			if err := m.Build(tensor.Shape(shape)); err != nil {
				return fmt.Errorf("build_config: %w", err)
			}
		}
	} else if build != nil && !ok {
		return fmt.Errorf("build_config must be an object {\"input_shape\": [...]} or null; received %s", describeJSON(build))
	}
	if c, ok := compile.(map[string]any); ok {
		o, err := CompileOptionsFromMap(c)
		if err == nil {
			err = m.Compile(o)
		}
		if err != nil {
			return fmt.Errorf("compile_config: %w", err)
		}
	} else if compile != nil {
		return fmt.Errorf("compile_config must be an object (the arguments of compile) or null; received %s", describeJSON(compile))
	}
	return nil
}

// FromConfig makes a model from its Keras "Sequential" config (see
// GetConfig); layers come from the nn registry. Keras:
// keras/src/models/sequential.py from_config.
func FromConfig(c nn.Config, seed uint64) (*Model, error) {
	return fromConfig(c, seed, nil)
}

// FromConfigIn is FromConfig for a model that reserves its memory from
// budget b (nil: a budget of its own); on an error it holds nothing.
func FromConfigIn(b *Budget, c nn.Config, seed uint64) (*Model, error) {
	return fromConfig(c, seed, b)
}

// fromConfig is FromConfig for a model that reserves from budget b (nil for
// its own) while its layers are built.
func fromConfig(c nn.Config, seed uint64, b *Budget) (_ *Model, err error) {
	if c.ClassName != "Sequential" {
		return nil, fmt.Errorf("expected a \"Sequential\" config; received class_name %q (only Sequential models are supported)", c.ClassName)
	}
	a := nn.NewArgs("Sequential", c.Config)
	name := a.String("name", "")
	trainable := a.Bool("trainable", true)
	if v, ok := a.Value("dtype"); ok {
		if d := dtypeName(v); d != "float32" {
			a.Fail("dtype", v, "\"float32\" (keraswasm computes in float32)")
		}
	}
	buildShape, hasBuild := a.Shape("build_input_shape")
	entries, err := layerEntries(a)
	if err != nil {
		return nil, err
	}
	if err := a.Err(); err != nil {
		return nil, err
	}
	m := NewIn(b, name, seed)
	defer func() {
		if err != nil {
			m.Release()
		}
	}()
	for i, e := range entries {
		if isInputLayer(e.ClassName) && i > 0 {
			return nil, fmt.Errorf("layer %d is an InputLayer; it must come first", i)
		}
		if err := m.AddConfig(e); err != nil {
			return nil, fmt.Errorf("layer %d (%s): %w", i, e.ClassName, err)
		}
	}
	if hasBuild && !m.Built() {
		if err := m.Build(tensor.Shape(buildShape)); err != nil {
			return nil, fmt.Errorf("build_input_shape: %w", err)
		}
	}
	if !trainable {
		for _, l := range m.layers {
			l.Base().Trainable, l.Base().Frozen = false, true
		}
	}
	return m, nil
}

// layerEntries reads the "layers" list of a Sequential config: nn.Configs
// (from GetConfig) or decoded JSON dicts (tf.keras's or Keras 3's).
func layerEntries(a *nn.Args) ([]nn.Config, error) {
	v, ok := a.Value("layers")
	if !ok {
		return nil, nil
	}
	switch list := v.(type) {
	case []nn.Config:
		return list, nil
	case []any:
		out := make([]nn.Config, len(list))
		for i, e := range list {
			switch x := e.(type) {
			case nn.Config:
				out[i] = x
			case map[string]any:
				c, err := layerEntry(x)
				if err != nil {
					return nil, fmt.Errorf("layer %d: %w", i, err)
				}
				out[i] = c
			default:
				return nil, fmt.Errorf("layer %d must be a config {\"class_name\": ..., \"config\": {...}}; received %s", i, describeJSON(e))
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("\"layers\" must be a list of layer configs; received %s", describeJSON(v))
}

// layerEntry reads one decoded layer dict. Keras 3 adds "module",
// "registered_name" and "build_config" (which only repeats the input shape)
// beside class_name and config, and writes dtype as a DTypePolicy dict; these
// are brought to the tf.keras form the layer registry reads.
func layerEntry(x map[string]any) (nn.Config, error) {
	var c nn.Config
	for k, v := range x {
		switch k {
		case "class_name":
			s, ok := v.(string)
			if !ok {
				return c, fmt.Errorf("\"class_name\" must be a string; received %s", describeJSON(v))
			}
			c.ClassName = s
		case "config":
			m, ok := v.(map[string]any)
			if !ok && v != nil {
				return c, fmt.Errorf("\"config\" must be an object; received %s", describeJSON(v))
			}
			c.Config = m
		case "module", "registered_name", "build_config":
		case "name", "inbound_nodes":
			// A functional model's entry names its layer and its inputs; in a
			// Sequential the order of the list is the connection.
		default:
			return c, fmt.Errorf("unknown key %q in a layer entry; expected class_name and config (and module, registered_name, build_config, name, inbound_nodes)", k)
		}
	}
	if c.ClassName == "" {
		return c, fmt.Errorf("a layer entry needs a \"class_name\"")
	}
	if d, ok := c.Config["dtype"].(map[string]any); ok {
		inner := make(map[string]any, len(c.Config))
		for k, v := range c.Config {
			inner[k] = v
		}
		inner["dtype"] = dtypeName(d)
		c.Config = inner
	}
	return c, nil
}

// dtypeName returns the dtype a config value names: a string, or Keras 3's
// {"class_name": "DTypePolicy", "config": {"name": "float32"}}.
func dtypeName(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if cfg, ok := x["config"].(map[string]any); ok {
			if n, ok := cfg["name"].(string); ok {
				return n
			}
		}
	}
	return fmt.Sprint(v)
}

func isInputLayer(className string) bool { return className == "InputLayer" }

// parseInputLayer reads an InputLayer config, tf.keras's (batch_input_shape,
// input_shape) or Keras 3's (batch_shape, shape).
// Keras: keras/src/layers/core/input_layer.py.
func parseInputLayer(cfg map[string]any) (*inputSpec, error) {
	a := nn.NewArgs("InputLayer", cfg)
	a.Alias("batch_input_shape", "batch_shape")
	a.Alias("input_shape", "shape")
	spec := &inputSpec{from: fromInputLayer, name: a.String("name", "")}
	spec.batchSize = a.Int("batch_size", 0)
	if bs, ok := a.Shape("batch_input_shape"); ok {
		if len(bs) < 2 {
			a.Fail("batch_input_shape", bs, "(batch, dims...) with at least one dimension after the batch")
		} else {
			spec.shape = tensor.Shape(bs[1:])
			if bs[0] > 0 {
				spec.batchSize = bs[0]
			}
		}
	} else if s, ok := a.Shape("input_shape"); ok {
		spec.shape = tensor.Shape(s)
	} else {
		a.Fail("input_shape", nil, "the input shape: input_shape (or shape, batch_input_shape, batch_shape)")
	}
	if d := dtypeName(valueOr(a, "dtype", "float32")); d != "float32" {
		a.Fail("dtype", d, "\"float32\" (keraswasm computes in float32)")
	}
	if a.Bool("sparse", false) {
		a.Unimplemented("sparse", true, "false (sparse inputs are not implemented)")
	}
	if a.Bool("ragged", false) {
		a.Unimplemented("ragged", true, "false (ragged inputs are not implemented)")
	}
	a.Unsupported("input_tensor", "null (an input tensor cannot be given to a Sequential model here)")
	if err := a.Err(); err != nil {
		return nil, err
	}
	return spec, nil
}

func valueOr(a *nn.Args, key string, def any) any {
	if v, ok := a.Value(key); ok {
		return v
	}
	return def
}

// describeJSON names a decoded JSON value in JSON's words, for errors a file
// or a JS caller can cause ("a list", "null", "the string \"x\""): never Go's
// type names.
func describeJSON(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", x)
	case bool:
		return fmt.Sprintf("the boolean %v", x)
	case float64, int, json.Number:
		return fmt.Sprintf("the number %v", x)
	case []any, []nn.Config:
		return "a list"
	case map[string]any, nn.Config:
		return "an object"
	}
	return "a value of another kind"
}

// jsonProblem says what is wrong with JSON that does not decode, without
// encoding/json's Go type names ("cannot unmarshal string into Go value of
// type map[string]interface {}").
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "received a JSON " + te.Value
	}
	return err.Error()
}
