// The JS namespace is the Go core's table of names, nothing more and nothing
// less: every kind (keras.layers, keras.losses, ... keras.callbacks) offers
// exactly the classes and functions of `names` (sequential.Catalog), each
// factory takes the Go signature as its positional arguments, and a Keras
// class the core lists as not implemented is absent but answers get() with
// a NotImplementedError.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { keras as load, assertThrowsMessage } from './helpers.mjs';

const keras = await load();
const catalog = JSON.parse(keras.runtime.call('names'));

// The names a kind offers besides the catalog's.
const HELPERS = { layers: ['get', 'Input'], callbacks: [] };
const KINDS = ['layers', 'optimizers', 'losses', 'metrics', 'activations', 'initializers', 'regularizers', 'constraints', 'callbacks'];

/** namesOf lists every name the catalog gives a kind. */
function namesOf(entries) {
  return entries.flatMap((e) => [e.name, ...(e.aliases ?? []), ...(e.functions ?? [])]);
}

test('every kind offers exactly the names of the Go catalog', () => {
  assert.deepEqual(Object.keys(catalog.kinds).sort(), [...KINDS].sort());
  for (const kind of KINDS) {
    const want = [...namesOf(catalog.kinds[kind]), ...(HELPERS[kind] ?? ['get'])].sort();
    assert.deepEqual(Object.keys(keras[kind]).sort(), want, kind);
  }
  assert.equal(keras.Input, keras.layers.Input);
});

test("each factory's positional arguments are the Go signature", () => {
  for (const kind of KINDS) {
    for (const e of catalog.kinds[kind]) {
      for (const n of [e.name, ...(e.aliases ?? [])]) {
        assert.deepEqual(keras[kind][n].argNames, e.args, `keras.${kind}.${n}`);
      }
    }
  }
  // One factory per class: a class's aliases and (in the config kinds) its function names are the same function.
  assert.equal(keras.layers.Convolution2D, keras.layers.Conv2D);
  assert.equal(keras.initializers.glorot_uniform, keras.initializers.GlorotUniform);
  assert.equal(keras.regularizers.l1_l2, keras.regularizers.L1L2);
  // The function names of losses, metrics and activations are functions on tensors.
  assert.equal(keras.losses.mse.keras_name, 'mse');
  assert.deepEqual(keras.losses.mse.argNames, ['y_true', 'y_pred']);
  assert.deepEqual(keras.activations.relu.argNames, ['x']);
  // Positional arguments follow the signature: Dense(units, activation).
  assert.deepEqual(keras.layers.Dense(3, 'relu').config, { units: 3, activation: 'relu' });
});

test('not-implemented Keras classes are absent, and get() says they are not implemented', () => {
  for (const [kind, names] of Object.entries(catalog.not_implemented)) {
    for (const n of names) assert.equal(keras[kind][n], undefined, `keras.${kind}.${n}`);
  }
  assert.equal(keras.layers.ConvLSTM2D, undefined);
  assert.throws(() => keras.layers.get('ConvLSTM2D'), (e) => {
    assert.match(e.message, /the layer ConvLSTM2D is not implemented in keraswasm/);
    return true;
  });
  const m = keras.Sequential([keras.layers.Dense(2, { input_dim: 2 })]);
  assertThrowsMessage(() => m.add({ class_name: 'ConvLSTM2D', config: { units: 3 } }), 'the layer ConvLSTM2D is not implemented in keraswasm');
  assertThrowsMessage(() => keras.optimizers.get('Ftrl'), 'the optimizer Ftrl is not implemented');
  m.dispose();
});

test('get resolves names, configs and objects as Keras does', () => {
  assert.equal(keras.losses.get('mse'), keras.losses.mse);
  assert.equal(keras.activations.get('relu'), keras.activations.relu);
  const f = (a, b) => a;
  assert.equal(keras.metrics.get(f), f);
  const d = keras.layers.get({ class_name: 'Dense', config: { units: 3 } });
  assert.ok(d instanceof keras.layers.Dense);
  assert.equal(d.config.units, 3);
  assert.equal(d.config.activation, 'linear', 'the core fills in the defaults');
  const sgd = keras.optimizers.get('sgd');
  assert.ok(sgd instanceof keras.KerasObject);
  assert.equal(sgd.class_name, 'SGD');
  assert.equal(keras.initializers.get('glorot_uniform').class_name, 'GlorotUniform');
  assert.equal(keras.regularizers.get(null), null);
  const l2 = keras.regularizers.l2(0.1);
  assert.equal(keras.regularizers.get(l2), l2);
  assertThrowsMessage(() => keras.losses.get('msee'), 'did you mean "mse"?');
  assertThrowsMessage(() => keras.layers.get('Dence'), 'did you mean "Dense"?');
});

test('the worker namespace is built from the same catalog', async () => {
  const w = await loadKeras({ worker: true });
  after(() => w.terminate());
  for (const kind of KINDS) assert.deepEqual(Object.keys(w[kind]).sort(), Object.keys(keras[kind]).sort(), kind);
  const d = await w.layers.get({ class_name: 'Dense', config: { units: 2 } });
  assert.equal(d.config.units, 2);
  await assert.rejects(w.layers.get('ConvLSTM2D'), /the layer ConvLSTM2D is not implemented in keraswasm/);
});
