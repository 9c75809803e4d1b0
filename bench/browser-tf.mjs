// The page's stand-in for the '@tensorflow/tfjs' package (bench/browser.html
// maps the bare name here): tf.min.js and tf-backend-wasm.min.js are loaded
// as classic scripts, which define the global tf with the wasm backend
// registered in it, and bench/tfjs.mjs gets the names it uses from that.
const tf = globalThis.tf;
export const { setBackend, ready, getBackend, backend, sequential, layers, initializers, train, tensor, dispose, slice, profile } = tf;
