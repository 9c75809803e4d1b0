// Property-based tests of the public API (fast-check, seeded so a failure
// reproduces: the seed and the shrunk case are printed). Random option
// objects (valid names with random values, misspelled names, prototype keys,
// huge numbers, NaN, strings) for layer factories, compile, fit, evaluate and
// predict, and random data shapes. The property: the call either works or
// throws/rejects a Keras-class error whose message starts with the method's
// prefix and has no Go syntax; afterwards a fixed small model still trains in
// the same runtime. Main thread and worker.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { loadKeras } from '../keras.mjs';
import { keras as load } from './helpers.mjs';

const keras = await load();
const kw = await loadKeras({ worker: true });
after(() => kw.terminate());

/** SEED fixes every run; change it (or set PROPERTY_SEED) to explore. */
const SEED = Number(process.env.PROPERTY_SEED ?? 20261204);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

const CLASSES = new Set(['ValueError', 'TypeError', 'NotImplementedError', 'IndexError', 'RecursionError', 'ResourceExhaustedError']);

/** GO_SYNTAX is what a JS user must never read (wasm/errors_test.go's goSyntax). */
const GO_SYNTAX = /\b(nn|sequential|main): |\b(Compile|FromJSON|FromConfig|ToJSON|Build|Fit|Add|AddConfig|SetWeights|NewCallback): |interface \{\}|<nil>|\bmap\[|\[\]any|\*[a-z]+\.[A-Z]|CompileOptions|FitOptions|%!|goroutine|panic:/;

/** value is any value a careless caller might pass. */
const value = fc.oneof(
  fc.integer({ min: -3, max: 64 }),
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, 1e300, -1e300, 2 ** 53 + 2, 2 ** 31, -0, 0.5),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('relu', 'adam', 'mse', 'auto', 'batch', 'glorot_uniform', 'l2', ''),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }),
  fc.constant({}),
);

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty'];

/** misspell changes one letter of a name, as a typo does. */
const misspelled = (names) => fc.tuple(fc.constantFrom(...names), fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([n, i, c]) => {
  const j = i % n.length;
  return n.slice(0, j) + c + n.slice(j + 1);
});

/**
 * options makes an option object over the valid names of a method: each key
 * a valid name, a misspelling or a prototype key, set as an own property
 * (so "__proto__" is a key, as JSON.parse makes it), with a random value.
 */
function options(names) {
  const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, misspelled(names), fc.constantFrom(...PROTO_KEYS));
  return fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => {
    const o = {};
    for (const [k, v] of pairs) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    return o;
  });
}

/** shape is a small data shape: 0 to 3 dims of 0 to 4. */
const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 3 });

/** nested makes a nested array of the given shape (or a flat number for []). */
function nested(dims, fill) {
  if (dims.length === 0) return fill();
  return Array.from({ length: dims[0] }, () => nested(dims.slice(1), fill));
}

/** data is x or y: a nested array of a random shape, its values now and then NaN or a string. */
const data = fc.tuple(shape, fc.constantFrom('number', 'number', 'number', 'nan', 'string')).map(([dims, kind]) => {
  let i = 0;
  return nested(dims, () => (kind === 'nan' && i++ === 1 ? NaN : kind === 'string' && i++ === 1 ? 'x' : (i++ % 7) / 7));
});

