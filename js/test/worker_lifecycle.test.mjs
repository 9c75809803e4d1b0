// Worker lifecycle ({worker: true} in Node): when the worker goes away during
// a fit, by terminate(), by keras.dispose() or by exiting on its own, the
// fit and every other pending call reject with one clear Error, later calls
// reject at once (never a Promise left pending), and a fresh loadKeras works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

// trainingModel returns a compiled model and data large enough that fit is
// still running when the test stops the worker.
async function trainingModel(keras, metrics = []) {
  const model = keras.Sequential([keras.layers.Dense(64, { input_dim: 32, activation: 'relu' }), keras.layers.Dense(1)]);
  await model.compile({ optimizer: 'adam', loss: 'mse', metrics });
  const n = 2048;
  const x = keras.tensor(new Float32Array(n * 32).map((_, i) => (i % 7) / 7), [n, 32]);
  const y = keras.tensor(new Float32Array(n).map((_, i) => i % 2), [n, 1]);
  return { model, x, y };
}

// settles resolves to 'pending' if p has not settled within a few turns of the event loop.
async function settledSoon(p) {
  const pending = Symbol('pending');
  const r = await Promise.race([p.then(() => 'resolved', (e) => e), new Promise((res) => setTimeout(() => res(pending), 2000))]);
  assert.notEqual(r, pending, 'the Promise is still pending');
  return r;
}

function assertStopped(e, reason) {
  assert.ok(e instanceof Error, `expected an Error, got ${e}`);
  assert.match(e.message, /^the keras runtime stopped: /);
  assert.match(e.message, reason);
  assert.match(e.message, /call loadKeras\(\) again/);
}

for (const [how, stop, reason] of [
  ['terminate()', (k) => k.terminate(), /terminate\(\) was called/],
  ['keras.dispose()', (k) => k.dispose(), /keras\.dispose\(\) was called/],
]) {
  test(`${how} during a fit rejects the fit, the pending calls and every later call`, async () => {
    const keras = await loadKeras({ worker: true });
    const { model, x, y } = await trainingModel(keras);
    let batches = 0;
    const fit = model.fit(x, y, { epochs: 50, batch_size: 8, verbose: 0, callbacks: [{ onBatchEnd: () => { batches++; } }] });
    while (batches === 0) await new Promise((r) => setTimeout(r, 5));
    const count = model.count_params(); // pending while the fit runs
    stop(keras);
    assertStopped(await settledSoon(fit), reason);
    assertStopped(await settledSoon(count), reason);
    assertStopped(await settledSoon(model.predict(x)), reason);
    assertStopped(await settledSoon(keras.Sequential().count_params()), reason);
    stop(keras); // a second stop is harmless
  });
}

test('a worker that exits on its own during a fit rejects the fit and later calls, and a fresh loadKeras trains', async () => {
  const keras = await loadKeras({ worker: true });
  let calls = 0;
  // A custom metric is re-made in the worker; this one ends the worker thread
  // (process.exit in a worker_threads worker ends that thread only).
  function exits(y_true, y_pred) { if (typeof process !== 'undefined') process.exit(7); return 0; }
  const { model, x, y } = await trainingModel(keras, [exits]);
  const fit = model.fit(x, y, { epochs: 5, batch_size: 64, verbose: 0, callbacks: [{ onBatchEnd: () => { calls++; } }] });
  assertStopped(await settledSoon(fit), /the worker exited with code 7/);
  assertStopped(await settledSoon(model.get_weights()), /exited with code 7/);
  assert.equal(calls, 0);

  const fresh = await loadKeras({ worker: true });
  try {
    const t = await trainingModel(fresh);
    const h = await t.model.fit(t.x, t.y, { epochs: 1, batch_size: 256, verbose: 0 });
    assert.equal(h.history.loss.length, 1);
    assert.ok(Number.isFinite(h.history.loss[0]));
  } finally {
    fresh.terminate();
  }
});
