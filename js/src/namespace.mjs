// The `keras` namespace over one runtime: constructors that build Keras
// configs (layers, optimizers, initializers ...), functions that call into the
// Go core (losses, metrics, activations on tensors), callbacks, utils and the
// backend. Only the classes the Go core knows are offered.

import { KerasObject, factory, parseArgs, toWire } from './args.mjs';
import * as catalog from './catalog.mjs';
import { Callback, History, LambdaCallback, LearningRateScheduler } from './callbacks.mjs';
import { Model } from './model.mjs';
import { Tensor, tensor, toData, describe } from './tensor.mjs';
import * as backend from './backend.mjs';

/** snakeName turns a class name into Keras's function alias (GlorotUniform → glorot_uniform). */
export function snakeName(s) {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

function tagged(name, impl) {
  const f = { [name]: (...args) => impl(...args) }[name];
  f.keras_name = name;
  return f;
}

/** newless lets a class be called with or without new (Keras's History() in JS). */
function newless(C) {
  const f = function (...args) { return new C(...args); };
  f.prototype = C.prototype;
  Object.defineProperty(f, 'name', { value: C.name });
  return f;
}

function group(kind, classes, argTable, defaultArgs = []) {
  const ns = {};
  for (const c of classes) ns[c] = factory(kind, c, argTable[c] ?? defaultArgs);
  return ns;
}

/** toCategorical one-hot encodes integer class labels. Keras: keras/src/utils/numerical_utils.py. */
export function to_categorical(...args) {
  const { y, num_classes: nc = null, dtype = 'float32', ...rest } = parseArgs('to_categorical', ['y', 'num_classes', 'dtype'], args);
  for (const k of Object.keys(rest)) throw new TypeError(`to_categorical: unknown argument ${k}; it takes y, num_classes, dtype`);
  if (dtype !== 'float32') throw new TypeError(`to_categorical: dtype ${describe(dtype)} is not supported; keras tensors hold float32`);
  const t = toData(y, 'to_categorical: y');
  let max = -1;
  const labels = new Int32Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    // Porting note: Keras reads labels with np.array(y, dtype="int"), which
    // truncates 1.7 to 1; so does this. NaN and negative labels, which numpy
    // would turn into garbage or wrap around, are errors here.
    if (!Number.isFinite(v) || v < 0) {
      throw new Error(`to_categorical: labels must be non-negative integers; found ${v} at index ${i}`);
    }
    labels[i] = Math.trunc(v);
    if (labels[i] > max) max = labels[i];
  }
  const n = nc ?? max + 1;
  if (!Number.isInteger(n) || n < 1) throw new TypeError(`to_categorical: num_classes must be a positive integer. Received: num_classes=${describe(nc)}`);
  if (max >= n) {
    throw new Error(`to_categorical: label ${max} is out of range for num_classes=${n}: labels must be in [0, ${n - 1}]; ` +
      'raise num_classes or check the labels');
  }
  let shape = t.shape.slice();
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  const out = new Float32Array(t.size * n);
  for (let i = 0; i < t.size; i++) out[i * n + labels[i]] = 1;
  return new Tensor(out, [...shape, n]);
}

/**
 * makeNamespace builds `keras` over one runtime. names lists what the core
 * has ({layers, optimizers, losses, metrics, activations, initializers,
 * regularizers, constraints, callbacks, loss_functions, metric_functions});
 * mode is how this namespace reaches the runtime, directly (localMode) or
 * through a worker (remote.mjs): {version, runtime, newModel(args),
 * fromConfig(json), setRandomSeed(seed), callTensor(op, name, ...tensors),
 * modelClass}.
 */
