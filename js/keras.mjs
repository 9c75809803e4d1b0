// keraswasm: Keras's Sequential API in JavaScript, trained by a Go core
// compiled to WebAssembly. Import loadKeras and await the namespace:
//
//   import { loadKeras } from 'keraswasm';
//   const keras = await loadKeras();
//   const model = keras.Sequential([keras.layers.Dense(32, {input_shape: [784]}), ...]);
//
// Works in browsers (as an ES module, also inside a Web Worker) and in
// Node >= 20. With {worker: true} the runtime runs in a Web Worker (a
// worker thread in Node) and every model method returns a Promise.

import { loadLocal } from './src/namespace.mjs';
import { makeTF } from './src/tf.mjs';
import { ValueError } from './src/errors.mjs';
import { simdKernel } from './src/simd-option.mjs';

/**
 * loadKeras loads the runtime and resolves to the keras namespace.
 * options.wasmURL: where keras.wasm is (default: dist/keras.wasm in this
 * package, which `make wasm` writes); options.wasmExecURL: Go's wasm_exec.js
 * (default: beside the wasm); options.worker: run in a Web Worker;
 * options.simd: 'default' (native Go's results bit for bit) or 'relaxed'
 * (relaxed SIMD's multiply-add, faster, refused where the engine lacks it;
 * src/simd-option.mjs).
 */
export async function loadKeras(options = {}) {
  simdKernel(options.simd); // refused here, before any worker starts
  if (options.workers !== undefined && options.workers !== 1 && !options.worker) {
    throw new ValueError(`loadKeras: workers: ${options.workers} needs worker: true (each worker is a Web Worker); pass {worker: true, workers: ${options.workers}}`);
  }
  if (options.worker) {
    const { loadWorkerKeras } = await import('./src/remote.mjs');
    return loadWorkerKeras(options);
  }
  const keras = (await loadLocal(options)).keras;
  // keras.tf: TF.js's training API over the same runtime (src/tf.mjs).
  keras.tf = makeTF(keras);
  return keras;
}

export default loadKeras;
