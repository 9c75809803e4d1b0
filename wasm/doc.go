// Command wasm is the keraswasm runtime: built with GOOS=js GOARCH=wasm it
// becomes js/dist/keras.wasm, which the JS package (js/keras.mjs) loads.
//
// It is a narrow function table over package sequential: models live here
// under integer handles; configs arrive as JSON (Keras configs, snake_case);
// tensors cross as one bulk copy of their float32 bytes plus a shape. There
// is no Keras logic and no math here: every decision about layers, losses,
// training and callbacks is the core's.
//
// The files without a build tag (runtime.go, fit.go, hooks.go, ...) hold
// everything that can be tested natively; the *_js.go files are the only
// ones that import syscall/js, and they only convert between JS values and
// the Go types those files take. Every function in the table recovers
// panics and returns them as JS Errors: a Go panic never ends the runtime.
//
// Errors leave through one door (wrap, jsErr): the message gets exactly one
// prefix, the JS method the user called ("compile: loss: ..."; the core's
// messages carry Keras context and no Go names), and the JS Error's name is
// the error's Keras class (nn.ErrorClass: ValueError, TypeError,
// NotImplementedError), which the JS side throws as that class. Internal
// errors (recovered panics) stay plain Errors that ask for a bug report.
package main
