// Bidirectional and TimeDistributed from JS (a layer's config as the first
// argument, Keras and TF.js spellings), and the states of a stateful RNN:
// model.reset_states() and layer.reset_states(), main thread and worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { keras as load } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

test('keras.layers.Bidirectional(keras.layers.LSTM(8)) takes a layer as its argument', () => {
  const model = keras.Sequential([
    L.Bidirectional(L.LSTM(8), { input_shape: [5, 10] }),
    L.Dense(1),
  ]);
  // Keras's summary: 2·4·(8·(10+8)+8) = 1216.
  assert.equal(model.layers[0].count_params(), 1216);
  assert.deepEqual(model.layers[0].output_shape, [null, 16]);
  assert.deepEqual(model.layers[0].weights.map((w) => w.name).slice(0, 3),
    ['forward_lstm/kernel', 'forward_lstm/recurrent_kernel', 'forward_lstm/bias']);
  const cfg = model.layers[0].get_config();
  assert.equal(cfg.merge_mode, 'concat');
  assert.equal(cfg.layer.class_name, 'LSTM');
  assert.equal(cfg.layer.config.units, 8);
  const y = model.predict(keras.tensor(new Float32Array(2 * 5 * 10).fill(0.5), [2, 5, 10]));
  assert.deepEqual(y.shape, [2, 1]);
});

test('Bidirectional: mergeMode in camelCase, merge_mode null is NotImplementedError, a Dense is refused', () => {
  const model = keras.Sequential([L.Bidirectional({ layer: L.GRU({ units: 3, returnSequences: true }), mergeMode: 'sum', inputShape: [4, 2] })]);
  assert.deepEqual(model.output_shape, [null, 4, 3]);
  assert.throws(() => keras.Sequential([L.Bidirectional(L.LSTM(2), { merge_mode: null, input_shape: [3, 2] })]),
    (e) => e.name === 'NotImplementedError' && /merge_mode/.test(e.message));
  assert.throws(() => keras.Sequential([L.Bidirectional(L.Dense(2), { input_shape: [3, 2] })]),
    (e) => e.name === 'ValueError' && /recurrent layer/.test(e.message) && /Dense/.test(e.message));
});

test('TimeDistributed(Dense) and TimeDistributed(Conv2D) from JS', () => {
  const model = keras.Sequential([
    L.TimeDistributed(L.Conv2D(2, 3), { input_shape: [4, 6, 6, 1] }),
    L.TimeDistributed(L.Flatten()),
    L.TimeDistributed(L.Dense(3)),
  ]);
  assert.deepEqual(model.output_shape, [null, 4, 3]);
  assert.equal(model.layers[0].count_params(), 3 * 3 * 1 * 2 + 2);
  assert.equal(model.layers[2].count_params(), 4 * 4 * 2 * 3 + 3);
  const y = model.predict(keras.tensor(new Float32Array(2 * 4 * 36).fill(1), [2, 4, 6, 6, 1]));
  assert.deepEqual(y.shape, [2, 4, 3]);
  // The same weights at every step: constant input gives equal steps.
  assert.deepEqual(Array.from(y.data.slice(0, 3)), Array.from(y.data.slice(3, 6)));
});

test('Embedding(mask_zero) then Flatten is refused with Keras\'s TypeError', () => {
  const model = keras.Sequential([L.Embedding(5, 2, { mask_zero: true, input_length: 3 })]);
  assert.throws(() => model.add(L.Flatten()),
    (e) => e.name === 'TypeError' && /does not support masking, but was passed an input_mask/.test(e.message));
  assert.equal(model.layers.length, 1);
});

function statefulModel(k) {
  return k.Sequential([
    k.layers.LSTM(4, { batch_size: 2, input_shape: [3, 2], stateful: true }),
    k.layers.Dense(1),
  ]);
}
const x = keras.tensor(Float32Array.from({ length: 12 }, (_, i) => (i % 5) / 5), [2, 3, 2]);

test('model.reset_states() and model.get_layer(name).reset_states() zero the carried states', () => {
  const model = statefulModel(keras);
  const a = Array.from(model.predict(x).data);
  const b = Array.from(model.predict(x).data);
  assert.notDeepEqual(a, b, 'the second batch starts from the first one\'s states');
  model.reset_states();
  assert.deepEqual(Array.from(model.predict(x).data), a);
  model.predict(x);
  model.get_layer('lstm').reset_states();
  assert.deepEqual(Array.from(model.predict(x).data), a);
  model.layers[0].resetStates();
  assert.deepEqual(Array.from(model.predict(x).data), a);
  assert.throws(() => model.layers[1].reset_states(), (e) => e.name === 'TypeError' && /no states to reset/.test(e.message));
  const plain = keras.Sequential([L.LSTM(2, { input_shape: [3, 2] })]);
  assert.throws(() => plain.layers[0].reset_states(), (e) => e.name === 'ValueError' && /must be stateful/.test(e.message));
});

