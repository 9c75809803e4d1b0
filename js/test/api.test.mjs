// The JS surface: the same model from snake_case and camelCase, from
// positional arguments and one options object; weights, configs, JSON,
// summary, tensors and the TF.js spellings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load, lcg, randomArray, assertThrowsMessage } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

function seeded(build) {
  keras.utils.set_random_seed(99);
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
  wa.forEach((w, i) => {
    assert.deepEqual(w.shape, wb[i].shape);
    assert.deepEqual(Array.from(w.data), Array.from(wb[i].data), `weight ${i}`);
  });
}

test('snake_case and camelCase options give the same model', () => {
  const snake = seeded(() => keras.Sequential([
    L.Conv2D(4, [3, 3], { input_shape: [8, 8, 1], kernel_initializer: 'he_normal', use_bias: false, data_format: 'channels_last' }),
    L.MaxPooling2D({ pool_size: [2, 2] }), L.Flatten(),
    L.Dense(3, { activation: 'softmax', kernel_regularizer: keras.regularizers.l2(0.01) })]));
  const camel = seeded(() => keras.Sequential([
    L.Conv2D(4, [3, 3], { inputShape: [8, 8, 1], kernelInitializer: 'heNormal', useBias: false, dataFormat: 'channelsLast' }),
    L.MaxPooling2D({ poolSize: [2, 2] }), L.Flatten(),
    L.Dense(3, { activation: 'softmax', kernelRegularizer: keras.regularizers.l2(0.01) })]));
  sameModel(snake, camel);
  assertThrowsMessage(() => L.Dense(3, { input_shape: [2], inputShape: [2] }), 'input_shape was given twice');
  snake.dispose(); camel.dispose();
});

test('positional arguments and one TF.js-style object give the same model', () => {
  const positional = seeded(() => keras.Sequential([
    L.Dense(16, 'relu', true, 'glorot_uniform', { input_dim: 4 }), L.Dropout(0.25), L.Dense(2)]));
  const object = seeded(() => keras.Sequential([
    L.Dense({ units: 16, activation: 'relu', useBias: true, kernelInitializer: 'glorotUniform', inputDim: 4 }),
    L.Dropout({ rate: 0.25 }), L.Dense({ units: 2 })]));
  sameModel(positional, object);
  assertThrowsMessage(() => L.Dropout(0.1, null, 3, 4), 'Dropout() takes at most 3 positional arguments');
  positional.dispose(); object.dispose();
});

test('compile: positional, object and optimizer objects agree', () => {
  const mk = () => seeded(() => keras.Sequential([L.Dense(1, { input_dim: 3 })]));
  const a = mk(), b = mk(), c = mk();
  a.compile('sgd', 'mse', ['mae']);
  b.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  c.compile(keras.optimizers.SGD(), keras.losses.MeanSquaredError(), [keras.metrics.mae]);
  const x = [[1, 2, 3], [4, 5, 6]], y = [[1], [2]];
  const ra = a.train_on_batch(x, y), rb = b.train_on_batch(x, y), rc = c.trainOnBatch(x, y);
  assert.deepEqual(ra, rb);
  assert.deepEqual(ra, rc);
  sameModel(a, b);
  sameModel(a, c);
  assert.equal(a.optimizer.learning_rate, 0.01);
  a.optimizer.learning_rate = 0.5;
  assert.equal(a.optimizer.lr, 0.5);
  for (const m of [a, b, c]) m.dispose();
});

test('weights, layers, configs and JSON round-trip', () => {
  const model = seeded(() => keras.Sequential([L.Dense(4, { input_shape: [3], activation: 'tanh' }), L.Dense(2)], { name: 'tiny' }));
  assert.equal(model.name, 'tiny');
  const ws = model.get_weights();
  assert.deepEqual(ws.map((w) => w.shape), [[3, 4], [4], [4, 2], [2]]);
  const layer = model.layers[0];
  assert.equal(layer.class_name, 'Dense');
  assert.equal(layer.count_params(), 16);
  assert.deepEqual(layer.output_shape, [null, 4]);
  layer.set_weights([keras.tensor(new Float32Array(12).fill(0.5), [3, 4]), new Array(4).fill(0)]);
  assert.deepEqual(Array.from(model.get_weights()[0].data), new Array(12).fill(0.5));

  const copy = keras.models.model_from_json(model.to_json());
  copy.set_weights(model.get_weights());
  const x = [[1, 2, 3]];
  assert.deepEqual(copy.predict(x).array(), model.predict(x).array());
  assert.deepEqual(copy.get_config(), model.get_config());

  const printed = [];
  const table = model.summary({ print_fn: (s) => printed.push(s) });
  assert.equal(printed[0], table);
  assert.match(table, /Model: "tiny"/);
  assert.match(table, /Total params: 26/);
  const logged = [];
  const orig = console.log;
  console.log = (s) => logged.push(s);
  try { model.summary(); } finally { console.log = orig; }
  assert.equal(logged[0], table, 'summary() prints through console.log');
  model.dispose(); copy.dispose();
});

