// Freezing layers, the model's weight lists and get_layer, from JS on the
// main thread and in a worker, as a Keras user writes them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { keras as load, lcg, randomArray, assertThrowsMessage } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

/** moved reports, per weight, whether it differs between two get_weights lists. */
function moved(before, after) {
  return before.map((w, i) => w.data.some((v, j) => v !== after[i].data[j]));
}

function smallData(n = 16) {
  const x = randomArray(lcg(5), n, 3);
  const y = keras.utils.to_categorical(Array.from({ length: n }, (_, i) => i % 2), 2);
  return { x, y };
}

test('layer.trainable = false freezes the layer from the next compile, as in Keras', async () => {
  keras.utils.set_random_seed(3);
  const model = keras.Sequential([L.Dense(4, { input_shape: [3], name: 'first' }), L.Dense(2, { activation: 'softmax' })]);
  model.compile('sgd', 'categorical_crossentropy');
  const { x, y } = smallData();
  const first = model.get_layer('first');
  first.trainable = false;
  assert.equal(first.trainable, false);
  assert.equal(model.layers[0].trainable, false, 'the change reached the model');
  assert.deepEqual(first.trainable_weights, []);
  assert.deepEqual(first.non_trainable_weights.map((w) => w.path), ['first/kernel', 'first/bias']);
  let lines = [];
  model.summary({ print_fn: (s) => lines.push(s) });
  assert.match(lines.join('\n'), /Trainable params: 10\nNon-trainable params: 16/);
  const table = model.summary({ print_fn: () => {}, show_trainable: true });
  assert.match(table, / first \(Dense\) {15}\(None, 4\) {17}16 {8}N {10}\n/);

  let before = model.get_weights();
  await model.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
  assert.deepEqual(moved(before, model.get_weights()), [true, true, true, true], 'not recompiled yet: it still trains');

  model.compile('sgd', 'categorical_crossentropy');
  before = model.get_weights();
  await model.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
  assert.deepEqual(moved(before, model.get_weights()), [false, false, true, true], 'frozen after compile');
  assert.deepEqual(model.trainable_weights.map((w) => w.path), [`${model.layers[1].name}/kernel`, `${model.layers[1].name}/bias`]);
  assert.equal(model.weights.length, 4);
  assert.equal(model.nonTrainableWeights.length, 2);
  assert.throws(() => { first.trainable = 'no'; }, TypeError);
});

test('get_layer takes a name or an index and says what exists', () => {
  const model = keras.Sequential([L.Dense(4, { input_shape: [3], name: 'a' }), L.Dense(2, { name: 'b' })]);
  assert.equal(model.get_layer('b').name, 'b');
  assert.equal(model.get_layer({ index: 0 }).name, 'a');
  assert.equal(model.getLayer(1).name, 'b');
  assert.equal(model.get_layer(null, 1).name, 'b');
  const e = assertThrowsMessage(() => model.get_layer('c'), 'get_layer: no such layer: c', "'a', 'b'");
  assert.equal(e.name, 'ValueError');
  assertThrowsMessage(() => model.get_layer({ index: 5 }), 'index 5', 'only has 2 layers');
  assertThrowsMessage(() => model.get_layer(), 'provide only a layer name or a layer index');
  model.get_layer('a').set_weights(model.get_layer('a').get_weights());
});

test('in a worker, a layer from get_layer freezes the same way', async () => {
  const kw = await loadKeras({ worker: true });
  after(() => kw.terminate());
  const model = kw.Sequential([kw.layers.Dense(4, { input_shape: [3], name: 'first' }), kw.layers.Dense(2, { name: 'last' })]);
  await model.compile('sgd', 'mse');
  const last = await model.get_layer('last');
  last.trainable = false;
  assert.equal(last.trainable, false);
  const layers = await model.layers;
  assert.equal(layers[1].trainable, false);
  assert.equal(layers[0].trainable, true);
  assert.equal((await model.non_trainable_weights).length, 2);
  assert.equal((await last.get_weights()).length, 2);
});

