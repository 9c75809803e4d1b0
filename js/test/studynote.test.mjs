// The user's study note (testdata/studynote/keras_sequential_note.md), every
// example written in JS as a Keras user would, run on the real runtime. Each
// test names the note's lines it follows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load, lcg, randomArray, assertThrowsMessage } from './helpers.mjs';

const keras = await load();
const { Sequential } = keras;
const { Dense, Activation, Dropout, Flatten, Conv2D, MaxPooling2D } = keras.layers;
const { SGD } = keras.optimizers;
const K = keras.backend;

test('1. a list of layers builds the model (with and without new)', () => {
  // Lines 43–47.
  // The text writes Dense(32, units=784), which Keras itself rejects:
  assertThrowsMessage(() => Dense(32, { units: 784 }), "Dense() got multiple values for argument 'units'");
  // what it means is an input of 784 features:
  const model = Sequential([Dense(32, { input_shape: [784] }), Activation('relu'), Dense(10), Activation('softmax')]);
  assert.deepEqual(model.layers.map((l) => l.name), ['dense', 'activation', 'dense_1', 'activation_1']);
  assert.deepEqual(model.output_shape, [null, 10]);
  assert.equal(model.count_params(), 784 * 32 + 32 + 32 * 10 + 10);
  const model2 = new keras.Sequential([new Dense(32, { input_shape: [784] }), new Activation('relu')]);
  assert.ok(model2 instanceof keras.Sequential);
  assert.deepEqual(model2.output_shape, [null, 32]);
  model.dispose();
  model2.dispose();
});

test('2. .add() builds the same model', () => {
  // Lines 58–60.
  const model = Sequential();
  model.add(Dense(32, { input_shape: [784] }));
  model.add(Activation('relu'));
  assert.deepEqual(model.output_shape, [null, 32]);
  assert.equal(model.layers[0].get_config().units, 32);
  model.dispose();
});

test('3. the three compile variants and a custom metric', () => {
  // Lines 93–110.
  const mk = (units, act) => Sequential([Dense(units, { activation: act, input_dim: 8 })]);
  const multi = mk(10, 'softmax');
  multi.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const binary = mk(1, 'sigmoid');
  binary.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const regression = mk(1, 'linear');
  regression.compile({ optimizer: 'rmsprop', loss: 'mse' });
  assert.deepEqual(multi.metrics_names, ['loss', 'accuracy']);
  assert.deepEqual(regression.metrics_names, ['loss']);
  assert.equal(multi.optimizer.get_config().name, 'rmsprop');

  function mean_pred(y_true, y_pred) { return K.mean(y_pred); }
  const custom = mk(1, 'sigmoid');
  custom.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy', mean_pred] });
  assert.deepEqual(custom.metrics_names, ['loss', 'accuracy', 'mean_pred']);
  const g = lcg(3);
  const x = randomArray(g, 16, 8);
  const y = Array.from({ length: 16 }, () => [g() < 0.5 ? 1 : 0]);
  const [loss, acc, mp] = custom.evaluate(x, y, { verbose: 0 });
  const pred = custom.predict(x);
  assert.ok(Math.abs(mp - K.mean(pred).data[0]) < 1e-6, `mean_pred ${mp} is the mean prediction`);
  assert.ok(loss > 0 && acc >= 0 && acc <= 1);
  for (const m of [multi, binary, regression, custom]) m.dispose();
});

test('4. the binary example trains on random data and the loss falls', async () => {
  // Lines 131–146.
  const model = Sequential();
  model.add(Dense(32, { activation: 'relu', input_dim: 100 }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  // data = np.random.random((1000, 100)); labels = np.random.randint(2, size=(1000, 1))
  const g = lcg(11);
  const data = randomArray(g, 1000, 100);
  const labels = Array.from({ length: 1000 }, () => [Math.floor(g() * 2)]);
  const history = await model.fit(data, labels, { epochs: 10, batch_size: 32, verbose: 0 });
  const loss = history.history.loss;
  assert.equal(loss.length, 10);
  assert.deepEqual(history.epoch, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.ok(loss[9] < loss[0], `loss falls: ${loss}`);
  assert.equal(history.history.accuracy.length, 10);
  assert.equal(history.params.epochs, 10);
  assert.equal(history.params.steps, 32);
  model.dispose();
});

test('5. the CNN example (smaller images) with SGD and evaluate', async () => {
  // Lines 207–262.
  const g = lcg(5);
  const img = (n) => keras.tensor(Float32Array.from({ length: n * 16 * 16 * 3 }, g), [n, 16, 16, 3]);
  const labels = (n) => keras.utils.to_categorical(Array.from({ length: n }, () => [Math.floor(g() * 10)]), 10);
  const x_train = img(40), y_train = labels(40), x_test = img(20), y_test = labels(20);
  assert.deepEqual(y_train.shape, [40, 10]);

  const model = Sequential();
  model.add(Conv2D(32, [3, 3], { activation: 'relu', input_shape: [16, 16, 3] }));
  model.add(Conv2D(32, [3, 3], { activation: 'relu' }));
  model.add(MaxPooling2D({ pool_size: [2, 2] }));
  model.add(Dropout(0.25));
  model.add(Conv2D(64, [3, 3], { activation: 'relu' }));
  model.add(Conv2D(64, 3, { activation: 'relu' })); // kernel_size as one number
  model.add(MaxPooling2D({ pool_size: [2, 2] }));
  model.add(Dropout(0.25));
  model.add(Flatten());
  model.add(Dense(256, { activation: 'relu' }));
  model.add(Dropout(0.5));
  model.add(Dense(10, { activation: 'softmax' }));
  assert.deepEqual(model.output_shape, [null, 10]);

  const sgd = SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });
  model.compile({ loss: 'categorical_crossentropy', optimizer: sgd });
  const cfg = model.optimizer.get_config();
  assert.equal(cfg.momentum, 0.9);
  assert.equal(cfg.nesterov, true);
  const history = await model.fit(x_train, y_train, { batch_size: 32, epochs: 2, verbose: 0 });
  assert.equal(history.history.loss.length, 2);
  assert.ok(history.history.loss.every(Number.isFinite));
  const score = model.evaluate(x_test, y_test, { batch_size: 32, verbose: 0 });
  assert.equal(typeof score, 'number', 'no metrics: evaluate returns the loss alone');
  assert.ok(Number.isFinite(score) && score > 0);
  assert.equal(model.optimizer.iterations, 4, 'two epochs of two batches');
  model.dispose();
});
