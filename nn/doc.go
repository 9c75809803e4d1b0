// Package nn holds everything a Keras Sequential model is made of: layers,
// activations, initializers, regularizers, constraints, losses, optimizers
// and metrics, each with Keras's name, arguments, defaults and math.
//
// Conventions:
//   - Every object has its Keras config (Config: class_name + snake_case
//     config) and is made from it through a registry from class names to
//     constructors: NewLayer, GetActivation, GetInitializer, GetRegularizer,
//     GetConstraint, GetLoss, GetOptimizer. Configs are the one way things
//     are made; Go constructors are thin doors onto the same path, all of
//     one shape: Keras's required positional arguments, then an options
//     map with Keras's snake_case config keys (NewDense(units, opts),
//     NewConv2D(filters, kernelSize, opts), NewReLU(opts), NewMean(opts)).
//   - Names are Keras's; Keras 2 spellings are accepted where the user's
//     text or TF.js model files use them (lr, input_dim, Keras 2's
//     hard_sigmoid). Where Keras and TF.js differ the code follows Keras and
//     says so in a "Porting note".
//   - Shapes given to Build and OutputShape leave out the batch dimension;
//     tensors in Forward and Backward carry it first; images are
//     channels_last. A Dense kernel is (in, units), a Conv2D kernel
//     (kh, kw, in, filters).
//   - Anything a user or a file can get wrong is returned as an error that
//     names the object, the argument and the value received
//     (ArgError, UnknownNameError, ShapeError). Forward and Backward run on
//     validated shapes and panic only on broken internal invariants.
//   - Error messages carry Keras context only: the class ("Dense: invalid
//     argument units ..."), the argument, the value received, what is
//     expected and how to fix it. They carry no Go package prefix ("nn: ")
//     and no Go method names, since the same text reaches a JS user (the wasm
//     door adds one prefix, the JS method called), and no Go syntax or Go
//     type names, except where only a Go caller can cause the error (a nil in
//     a Go slice). The "pkg: " form of the house style is for panics alone.
//   - Every error has a Keras class (ErrorClass): ValueError by default,
//     NotImplementedError for a Keras feature not built here (NotImplemented,
//     Args.Unimplemented, Args.Unsupported), TypeError where a caller may set
//     ArgError.Class. JS sees it as err.name. An argument that keraswasm only
//     refuses (Unsupported, Refuse) is never listed among those an object
//     "takes".
//   - Backward accumulates parameter gradients (+=); the model zeroes them
//     before each step. Layers own and reuse their buffers, so a training
//     step in steady state allocates nothing.
package nn
