// Callbacks as Keras and TF.js users write them; their logs match Keras's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load, lcg, randomArray } from './helpers.mjs';

const keras = await load();
const L = keras.layers;
const g = lcg(31);
const x = randomArray(g, 64, 4);
const y = x.map((r) => [r[0] > 0.5 ? 1 : 0]);

function model() {
  keras.utils.set_random_seed(5);
  const m = keras.Sequential([L.Dense(4, { activation: 'relu', input_dim: 4 }), L.Dense(1, { activation: 'sigmoid' })]);
  m.compile('sgd', 'binary_crossentropy', ['accuracy']);
  return m;
}

test('TF.js hooks and Keras hooks see Keras logs at every point', async () => {
  const m = model();
  const seen = [];
  const tfjs = {
    onTrainBegin(logs) { seen.push(['trainBegin', logs]); },
    onEpochBegin(epoch, logs) { seen.push(['epochBegin', epoch]); },
    onBatchEnd(batch, logs) { seen.push(['batchEnd', batch, Object.keys(logs).sort()]); },
    onEpochEnd(epoch, logs) { seen.push(['epochEnd', epoch, Object.keys(logs).sort()]); },
    onTrainEnd() { seen.push(['trainEnd']); },
  };
  class KerasStyle extends keras.callbacks.Callback {
    on_epoch_end(epoch, logs) { this.last = { epoch, logs, model: this.model, params: this.params }; }
  }
  const ks = new KerasStyle();
  await m.fit(x, y, { epochs: 2, batch_size: 32, validation_split: 0.25, verbose: 0, callbacks: [tfjs, ks] });
  assert.deepEqual(seen.map((s) => s[0]), ['trainBegin', 'epochBegin', 'batchEnd', 'batchEnd', 'epochEnd',
    'epochBegin', 'batchEnd', 'batchEnd', 'epochEnd', 'trainEnd']);
  for (const k of ['accuracy', 'loss']) assert.ok(seen[2][2].includes(k), `batch logs have ${k}: ${seen[2][2]}`);
  assert.deepEqual(seen[4][2], ['accuracy', 'loss', 'val_accuracy', 'val_loss'], 'epoch logs add val_*');
  assert.equal(ks.last.epoch, 1);
  assert.equal(ks.last.model, m, 'this.model is the model');
  assert.equal(ks.last.params.epochs, 2);
  assert.equal(ks.last.params.steps, 2);
  m.dispose();
});

test('TF.js single callbacks object, LambdaCallback and History', async () => {
  const m = model();
  const epochs = [];
  await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: { onEpochEnd: (e) => epochs.push(e) } });
  assert.deepEqual(epochs, [0, 1, 2]);
  const lambda = [];
  const hist = new keras.callbacks.History();
  const h = await m.fit(x, y, {
    epochs: 2, verbose: 0,
    callbacks: [keras.callbacks.LambdaCallback({ on_epoch_end: (e, logs) => lambda.push(logs.loss) }), hist],
  });
  assert.deepEqual(lambda, h.history.loss);
  assert.deepEqual(hist.history.loss, h.history.loss);
  assert.deepEqual(hist.epoch, [0, 1]);
  m.dispose();
});

test('async hooks are awaited, and stop_training from a hook stops fit', async () => {
  const m = model();
  const order = [];
  await m.fit(x, y, {
    epochs: 2, verbose: 0,
    callbacks: [{
      async onEpochEnd(epoch) { await new Promise((r) => setTimeout(r, 5)); order.push(`end ${epoch}`); },
      onEpochBegin(epoch) { order.push(`begin ${epoch}`); },
    }],
  });
  assert.deepEqual(order, ['begin 0', 'end 0', 'begin 1', 'end 1']);
  const h = await m.fit(x, y, {
    epochs: 10, verbose: 0,
    callbacks: [{ onEpochEnd(epoch) { if (epoch === 2) m.stop_training = true; } }],
  });
  assert.equal(h.history.loss.length, 3);
  await assert.rejects(m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [{ async onEpochEnd() { throw new Error('late'); } }] }),
    /callbacks\[0\]\.onEpochEnd threw: late/);
  await assert.rejects(m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [{ onEpochEnd() { m.evaluate(x, y, { verbose: 0 }); } }] }),
    /evaluate: the model is training/);
  m.dispose();
});

