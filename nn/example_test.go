package nn_test

import (
	"encoding/json"
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// keras.layers.Dense(3, activation='relu', kernel_initializer='ones') in Go:
// the required positional argument (units), then the other Keras arguments
// by their config keys. The layer's config is the one a Keras file would
// hold, and a forward pass maps (batch, 4) to (batch, 3).
func ExampleNewDense() {
	dense, err := nn.NewDense(3, map[string]any{"activation": "relu", "kernel_initializer": "ones", "name": "dense"})
	if err != nil {
		panic(err)
	}
	b, err := json.MarshalIndent(dense.Config(), "", "  ")
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))

	if err := dense.Build(tensor.Shape{4}, tensor.NewRNG(1)); err != nil { // a sample is (4)
		panic(err)
	}
	x := tensor.FromSlice([]float32{ // (batch 2, 4)
		1, 2, 3, 4,
		-1, -1, 0, 1,
	}, 2, 4)
	y := dense.Forward(x, false)
	fmt.Println(y.Shape, y.Data)
	// Output:
	// {
	//   "class_name": "Dense",
	//   "config": {
	//     "activation": "relu",
	//     "activity_regularizer": null,
	//     "bias_constraint": null,
	//     "bias_initializer": {
	//       "class_name": "Zeros",
	//       "config": {}
	//     },
	//     "bias_regularizer": null,
	//     "dtype": "float32",
	//     "kernel_constraint": null,
	//     "kernel_initializer": {
	//       "class_name": "Ones",
	//       "config": {}
	//     },
	//     "kernel_regularizer": null,
	//     "name": "dense",
	//     "trainable": true,
	//     "units": 3,
	//     "use_bias": true
	//   }
	// }
	// (2, 3) [10 10 10 0 0 0]
}

// keras.layers.Conv2D(2, (2, 2), kernel_initializer='ones') in Go: filters
// and kernel_size are Keras's required positional arguments, the rest go in
// the options. Images are channels_last, (batch, height, width, channels);
// with all-ones kernels each output is the sum of its 2×2 window.
func ExampleNewConv2D() {
	conv, err := nn.NewConv2D(2, []int{2, 2}, map[string]any{"kernel_initializer": "ones"})
	if err != nil {
		panic(err)
	}
	in := tensor.Shape{3, 3, 1} // one 3×3 image with one channel, batch left out
	out, err := conv.OutputShape(in)
	if err != nil {
		panic(err)
	}
	fmt.Println("output shape:", out)
	if err := conv.Build(in, tensor.NewRNG(1)); err != nil {
		panic(err)
	}
	x := tensor.FromSlice([]float32{
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}, 1, 3, 3, 1)
	y := conv.Forward(x, false)
	fmt.Println(y.Shape, y.Data)
	// Output:
	// output shape: (2, 2, 2)
	// (1, 2, 2, 2) [12 12 16 16 24 24 28 28]
}
