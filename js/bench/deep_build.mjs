// How long building a deep model takes from JS: keras.Sequential([...n
// Dense(4) layers]) with the input shape on the first, so every layer is
// built as it is added. The time per layer should not grow with n (10,000
// layers took 17-34 s, 2,500 layers 2 s, when each add went over every
// layer before it). A benchmark, not a test: node js/bench/deep_build.mjs
import { loadKeras } from '../keras.mjs';

const keras = await loadKeras();
for (const n of [500, 2500, 10000, 2500]) { // the first warms the JIT up
  const layers = [keras.layers.Dense(4, { input_dim: 4 })];
  for (let i = 1; i < n; i++) layers.push(keras.layers.Dense(4));
  const t = performance.now();
  const m = keras.Sequential(layers);
  const ms = performance.now() - t;
  const p = performance.now();
  const out = m.predict(keras.tensor(new Float32Array(8 * 4).fill(0.5), [8, 4]));
  console.log(`${n} layers: build ${ms.toFixed(0)} ms (${(1000 * ms / n).toFixed(0)} µs/layer), predict ${(performance.now() - p).toFixed(0)} ms, output ${out.shape}`);
  m.dispose();
}
