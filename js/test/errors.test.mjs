// Bad input never kills the runtime: every mistake is a JS Error (or a
// rejected Promise) that says what was wrong, and the same runtime then
// trains a fresh model correctly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load, lcg, randomArray, assertThrowsMessage, assertRejectsMessage } from './helpers.mjs';

const keras = await load();
const L = keras.layers;
const g = lcg(21);
const x = randomArray(g, 20, 4);
const y = Array.from({ length: 20 }, () => [Math.floor(g() * 2)]);

function compiled() {
  const m = keras.Sequential([L.Dense(8, { activation: 'relu', input_dim: 4 }), L.Dense(1, { activation: 'sigmoid' })]);
  m.compile('adam', 'binary_crossentropy', ['accuracy']);
  return m;
}

test('wrong shapes and mismatched counts', async () => {
  const m = compiled();
  await assertRejectsMessage(m.fit(randomArray(g, 20, 5), y, { verbose: 0 }), 'fit:', '5');
  await assertRejectsMessage(m.fit(x, y.slice(0, 19), { verbose: 0 }), 'fit:', '20', '19');
  assertThrowsMessage(() => m.predict(randomArray(g, 3, 7)), 'predict:', '7');
  assertThrowsMessage(() => m.evaluate(x, [[1, 2]], { verbose: 0 }), 'evaluate:');
  assertThrowsMessage(() => m.predict([[1, 2], [3]]), 'ragged nested array', 'x[1]');
  assertThrowsMessage(() => m.set_weights([keras.tensor([1, 2, 3])]), 'set_weights', 'expecting 4');
  assertThrowsMessage(() => m.add(L.Conv2D(2, 3)), 'add:');
  assertThrowsMessage(() => keras.tensor(new Float32Array(5), [2, 2]), 'shape [2,2] holds 4 values but the data has 5');
  m.dispose();
});

test('NaN, strings and wrong types', async () => {
  const m = compiled();
  const bad = x.map((r) => r.slice());
  bad[3][2] = NaN;
  await assertRejectsMessage(m.fit(bad, y, { verbose: 0 }), 'fit: x contains NaN', 'sample 3');
  assertThrowsMessage(() => keras.Sequential([L.Dense(NaN, { input_dim: 2 })]), 'units', 'NaN');
  assertThrowsMessage(() => keras.Sequential([L.Dropout(Infinity)]), 'rate', 'Infinity');
  await assertRejectsMessage(m.fit('abc', y), 'fit: x must be nested arrays of numbers', '"abc"');
  await assertRejectsMessage(m.fit([[1, 2, 'three', 4]], [[1]]), 'expected numbers, found "three" at x[0][2]');
  assertThrowsMessage(() => keras.Sequential([L.Dense('32', { input_dim: 2 })]), 'units', '"32"');
  assertThrowsMessage(() => m.compile({ loss: 42 }), 'compile:', '42');
  await assertRejectsMessage(m.fit(x, y, { epochs: 'ten', verbose: 0 }), 'epochs', '"ten"');
  await assertRejectsMessage(m.fit(x, y, { yield_every: 'sometimes' }), 'yield_every', 'sometimes');
  assertThrowsMessage(() => m.add('Dense'), 'the added layer must be a layer');
  m.dispose();
});

test('unknown names list the valid ones', async () => {
  const m = keras.Sequential([L.Dense(2, { input_dim: 2 })]);
  assertThrowsMessage(() => m.add(L.Dense(3, { activation: 'relux' })), 'relux', 'relu');
  assertThrowsMessage(() => m.compile('adamm', 'mse'), 'adamm', 'Adam');
  assertThrowsMessage(() => m.compile('adam', 'msee'), 'msee');
  assertThrowsMessage(() => m.compile('adam', 'mse', ['acuracy']), 'acuracy', 'accuracy');
  assertThrowsMessage(() => m.add({ class_name: 'Dence', config: {} }), 'Dence', 'Dense');
  assertThrowsMessage(() => m.add(L.Dense(3, { unit: 4 })), 'unit', 'units');
  m.compile('adam', 'mse');
  await assertRejectsMessage(m.fit(x, y.map((r) => [r[0], r[0]]), { epoch: 2 }), 'unknown argument "epoch"', 'epochs');
  m.dispose();
});