test('a CNN with BatchNormalization trains a few steps; its moving statistics move and inference uses them', async () => {
  keras.utils.set_random_seed(11);
  const model = keras.Sequential([
    L.Conv2D(4, 3, { input_shape: [6, 6, 1] }),
    L.BatchNormalization({ momentum: 0.5 }),
    L.Activation('relu'),
    L.Flatten(),
    L.Dense(2, { activation: 'softmax' }),
  ]);
  const bn = model.layers[1];
  assert.deepEqual(bn.weights.map((w) => [w.name, w.trainable]),
    [['gamma', true], ['beta', true], ['moving_mean', false], ['moving_variance', false]]);
  let lines = [];
  model.summary({ print_fn: (s) => lines.push(s) });
  assert.match(lines.join('\n'), /Non-trainable params: 8\n/);
  model.compile('adam', 'categorical_crossentropy', ['accuracy']);
  const g = lcg(21);
  const n = 32;
  const x = Array.from({ length: n }, (_, i) => Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => [g() + (i % 2) * 0.5])));
  const y = keras.utils.to_categorical(Array.from({ length: n }, (_, i) => i % 2), 2);
  const [, , mean0, var0] = bn.get_weights();
  const history = await model.fit(x, y, { epochs: 8, batch_size: 8, verbose: 0 });
  const losses = history.history.loss;
  assert.ok(losses.at(-1) < losses[0], `loss falls: ${losses}`);
  const [, , mean1, var1] = bn.get_weights();
  assert.ok(mean1.data.some((v, i) => v !== mean0.data[i]), 'moving_mean moved');
  assert.ok(var1.data.some((v, i) => v !== var0.data[i]), 'moving_variance moved');
  // Inference normalizes with the moving statistics: the same input gives the same output alone or in a batch.
  const alone = model.predict([x[0]]);
  const batch = model.predict(x.slice(0, 4));
  assert.deepEqual(Array.from(alone.data), Array.from(batch.data.slice(0, 2)));

  // Frozen at the next compile, BatchNormalization runs in inference mode: nothing of it moves.
  bn.trainable = false;
  model.compile('adam', 'categorical_crossentropy');
  const before = bn.get_weights();
  await model.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
  assert.deepEqual(moved(before, bn.get_weights()), [false, false, false, false]);
  const cfg = model.get_config().config.layers.find((l) => l.class_name === 'BatchNormalization').config;
  assert.equal(cfg.momentum, 0.5);
  assert.equal(cfg.trainable, false);
});

test('LayerNormalization normalizes each sample; keras.layers has both classes with Keras positional axis', () => {
  const model = keras.Sequential([L.LayerNormalization(-1, { input_shape: [4], center: false, scale: false })]);
  const y = model.predict([[1, 2, 3, 4], [10, 10, 10, 14]]).array();
  for (const row of y) {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    assert.ok(Math.abs(mean) < 1e-5);
  }
  assert.equal(L.BatchNormalization(1).config.axis, 1);
  assertThrowsMessage(() => keras.Sequential([L.BatchNormalization({ input_shape: [3], momentum: 2 })]), 'momentum', '2');
});

test('keras.Input first, as keras.io examples start; model.build([null, ...]); both in a worker too', async () => {
  const model = keras.Sequential([keras.Input({ shape: [784] }), L.Dense(10, { activation: 'softmax' })]);
  assert.deepEqual(model.input_shape, [null, 784]);
  assert.equal(model.layers.length, 1, 'the InputLayer is not a layer of the list, as in Keras');
  const first = model.get_config().config.layers[0];
  assert.equal(first.class_name, 'InputLayer');
  assert.equal(first.config.name, 'input_1');
  const same = keras.models.model_from_json(model.to_json());
  assert.deepEqual(same.get_config(), model.get_config());
  const batched = keras.Sequential([keras.Input([4], { batch_size: 8, name: 'x' }), L.Dense(2)]);
  assert.deepEqual(batched.input_shape, [8, 4]);
  assert.equal(batched.get_config().config.layers[0].config.name, 'x');

  const later = keras.Sequential([L.Dense(3), L.Dense(1)]);
  assert.equal(later.built, false);
  later.build([null, 5]);
  assert.equal(later.built, true);
  assert.equal(later.count_params(), 5 * 3 + 3 + 3 + 1);
  assert.deepEqual(later.get_config().config.build_input_shape, [null, 5]);
  assertThrowsMessage(() => later.build([null, 6]), 'build: ', 'already has the input shape');
  assertThrowsMessage(() => keras.Sequential([L.Dense(1)]).build(), 'build: ', 'build([null, 784])');
  assert.throws(() => later.build(5), TypeError);

  const kw = await loadKeras({ worker: true });
  after(() => kw.terminate());
  const remote = kw.Sequential([kw.Input([3]), kw.layers.Dense(2)]);
  assert.deepEqual(await remote.input_shape, [null, 3]);
  const remoteLater = kw.Sequential([kw.layers.Dense(2)]);
  await remoteLater.build([null, 3]);
  assert.equal(await remoteLater.count_params(), 8);
});