export function makeNamespace(names, mode) {
  const layers = group('layer', names.layers, catalog.LAYER_ARGS);
  for (const [alias, target] of Object.entries(catalog.LAYER_ALIASES)) if (layers[target] && !layers[alias]) layers[alias] = layers[target];
  if (layers.InputLayer) {
    layers.Input = function Input(...args) {
      const { shape, ...rest } = parseArgs('Input', ['shape', 'batch_size', 'name', 'dtype'], args);
      return layers.InputLayer({ input_shape: shape, ...rest });
    };
  }

  const optimizers = group('optimizer', names.optimizers, catalog.OPTIMIZER_ARGS, ['learning_rate']);

  const withSnake = (kind, classes, table) => {
    const ns = group(kind, classes, table);
    for (const c of classes) if (!ns[snakeName(c)]) ns[snakeName(c)] = ns[c];
    return ns;
  };
  const initializers = withSnake('initializer', names.initializers, catalog.INITIALIZER_ARGS);
  const constraints = withSnake('constraint', names.constraints, catalog.CONSTRAINT_ARGS);
  const regularizers = group('regularizer', names.regularizers, catalog.REGULARIZER_ARGS);
  // Keras 2's function spellings: l1(l1=0.01), l2(l2=0.01), l1_l2(l1=0.01, l2=0.01).
  for (const [fn, args] of [['l1', ['l1']], ['l2', ['l2']], ['l1_l2', ['l1', 'l2']]]) {
    if (names.regularizer_functions.includes(fn)) regularizers[fn] = factory('regularizer', fn, args);
  }

  const callTensor = mode.callTensor;
  const losses = group('loss', names.losses, catalog.LOSS_ARGS, ['reduction', 'name']);
  for (const f of names.loss_functions) losses[f] = tagged(f, (yt, yp) => callTensor('lossCall', f, yt, yp));
  const metrics = group('metric', names.metrics, catalog.METRIC_ARGS, ['name', 'dtype']);
  for (const f of names.metric_functions) metrics[f] = tagged(f, (yt, yp) => callTensor('metricCall', f, yt, yp));
  const activations = {};
  for (const f of names.activations) activations[f] = tagged(f, (x) => callTensor('activationCall', f, x));

  // Keras users call these without new; Callback stays a class to extend.
  const callbacks = { Callback, History: newless(History), LambdaCallback: newless(LambdaCallback),
    LearningRateScheduler: newless(LearningRateScheduler) };
  for (const c of names.callbacks) {
    if (catalog.CALLBACK_ARGS[c]) callbacks[c] = factory('callback', c, catalog.CALLBACK_ARGS[c]);
  }

  function Sequential(...args) { return mode.newModel(args); }
  Sequential.prototype = mode.modelClass.prototype;

  const fromJSON = (json, where) => mode.fromConfig(typeof json === 'string' ? json : JSON.stringify(toWire(json, where)));
  const models = {
    Sequential,
    model_from_json: (s) => fromJSON(s, 'model_from_json'),
    model_from_config: (c) => fromJSON(c, 'model_from_config'),
  };
  models.modelFromJSON = models.model_from_json;

  const set_random_seed = (seed) => {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new TypeError(`set_random_seed: seed must be a non-negative integer. Received: seed=${describe(seed)}`);
    return mode.setRandomSeed(seed);
  };
  const utils = { to_categorical, toCategorical: to_categorical, set_random_seed, setRandomSeed: set_random_seed };

  return {
    version: mode.version,
    Sequential, models, layers, optimizers, losses, metrics, activations, callbacks,
    initializers, regularizers, constraints, utils, backend: { ...backend },
    tensor, Tensor, KerasObject, Input: layers.Input,
    runtime: mode.runtime,
  };
}

/** localMode runs the namespace on a runtime in this thread. */
export function localMode(rt) {
  return {
    version: rt.call('version'),
    runtime: rt,
    modelClass: Model,
    newModel: (args) => new Model(rt, args),
    fromConfig: (json) => new Model(rt, [], rt.call('fromConfig', json)),
    setRandomSeed: (seed) => { rt.call('setRandomSeed', seed); },
    callTensor: (op, name, ...ts) => rt.tensorOut(rt.call(op, name, ...ts.map((t, i) => rt.tensorIn(toData(t, `${name}: argument ${i}`))))),
  };
}
