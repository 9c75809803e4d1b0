// The smaller cases of issue 12, main thread and worker: to_categorical
// refuses labels past num_classes (IndexError, as Keras) and results past
// 2 GiB; a class_weight given as a Map is honoured like the dict it stands
// for; a TF.js tensor (shape, dtype, dataSync()) is accepted as x and y.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { keras as load, assertThrowsMessage } from './helpers.mjs';

const keras = await load();
const kw = await loadKeras({ worker: true });
after(() => kw.terminate());

test('to_categorical: a label ≥ 2³² is an IndexError, not wrapped around', () => {
  const e = assertThrowsMessage(() => keras.utils.to_categorical([2 ** 32], 3), 'to_categorical', 'label 4294967296 is out of range for num_classes=3');
  assert.equal(e.name, 'IndexError');
  const e2 = assertThrowsMessage(() => keras.utils.to_categorical([0, 2 ** 31 + 256], 4), 'label 2147483904');
  assert.equal(e2.name, 'IndexError');
  // Inferred num_classes 2³²+1 is refused for its size.
  const e3 = assertThrowsMessage(() => keras.utils.to_categorical([2 ** 32]), 'to_categorical', 'GiB', 'lower num_classes');
  assert.equal(e3.name, 'ValueError');
});

test('to_categorical([0, 1], 2**31) is refused for its size, with the size', () => {
  const e = assertThrowsMessage(() => keras.utils.to_categorical([0, 1], 2 ** 31), 'to_categorical',
    '2 × 2147483648 = 4294967296 values', '16.0 GiB');
  assert.equal(e.name, 'ValueError');
  // A big but reasonable one still works.
  assert.deepEqual(keras.utils.to_categorical([1], 1000).shape, [1, 1000]);
});

async function trainedWeights(k, classWeight) {
  await k.utils.set_random_seed(3);
  const m = k.Sequential([k.layers.Dense(2, { activation: 'softmax', input_dim: 2 })]);
  await m.compile('sgd', 'sparse_categorical_crossentropy');
  const x = [[1, 0], [0, 1], [1, 1], [0, 0]];
  const y = [[0], [1], [1], [0]];
  await m.fit(x, y, { epochs: 2, batch_size: 2, shuffle: false, verbose: 0, ...(classWeight ? { class_weight: classWeight } : {}) });
  const w = (await m.get_weights()).map((t) => Array.from(t.data));
  await m.dispose();
  return w;
}

/** FakeTFTensor has what a tf.Tensor has that keraswasm reads (@tensorflow/tfjs is no dependency of the package). */
class FakeTFTensor {
  constructor(data, shape, dtype) { this.shape = shape; this.dtype = dtype; this.size = data.length; this.values = data; }
  dataSync() { return Float32Array.from(this.values); }
}

for (const [mode, k] of [['main thread', keras], ['worker', kw]]) {
  test(`class_weight as a Map is honoured like the dict (${mode})`, async () => {
    const none = await trainedWeights(k, null);
    const dict = await trainedWeights(k, { 0: 1, 1: 10 });
    const map = await trainedWeights(k, new Map([[0, 1], [1, 10]]));
    assert.deepEqual(map, dict);
    assert.notDeepEqual(map, none);
  });

  test(`a TF.js tensor (shape, dtype, dataSync) is accepted as x and y (${mode})`, async () => {
    const tfLike = (data, shape, dtype = 'float32') => new FakeTFTensor(data, shape, dtype);
    const m = k.Sequential([k.layers.Dense(1, { input_dim: 2 })]);
    await m.compile('sgd', 'mse');
    const x = tfLike([1, 2, 3, 4], [2, 2]);
    const y = tfLike([1, 0], [2, 1], 'int32');
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    assert.equal(h.history.loss.length, 1);
    const p = await m.predict(x, { verbose: 0 });
    assert.deepEqual(p.shape, [2, 1]);
    const want = await m.predict([[1, 2], [3, 4]], { verbose: 0 });
    assert.deepEqual(Array.from(p.data), Array.from(want.data));
    await assert.rejects(async () => m.predict(tfLike([1], [1, 1], 'string')), /predict: x: a TF.js tensor of dtype "string"|predict: x: a TF.js tensor of dtype 'string'|dtype/);
    await m.dispose();
  });
}