test('x and y as nested arrays, typed arrays with a shape, and tensors agree', () => {
  const model = seeded(() => keras.Sequential([L.Dense(2, { input_dim: 3 })]));
  const g = lcg(8);
  const nested = randomArray(g, 5, 3);
  const flat = Float32Array.from(nested.flat());
  const a = model.predict(nested);
  const b = model.predict(keras.tensor(flat, [5, 3]));
  const c = model.predict({ data: flat, shape: [5, 3] });
  assert.deepEqual(a.shape, [5, 2]);
  assert.ok(a.data instanceof Float32Array);
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  assert.deepEqual(Array.from(a.data), Array.from(c.data));
  assert.deepEqual(model.predict_on_batch(nested).array(), a.array());
  model.dispose();
});

test('keras tensors and keras.backend', () => {
  const K = keras.backend;
  const t = keras.tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual(t.array(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(K.mean(t).array(), 3.5);
  assert.deepEqual(K.mean(t, 0).array(), [2.5, 3.5, 4.5]);
  assert.deepEqual(K.sum(t, -1, true).array(), [[6], [15]]);
  assert.deepEqual(K.max(t, 1).array(), [3, 6]);
  assert.equal(K.min(t).array(), 1);
  assert.deepEqual(K.argmax(t).array(), [2, 2]);
  assert.deepEqual(K.abs([-1, 2]).array(), [1, 2]);
  assert.deepEqual(K.square([3]).array(), [9]);
  assert.deepEqual(K.sqrt([9]).array(), [3]);
  assert.ok(Math.abs(K.exp([1]).data[0] - Math.E) < 1e-6);
  assert.ok(Math.abs(K.log([Math.E]).data[0] - 1) < 1e-6);
  assert.deepEqual(K.equal([1, 2, 3], [1, 0, 3]).array(), [1, 0, 1]);
  assert.deepEqual(K.cast([1.7, -1.7], 'int32').array(), [1, -1]);
  assert.deepEqual(K.clip([-2, 0.5, 2], 0, 1).array(), [0, 0.5, 1]);
  assert.deepEqual(K.round([0.5, 1.5, 2.5, -0.5, 2.4]).array(), [0, 2, 2, -0, 2], 'half to even, as TensorFlow');
  assert.equal(K.epsilon(), 1e-7);
  assert.deepEqual(K.subtract(t, [1, 1, 1]).array(), [[0, 1, 2], [3, 4, 5]], 'broadcasting');
  // Keras's categorical accuracy written with K:
  const acc = K.mean(K.equal(K.argmax([[0, 1], [1, 0]]), K.argmax([[0.2, 0.8], [0.3, 0.7]])));
  assert.equal(acc.array(), 0.5);
  assertThrowsMessage(() => K.mean(t, 2), 'axis 2 is out of range');
  assertThrowsMessage(() => K.add([1, 2], [1, 2, 3]), 'cannot be broadcast');
});

test('keras.utils.to_categorical and toCategorical', () => {
  const y = keras.utils.to_categorical([[0], [2], [1]], 3);
  assert.deepEqual(y.shape, [3, 3]);
  assert.deepEqual(y.array(), [[1, 0, 0], [0, 0, 1], [0, 1, 0]]);
  assert.deepEqual(keras.utils.toCategorical(Int32Array.of(1, 0)).array(), [[0, 1], [1, 0]]);
  assertThrowsMessage(() => keras.utils.to_categorical([3], 3), 'label 3 is out of range for num_classes=3');
  assertThrowsMessage(() => keras.utils.to_categorical([-1], 3), 'non-negative integers');
});

test('losses, metrics and activations are callable on tensors', () => {
  const mse = keras.losses.mean_squared_error([[1, 2], [0, 0]], [[1, 4], [1, 1]]);
  assert.deepEqual(mse.array(), [2, 1]);
  assert.deepEqual(keras.metrics.binary_accuracy([[1], [0]], [[0.9], [0.8]]).array(), [1, 0]);
  const sm = keras.activations.softmax(keras.tensor([[0, 0]]));
  assert.deepEqual(sm.array(), [[0.5, 0.5]]);
  assert.equal(keras.losses.mse.keras_name, 'mse');
});

test('initializers, regularizers and constraints: objects, names and config dicts', () => {
  const forms = [
    { kernel_regularizer: keras.regularizers.l2(0.01) },
    { kernel_regularizer: keras.regularizers.L2({ l2: 0.01 }) },
    { kernel_regularizer: keras.regularizers.L2(0.01) },
    { kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } } },
  ];
  const configs = forms.map((f) => {
    const m = seeded(() => keras.Sequential([L.Dense(2, { input_dim: 2, ...f, kernel_constraint: keras.constraints.MaxNorm(2), kernel_initializer: keras.initializers.RandomNormal({ stddev: 0.1 }) })]));
    const c = m.layers[0].get_config();
    m.dispose();
    return c;
  });
  for (const c of configs.slice(1)) assert.deepEqual(c.kernel_regularizer.config, configs[0].kernel_regularizer.config);
  assert.equal(configs[0].kernel_constraint.class_name, 'MaxNorm');
  assert.equal(configs[0].kernel_initializer.config.stddev, 0.1);
});