test('fit before compile, a second concurrent fit, calls after dispose', async () => {
  const raw = keras.Sequential([L.Dense(1, { input_dim: 4 })]);
  await assertRejectsMessage(raw.fit(x, y, { verbose: 0 }), 'fit:', 'compile');
  raw.dispose();

  const m = compiled();
  const big = randomArray(g, 2000, 4);
  const bigY = Array.from({ length: 2000 }, () => [1]);
  const first = m.fit(big, bigY, { epochs: 3, batch_size: 8, verbose: 0, yield_every: 'batch' });
  await assertRejectsMessage(m.fit(x, y, { verbose: 0 }), 'already training');
  assertThrowsMessage(() => m.evaluate(x, y, { verbose: 0 }), 'is training');
  assert.deepEqual(m.predict([[0, 0, 0, 0]]).shape, [1, 1], 'predict works between batches');
  const h = await first;
  assert.equal(h.history.loss.length, 3);

  m.dispose();
  m.dispose(); // harmless
  for (const call of [() => m.predict(x), () => m.summary(), () => m.add(L.Dense(1)), () => m.layers, () => m.get_weights()]) {
    assertThrowsMessage(call, 'disposed');
  }
  await assertRejectsMessage(m.fit(x, y), 'disposed');
});

test('dispose during fit stops it and rejects', async () => {
  const m = compiled();
  const p = m.fit(randomArray(g, 500, 4), Array.from({ length: 500 }, () => [0]), {
    epochs: 100, batch_size: 4, verbose: 0, yield_every: 'batch',
  });
  await new Promise((r) => setImmediate(r));
  m.dispose();
  await assertRejectsMessage(p, 'disposed during fit');
});

test('exceptions in callbacks and custom metrics reject fit with their names', async () => {
  const m = compiled();
  const boom = new Error('boom');
  const err = await assertRejectsMessage(m.fit(x, y, { verbose: 0, callbacks: [{ onEpochEnd() { throw boom; } }] }),
    'callbacks[0].onEpochEnd threw: boom');
  assert.equal(err.cause, boom, 'the original exception is the cause');
  function bad_metric() { throw new TypeError('nope'); }
  m.compile('adam', 'binary_crossentropy', [bad_metric]);
  await assertRejectsMessage(m.fit(x, y, { verbose: 0 }), 'custom metric bad_metric threw: nope');
  function string_metric() { return 'high'; }
  m.compile('adam', 'binary_crossentropy', [string_metric]);
  await assertRejectsMessage(m.fit(x, y, { verbose: 0 }), 'string_metric', 'expected a number or a tensor');
  assertThrowsMessage(() => m.compile('adam', 'binary_crossentropy', [(a, b) => 1]), 'needs a name');
  await assertRejectsMessage(m.fit(x, y, { verbose: 0, callbacks: [{ onEpochEnds() {} }] }), 'unknown callback hook onEpochEnds');
  m.dispose();
});

test('a Go panic becomes an Error and the runtime lives on', () => {
  const orig = console.log;
  console.log = () => {}; // the stack goes to the console; keep the test output clean
  try {
    // A table function called against its contract (a handle that is not a
    // number, a bug of the JS package) panics in Go: a real internal error,
    // where the shipped table has no test-only panic entry.
    assertThrowsMessage(() => keras.runtime.call('info', 'not a handle'), 'info: internal error', 'please report');
  } finally {
    console.log = orig;
  }
});

test('after all that, the same runtime trains a fresh model correctly', async () => {
  const m = keras.Sequential([L.Dense(8, { activation: 'relu', input_dim: 4 }), L.Dense(1, { activation: 'sigmoid' })]);
  m.compile(keras.optimizers.Adam(0.01), 'binary_crossentropy', ['accuracy']);
  const data = [], labels = [];
  for (let i = 0; i < 200; i++) {
    const r = [g(), g(), g(), g()];
    data.push(r);
    labels.push([r[0] + r[1] > 1 ? 1 : 0]);
  }
  const h = await m.fit(data, labels, { epochs: 30, batch_size: 16, verbose: 0 });
  const loss = h.history.loss;
  assert.ok(loss[loss.length - 1] < loss[0] * 0.6, `loss falls: ${loss[0]} -> ${loss[loss.length - 1]}`);
  const [, acc] = m.evaluate(data, labels, { verbose: 0 });
  assert.ok(acc > 0.9, `accuracy ${acc}`);
  m.dispose();
});
