// The `keras` namespace over one runtime: constructors that build Keras
// configs (layers, optimizers, initializers ...), functions that call into the
// Go core (losses, metrics, activations on tensors), callbacks, utils and the
// backend. Every class and function name comes from the Go core's table of
// names (the `names` call, sequential.Catalog): nothing here lists classes,
// and a class Go does not list is not offered.

import { KerasObject, factory, parseArgs, toWire } from './args.mjs';
import { Callback, History, LambdaCallback, LearningRateScheduler } from './callbacks.mjs';
import { Model } from './model.mjs';
import { loadModel } from './io/save.mjs';
import { ModelCheckpoint } from './io/checkpoint.mjs';
import { BackupAndRestore } from './io/backup.mjs';
import { Tensor, tensor, toData, describe } from './tensor.mjs';
import { loadRuntime } from './runtime.mjs';
import { ValueError, NotImplementedError, IndexError, RecursionError, ResourceExhaustedError } from './errors.mjs';
import * as backend from './backend.mjs';
import * as vis from './vis.mjs';
import { installIO } from './io/namespace_io.mjs';
import { makeUtils, localUtil } from './utils.mjs';
import { makeDatasets } from './datasets.mjs';

// The callbacks this package implements (Host in the Go table: they wrap JS
// functions or hold JS state). Keras users call them without new; Callback
// stays a class to extend.
const HOST_CALLBACKS = {
  BackupAndRestore: newless(BackupAndRestore), Callback, History: newless(History), LambdaCallback: newless(LambdaCallback),
  LearningRateScheduler: newless(LearningRateScheduler), ModelCheckpoint: newless(ModelCheckpoint),
};

// The kinds whose function names are functions on tensors, and the runtime
// call that computes them; in the other kinds a function name
// (glorot_uniform, l2, max_norm) makes the class as its class name does.
const TENSOR_CALLS = { losses: 'lossCall', metrics: 'metricCall', activations: 'activationCall' };

// The call arguments of those functions (Keras's loss and metric functions
// take y_true and y_pred); a function entry of the catalog carries its own.
const TENSOR_ARGS = { losses: ['y_true', 'y_pred'], metrics: ['y_true', 'y_pred'], activations: ['x'] };

/** tagged makes a function the runtime knows by name (keras_name travels in configs). */
function tagged(name, argNames, impl) {
  const f = { [name]: (...args) => impl(...args) }[name];
  f.keras_name = name;
  f.argNames = argNames;
  return f;
}

/** newless lets a class be called with or without new (Keras's History() in JS). */
function newless(C) {
  const f = function (...args) { return new C(...args); };
  f.prototype = C.prototype;
  f.argNames = C.argNames;
  Object.defineProperty(f, 'name', { value: C.name });
  return f;
}

/**
 * group builds one kind of the namespace from its catalog entries: a
 * factory per class under its name and aliases (Keras 2's Convolution2D),
 * and under each function-style name either the same factory or, for
 * losses, metrics and activations, a function on tensors computed by the
 * core.
 */
function group(kind, entries, callTensor) {
  const ns = {};
  const singular = kind.replace(/e?s$/, '');
  const call = TENSOR_CALLS[kind];
  const fn = (name, argNames) => tagged(name, argNames, (...ts) => callTensor(call, name, ...ts));
  for (const e of entries) {
    if (e.function) {
      for (const n of [e.name, ...(e.functions ?? [])]) ns[n] = fn(n, e.args);
      continue;
    }
    const f = factory(singular, e.name, e.args);
    for (const n of [e.name, ...(e.aliases ?? [])]) ns[n] = f;
    for (const n of e.functions ?? []) ns[n] = call ? fn(n, TENSOR_ARGS[kind]) : f;
  }
  return ns;
}

/**
 * getter is Keras's get(identifier) for one kind: a function or a keras
 * object is returned as is, a name of the kind's functions gives that
 * function, and any other name or config dict is resolved by the core,
 * which makes the object (so an unknown name is a ValueError naming the
 * nearest valid one, and a Keras class not built here a NotImplementedError)
 * and returns its full config.
 */