test('every layer the core has is in keras.layers', () => {
  const names = JSON.parse(keras.runtime.call('names')).kinds.layers.map((e) => e.name);
  for (const n of names) assert.equal(typeof L[n], 'function', n);
  assert.ok(names.includes('Dense') && names.includes('Conv2D'));
});

test('the wasmexport fast path gives what the FuncOf path gives, and its errors', () => {
  const mk = () => seeded(() => {
    const m = keras.Sequential([L.Dense(3, { activation: 'relu', input_dim: 4 }), L.Dense(2, { activation: 'softmax' })]);
    m.compile('adam', 'categorical_crossentropy', ['accuracy']);
    return m;
  });
  const a = mk(), b = mk();
  assert.ok(keras.runtime.hasFast);
  const g = lcg(12);
  const x = keras.tensor(Float32Array.from({ length: 32 }, g), [8, 4]);
  const y = keras.utils.to_categorical([0, 1, 1, 0, 1, 0, 0, 1], 2);
  for (let i = 0; i < 3; i++) {
    const fast = a.train_on_batch(x, y); // fast path
    const slow = b.train_on_batch(x, y, { reset_metrics: true }); // an option takes the FuncOf path
    assert.deepEqual(fast, slow);
  }
  assert.deepEqual(a.test_on_batch(x, y, [1, 1, 1, 1, 2, 2, 2, 2]), b.test_on_batch(x, y, { sample_weight: [1, 1, 1, 1, 2, 2, 2, 2], reset_metrics: true }));
  assert.deepEqual(a.predict_on_batch(x).array(), b.predict(x).array());
  assertThrowsMessage(() => a.predict_on_batch(keras.tensor(new Float32Array(5), [1, 5])), 'predict_on_batch', 'expected shape=(None, 4)');
  assertThrowsMessage(() => a.train_on_batch(x, keras.tensor(new Float32Array(8), [8, 1])), 'train_on_batch');
  a.dispose();
  assertThrowsMessage(() => a.predict_on_batch(x), 'disposed');
  assertThrowsMessage(() => a.train_on_batch(x, y), 'disposed');
  b.dispose();
});

test('every name of the namespace is declared in keras.d.ts', async () => {
  const { readFile } = await import('node:fs/promises');
  const dts = await readFile(new URL('../keras.d.ts', import.meta.url), 'utf8');
  for (const k of Object.keys(keras)) assert.match(dts, new RegExp(`\\b${k}\\b`), `keras.${k}`);
  for (const k of Object.keys(keras.backend)) assert.match(dts, new RegExp(`\\b${k}\\(`), `keras.backend.${k}`);
  for (const k of Object.keys(keras.utils)) assert.match(dts, new RegExp(`\\b${k}(\\(|: )`), `keras.utils.${k}`);
  for (const k of Object.keys(keras.callbacks)) assert.match(dts, new RegExp(`\\b${k}\\b`), `keras.callbacks.${k}`);
});
