// What one call costs at the JS/Go door: predict_on_batch on one sample
// through the wasmexport fast path (x written into Go's memory) beside the
// same work through js.FuncOf (predict), and a bare FuncOf call.
// Run: node js/bench/crossing.mjs  (make wasmbench)
import { loadKeras } from '../keras.mjs';

const keras = await loadKeras();
const { Dense } = keras.layers;
const time = (label, n, f) => {
  for (let i = 0; i < Math.min(n, 1000); i++) f(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  const us = ((performance.now() - t0) * 1000) / n;
  console.log(`${label}: ${us.toFixed(2)} µs a call`);
  return us;
};
time('FuncOf call that does nothing (version)', 20000, () => keras.runtime.call('version'));
for (const [name, layers, d] of [
  ['tiny 4-1', [Dense(1, { input_dim: 4 })], 4],
  ['MNIST MLP 784-128-10', [Dense(128, { activation: 'relu', input_dim: 784 }), Dense(10, { activation: 'softmax' })], 784],
]) {
  const m = keras.Sequential(layers);
  m.compile('sgd', 'mse');
  const x = keras.tensor(new Float32Array(d).fill(0.5), [1, d]);
  const y = keras.tensor(new Float32Array(m.output_shape[1]), [1, m.output_shape[1]]);
  const fast = time(`${name}: predict_on_batch (wasmexport)`, 5000, () => m.predict_on_batch(x));
  const slow = time(`${name}: predict (js.FuncOf)`, 5000, () => m.predict(x, { batch_size: 1 }));
  time(`${name}: train_on_batch (wasmexport)`, 5000, () => m.train_on_batch(x, y));
  time(`${name}: train_on_batch (js.FuncOf)`, 5000, () => m.train_on_batch(x, y, { reset_metrics: true }));
  console.log(`${name}: the fast path takes ${(100 * fast / slow).toFixed(0)}% of the FuncOf path's time`);
  m.dispose();
}