function getter(kind, ns, mode) {
  return function get(identifier) {
    if (typeof identifier === 'function' || identifier instanceof KerasObject) return identifier;
    if (typeof identifier === 'string' && typeof ns[identifier] === 'function' && ns[identifier].keras_name === identifier) {
      return ns[identifier];
    }
    const json = JSON.stringify(toWire(identifier ?? null, `${kind}.get`));
    return mode.get(kind, json, (r) => {
      if (r === null) return null;
      if (r.function) return ns[r.function];
      const obj = new KerasObject(r.class_name, r.config);
      if (typeof ns[r.class_name] === 'function') Object.setPrototypeOf(obj, ns[r.class_name].prototype);
      return obj;
    });
  };
}

/** callbacksOf builds keras.callbacks: Go's callbacks as factories, the host ones from this package. */
function callbacksOf(entries) {
  const out = {};
  for (const e of entries) {
    if (!e.host) {
      out[e.name] = factory('callback', e.name, e.args);
      continue;
    }
    if (!HOST_CALLBACKS[e.name]) throw new Error(`keraswasm: the core lists the JS callback ${e.name}, which this package lacks (a version mismatch)`);
    out[e.name] = HOST_CALLBACKS[e.name];
  }
  return out;
}

/** TO_CATEGORICAL_MAX_VALUES caps to_categorical's result at 2 GiB of float32, the most one call copies in; the runtime's memory budget is checked too (memoryCheck). */
const TO_CATEGORICAL_MAX_VALUES = 2 ** 29;

/** to_categorical one-hot encodes integer class labels. Keras: keras/src/utils/numerical_utils.py. */
export function to_categorical(...args) { return categorical(args, null); }

/**
 * categorical is to_categorical; memoryCheck(what, bytes), when given,
 * refuses a result the runtime's memory budget could not take in (it would
 * be copied in by fit), with a ResourceExhaustedError, before it is made.
 */
function categorical(args, memoryCheck) {
  const { y, num_classes: nc = null, dtype = 'float32', ...rest } = parseArgs('to_categorical', ['y', 'num_classes', 'dtype'], args);
  for (const k of Object.keys(rest)) throw new TypeError(`to_categorical: unknown argument ${k}; it takes y, num_classes, dtype`);
  if (dtype !== 'float32') throw new NotImplementedError(`to_categorical: dtype ${describe(dtype)} is not supported; keras tensors hold float32`);
  const t = toData(y, 'to_categorical: y');
  let max = -1;
  // Float64Array, not Int32Array: a label ≥ 2³¹ must not wrap around to a
  // small one (it did, silently).
  const labels = new Float64Array(t.size);
  for (let i = 0; i < t.size; i++) {
    const v = t.data[i];
    // Porting note: Keras reads labels with np.array(y, dtype="int"), which
    // truncates 1.7 to 1; so does this. NaN and negative labels, which numpy
    // would turn into garbage or wrap around, are errors here.
    if (!Number.isFinite(v) || v < 0) {
      throw new ValueError(`to_categorical: labels must be non-negative integers; found ${v} at index ${i}`);
    }
    labels[i] = Math.trunc(v);
    if (labels[i] > max) max = labels[i];
  }
  const n = nc ?? max + 1;
  if (!Number.isInteger(n) || n < 1) {
    const E = typeof n === 'number' ? ValueError : TypeError;
    throw new E(`to_categorical: num_classes must be a positive integer. Received: num_classes=${describe(nc)}`);
  }
  if (max >= n) {
    // Keras (numpy's fancy indexing) raises IndexError here.
    throw new IndexError(`to_categorical: label ${max} is out of range for num_classes=${n}: labels must be in [0, ${n - 1}]; ` +
      'raise num_classes or check the labels');
  }
  const values = t.size * n;
  if (values > TO_CATEGORICAL_MAX_VALUES) {
    // Porting note: numpy would try to allocate and raise MemoryError;
    // a Float32Array this large is lazily committed and fails later, in fit,
    // with a raw RangeError. Refuse here, with the size.
    throw new ValueError(`to_categorical: the result would hold ${t.size} × ${n} = ${values} values ` +
      `(${(values * 4 / 2 ** 30).toFixed(1)} GiB), more than the ${TO_CATEGORICAL_MAX_VALUES * 4 / 2 ** 30} GiB a tensor may hold; ` +
      'lower num_classes (it is the largest label + 1 when not given) or check the labels');
  }
  let shape = t.shape.slice();
  if (shape.length > 1 && shape[shape.length - 1] === 1) shape = shape.slice(0, -1);
  memoryCheck?.(`the one-hot labels, a tensor of shape [${[...shape, n].join(', ')}]`, values * 4);
  const out = new Float32Array(values);
  for (let i = 0; i < t.size; i++) out[i * n + labels[i]] = 1;
  return new Tensor(out, [...shape, n]);
}

