package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// Layer is one step of a Sequential model.
//
// Shapes passed to Build and OutputShape leave out the batch dimension
// (Keras's input_shape); tensors passed to Forward and Backward carry it
// first. The contract, after Keras's Layer and llm.c's forward/backward pairs:
//
//   - the constructor (a registry ctor reading a Config) validates arguments;
//   - Build creates the weights once for an input shape, drawing from rng
//     (an initializer with its own seed uses that instead), and checks that
//     the shape can be taken;
//   - Forward computes the output into a buffer the layer owns and reuses,
//     caching what Backward needs; training turns on dropout and the like;
//   - Backward takes dy (the gradient of the loss with respect to the last
//     Forward's output), ACCUMULATES (+=) into each Param's Grad and returns
//     dx in a buffer it owns; with needDx false it may skip dx and return nil
//     (the first layer of a model);
//   - Params lists the weights in Keras's get_weights order;
//   - Config returns the Keras config, which NewLayer turns back into an
//     equal layer.
type Layer interface {
	Base() *LayerBase
	Build(in tensor.Shape, rng *tensor.RNG) error
	OutputShape(in tensor.Shape) (tensor.Shape, error)
	Forward(x *tensor.Tensor, training bool) *tensor.Tensor
	Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor
	Params() []*Param
	Config() Config
}

// Param is one weight variable of a layer with its gradient.
type Param struct {
	Name        string         // Keras's weight name: "kernel", "bias"
	Value       *tensor.Tensor // in Keras's layout, e.g. a Dense kernel is (in, units)
	Grad        *tensor.Tensor // same shape as Value; Backward accumulates into it
	Trainable   bool           // the weight's own flag (false for moving statistics); its layer's Trainable also counts
	Regularizer Regularizer    // nil for none; its loss is added to the model's loss
	Constraint  Constraint     // nil for none; applied after each optimizer update
}

// NewParam returns a trainable parameter of the given shape with a zero
// gradient of the same shape.
func NewParam(name string, shape ...int) *Param {
	return &Param{Name: name, Value: tensor.New(shape...), Grad: tensor.New(shape...), Trainable: true}
}

// LayerBase holds what every Keras layer has: its name, whether it trains,
// and the input arguments a first layer may carry. Layers embed it and read
// its arguments with ParseBase.
type LayerBase struct {
	Name      string // unique within a model; "" until the model names it
	ClassName string // Keras class name, e.g. "Dense"
	Trainable bool   // false freezes the layer's weights (from the next compile on)
	// Frozen is what training obeys: !Trainable as it was when the layer was
	// made or the model last compiled. Keras takes a change of trainable into
	// account at the next compile ("Calling compile() on a model is meant to
	// freeze the behavior of that model"); the model sets Frozen in Compile.
	// A frozen layer's weights are not updated, and a frozen
	// BatchNormalization runs in inference mode.
	Frozen    bool
	Input     tensor.Shape // from input_shape, input_dim (+ input_length) or batch_input_shape; nil if none; -1 for None
	BatchSize int          // from batch_size or batch_input_shape; 0 if none
	Built     bool

	// ActivityRegularizer, when set, adds a penalty on the layer's output to
	// the loss. The layer adds its gradient in Backward and its value is kept
	// in ActivityLoss by Forward.
	ActivityRegularizer Regularizer
	ActivityLoss        float64
}

// Base returns b itself; embedding LayerBase gives a layer this method.
func (b *LayerBase) Base() *LayerBase { return b }

