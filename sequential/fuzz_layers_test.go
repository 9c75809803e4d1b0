package sequential

import (
	"encoding/json"
	"testing"
)

// FuzzModelLayers is FuzzModel with the model JSON written from fuzzed
// choices (a byte per decision: layer classes, sizes, activations,
// regularizers, paddings, data formats, None dimensions, now and then a
// huge size) and the loss, optimizer and metric picked from lists that
// include configs (from_logits, label smoothing, clipping), so that the
// exploration reaches the layers' and the fit loop's checks instead of
// stopping at JSON syntax. Explore with
//
//	go test -run '^$' -fuzz FuzzModelLayers -parallel 1 ./sequential/
func FuzzModelLayers(f *testing.F) {
	// Decision strings that give, among others, MLPs, pooling and
	// convolution stacks, None dimensions, models built from data,
	// regularized layers and a huge Dense.
	seeds := [][]byte{
		{1, 6, 0, 0, 9, 3, 0, 5},
		{3, 8, 8, 1, 1, 3, 2, 1, 0, 0, 0, 2, 3, 3},
		{3, 0, 0, 2, 1, 2, 1, 0, 1, 0, 3, 1, 3, 0},
		{0, 0, 4, 0, 7, 0, 6, 2},
		{2, 3, 5, 0, 2, 4, 0, 31, 7, 1, 8, 2, 9},
		{1, 4, 0, 0, 255, 0, 0},
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), uint8(i), uint8(i), uint8(4), uint8(3), uint8(2), uint8(i), uint8(2), uint64(i))
	}
	f.Fuzz(func(t *testing.T, spec []byte, loss, optimizer, metric, samples, none, batch, split, yMode uint8, seed uint64) {
		js, err := json.Marshal(fzModelConfig(&fzBytes{b: spec}))
		if err != nil {
			t.Fatal(err)
		}
		fzRun(t, fzCase{string(js), fzLosses[int(loss)%len(fzLosses)], fzOptimizers[int(optimizer)%len(fzOptimizers)],
			fzMetrics[int(metric)%len(fzMetrics)], samples, none, batch, split, yMode, seed})
	})
}

// fzBytes hands out the fuzzed decisions, zeros once they run out.
type fzBytes struct {
	b []byte
	i int
}

func (r *fzBytes) next() int {
	if r.i >= len(r.b) {
		return 0
	}
	r.i++
	return int(r.b[r.i-1])
}

func (r *fzBytes) more() bool { return r.i < len(r.b) }

// pick returns one of the values.
func pick[T any](r *fzBytes, values ...T) T { return values[r.next()%len(values)] }

// size is a layer size: 1 to 8, or a huge one for a byte above 247.
func (r *fzBytes) size() int {
	b := r.next()
	if b > 247 {
		return 1 << (20 + b%12)
	}
	return 1 + b%8
}

// fzModelConfig writes a Sequential config: an input shape (none, in the
// first layer, in an InputLayer or as build_input_shape; None as null),
// then up to 6 layers.
func fzModelConfig(r *fzBytes) map[string]any {
	rank := r.next() % 4
	var shape []any
	for range rank {
		if d := r.size(); d == 1 && r.next()%2 == 0 {
			shape = append(shape, nil)
		} else {
			shape = append(shape, d)
		}
	}
	cfg := map[string]any{}
	var layers []any
	where := 0
	if rank > 0 {
		where = 1 + r.next()%3
	}
	switch where {
	case 2:
		layers = append(layers, map[string]any{"class_name": "InputLayer", "config": map[string]any{"batch_input_shape": append([]any{nil}, shape...)}})
	case 3:
		cfg["build_input_shape"] = append([]any{nil}, shape...)
	}
	for len(layers) < 7 && r.more() {
		l := fzLayer(r)
		if where == 1 {
			l["config"].(map[string]any)["input_shape"] = shape
			where = 0
		}
		layers = append(layers, l)
	}
	cfg["layers"] = layers
	return map[string]any{"class_name": "Sequential", "config": cfg}
}

var fzActivations = []any{nil, "relu", "softmax", "sigmoid", "tanh", "linear", "log_softmax", "selu", "elu", "softplus", "hard_sigmoid", "exponential", "gelu", "swish"}