/**
 * makeNamespace builds `keras` over one runtime. catalog is the core's table
 * of names ({kinds: {layers: [entry...], ...}, not_implemented}; an entry is
 * {name, function, args, aliases, functions, host}); mode is how this
 * namespace reaches the runtime, directly (localMode) or through a worker
 * (remote.mjs): {version, runtime, newModel(args), fromConfig(json),
 * setRandomSeed(seed), callTensor(op, name, ...tensors), get(kind, json,
 * then), modelClass, and util(call, ...args) for keras.utils' core
 * functions, or utils (those functions themselves, for a worker)}.
 */
export function makeNamespace(catalog, mode) {
  const { kinds } = catalog;
  const callTensor = mode.callTensor;
  const ns = {};
  for (const kind of ['layers', 'optimizers', 'losses', 'metrics', 'activations', 'initializers', 'regularizers', 'constraints']) {
    ns[kind] = group(kind, kinds[kind], callTensor);
  }
  const { layers } = ns;
  if (layers.InputLayer) {
    layers.Input = function Input(...args) {
      const { shape, ...rest } = parseArgs('Input', ['shape', 'batch_size', 'name', 'dtype'], args);
      return layers.InputLayer({ input_shape: shape, ...rest });
    };
  }
  for (const kind of Object.keys(ns)) ns[kind].get = getter(kind, ns[kind], mode);
  const callbacks = callbacksOf(kinds.callbacks);

  function Sequential(...args) { return mode.newModel(args); }
  Sequential.prototype = mode.modelClass.prototype;

  const fromJSON = (json, where) => mode.fromConfig(typeof json === 'string' ? json : JSON.stringify(toWire(json, where)));
  const models = {
    Sequential,
    model_from_json: (s) => fromJSON(s, 'model_from_json'),
    model_from_config: (c) => fromJSON(c, 'model_from_config'),
    /** load_model reads a model saved by model.save, Keras (.keras) or TF.js (model.json): a path, a URL or an IOHandler. */
    load_model: (source, options) => mode.loadModel(source, options),
  };
  models.loadModel = models.load_model;
  models.modelFromJSON = models.model_from_json;

  const set_random_seed = (seed) => {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new TypeError(`set_random_seed: seed must be a non-negative integer. Received: seed=${describe(seed)}`);
    return mode.setRandomSeed(seed);
  };
  const toCategorical = (...args) => categorical(args, mode.memoryCheck);
  // pad_sequences and normalize compute in the core: in this thread (mode.util) or in the worker (mode.utils).
  const core = mode.utils ?? makeUtils(mode.util);
  const utils = { to_categorical: toCategorical, toCategorical, set_random_seed, setRandomSeed: set_random_seed, ...core };
  const config = memoryConfig(mode);

  return installIO({
    version: mode.version,
    Sequential, models, ...ns, callbacks, utils, config, backend: { ...backend, ...sessionFuncs(mode) },
    datasets: mode.datasets ?? makeDatasets(mode.datasetSplit),
    // Keras 2's home of pad_sequences (keras.preprocessing.sequence), still what tutorials import.
    preprocessing: { sequence: { pad_sequences: core.pad_sequences } },
    tensor, Tensor, KerasObject, Input: layers.Input,
    errors: { ValueError, NotImplementedError, IndexError, RecursionError, ResourceExhaustedError },
    runtime: mode.runtime,
    vis: { history: vis.history, fitCallbacks: vis.fitCallbacks, confusionMatrix: vis.confusionMatrix, summary: vis.summary },
  });
}