test('EarlyStopping, ReduceLROnPlateau, LearningRateScheduler and TerminateOnNaN', async () => {
  const m = model();
  let h = await m.fit(x, y, {
    epochs: 50, verbose: 0,
    callbacks: [keras.callbacks.EarlyStopping({ monitor: 'loss', patience: 0, min_delta: 10 })],
  });
  assert.equal(h.history.loss.length, 2, 'no improvement of 10: stops after patience 0');

  h = await m.fit(x, y, {
    epochs: 3, verbose: 0,
    callbacks: [keras.callbacks.ReduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 0, min_delta: 10 })],
  });
  // Keras logs the rate before it reduces it: patience 0 reduces from the second epoch on.
  assert.deepEqual(h.history.lr.map((v) => Math.round(v * 1e6) / 1e6), [0.01, 0.01, 0.005]);
  assert.ok(Math.abs(m.optimizer.learning_rate - 0.0025) < 1e-9);

  const schedule = (epoch, lr) => (epoch === 0 ? 0.1 : lr / 2);
  h = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [keras.callbacks.LearningRateScheduler(schedule)] });
  assert.deepEqual(h.history.lr.map((v) => Math.round(v * 1e6) / 1e6), [0.1, 0.05, 0.025]);
  assert.ok(Math.abs(m.optimizer.learning_rate - 0.025) < 1e-9);

  const bad = model();
  bad.compile(keras.optimizers.SGD(1e30), 'mse');
  h = await bad.fit(x, y.map((r) => [r[0] * 1e20]), { epochs: 5, verbose: 0, callbacks: [keras.callbacks.TerminateOnNaN()] });
  assert.ok(h.history.loss.length < 5, 'terminated');
  m.dispose(); bad.dispose();
});

test('evaluate and predict call their hooks; verbose 1 prints the progress bar through console.log', async () => {
  const m = model();
  const seen = [];
  m.evaluate(x, y, { verbose: 0, callbacks: [{ on_test_begin: () => seen.push('test_begin'), on_test_batch_end: (b) => seen.push(`test_batch ${b}`) }] });
  m.predict(x, { callbacks: [{ onPredictEnd: () => seen.push('predict_end') }] });
  assert.deepEqual(seen, ['test_begin', 'test_batch 0', 'test_batch 1', 'predict_end']);
  const lines = [];
  const orig = console.log;
  console.log = (s) => lines.push(String(s));
  try {
    await m.fit(x, y, { epochs: 2, batch_size: 32 });
  } finally {
    console.log = orig;
  }
  assert.ok(lines.includes('Epoch 1/2') && lines.includes('Epoch 2/2'), lines.join('\n'));
  assert.ok(lines.some((l) => /^64\/64 \[=+\] - .* - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/.test(l)), lines.join('\n'));
  m.dispose();
});

test('a custom metric logs under its name, with val_ for validation', async () => {
  const m = model();
  function mean_pred(y_true, y_pred) { return keras.backend.mean(y_pred); }
  m.compile('rmsprop', 'binary_crossentropy', ['accuracy', mean_pred]);
  const h = await m.fit(x, y, { epochs: 2, verbose: 0, validation_split: 0.25 });
  assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'mean_pred', 'val_accuracy', 'val_loss', 'val_mean_pred']);
  assert.ok(h.history.mean_pred.every((v) => v > 0 && v < 1));
  m.dispose();
});

test('a custom JS loss trains (gradient by central differences in the core)', async () => {
  keras.utils.set_random_seed(3);
  const m = keras.Sequential([L.Dense(1, { input_dim: 4 })]);
  const K = keras.backend;
  function my_mse(y_true, y_pred) { return K.mean(K.square(K.subtract(y_pred, y_true)), -1); }
  m.compile(keras.optimizers.SGD(0.1), my_mse);
  const t = x.map((r) => [r[0] + 2 * r[1]]);
  const h = await m.fit(x, t, { epochs: 20, verbose: 0 });
  assert.ok(h.history.loss[19] < h.history.loss[0] / 4, `loss falls: ${h.history.loss}`);
  m.dispose();
});
