// The page's script, bundled by esbuild. esbuild copies no file that `new URL('…', import.meta.url)`
// names, so the page says where the copied runtime is (wasmURL: wasm_exec.js and the SIMD module
// are taken beside it) and where its bundled worker is (workerURL).
import { loadKeras } from 'keraswasm';

const runtime = { wasmURL: new URL('./keraswasm/keras.wasm', import.meta.url) };

// Two separable blobs: class 1 where x0 + x1 > 0. 64 points, a fixed pattern (no RNG needed).
const n = 64, x = [], y = [];
for (let i = 0; i < n; i++) {
  const a = Math.sin(i * 12.9898) * 2, b = Math.cos(i * 78.233) * 2;
  x.push([a, b]);
  y.push([a + b > 0 ? 1 : 0]);
}

async function train(options) {
  const keras = await loadKeras(options);
  const model = keras.Sequential([
    keras.layers.Dense(8, { activation: 'relu', input_shape: [2] }),
    keras.layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  await model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 40, batch_size: 16, verbose: 0 });
  const [loss, accuracy] = await model.evaluate(x, y, { verbose: 0 });
  if (keras.terminate) keras.terminate();
  return { loss, accuracy, epochs: history.history.loss.length };
}

try {
  const main = await train(runtime);
  const worker = await train({ ...runtime, worker: true, workerURL: new URL('./worker.js', import.meta.url) });
  window.__result = { main, worker };
} catch (e) {
  window.__result = { error: `${e.name}: ${e.message}` };
}
document.getElementById('out').textContent = JSON.stringify(window.__result);