const LAYERS = {
  Dense: ['units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'input_dim', 'input_shape', 'name', 'dtype'],
  Dropout: ['rate', 'noise_shape', 'seed', 'name'],
  Activation: ['activation', 'name'],
  BatchNormalization: ['axis', 'momentum', 'epsilon', 'center', 'scale'],
  Flatten: ['data_format', 'name'],
};
const COMPILE = ['optimizer', 'loss', 'metrics', 'loss_weights', 'weighted_metrics', 'run_eagerly', 'steps_per_execution', 'jit_compile'];
const FIT = ['batch_size', 'epochs', 'verbose', 'validation_split', 'shuffle', 'class_weight', 'sample_weight', 'initial_epoch', 'steps_per_epoch', 'validation_batch_size', 'validation_freq'];
const EVALUATE = ['batch_size', 'verbose', 'sample_weight', 'steps', 'return_dict'];
const PREDICT = ['batch_size', 'verbose', 'steps'];

/** kerasError checks a thrown value as the property says; prefixes are the method's accepted prefixes. */
function kerasError(e, prefixes, what) {
  assert.ok(e instanceof Error, `${what}: threw a non-Error ${String(e)}`);
  assert.ok(CLASSES.has(e.name), `${what}: error class ${e.name}: ${e.message}`);
  // "Dense() got multiple values for argument 'units'" is Python's form of the prefix (args.mjs).
  assert.ok(prefixes.some((p) => e.message.startsWith(p + ': ') || e.message.startsWith(p + '() ')), `${what}: message lacks the prefix ${prefixes.join(' or ')}: ${e.message}`);
  assert.ok(!GO_SYNTAX.test(e.message), `${what}: Go syntax ${e.message.match(GO_SYNTAX)} in ${e.message}`);
}

/** attempt runs fn; it works, or it fails as kerasError wants. */
async function attempt(fn, prefixes, what) {
  try {
    await fn();
  } catch (e) {
    kerasError(e, prefixes, what);
  }
}

/** stillTrains: a fixed small model trains in the same runtime, with finite losses. */
async function stillTrains(k) {
  const m = k.Sequential([k.layers.Dense(2, { activation: 'relu', input_dim: 3 }), k.layers.Dense(1)]);
  await m.compile('sgd', 'mse');
  const h = await m.fit([[0, 1, 2], [1, 0, 1], [2, 2, 0]], [[1], [0], [1]], { epochs: 2, verbose: 0 });
  assert.equal(h.history.loss.length, 2);
  assert.ok(h.history.loss.every(Number.isFinite), `losses ${h.history.loss}`);
  await m.dispose();
}

/** base is a model the data properties run on: Dense(2) on 3 features, compiled. */
async function base(k) {
  const m = k.Sequential([k.layers.Dense(2, { activation: 'softmax', input_dim: 3 })]);
  await m.compile('adam', 'categorical_crossentropy', ['accuracy']);
  return m;
}

const params = (offset) => ({ seed: SEED + offset, numRuns: RUNS });

for (const [mode, k] of [['main thread', keras], ['worker', kw]]) {
  test(`layer factories with random options either work or throw a Keras error (${mode})`, async () => {
    const layer = fc.constantFrom(...Object.keys(LAYERS)).chain((name) => fc.tuple(fc.constant(name), options(LAYERS[name]), fc.option(value)));
    await fc.assert(fc.asyncProperty(layer, async ([name, opts, first]) => {
      let m;
      await attempt(async () => {
        const l = first === null ? k.layers[name](opts) : k.layers[name](first, opts);
        m = k.Sequential();
        await m.add(l);
        await m.build([null, 3]);
      }, ['Sequential', 'add', 'build', name, `layers.${name}`, `keras.layers.${name}`], `${name}(${String(first)}, ${JSON.stringify(opts)})`);
      await m?.dispose();
    }), params(0));
    await stillTrains(k);
  });

  test(`compile with random options either works or throws a Keras error (${mode})`, async () => {
    await fc.assert(fc.asyncProperty(options(COMPILE), async (opts) => {
      const m = k.Sequential([k.layers.Dense(2, { input_dim: 3 })]);
      await attempt(() => m.compile(opts), ['compile'], `compile(${JSON.stringify(opts)})`);
      await m.dispose();
    }), params(1));
    await stillTrains(k);
  });

  for (const [method, names, off] of [['fit', FIT, 2], ['evaluate', EVALUATE, 3], ['predict', PREDICT, 4]]) {
    test(`${method} with random data and options either works or rejects a Keras error (${mode})`, async () => {
      const m = await base(k);
      const before = (await m.get_weights()).map((t) => Array.from(t.data));
      await fc.assert(fc.asyncProperty(data, data, options(names), async (x, y, opts) => {
        const call = method === 'predict' ? () => m.predict(x, opts) : () => m[method](x, y, opts);
        await attempt(call, [method], `${method}(${JSON.stringify(x)}, ${JSON.stringify(y)}, ${JSON.stringify(opts)})`);
      }), params(off));
      if (method !== 'fit') assert.deepEqual((await m.get_weights()).map((t) => Array.from(t.data)), before);
      const p = await m.predict([[0, 1, 2]], { verbose: 0 });
      assert.deepEqual(p.shape, [1, 2]);
      await m.dispose();
      await stillTrains(k);
    });
  }
}
