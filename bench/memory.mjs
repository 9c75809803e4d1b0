// Memory figures of the bench runners, in Node and in a page alike.
//
// - jsHeap: the JS heap in use (performance.memory.usedJSHeapSize in
//   Chromium, exact when Chromium runs with --enable-precise-memory-info, as
//   browser.mjs starts it; process.memoryUsage().heapUsed in Node). Neither
//   counts the backing stores of ArrayBuffers: the Float32Arrays of the data
//   and TF.js cpu's tensors are outside it (TF.js's are in tensorsPeak).
// - modelNeed: what the model itself needs to train, computed from its
//   weights and layers: weights, their gradients and the optimizer's slots,
//   and one batch of activations (the input and every layer's output, but
//   Flatten's, which is a reshape in Keras and TF.js). It is the yardstick of
//   issue 11: peak memory within 1.2× of it, or no more than TF.js wasm's.
export const MiB = 2 ** 20;

/** jsHeap returns the bytes of JS heap in use, or undefined where unknown. */
export function jsHeap() {
  if (globalThis.process?.memoryUsage) return process.memoryUsage().heapUsed;
  return globalThis.performance?.memory?.usedJSHeapSize;
}

/** SLOTS is the optimizer's state per weight: Keras's slots for the card's optimizers. */
function slots(o) {
  switch (o.type) {
    case 'RMSprop': return (o.momentum ? 1 : 0) + (o.centered ? 1 : 0) + 1; // velocity (+ momentum, + average gradient)
    case 'Adam': return o.amsgrad ? 3 : 2; // m, v (+ v̂ max)
    case 'SGD': return o.momentum ? 1 : 0; // momentum
    default: throw new Error(`bench: optimizer ${o.type} has no slot count`);
  }
}

const size = (shape) => shape.reduce((a, b) => a * (b ?? 1), 1);

/**
 * modelNeed returns {bytes, weights, activations} for workload w trained in
 * batches of w's batch_size, given the model's parameter count and the
 * output shapes of its layers (without the batch axis) in order.
 */
export function modelNeed(w, params, outputShapes) {
  const batch = Math.min(w.batch_size, w.num_samples);
  let perSample = size(w.input_shape);
  w.layers.forEach((l, i) => {
    if (l.type !== 'Flatten') perSample += size(outputShapes[i]);
  });
  const weights = 4 * params * (2 + slots(w.optimizer));
  const activations = 4 * perSample * batch;
  return { bytes: weights + activations, weights, activations };
}

/** mib formats bytes in MiB (n/a for none). */
export const mib = (b) => (b == null || Number.isNaN(b) ? 'n/a' : `${(b / MiB).toFixed(1)} MiB`);

/**
 * describe says one runner's memory figures in a line: keraswasm's wasm
 * memory + JS heap, TF.js's tensor peak (and its wasm backend's memory) +
 * JS heap, and the total the comparison of issue 11 uses: wasm memory + JS
 * heap where there is a wasm memory, else tensors + JS heap.
 */
export function describe(runner, m) {
  if (!m) return `${runner} n/a`;
  if (runner === 'keraswasm') {
    return `${runner} wasm ${mib(m.wasm)} + JS heap ${mib(m.jsHeap)} = ${mib(m.wasm + (m.jsHeap || 0))}`;
  }
  const base = m.wasm != null ? m.wasm : m.tensorsPeak;
  const what = m.wasm != null ? `wasm ${mib(m.wasm)} (tensors peak ${mib(m.tensorsPeak)})` : `tensors peak ${mib(m.tensorsPeak)}`;
  return `${runner} ${what} + JS heap ${mib(m.jsHeap)} = ${mib(base + (m.jsHeap || 0))}`;
}

/** describeNeed says the model's own need (modelNeed) in a line. */
export const describeNeed = (n) => (n
  ? `model's own need ${mib(n.bytes)} (weights, gradients and slots ${mib(n.weights)}, a batch of activations ${mib(n.activations)}; 1.2× = ${mib(1.2 * n.bytes)})`
  : '');
