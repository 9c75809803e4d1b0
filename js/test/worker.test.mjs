// loadKeras({worker: true}) under Node: the runtime in a worker thread
// (node:worker_threads stands in for a Web Worker; the same worker.mjs and
// message protocol serve both, and the demo's Chromium test drives the
// browser Worker). Every model method returns a Promise; page callbacks get
// the logs streamed from the worker.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { loadKeras } from '../keras.mjs';
import { binaryData, lcg, randomArray, assertClose, assertRejectsMessage } from './helpers.mjs';

const keras = await loadKeras({ worker: true });
after(() => keras.terminate());
const L = keras.layers;

test('the binary example of the study note gives the golden History in the worker too', async () => {
  const golden = JSON.parse(await readFile(new URL('../../testdata/golden/wasm_studynote_binary_history.json', import.meta.url), 'utf8'));
  await keras.utils.set_random_seed(golden.seed);
  const model = keras.Sequential();
  model.add(L.Dense(32, { activation: 'relu', input_dim: golden.features }));
  model.add(L.Dense(1, { activation: 'sigmoid' }));
  function mean_pred(y_true, y_pred) { return keras.backend.mean(y_pred); } // re-made in the worker
  await model.compile('rmsprop', 'binary_crossentropy', ['accuracy', mean_pred]);
  const { x, y } = binaryData(golden.data_seed, golden.samples, golden.features);
  const epochs = [];
  const h = await model.fit(keras.tensor(x, [golden.samples, golden.features]), keras.tensor(y, [golden.samples, 1]), {
    epochs: 3, batch_size: 32, validation_split: 0.2, verbose: 0,
    callbacks: [{ onEpochEnd: (epoch, logs) => epochs.push([epoch, Object.keys(logs)]) }],
  });
  for (const [k, want] of Object.entries(golden.history)) assertClose(h.history[k], want, golden.tolerance, k);
  assert.deepEqual(epochs.map((e) => e[0]), [0, 1, 2], 'epoch logs streamed to the page before fit resolved');
  assert.deepEqual(epochs[0][1], ['loss', 'accuracy', 'mean_pred', 'val_loss', 'val_accuracy', 'val_mean_pred']);
  assert.equal(h.model, model);
  await model.dispose();
});

test('every method and property is a Promise; the page thread stays free', async () => {
  const m = keras.Sequential([L.Dense(64, { activation: 'relu', input_dim: 32 }), L.Dense(4, { activation: 'softmax' })], 'w');
  assert.ok(m instanceof keras.Sequential);
  await m.compile({ optimizer: keras.optimizers.Adam(0.01), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  assert.equal(await m.name, 'w');
  assert.deepEqual(await m.output_shape, [null, 4]);
  assert.deepEqual(await m.metrics_names, ['loss', 'accuracy']);
  const layers = await m.layers;
  assert.deepEqual(layers.map((l) => l.name), ['dense', 'dense_1']);
  assert.deepEqual((await layers[1].get_weights()).map((w) => w.shape), [[64, 4], [4]]);
  assert.equal(await m.count_params(), 32 * 64 + 64 + 64 * 4 + 4);
  assert.equal((await m.optimizer).learning_rate, 0.01);

  const g = lcg(2);
  const x = keras.tensor(Float32Array.from({ length: 3000 * 32 }, g), [3000, 32]);
  const y = keras.utils.to_categorical(Array.from({ length: 3000 }, () => Math.floor(g() * 4)), 4);
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  const t0 = performance.now();
  let batches = 0;
  const h = await m.fit(x, y, { epochs: 1000, batch_size: 32, verbose: 0, callbacks: [{
    onBatchEnd() { batches++; },
    onEpochEnd(epoch) { if (performance.now() - t0 > 1000) m.stop_training = true; }, // reaches the worker between batches
  }] });
  const ms = performance.now() - t0;
  clearInterval(timer);
  console.log(`# worker fit: ${h.epoch.length} epochs in ${ms.toFixed(0)} ms; the page's 10 ms timer fired ${ticks} times`);
  assert.ok(h.epoch.length < 1000, 'stop_training set on the page stopped the fit');
  // stop_training takes effect after the batch during which it arrives, so the last epoch may be partial.
  assert.ok(batches > (h.epoch.length - 1) * 94 && batches <= h.epoch.length * 94, `every batch end was streamed: ${batches}`);
  assert.ok(ticks >= ms / 40, `the page kept its timer: ${ticks} ticks in ${ms} ms`);

  const p = await m.predict(x, { batch_size: 256 });
  assert.deepEqual(p.shape, [3000, 4]);
  assert.ok(p.data instanceof Float32Array);
  const [loss, acc] = await m.evaluate(x, y, { verbose: 0 });
  assert.ok(loss > 0 && acc > 0);
  const lines = [];
  const table = await m.summary({ print_fn: (s) => lines.push(s) });
  assert.deepEqual(lines, [table]);
  assert.match(table, /Total params: 2,372/);
  await m.dispose();
});

test('LearningRateScheduler, callback errors and bad input reject', async () => {
  const m = keras.Sequential([L.Dense(1, { input_dim: 2 })]);
  await m.compile('sgd', 'mse');
  const g = lcg(4);
  const x = randomArray(g, 16, 2);
  const y = x.map((r) => [r[0]]);
  const h = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [keras.callbacks.LearningRateScheduler((epoch, lr) => 0.1 / (epoch + 1))] });
  assert.deepEqual(h.history.lr.map((v) => Math.round(v * 1e6) / 1e6), [0.1, 0.05, 0.033333]);
  const boom = new Error('page boom');
  const err = await assertRejectsMessage(m.fit(x, y, { epochs: 50, verbose: 0, callbacks: [{ onEpochEnd() { throw boom; } }] }), 'page boom');
  assert.equal(err.cause, boom);
  await assertRejectsMessage(m.fit(x, [[1]], { verbose: 0 }), 'fit:');
  await assertRejectsMessage(m.add(L.Dense(1, { activation: 'relux' })), 'relux');
  const bad = keras.Sequential([L.Dense(-1, { input_dim: 2 })]);
  await assertRejectsMessage(bad.summary(), 'units', 'Received: units=-1');
  await m.dispose();
  await assertRejectsMessage(m.predict(x), 'disposed');
});