test('a Conv1D model with causal padding learns a sequence task from JS', async () => {
  keras.utils.set_random_seed(5);
  // Label 1 when the sequence rises at its end: a causal filter sees it.
  const g = lcg(8);
  const n = 64, steps = 8;
  const x = [], labels = [];
  for (let i = 0; i < n; i++) {
    const seq = Array.from({ length: steps }, () => [g()]);
    const up = i % 2;
    seq[steps - 1][0] = seq[steps - 2][0] + (up ? 0.5 : -0.5);
    x.push(seq);
    labels.push(up);
  }
  const model = keras.Sequential([
    keras.Input([steps, 1]),
    L.Conv1D(4, 2, { padding: 'causal', activation: 'relu' }),
    L.Flatten(),
    L.Dense(1, { activation: 'sigmoid' }),
  ]);
  assert.deepEqual(model.layers[0].output_shape, [null, steps, 4]);
  assert.deepEqual(model.layers[0].weights.map((w) => w.shape), [[2, 1, 4], [4]]);
  model.compile({ optimizer: keras.optimizers.Adam(0.05), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, labels.map((v) => [v]), { epochs: 30, batch_size: 16, verbose: 0 });
  assert.ok(history.history.accuracy.at(-1) >= 0.9, `accuracy ${history.history.accuracy.at(-1)}`);
});

test('DepthwiseConv2D, SeparableConv2D and Conv2DTranspose build with Keras shapes and train together from JS', async () => {
  keras.utils.set_random_seed(9);
  const model = keras.Sequential([
    keras.Input([8, 8, 2]),
    L.DepthwiseConv2D(3, { depth_multiplier: 2, padding: 'same', activation: 'relu' }),
    L.SeparableConv2D(4, 3, { strides: 2, padding: 'same', activation: 'relu' }),
    L.Conv2DTranspose(2, 3, { strides: 2, padding: 'same' }),
  ]);
  assert.deepEqual(model.layers.map((l) => l.output_shape), [[null, 8, 8, 4], [null, 4, 4, 4], [null, 8, 8, 2]]);
  assert.deepEqual(model.layers.map((l) => l.weights.map((w) => `${w.name}${JSON.stringify(w.shape)}`)), [
    ['depthwise_kernel[3,3,2,2]', 'bias[4]'],
    ['depthwise_kernel[3,3,4,1]', 'pointwise_kernel[1,1,4,4]', 'bias[4]'],
    ['kernel[3,3,2,4]', 'bias[2]'],
  ]);
  // An autoencoder of smooth images: the loss falls.
  const g = lcg(3);
  const x = Array.from({ length: 16 }, () => {
    const a = g(), b = g();
    return Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => [Math.sin(a * i), Math.cos(b * j)]));
  });
  model.compile(keras.optimizers.Adam(0.02), 'mse');
  const history = await model.fit(x, x, { epochs: 25, batch_size: 8, verbose: 0 });
  const loss = history.history.loss;
  assert.ok(loss.at(-1) < 0.7 * loss[0], `loss ${loss[0]} → ${loss.at(-1)}`);
  const again = keras.models.model_from_json(model.to_json());
  assert.deepEqual(again.get_config(), model.get_config());
});