// ParseBase reads the arguments common to all layers: name, trainable, dtype,
// input_shape, input_dim, input_length, batch_size, batch_input_shape.
//
// input_dim=d means input_shape=(d,); with input_length=l it means (l, d), as
// Keras 2 reads them. batch_input_shape=(b, ...) means batch_size=b and
// input_shape=(...).
func ParseBase(a *Args, className string) LayerBase {
	b := LayerBase{ClassName: className, Trainable: a.Bool("trainable", true)}
	b.Frozen = !b.Trainable
	b.Name = a.String("name", "")
	switch dt := a.String("dtype", "float32"); dt {
	case "float32":
	case "float16", "bfloat16", "float64", "mixed_float16", "mixed_bfloat16":
		a.Unimplemented("dtype", dt, "\"float32\" (keraswasm computes in float32, Keras's default floatx; other dtypes are not implemented)")
	default:
		a.Fail("dtype", dt, "\"float32\" (keraswasm computes in float32, Keras's default floatx)")
	}
	shape, hasShape := a.Shape("input_shape")
	dim := a.Int("input_dim", 0)
	length := a.Int("input_length", 0)
	batchShape, hasBatchShape := a.Shape("batch_input_shape")
	if !hasBatchShape {
		batchShape, hasBatchShape = a.Shape("batch_shape") // Keras 3 spelling
	}
	b.BatchSize = a.Int("batch_size", 0)
	if b.BatchSize < 0 {
		a.Fail("batch_size", b.BatchSize, "a positive integer")
	}
	switch {
	case hasBatchShape:
		if len(batchShape) < 1 {
			// (batch,) alone is a scalar per sample, input_shape=(), as in
			// Keras; BaseConfig writes it for such an input.
			a.Fail("batch_input_shape", batchShape, "(batch, dims...): a list starting with the batch size or null")
			break
		}
		if batchShape[0] > 0 {
			b.BatchSize = batchShape[0]
		}
		b.Input = tensor.Shape(batchShape[1:])
	case hasShape:
		b.Input = tensor.Shape(shape)
	case a.Has("input_dim"):
		if dim < 1 {
			a.Fail("input_dim", dim, "a positive integer")
			break
		}
		if a.Has("input_length") {
			b.Input = tensor.Shape{length, dim}
		} else {
			b.Input = tensor.Shape{dim}
		}
	case a.Has("input_length"):
		a.Fail("input_length", length, "input_length together with input_dim (input_shape=(input_length, input_dim))")
	}
	if a.Has("input_length") && length < 1 {
		a.Fail("input_length", length, "a positive integer")
	}
	if reg, ok := a.Value("activity_regularizer"); ok {
		r, err := GetRegularizer(reg)
		if err != nil {
			a.Fail("activity_regularizer", reg, "a regularizer: "+err.Error())
		}
		b.ActivityRegularizer = r
	}
	return b
}

// BaseConfig writes the common keys into m, as Keras's Layer.get_config does.
func (b *LayerBase) BaseConfig(m map[string]any) map[string]any {
	m["name"] = b.Name
	m["trainable"] = b.Trainable
	m["dtype"] = "float32"
	if b.Input != nil {
		dims := make([]any, len(b.Input)+1)
		if b.BatchSize > 0 {
			dims[0] = b.BatchSize
		}
		for i, d := range b.Input {
			if d >= 0 {
				dims[i+1] = d
			}
		}
		m["batch_input_shape"] = dims
	} else if b.BatchSize > 0 {
		m["batch_size"] = b.BatchSize
	}
	if b.ActivityRegularizer != nil {
		m["activity_regularizer"] = b.ActivityRegularizer.Config()
	}
	return m
}

// layers is the registry of layer classes.
var layers = newRegistry[Layer]("layer", "layers")

// NewLayer makes the layer a Keras config describes.
func NewLayer(c Config) (Layer, error) { return layers.fromConfig(c) }

// GetLayer makes the layer v names or configures, as Keras's get does: a
// name ("Flatten"), a Config or a decoded JSON config dict, or a Layer.
func GetLayer(v any) (Layer, error) { return layers.get(v) }

// LayerClasses returns the registered layer class names, sorted.
func LayerClasses() []string { return layers.classNames() }

// ShapeError says that a layer cannot take the input shape it was given.
type ShapeError struct {
	Layer string       // the layer's name or class
	Got   tensor.Shape // the input shape received (no batch dimension)
	Want  string       // what the layer expects
}

func (e *ShapeError) Error() string {
	return fmt.Sprintf("layer %s cannot take input of shape %v: expected %s", e.Layer, e.Got, e.Want)
}
