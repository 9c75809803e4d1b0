// Memory is reused, not grown: the wasm memory (the Go instance's
// memory.buffer, which never shrinks) does not grow after a model's first
// fit, however often the same model is fitted again on data of the same
// shapes, nor when that model is disposed and an equal one is built and
// fitted in its place. Each fit copies its data into Go (6 MiB here) and
// gives it back at its end; a disposed model gives back its weights and
// buffers. The runtime's budget collects Go's garbage before the next
// reservation once that much was given back (sequential/budget_collect.go),
// so the next call reuses the space; without it Go's pacing lets the heap
// grow to about twice what is live first. The figures are byte counts, not
// times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

const MiB = 2 ** 20;
const N = 2048; // samples of 16×16×3: x is 6 MiB

function data(keras) {
  const x = new Float32Array(N * 16 * 16 * 3);
  for (let i = 0; i < x.length; i++) x[i] = ((i * 7919) % 1000) / 1000;
  const labels = Array.from({ length: N }, (_, i) => (i * 31) % 10);
  return { x: keras.tensor(x, [N, 16, 16, 3]), y: keras.utils.to_categorical(labels, 10) };
}

function convModel(keras) {
  const m = keras.Sequential([
    keras.layers.Conv2D(8, [3, 3], { activation: 'relu', input_shape: [16, 16, 3] }),
    keras.layers.MaxPooling2D({ pool_size: [2, 2] }),
    keras.layers.Flatten(),
    keras.layers.Dense(10, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer: keras.optimizers.SGD({ learning_rate: 0.01, momentum: 0.9, nesterov: true }), loss: 'categorical_crossentropy' });
  return m;
}

test('five fits of a conv model, then a dispose and an equal model fitted twice: the wasm memory does not grow after the first fit', async () => {
  const keras = await loadKeras();
  const mem = () => keras.runtime.instance.exports.mem.buffer.byteLength;
  const { x, y } = data(keras);
  let model = convModel(keras);
  const sizes = [];
  const fit = async () => {
    const h = await model.fit(x, y, { batch_size: 64, epochs: 1, verbose: 0 });
    assert.ok(Number.isFinite(h.history.loss[0]), `loss ${h.history.loss[0]}`);
    sizes.push(mem());
  };
  for (let i = 0; i < 5; i++) await fit();
  model.dispose();
  model = convModel(keras);
  for (let i = 0; i < 2; i++) await fit();
  model.dispose();
  const mb = sizes.map((b) => (b / MiB).toFixed(2)).join(', ');
  // The second fit may add a few pages once (0.25 MiB here: the collector's
  // own mark structures and a goroutine stack, not buffers); from then on
  // not one page. Without the collection before the next reservation the
  // memory grew by 19 MiB over these fits.
  assert.ok(sizes[1] - sizes[0] <= MiB, `wasm memory after each fit (MiB): ${mb}; the second fit grew it by more than a MiB`);
  for (let i = 2; i < sizes.length; i++) {
    assert.equal(sizes[i], sizes[1], `wasm memory after each fit (MiB): ${mb}; fit ${i + 1} grew it`);
  }
});
