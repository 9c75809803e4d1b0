// The pooling, reshaping, noise and PReLU layers from JS: Keras's positional
// arguments, snake_case and camelCase options give the same model, the
// shapes are Keras's, and a few fit steps train it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load, lcg, assertThrowsMessage } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

function seeded(build) {
  keras.utils.set_random_seed(7);
  return build();
}

/** unnamed is a model config without the model's name (models count sequential, sequential_1, ... as in Keras). */
function unnamed(c) {
  const { name: _top, ...rest } = c;
  if (!rest.config) return rest;
  const { name: _inner, ...config } = rest.config;
  return { ...rest, config };
}

function sameModel(a, b) {
  assert.notEqual(a.name, b.name, 'two models made without a name are named apart, as in Keras');
  assert.deepEqual(unnamed(a.get_config()), unnamed(b.get_config()));
  const wa = a.get_weights(), wb = b.get_weights();
  assert.equal(wa.length, wb.length);
  wa.forEach((w, i) => assert.deepEqual(Array.from(w.data), Array.from(wb[i].data), `weight ${i}`));
}

const imageSnake = () => keras.Sequential([
  L.Reshape([6, 6, 1], { input_shape: [36] }),
  L.ZeroPadding2D(1),
  L.Conv2D(4, 3),
  L.PReLU({ shared_axes: [1, 2], alpha_initializer: 'ones' }),
  L.AveragePooling2D(2, { padding: 'same' }),
  L.UpSampling2D([2, 2], { interpolation: 'bilinear' }),
  L.Cropping2D([[1, 1], [0, 0]]),
  L.SpatialDropout2D(0.2, { seed: 1 }),
  L.GlobalMaxPooling2D({ keepdims: false }),
  L.GaussianNoise(0.05),
  L.Dense(2, { activation: 'softmax' }),
]);

const imageCamel = () => keras.Sequential([
  L.Reshape({ targetShape: [6, 6, 1], inputShape: [36] }),
  L.ZeroPadding2D({ padding: 1 }),
  L.Conv2D({ filters: 4, kernelSize: 3 }),
  L.PReLU({ sharedAxes: [1, 2], alphaInitializer: 'ones' }),
  L.AveragePooling2D({ poolSize: 2, padding: 'same' }),
  L.UpSampling2D({ size: [2, 2], interpolation: 'bilinear' }),
  L.Cropping2D({ cropping: [[1, 1], [0, 0]] }),
  L.SpatialDropout2D({ rate: 0.2, seed: 1 }),
  L.GlobalMaxPooling2D({ keepdims: false }),
  L.GaussianNoise({ stddev: 0.05 }),
  L.Dense({ units: 2, activation: 'softmax' }),
]);

const sequence = () => keras.Sequential([
  L.Dense(8, { input_dim: 4 }),
  L.RepeatVector(6),
  L.ZeroPadding1D([1, 1]),
  L.Cropping1D(1),
  L.UpSampling1D(2),
  L.MaxPooling1D(2),
  L.AveragePooling1D({ pool_size: 2, padding: 'same' }),
  L.Permute([2, 1]),
  L.ThresholdedReLU(0.0),
  L.GlobalAveragePooling1D({ keepdims: true }),
  L.Flatten(),
  L.AlphaDropout(0.1, { seed: 2 }),
  L.GaussianDropout(0.1),
  L.ActivityRegularization({ l2: 0.01 }),
  L.Dense(1),
]);

function data(n, d, g) {
  const x = new Float32Array(n * d);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[i * d + j] = g() - 0.5;
    y[i * 2 + (s > 0 ? 1 : 0)] = 1;
  }
  return { x: keras.tensor(x, [n, d]), y: keras.tensor(y, [n, 2]) };
}

test('image layers: snake_case and camelCase give the same model, with Keras shapes', () => {
  const a = seeded(imageSnake), b = seeded(imageCamel);
  sameModel(a, b);
  assert.deepEqual(a.layers.map((l) => l.output_shape), [
    [null, 6, 6, 1], [null, 8, 8, 1], [null, 6, 6, 4], [null, 6, 6, 4], [null, 3, 3, 4], [null, 6, 6, 4],
    [null, 4, 6, 4], [null, 4, 6, 4], [null, 4], [null, 4], [null, 2]]);
  assert.equal(a.layers[3].count_params(), 4, 'PReLU shared over rows and columns: one alpha per channel');
  a.dispose(); b.dispose();
});

test('image layers train a few steps from JS', async () => {
  const model = seeded(imageSnake);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const { x, y } = data(32, 36, lcg(3));
  const before = model.get_weights().map((w) => Array.from(w.data));
  const history = await model.fit(x, y, { epochs: 3, batch_size: 8, verbose: 0 });
  assert.equal(history.history.loss.length, 3);
  for (const l of history.history.loss) assert.ok(Number.isFinite(l), `loss ${l}`);
  const after = model.get_weights().map((w) => Array.from(w.data));
  assert.notDeepEqual(after[0], before[0], 'the Conv2D kernel trains');
  assert.deepEqual(model.get_weights()[2].shape, [1, 1, 4]);
  assert.notDeepEqual(after[2], before[2], 'PReLU alpha trains');
  const p = model.predict(x);
  assert.deepEqual(p.shape, [32, 2]);
  model.dispose();
});

test('sequence layers: shapes, and fit through noise and activity regularization', async () => {
  const model = seeded(sequence);
  assert.deepEqual(model.layers.map((l) => l.output_shape), [
    [null, 8], [null, 6, 8], [null, 8, 8], [null, 6, 8], [null, 12, 8], [null, 6, 8], [null, 3, 8],
    [null, 8, 3], [null, 8, 3], [null, 1, 3], [null, 3], [null, 3], [null, 3], [null, 3], [null, 1]]);
  model.compile('sgd', 'mse');
  const g = lcg(5);
  const x = Array.from({ length: 16 }, () => [g(), g(), g(), g()]);
  const y = x.map((r) => [r[0] - r[1]]);
  const history = await model.fit(x, y, { epochs: 2, batch_size: 4, verbose: 0 });
  for (const l of history.history.loss) assert.ok(Number.isFinite(l), `loss ${l}`);
  const copy = keras.models.model_from_json(model.to_json());
  copy.set_weights(model.get_weights());
  assert.deepEqual(copy.predict(x).array(), model.predict(x).array(), 'noise layers are the identity in predict');
  model.dispose(); copy.dispose();
});

test('what is not implemented says so', () => {
  const err = assertThrowsMessage(() => keras.Sequential([L.UpSampling2D(2, { interpolation: 'bicubic', input_shape: [4, 4, 1] })]),
    'interpolation', 'bicubic');
  assert.equal(err.name, 'NotImplementedError');
  assert.equal(L.AveragePooling3D, undefined);
  assertThrowsMessage(() => keras.Sequential([L.Reshape([5], { input_shape: [6] })]), 'total size of the new array must be unchanged');
});
