// One model API, two transports: a model on the main thread and one in a
// worker offer the same methods, aliases and properties (those of
// src/api.mjs), and take the same arguments the same way; errors keep their
// class across the worker.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { MODEL_API, LAYER_API, OPTIMIZER_API, surface } from '../src/api.mjs';
import { encodeError, decodeError } from '../src/wire.mjs';

const local = await loadKeras();
const remote = await loadKeras({ worker: true });
after(() => remote.terminate());

/** surfaceOf lists the methods and properties a user sees on obj, from descriptors (reading a worker property is a request). */
function surfaceOf(obj) {
  const methods = new Set();
  const properties = new Set();
  for (let o = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (k === 'constructor' || methods.has(k) || properties.has(k)) continue;
      const d = Object.getOwnPropertyDescriptor(o, k);
      (typeof d.value === 'function' ? methods : properties).add(k);
    }
  }
  return { methods: [...methods].sort(), properties: [...properties].sort() };
}

/** compiled makes the same small compiled model in either mode. */
async function compiled(keras) {
  keras.utils.set_random_seed(7);
  const m = keras.Sequential([keras.layers.Dense(3, { input_dim: 2, activation: 'relu' }), keras.layers.Dense(1)], 'twin');
  await m.compile(keras.optimizers.SGD(0.05), 'mse', ['mae']);
  return m;
}

const x = [[0, 1], [1, 0], [1, 1], [0.5, 0.25]];
const y = [[1], [0], [1], [0.5]];

test('main-thread and worker models, layers and optimizers expose the same API, the one of api.mjs', async () => {
  const a = await compiled(local);
  const b = await compiled(remote);
  assert.deepEqual(surfaceOf(b), surfaceOf(a), 'model');
  assert.deepEqual(surfaceOf(a), surface(MODEL_API), 'model and MODEL_API');
  const [la] = a.layers;
  const [lb] = await b.layers;
  assert.deepEqual(surfaceOf(lb), surfaceOf(la), 'layer');
  assert.deepEqual(surfaceOf(la), surface(LAYER_API), 'layer and LAYER_API');
  assert.deepEqual(surfaceOf(await b.optimizer), surfaceOf(a.optimizer), 'optimizer');
  assert.deepEqual(surfaceOf(a.optimizer), surface(OPTIMIZER_API), 'optimizer and OPTIMIZER_API');
  a.dispose();
  await b.dispose();
});

test('the TF.js spellings of layers and optimizers answer the same in both modes', async () => {
  const a = await compiled(local);
  const b = await compiled(remote);
  const [la] = a.layers;
  const [lb] = await b.layers;
  for (const l of [la, lb]) {
    assert.equal(l.getClassName(), 'Dense');
    assert.equal(l.countParams(), 9);
    assert.equal(l.getConfig().units, 3);
  }
  assert.deepEqual((await lb.getWeights()).map((w) => Array.from(w.data)), la.getWeights().map((w) => Array.from(w.data)));
  const oa = a.optimizer;
  const ob = await b.optimizer;
  assert.equal(ob.learningRate, oa.learningRate);
  assert.deepEqual(ob.getConfig(), oa.getConfig());
  ob.learningRate = 0.5;
  oa.learningRate = 0.5;
  assert.equal((await b.optimizer).lr, 0.5, 'the write reached the worker');
  assert.deepEqual(await b.inputShape, a.inputShape);
  assert.deepEqual(await b.outputShape, a.outputShape);
  a.dispose();
  await b.dispose();
});

/** outcome runs one call and says what the user sees: its result, or its error's class and message, and what it printed. */
async function outcome(model, call) {
  const printed = [];
  try {
    return { result: await call(model, (s) => printed.push(s)), printed };
  } catch (e) {
    return { error: `${e.name}: ${e.message}`, isTypeError: e instanceof TypeError, printed };
  }
}

test('summary takes the same arguments in both modes', async () => {
  const a = await compiled(local);
  const b = await compiled(remote);
  const calls = {
    'print_fn in the options': (m, p) => m.summary({ print_fn: p }),
    'printFn in the options': (m, p) => m.summary({ printFn: p }),
    'print_fn positional': (m, p) => m.summary(undefined, undefined, p),
    'line_length': (m, p) => m.summary(80, undefined, p),
    'expand_nested positional': (m, p) => m.summary(undefined, undefined, p, false),
    'show_trainable': (m, p) => m.summary({ print_fn: p, show_trainable: true }),
    'too many positional arguments': (m, p) => m.summary(undefined, undefined, p, false, false, null, 1),
  };
  for (const [what, call] of Object.entries(calls)) {
    const want = await outcome(a, call);
    assert.deepEqual(await outcome(b, call), want, what);
  }
  assert.match((await outcome(a, calls['print_fn in the options'])).printed[0], /Total params: 13/);
  assert.match((await outcome(a, calls['expand_nested positional'])).error, /^TypeError: summary: expand_nested/);
  a.dispose();
  await b.dispose();
});

test('fit, evaluate and predict read positional arguments and callbacks the same way in both modes', async () => {
  const a = await compiled(local);
  const b = await compiled(remote);
  for (const m of [a, b]) {
    const h = await m.fit(x, y, 2, 3, 0);
    assert.deepEqual(h.epoch, [0, 1, 2], 'batch_size, epochs, verbose by position');
    assert.equal(h.model, m);
    const seen = [];
    const cb = { set_model(model) { seen.push(model === m); }, onTestEnd(logs) { seen.push(Object.keys(logs).join(',')); } };
    // callbacks is evaluate's 7th positional argument: the callback stays on the page and is given the model.
    const score = await m.evaluate(x, y, 2, 0, null, null, [cb]);
    assert.equal(score.length, 2);
    assert.deepEqual(seen, [true, 'loss,mae']);
    const p = await m.predict(x, 2);
    assert.deepEqual(p.shape, [4, 1]);
  }
  assert.deepEqual(await b.evaluate(x, y, { verbose: 0 }), a.evaluate(x, y, { verbose: 0 }));
  a.dispose();
  await b.dispose();
});

test('errors keep their class across the worker', async () => {
  const m = await compiled(remote);
  const e = await m.summary(80).then(() => null, (err) => err);
  assert.ok(e instanceof TypeError, `a TypeError from the worker is one on the page: ${e}`);
  assert.match(e.stack, /in the keras worker/);
  await m.dispose();

  const cause = new RangeError('inner');
  const sent = Object.assign(new Error('compile: unknown loss "msee"', { cause }), { name: 'ValueError' });
  const back = decodeError(structuredClone(encodeError(sent)));
  assert.ok(back instanceof Error);
  assert.equal(back.name, 'ValueError');
  assert.equal(back.message, 'compile: unknown loss "msee"');
  assert.equal(String(back), 'ValueError: compile: unknown loss "msee"');
  assert.equal(back.cause.name, 'RangeError');
  assert.equal(back.cause.message, 'inner');
});
