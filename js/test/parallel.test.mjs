// Data-parallel training (loadKeras({worker: true, workers: 2}),
// src/parallel.mjs): two workers, each computing half of every batch, train
// as one worker does on the whole batches, up to float32 summation order;
// other calls reach worker 0, changes reach both; refusals and terminate
// reject cleanly.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

// TOL bounds |2 workers − 1 worker| on weights and History after 3 epochs
// (float32 sums over 16 rows against two sums over 8, carried by RMSprop).
const TOL = 1e-4;

const one = await loadKeras({ worker: true });
const two = await loadKeras({ worker: true, workers: 2 });
after(() => { one.terminate(); two.terminate(); });

/** data is 64 samples of 6 features and 3 one-hot classes, from a fixed LCG. */
function data() {
  let s = 12345;
  const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  const x = new Float32Array(64 * 6).map(r);
  const y = new Float32Array(64 * 3);
  for (let i = 0; i < 64; i++) y[i * 3 + (i % 3)] = 1;
  return { x: one.tensor(x, [64, 6]), y: one.tensor(y, [64, 3]) };
}

async function model(keras, weights) {
  const m = keras.Sequential([
    keras.layers.Dense(8, { activation: 'relu', input_shape: [6] }),
    keras.layers.Dense(3, { activation: 'softmax' }),
  ]);
  await m.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  if (weights) await m.set_weights(weights);
  return m;
}

function close(a, b, what) {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= TOL, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

test('two workers train as one worker on the whole batches', async () => {
  const { x, y } = data();
  const m1 = await model(one);
  const w = await m1.get_weights();
  const m2 = await model(two, w);
  const batches = [];
  const opts = { epochs: 3, batch_size: 16, shuffle: false, verbose: 0 };
  const h1 = await m1.fit(x, y, opts);
  const h2 = await m2.fit(x, y, { ...opts, callbacks: [{ onBatchEnd: (b, logs) => batches.push([b, logs.loss]) }] });
  assert.deepEqual(Object.keys(h2.history).sort(), Object.keys(h1.history).sort());
  for (const k of Object.keys(h1.history)) close(h2.history[k], h1.history[k], k);
  assert.deepEqual(h2.epoch, [0, 1, 2]);
  assert.equal(batches.length, 12);
  const [w1, w2] = [await m1.get_weights(), await m2.get_weights()];
  w1.forEach((t, i) => close(Array.from(w2[i].data), Array.from(t.data), `weight ${i}`));
  // predict goes to worker 0 and agrees with one worker's.
  close(Array.from((await m2.predict(x, { verbose: 0 })).data), Array.from((await m1.predict(x, { verbose: 0 })).data), 'predict');
  // With shuffling and an odd batch (64 = 3·20 + 4: slices of 10, 10 and 2, 2) it trains too.
  const h3 = await m2.fit(x, y, { epochs: 2, batch_size: 20, verbose: 0 });
  assert.equal(h3.history.loss.length, 2);
  assert.ok(Number.isFinite(h3.history.loss[1]));
});

test('without shared memory (a page not cross-origin isolated) the gradients travel in messages, with the same result', async () => {
  const { x, y } = data();
  const m1 = await model(one);
  const w = await m1.get_weights();
  const [a, b] = [await model(two, w), await model(two, w)];
  const opts = { epochs: 2, batch_size: 16, shuffle: false, verbose: 0 };
  const ha = await a.fit(x, y, opts);
  const saved = globalThis.SharedArrayBuffer;
  globalThis.SharedArrayBuffer = undefined;
  let hb;
  try {
    hb = await b.fit(x, y, opts);
  } finally {
    globalThis.SharedArrayBuffer = saved;
  }
  assert.deepEqual(hb.history, ha.history, 'the same sums in the same order');
  const [wa, wb] = [await a.get_weights(), await b.get_weights()];
  wa.forEach((t, i) => assert.deepEqual(wb[i].data, t.data));
});

test('what the parallel fit does not build is refused, and the model stays usable', async () => {
  const { x, y } = data();
  const m = await model(two);
  await assert.rejects(m.fit(x, y, { epochs: 1, verbose: 0, validation_split: 0.2, validation_steps: 1 }), { name: 'NotImplementedError', message: /validation_steps is not implemented with workers > 1/ });
  await assert.rejects(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [two.callbacks.EarlyStopping()] }), { name: 'NotImplementedError' });
  const d = two.Sequential([two.layers.Dense(4, { input_shape: [6] }), two.layers.GaussianNoise(0.1), two.layers.Dense(3)]);
  await d.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(d.fit(x, y, { verbose: 0 }), { name: 'NotImplementedError', message: /^fit: .*GaussianNoise with stddev=0.1/ });
  // Dropout trains: each replica draws its own masks.
  const dr = two.Sequential([two.layers.Dense(4, { input_shape: [6] }), two.layers.Dropout(0.5), two.layers.Dense(3)]);
  await dr.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.equal((await dr.fit(x, y, { verbose: 0, epochs: 2 })).history.loss.length, 2);
  await d.predict(x, { verbose: 0 }); // still usable
  // A callback's error rejects fit; the model trains again afterwards.
  await assert.rejects(m.fit(x, y, { verbose: 0, callbacks: [{ onEpochEnd() { throw new Error('boom'); } }] }), /boom/);
  const h = await m.fit(x, y, { verbose: 0, epochs: 1 });
  assert.equal(h.history.loss.length, 1);
});

test('workers is checked, and terminate rejects a running parallel fit', async () => {
  await assert.rejects(loadKeras({ worker: true, workers: 0 }), { name: 'ValueError', message: /workers must be a positive integer/ });
  await assert.rejects(loadKeras({ workers: 2 }), { name: 'ValueError', message: /needs worker: true/ });
  const k = await loadKeras({ worker: true, workers: 2 });
  assert.equal(k.workers, 2);
  const { x, y } = data();
  const m = await model(k);
  const p = m.fit(x, y, { epochs: 50, batch_size: 4, verbose: 0, callbacks: [{ onBatchEnd: (b) => { if (b === 2) k.terminate(); } }] });
  await assert.rejects(p, /the keras runtime stopped/);
  await assert.rejects(m.predict(x), /the keras runtime stopped/);
});