test('a stateful layer without a batch size, and fit with a sample count it does not divide, are refused', async () => {
  assert.throws(() => keras.Sequential([L.LSTM(2, { input_shape: [3, 2], stateful: true })]),
    (e) => e.name === 'ValueError' && /needs to know its batch size/.test(e.message));
  const model = statefulModel(keras);
  model.compile('sgd', 'mse');
  const x3 = keras.tensor(new Float32Array(3 * 6), [3, 3, 2]);
  const y3 = keras.tensor(new Float32Array(3), [3, 1]);
  await assert.rejects(model.fit(x3, y3, { batch_size: 2, verbose: 0 }),
    (e) => e.name === 'ValueError' && /Found: 3 samples. Batch size: 2/.test(e.message));
});

test('reset_states through the worker', async () => {
  const kw = await loadKeras({ worker: true });
  try {
    const model = statefulModel(kw);
    const xw = kw.tensor(x.data, x.shape);
    const a = Array.from((await model.predict(xw)).data);
    await model.predict(xw);
    await model.reset_states();
    assert.deepEqual(Array.from((await model.predict(xw)).data), a);
    await model.predict(xw);
    const layers = await model.layers;
    await layers[0].reset_states();
    assert.deepEqual(Array.from((await model.predict(xw)).data), a);
  } finally {
    kw.terminate();
  }
});

test('model.call(x) and layer.call(x) run on a tensor, as Keras\'s model(x) and layer(x)', () => {
  keras.utils.set_random_seed(5);
  const model = keras.Sequential([L.Dense(4, { input_shape: [3], activation: 'relu' }), L.Dropout(0.5), L.Dense(2)]);
  const xs = keras.tensor(Float32Array.from({ length: 6 }, (_, i) => i / 6 - 0.4), [2, 3]);
  const y = model.call(xs);
  assert.deepEqual(y.shape, [2, 2]);
  assert.deepEqual(Array.from(y.data), Array.from(model.predict(xs).data), 'inference: the same as predict');
  assert.deepEqual(Array.from(model.apply(xs, { training: false }).data), Array.from(y.data), 'TF.js spelling');
  assert.notDeepEqual(Array.from(model.call(xs, true).data), Array.from(y.data), 'training=true turns dropout on');
  // One layer alone: Dense(4, relu) of x is the first layer's output.
  const h = model.layers[0].call(xs);
  assert.deepEqual(h.shape, [2, 4]);
  const h2 = model.layers[2].call(model.layers[1].call(h));
  assert.deepEqual(Array.from(h2.data), Array.from(y.data));
  assert.throws(() => model.layers[2].call(xs), (e) => e.name === 'ValueError' && /incompatible with the layer: expected shape=\(None, 4\), found shape=\(2, 3\)/.test(e.message));
  assert.throws(() => model.call(xs, { mask: [true] }), (e) => e.name === 'NotImplementedError');
  assert.throws(() => model.call(), (e) => e instanceof TypeError && /inputs is missing/.test(e.message));
});

test('call through the worker', async () => {
  const kw = await loadKeras({ worker: true });
  try {
    const model = kw.Sequential([kw.layers.Dense(2, { input_shape: [3] })]);
    const xs = kw.tensor(new Float32Array([1, 2, 3]), [1, 3]);
    const a = await model.call(xs);
    assert.deepEqual(Array.from(a.data), Array.from((await model.predict(xs)).data));
    const layers = await model.layers;
    assert.deepEqual(Array.from((await layers[0].call(xs)).data), Array.from(a.data));
  } finally {
    kw.terminate();
  }
});

test('keras.tf: tf.layers.lstm, gru, simpleRNN, bidirectional, timeDistributed as TF.js names them', () => {
  const tf = keras.tf;
  for (const n of ['lstm', 'gru', 'simpleRNN', 'bidirectional', 'timeDistributed', 'embedding', 'masking']) {
    assert.equal(typeof tf.layers[n], 'function', n);
  }
  const model = tf.sequential({ layers: [
    tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3, returnSequences: true, recurrentActivation: 'hardSigmoid' }), mergeMode: 'ave', inputShape: [4, 2] }),
    tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) }),
  ] });
  assert.deepEqual(model.layers.map((l) => l.class_name ?? l.getClassName()), ['Bidirectional', 'TimeDistributed']);
  assert.equal(model.layers[0].get_config().layer.config.recurrent_activation, 'hard_sigmoid');
});
