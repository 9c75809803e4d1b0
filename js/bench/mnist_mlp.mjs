// The runtime's training speed under Node beside native Go: Keras's
// mnist_mlp example (784-512-512-10, dropout 0.2, RMSprop, batch 128) on
// random data of MNIST's shapes, as wasm/bench_test.go BenchmarkMNISTMLPFit
// trains it natively. Run: node js/bench/mnist_mlp.mjs [epochs]  (make wasmbench)
import { loadKeras } from '../keras.mjs';

const keras = await loadKeras();
const { Dense, Dropout } = keras.layers;
const n = 47 * 128;
let s = 7;
const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
const x = new Float32Array(n * 784);
for (let i = 0; i < x.length; i++) x[i] = next();
const y = new Float32Array(n * 10);
for (let i = 0; i < n; i++) y[i * 10 + Math.floor(next() * 10)] = 1;

keras.utils.set_random_seed(1);
const model = keras.Sequential([
  Dense(512, { activation: 'relu', input_shape: [784] }), Dropout(0.2),
  Dense(512, { activation: 'relu' }), Dropout(0.2),
  Dense(10, { activation: 'softmax' }),
]);
model.compile('rmsprop', 'categorical_crossentropy', ['accuracy']);
const xt = keras.tensor(x, [n, 784]);
const yt = keras.tensor(y, [n, 10]);
await model.fit(xt, yt, { epochs: 1, batch_size: 128, verbose: 0 }); // warm up (tier-up, buffers)
const epochs = Number(process.argv[2] ?? 3);
for (const yieldEvery of ['auto', 'never']) {
  const t0 = performance.now();
  await model.fit(xt, yt, { epochs, batch_size: 128, verbose: 0, yield_every: yieldEvery });
  const sec = (performance.now() - t0) / 1000;
  console.log(`mnist_mlp fit under Node (yield_every ${yieldEvery}): ${(n * epochs / sec).toFixed(0)} samples/s (${epochs} epochs of ${n} samples, batch 128)`);
}
model.dispose();
