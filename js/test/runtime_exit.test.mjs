// If the Go program under the runtime ends anyway (a fatal error the memory
// budget did not prevent, a trap), the JS package notices (Go's exit, the
// go.run Promise): every pending call (a fit) and every later call rejects
// or throws one clear Error, "the keras runtime stopped: …; call loadKeras()
// again", no Promise is left pending, and a fresh loadKeras() works. The
// exit is forced with a table function that only a runtime loaded with
// __testDoors has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

async function settledSoon(p) {
  const pending = Symbol('pending');
  const r = await Promise.race([Promise.resolve(p).then(() => 'resolved', (e) => e), new Promise((res) => setTimeout(() => res(pending), 3000))]);
  assert.notEqual(r, pending, 'the Promise is still pending');
  return r;
}

function assertStopped(e, code) {
  assert.ok(e instanceof Error, `expected an Error, got ${e}`);
  assert.match(e.message, new RegExp(`^the keras runtime stopped: (in the worker, )?the runtime exited with code ${code}; its models are gone: call loadKeras\\(\\) again$`));
}

/** attempt runs f (sync or async) and returns its outcome settled: the error, or 'resolved'. */
const attempt = (f) => settledSoon(Promise.resolve().then(f));

async function training(keras) {
  const model = keras.Sequential([keras.layers.Dense(32, { input_dim: 16, activation: 'relu' }), keras.layers.Dense(1)]);
  await model.compile({ optimizer: 'adam', loss: 'mse' });
  const n = 1024;
  const x = keras.tensor(new Float32Array(n * 16).map((_, i) => (i % 5) / 5), [n, 16]);
  const y = keras.tensor(new Float32Array(n).map((_, i) => i % 2), [n, 1]);
  return { model, x, y };
}

async function freshTrains(worker) {
  const keras = await loadKeras({ worker });
  try {
    const { model, x, y } = await training(keras);
    const h = await model.fit(x, y, { epochs: 1, batch_size: 64, verbose: 0 });
    assert.equal(h.history.loss.length, 1, 'a fresh loadKeras() trains');
  } finally {
    keras.terminate?.();
  }
}

for (const worker of [false, true]) {
  const mode = worker ? 'worker' : 'main thread';

  test(`${mode}: the Go program ending during a fit rejects the fit and every later call, and a fresh loadKeras() trains`, async () => {
    const keras = await loadKeras({ worker, __testDoors: true });
    const { model, x, y } = await training(keras);
    let batches = 0;
    const fit = model.fit(x, y, { epochs: 100, batch_size: 8, verbose: 0, yield_every: 'batch', callbacks: [{ onBatchEnd: () => { batches++; } }] });
    while (batches === 0) await new Promise((r) => setTimeout(r, 5));
    assertStopped(await attempt(() => keras.__exitRuntime(3)), 3);
    assertStopped(await settledSoon(fit), 3);
    assertStopped(await attempt(() => model.predict(x)), 3);
    assertStopped(await attempt(() => model.count_params()), 3);
    assertStopped(await attempt(() => model.fit(x, y, { epochs: 1 })), 3);
    assertStopped(await attempt(() => model.train_on_batch(x, y)), 3);
    assertStopped(await attempt(() => keras.Sequential([keras.layers.Dense(1, { input_dim: 2 })]).count_params()), 3);
    keras.terminate?.();
    await freshTrains(worker);
  });

  test(`${mode}: the Go program ending inside a custom metric during fit rejects the fit, and a fresh loadKeras() trains`, async () => {
    const keras = await loadKeras({ worker, __testDoors: true });
    const model = keras.Sequential([keras.layers.Dense(1, { input_dim: 4 })]);
    // Re-made in the worker from its source, where `keras` is the worker's.
    function ends(y_true, y_pred) { keras.__exitRuntime(5); return 0; }
    await model.compile({ optimizer: 'sgd', loss: 'mse', metrics: [ends] });
    const x = keras.tensor(new Float32Array(64 * 4).fill(0.5), [64, 4]);
    const y = keras.tensor(new Float32Array(64).fill(1), [64, 1]);
    assertStopped(await settledSoon(model.fit(x, y, { epochs: 2, batch_size: 8, verbose: 0 })), 5);
    assertStopped(await attempt(() => model.evaluate(x, y)), 5);
    keras.terminate?.();
    await freshTrains(worker);
  });
}