/**
 * sessionFuncs is keras.backend.clear_session(): the automatic model names
 * start again at "sequential" (Keras resets its name counters; the models
 * alive stay, as in Keras). In a worker it returns a Promise.
 */
function sessionFuncs(mode) {
  const clear_session = (...args) => {
    if (args.length > 0 && args[0] !== undefined && typeof args[0] !== 'boolean') {
      throw new TypeError(`keras.backend.clear_session: free_memory must be a boolean. Received: free_memory=${describe(args[0])}`);
    }
    return mode.clearSession();
  };
  return { clear_session, clearSession: clear_session };
}

/**
 * memoryConfig is keras.config's memory functions over the runtime's one
 * memory budget (every model and every tensor copied in reserves from it;
 * a refusal is a ResourceExhaustedError): set_memory_limit(bytes),
 * get_memory_limit(), and get_memory_info() →
 * {current, peak, limit, ceiling, holders: [{name, model, bytes}]}.
 * Porting note: Keras has no memory limit of its own (TensorFlow's is per
 * device, tf.config.set_logical_device_configuration(memory_limit=MiB));
 * get_memory_info follows tf.config.experimental.get_memory_info's
 * {current, peak}, in bytes, and adds the limit and who holds the memory.
 */
function memoryConfig(mode) {
  const set_memory_limit = (bytes) => {
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) {
      const E = typeof bytes === 'number' ? ValueError : TypeError;
      throw new E(`keras.config.set_memory_limit: bytes must be a positive whole number of bytes, such as 2 * 2 ** 30. Received: bytes=${describe(bytes)}`);
    }
    return mode.setMemoryLimit(bytes);
  };
  const get_memory_limit = () => mode.memoryInfo((i) => i.limit);
  const get_memory_info = () => mode.memoryInfo((i) => i);
  return {
    set_memory_limit, get_memory_limit, get_memory_info,
    setMemoryLimit: set_memory_limit, getMemoryLimit: get_memory_limit, getMemoryInfo: get_memory_info,
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
    loadModel: async (source, options) => new Model(rt, [], await loadModel(rt, source, options)),
    setRandomSeed: (seed) => { rt.call('setRandomSeed', seed); },
    callTensor: (op, name, ...ts) => rt.tensorOut(rt.call(op, name, ...ts.map((t, i) => rt.tensorIn(toData(t, `${name}: argument ${i}`))))),
    get: (kind, json, then) => then(JSON.parse(rt.call('get', kind, json))),
    util: localUtil(rt),
    datasetSplit: (...args) => rt.call('mnistSplit', ...args),
    setMemoryLimit: (bytes) => { rt.call('setMemoryLimit', bytes); },
    clearSession: () => { rt.call('clearSession'); },
    memoryInfo: (then) => then(JSON.parse(rt.call('memoryInfo'))),
    memoryCheck: (what, bytes) => { rt.call('reserveCheck', 'to_categorical', what, bytes); },
  };
}

/** loadLocal loads the runtime in this thread; it returns the namespace and the core's table of names. */
export async function loadLocal(options = {}) {
  const rt = await loadRuntime(options);
  const names = JSON.parse(rt.call('names'));
  const keras = makeNamespace(names, localMode(rt));
  if (options.memoryLimit !== undefined) keras.config.set_memory_limit(options.memoryLimit);
  if (options.__testDoors) {
    keras.__exitRuntime = (code) => rt.call('testExit', code);
    keras.__collectGo = () => rt.call('testGC');
  }
  return { keras, names };
}
