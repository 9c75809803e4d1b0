// Issue 12: JS exceptions while Go reads JS values become the call's own
// Error (the user's exception, one prefix), the model stays usable; and
// Keras's reentrancy rules: a running model refuses changes, refuses to be
// reentered from its own metrics/losses/callbacks (RecursionError), and the
// runtime lives on.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { keras as load } from './helpers.mjs';

const keras = await load();
const kw = await loadKeras({ worker: true });
after(() => kw.terminate());

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

function model(k = keras) {
  k.utils.set_random_seed(1);
  const m = k.Sequential([k.layers.Dense(4, { activation: 'relu', input_dim: 2 }), k.layers.Dense(1, { activation: 'sigmoid' })]);
  m.compile('sgd', 'binary_crossentropy');
  return m;
}

async function rejectsWith(p, name, ...parts) {
  let err;
  try { await p; } catch (e) { err = e; }
  assert.ok(err instanceof Error, `expected an Error, got ${err}`);
  assert.equal(err.name, name, err.message);
  for (const s of parts) assert.ok(err.message.includes(s), `${JSON.stringify(err.message)} lacks ${JSON.stringify(s)}`);
  assert.ok(!/internal error|bug in keraswasm|\.go:|goroutine/.test(err.message), err.message);
  return err;
}

async function stillTrains(m) {
  const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
  assert.equal(h.history.loss.length, 1);
}

test('a callback that installs a throwing getter on logs: fit rejects with the user\'s exception, the model trains after', async () => {
  const m = model();
  const before = m.get_weights().map((t) => Array.from(t.data));
  class MyError extends Error { constructor(msg) { super(msg); this.name = 'ValueError'; } }
  await rejectsWith(m.fit(x, y, {
    epochs: 1, verbose: 0,
    callbacks: [{ onTrainBegin(logs) { Object.defineProperty(logs, 'boom', { enumerable: true, get() { throw new MyError('getter says no'); } }); } }],
  }), 'ValueError', 'fit: ', 'getter says no');
  assert.deepEqual(m.get_weights().map((t) => Array.from(t.data)), before, 'the fit failed before any batch');
  await stillTrains(m);
  // A Proxy as a logs value, a getter on a key that a hook set, a throwing toString.
  await rejectsWith(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [{ onEpochEnd(e, logs) { logs.extra = { valueOf() { throw new Error('trap'); } }; } }] }),
    'TypeError', 'fit: ', 'logs hold numbers');
  await rejectsWith(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [{ onEpochEnd() { throw { get message() { throw new Error('x'); } }; } }] }),
    'Error', 'fit: ');
  await rejectsWith(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [{ setParams() { throw new TypeError('no params'); }, onEpochEnd() {} }] }),
    'TypeError', 'fit: ', 'no params');
  await rejectsWith(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [{ onEpochEnd() { return { get then() { throw new Error('thenable'); } }; } }] }),
    'Error', 'fit: ', 'thenable');
  await stillTrains(m);
  // evaluate and predict hooks too.
  assert.throws(() => m.evaluate(x, y, { verbose: 0, callbacks: [{ onTestBegin(logs) { Object.defineProperty(logs, 'q', { enumerable: true, get() { throw new Error('eval getter'); } }); } }] }),
    (e) => e.message.startsWith('evaluate: ') && e.message.includes('eval getter'));
  m.evaluate(x, y, { verbose: 0 });
  m.dispose();
});

