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

import { loadRuntime } from './src/runtime.mjs';
import { makeNamespace, localMode } from './src/namespace.mjs';
import * as catalog from './src/catalog.mjs';
import { snakeName } from './src/namespace.mjs';

/** The candidate names the core is asked about (those it has no list of). */
export function candidateNames() {
  return {
    initializers: Object.keys(catalog.INITIALIZER_ARGS),
    regularizers: Object.keys(catalog.REGULARIZER_ARGS),
    regularizer_functions: ['l1', 'l2', 'l1_l2'],
    constraints: Object.keys(catalog.CONSTRAINT_ARGS),
    callbacks: Object.keys(catalog.CALLBACK_ARGS),
    loss_functions: catalog.LOSS_FUNCTIONS,
    metric_functions: [...catalog.METRIC_FUNCTIONS, ...catalog.LOSS_FUNCTIONS],
  };
}

/**
 * loadKeras loads the runtime and resolves to the keras namespace.
 * options.wasmURL: where keras.wasm is (default: dist/keras.wasm in this
 * package, which `make wasm` writes); options.wasmExecURL: Go's wasm_exec.js
 * (default: beside the wasm); options.worker: run in a Web Worker.
 */
export async function loadKeras(options = {}) {
  if (options.worker) {
    const { loadWorkerKeras } = await import('./src/remote.mjs');
    return loadWorkerKeras(options);
  }
  return (await loadLocal(options)).keras;
}

/** loadLocal loads the runtime in this thread; it returns the namespace and the core's names. */
export async function loadLocal(options = {}) {
  const rt = await loadRuntime(options);
  const names = JSON.parse(rt.call('names', JSON.stringify(candidateNames())));
  return { keras: makeNamespace(names, localMode(rt)), names };
}

export { snakeName };
export default loadKeras;
