// Package sequential is Keras's Sequential model: a stack of nn layers with
// Add, Compile, Fit, Evaluate and Predict, callbacks and History, Summary,
// weights and the model's Keras JSON config.
//
// Conventions:
//   - Keras's names, defaults and meaning; each file cites the Keras file it
//     follows. Where Keras 2 (tf.keras) and Keras 3 differ, the Keras 2 dialect
//     of the user's study note (testdata/studynote/) is followed and a
//     Porting note says so.
//   - Tensors carry the batch first: x is (samples, input_shape...); shapes
//     given without the batch (a layer's input_shape) say so.
//   - One seed drives everything random: the layers' initializers and dropout
//     masks draw from sources derived from the model's seed, and shuffling
//     draws from the model's own source. The same seed and the same calls give
//     the same History to the last bit.
//   - Everything a caller can get wrong (fit before compile, shapes, NaN in the
//     data, unknown option names ...) returns an error that says what was
//     wrong, what was expected and how to fix it; the model stays usable. The
//     public entry points also recover a panic from a layer into an error
//     (*PanicError, an internal error), as a last line of defence.
//   - Messages follow nn's policy: Keras context ("loss: ", "metrics[1]: ",
//     `layer "dense_1" (Dense): `, "validation_data: ") and no Go package
//     prefix ("sequential: "), no Go method name (the caller knows the call it
//     made; the wasm door prefixes the JS method), no Go syntax or Go type
//     names where a JS user or a file can cause the error; the fix is said in
//     Keras's words (model.compile({optimizer, loss})). The Keras class of an
//     error (nn.ErrorClass) passes through the %w chain. The "pkg: " form is
//     for panics on internal invariants alone.
//   - Memory is budgeted, since Go cannot recover from running out of it (and
//     wasm32 has 4 GiB in all): models reserve from a Budget (budget.go),
//     their own or one shared by all the models of a runtime (NewIn):
//     Build reserves weights, Compile the optimizer's state, and fit,
//     evaluate and predict their batches; what would exceed the limit is
//     refused with a *MemoryError (ResourceExhaustedError) that says how
//     much, where, who holds the rest, and the batch_size that fits.
//   - With the final layer's softmax or sigmoid (an Activation layer, or the
//     activation of Dense or Conv2D) and a crossentropy, the loss and its
//     gradient are computed from the logits, as tf.keras does (LogitsLayer).
//   - A training step in steady state allocates nothing: layers own their
//     buffers and the model owns its batch, loss and gradient buffers.
//   - A Model is not safe for concurrent use.
package sequential