test('while a model runs, calls that change it are refused; reads work or are refused, never a panic or a changed loss', async () => {
  const m = model();
  const base = m.evaluate(x, y, { verbose: 0 });
  // add/compile/set_weights from a callback of predict and evaluate.
  for (const [name, call] of [
    ['add', () => m.add(keras.layers.Dense(1))],
    ['pop', () => m.pop()],
    ['compile', () => m.compile('adam', 'mse')],
    ['set_weights', () => m.set_weights(m.get_weights())],
    ['train_on_batch', () => m.train_on_batch(x, y)],
  ]) {
    for (const run of [
      (cb) => m.predict(x, { verbose: 0, batch_size: 2, callbacks: [{ onPredictBatchEnd: cb }] }),
      (cb) => m.evaluate(x, y, { verbose: 0, batch_size: 2, callbacks: [{ onTestBatchEnd: cb }] }),
    ]) {
      let err;
      run(() => { try { call(); } catch (e) { err = e; } });
      assert.ok(err, `${name} was not refused`);
      assert.ok(err.message.startsWith(`${name}: the model is running`), err.message);
    }
  }
  assert.deepEqual(m.evaluate(x, y, { verbose: 0 }), base, 'nothing changed the model');
  // get_weights from a callback works.
  let got;
  m.predict(x, { verbose: 0, callbacks: [{ onPredictEnd() { got = m.get_weights(); } }] });
  assert.equal(got.length, 4);
  // predict from a custom metric during fit and evaluate: refused (RecursionError), the fit rejects, the model lives.
  const m2 = model();
  function peek(yt, yp) { m2.predict(x, { verbose: 0 }); return keras.backend.mean(yp); }
  m2.compile('sgd', 'binary_crossentropy', [peek]);
  await rejectsWith(m2.fit(x, y, { epochs: 1, verbose: 0 }), 'RecursionError', 'fit: ', 'predict: called from a custom metric or loss of this same model');
  assert.throws(() => m2.evaluate(x, y, { verbose: 0 }), (e) => e.name === 'RecursionError');
  m2.compile('sgd', 'binary_crossentropy');
  await stillTrains(m2);
  // predict from a fit callback (between batches) still works and gives predict's numbers.
  const m3 = model();
  let inside;
  await m3.fit(x, y, { epochs: 1, verbose: 0, callbacks: [{ onTrainEnd() { inside = Array.from(m3.predict(x, { verbose: 0 }).data); } }] });
  assert.deepEqual(inside, Array.from(m3.predict(x, { verbose: 0 }).data));
  // evaluate from a callback of evaluate: refused, the outer loss is evaluate's own.
  let nested;
  const outer = m.evaluate(x, y, { verbose: 0, callbacks: [{ onTestBatchEnd() { try { m.evaluate(x, y, { verbose: 0 }); } catch (e) { nested = e; } } }] });
  assert.equal(nested?.name, 'RecursionError');
  assert.deepEqual(outer, base);
  for (const mm of [m, m2, m3]) mm.dispose();
});

test('unbounded reentry: a metric that evaluates its own model during evaluate, recursively, is a RecursionError; the runtime lives', async () => {
  const m = model();
  function recurse(yt, yp) { m.evaluate(x, y, { verbose: 0 }); return 0; }
  m.compile('sgd', 'binary_crossentropy', [recurse]);
  assert.throws(() => m.evaluate(x, y, { verbose: 0 }), (e) => e.name === 'RecursionError' && e.message.startsWith('evaluate: '));
  function recurseBatch(yt, yp) { m.test_on_batch(x, y); return 0; }
  m.compile('sgd', 'binary_crossentropy', [recurseBatch]);
  assert.throws(() => m.evaluate(x, y, { verbose: 0 }), (e) => e.name === 'RecursionError');
  // A chain across fresh models stops at a fixed depth.
  let depth = 0;
  function chain(yt, yp) {
    depth++;
    const f = keras.Sequential([keras.layers.Dense(1, { input_dim: 2 })]);
    f.compile('sgd', 'mse', [chain]);
    try { f.evaluate(x, y, { verbose: 0 }); } finally { f.dispose(); }
    return 0;
  }
  const c = keras.Sequential([keras.layers.Dense(1, { input_dim: 2 })]);
  c.compile('sgd', 'mse', [chain]);
  assert.throws(() => c.evaluate(x, y, { verbose: 0 }), (e) => e.name === 'RecursionError' && /maximum nesting depth \(\d+\)/.test(e.message));
  assert.ok(depth <= 10, `depth ${depth}`);
  const fresh = model();
  await stillTrains(fresh);
  for (const mm of [m, c, fresh]) mm.dispose();
});

test('worker mode: a throwing getter on logs, a callback\'s own exception and reentry are the call\'s errors; the worker lives', async () => {
  const m = kw.Sequential([kw.layers.Dense(1, { input_dim: 2 })]);
  await m.compile('sgd', 'mse');
  await rejectsWith(m.fit(x, y, {
    epochs: 1, verbose: 0,
    callbacks: [{ onEpochEnd(e, logs) { Object.defineProperty(logs, 'boom', { enumerable: true, get() { throw new TypeError('worker getter'); } }); throw new TypeError('own'); } }],
  }), 'TypeError', 'fit: ', 'own');
  function peek(yt, yp) { return yp; }
  await m.compile('sgd', 'mse', [peek]);
  const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
  assert.equal(h.history.loss.length, 1);
  await m.dispose();
});