// fzLayer writes one layer config from the next decisions.
func fzLayer(r *fzBytes) map[string]any {
	c := map[string]any{}
	if l := fzNormLayer(r); l != nil {
		return l
	}
	if l := fzRecurrentLayer(r); l != nil {
		return l
	}
	class := pick(r, append([]string{"Dense", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Activation", "Softmax", "ReLU", "LeakyReLU", "ELU"},
		fzShapeClasses...)...)
	switch class {
	case "Dense", "Conv2D":
		if class == "Dense" {
			c["units"] = r.size()
		} else {
			c["filters"] = r.size()
			c["kernel_size"] = []int{1 + r.next()%3, 1 + r.next()%3}
			c["strides"] = 1 + r.next()%2
			c["dilation_rate"] = 1 + r.next()%2
			c["padding"] = pick(r, "valid", "same")
			c["data_format"] = pick(r, "channels_last", "channels_first")
		}
		c["activation"] = pick(r, fzActivations...)
		flags := r.next()
		c["use_bias"] = flags&1 == 0
		if flags&2 != 0 {
			c["activity_regularizer"] = pick[any](r, "l2", "l1", map[string]any{"class_name": "L1L2", "config": map[string]any{"l1": 0.01, "l2": 0.1}})
		}
		if flags&4 != 0 {
			c["kernel_regularizer"] = "l2"
		}
		if flags&8 != 0 {
			c["kernel_constraint"] = pick[any](r, "max_norm", "non_neg", "unit_norm", map[string]any{"class_name": "MinMaxNorm", "config": map[string]any{"min_value": 0.5, "max_value": 1, "axis": 0}})
		}
		if flags&16 != 0 {
			c["kernel_initializer"] = pick[any](r, "ones", "he_normal", "orthogonal", "lecun_uniform", map[string]any{"class_name": "Constant", "config": map[string]any{"value": 1e3}})
		}
	case "MaxPooling2D":
		c["pool_size"] = 1 + r.next()%3
		c["strides"] = pick[any](r, nil, 1, 2)
		c["padding"] = pick(r, "valid", "same")
		c["data_format"] = pick(r, "channels_last", "channels_first")
	case "Flatten":
		c["data_format"] = pick(r, "channels_last", "channels_first")
	case "Dropout":
		c["rate"] = float64(r.next()%10) / 10
		if r.next()%4 == 0 {
			c["noise_shape"] = []any{nil, 1}
		}
	case "Activation":
		c["activation"] = pick(r, fzActivations[1:]...)
	case "Softmax":
		c["axis"] = r.next()%4 - 2
	case "ReLU":
		c["max_value"] = pick[any](r, nil, 6.0, 0.5)
		c["negative_slope"] = pick(r, 0.0, 0.1)
		c["threshold"] = pick(r, 0.0, 0.5)
	case "LeakyReLU", "ELU":
		c["alpha"] = pick(r, 0.3, 1.0, 0.0)
	default:
		fzShapeLayer(r, class, c)
	}
	return map[string]any{"class_name": class, "config": c}
}

var fzLosses = []any{"mse", "mae", "mape", "msle", "binary_crossentropy", "categorical_crossentropy",
	"sparse_categorical_crossentropy", "hinge", "squared_hinge", "categorical_hinge", "kl_divergence", "poisson",
	"cosine_similarity", "huber", "log_cosh",
	map[string]any{"class_name": "CategoricalCrossentropy", "config": map[string]any{"from_logits": true, "label_smoothing": 0.1}},
	map[string]any{"class_name": "BinaryCrossentropy", "config": map[string]any{"from_logits": true, "label_smoothing": 0.2}},
	map[string]any{"class_name": "SparseCategoricalCrossentropy", "config": map[string]any{"from_logits": true}},
}

var fzOptimizers = []any{nil, "sgd", "rmsprop", "adam", "adagrad", "adadelta", "adamax", "nadam", "adamw",
	map[string]any{"class_name": "SGD", "config": map[string]any{"learning_rate": 0.1, "momentum": 0.9, "nesterov": true, "clipnorm": 1.0, "decay": 0.01}},
	map[string]any{"class_name": "Adam", "config": map[string]any{"amsgrad": true, "clipvalue": 0.5}},
	map[string]any{"class_name": "RMSprop", "config": map[string]any{"centered": true, "momentum": 0.5, "global_clipnorm": 1.0}},
}

var fzMetrics = []any{nil, "accuracy", "acc", "crossentropy", "mse", "mae", "auc", "precision", "recall",
	"binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy", "top_k_categorical_accuracy",
	"sparse_top_k_categorical_accuracy", "binary_crossentropy", "cosine_similarity", "kl_divergence", "poisson"}