test('verbose output and namespace functions come through', async () => {
  const lines = [];
  const k2 = await loadKeras({ worker: true, print: (s) => lines.push(s) });
  try {
    const m = k2.Sequential([k2.layers.Dense(1, { input_dim: 2 })]);
    await m.compile('sgd', 'mse');
    await m.fit([[1, 2], [3, 4]], [[1], [2]], { epochs: 1 });
    assert.ok(lines.includes('Epoch 1/1'), lines.join('\n'));
    assert.deepEqual((await k2.losses.mean_absolute_error([[1, 2]], [[2, 4]])).array(), [1.5]);
    const copy = k2.models.model_from_json(await m.to_json());
    assert.deepEqual(await copy.output_shape, [null, 1]);
  } finally {
    k2.terminate();
  }
});

test('batch hooks, sent in bunches, reach the page complete and in order; yield_every is honoured in a worker', async () => {
  const m = keras.Sequential([L.Dense(1, { input_dim: 2 })]);
  await m.compile('sgd', 'mse');
  const g = lcg(5);
  const x = randomArray(g, 64, 2);
  const y = x.map((r) => [r[0]]);
  const seen = [];
  let yields = 0;
  const cb = {
    onEpochBegin: (e) => seen.push(`begin ${e}`),
    onBatchBegin: (b) => seen.push(`b${b}`),
    onBatchEnd: (b, logs) => seen.push(`e${b}:${typeof logs.loss}`),
    onEpochEnd: (e) => seen.push(`end ${e}`),
    onYield: () => { yields++; },
  };
  await m.fit(x, y, { epochs: 3, batch_size: 1, verbose: 0, callbacks: [cb] });
  const want = [];
  for (let e = 0; e < 3; e++) {
    want.push(`begin ${e}`);
    for (let b = 0; b < 64; b++) want.push(`b${b}`, `e${b}:number`);
    want.push(`end ${e}`);
  }
  assert.deepEqual(seen, want, 'every hook, in order, before fit resolved');
  // 192 batches of one sample take a few milliseconds: by default (on time, every 100 ms in a
  // worker) fit yields a few times at most; yield_every: 'batch' yields after each batch.
  assert.ok(yields < 192 / 4, `default: ${yields} yields for 192 batches`);
  yields = 0;
  await m.fit(x, y, { epochs: 3, batch_size: 1, verbose: 0, yield_every: 'batch', callbacks: [cb] });
  assert.ok(yields >= 192, `yield_every: 'batch': ${yields} yields for 192 batches`);
  await m.dispose();
});
