// The JS model API as data: every method and property of a model, of a
// layer view and of an optimizer view, with its Keras name, its TF.js
// spellings and its positional arguments. Both transports are made from
// these tables: the main-thread classes (model.mjs) install their argument
// parsing and aliases with installLocal, and the worker proxies (remote.mjs)
// are derived with the same tables, so a method, alias or argument list
// exists once. Adding a JS method is an entry here and its body in model.mjs.
//
// A method entry:
//   args       Keras's positional arguments, in order; the method body gets
//              the parsed config dict (positional values, then one options
//              object in snake_case or camelCase: args.mjs parseArgs).
//   plain      the body gets its arguments as given (no options object).
//   aliases    other spellings (TF.js's camelCase), installed as the same method.
//   worker     'message': in worker mode it is a message to the worker and
//              returns a Promise; 'snapshot': answered on the page from the
//              view's snapshot, taken when the view crossed (synchronous).
//   data       arguments turned into tensors on the page before they cross
//              (a typed-array copy crosses, not nested arrays); dataLists:
//              arguments that are lists of such data ([x_val, y_val]).
//   callbacks  takes callbacks: JS callbacks stay on the page and get set_model(model).
//   print      the argument that prints the result: in worker mode it stays on
//              the page and prints what the worker returns.
//   async      it returns a Promise on the main thread too (a bad argument rejects it).
//   yields     it yields to the event loop while it runs (the worker gives its own yield_every default).
//   disposes   it frees the object; the worker forgets it.
//   pathArg    its first argument is a destination: in worker mode only a string (a URL or a path) crosses.
// A property entry: aliases, writable, and (on views) how it is read in worker
// mode: a model's properties are Promises; a view's come from its snapshot.
// Keras: keras/src/models/sequential.py, keras/src/trainers/trainer.py.

import { parseArgs } from './args.mjs';

const FIT_ARGS = ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data',
  'shuffle', 'class_weight', 'sample_weight', 'initial_epoch', 'steps_per_epoch', 'validation_steps',
  'validation_batch_size', 'validation_freq', 'max_queue_size', 'workers', 'use_multiprocessing'];
const EVALUATE_ARGS = ['x', 'y', 'batch_size', 'verbose', 'sample_weight', 'steps', 'callbacks', 'max_queue_size',
  'workers', 'use_multiprocessing', 'return_dict'];
const PREDICT_ARGS = ['x', 'batch_size', 'verbose', 'steps', 'callbacks', 'max_queue_size', 'workers', 'use_multiprocessing'];
const COMPILE_ARGS = ['optimizer', 'loss', 'metrics', 'loss_weights', 'weighted_metrics', 'run_eagerly',
  'steps_per_execution', 'jit_compile'];
const TRAIN_ON_BATCH_ARGS = ['x', 'y', 'sample_weight', 'class_weight', 'reset_metrics', 'return_dict'];
const TEST_ON_BATCH_ARGS = ['x', 'y', 'sample_weight', 'reset_metrics', 'return_dict'];
const SUMMARY_ARGS = ['line_length', 'positions', 'print_fn', 'expand_nested', 'show_trainable', 'layer_range'];

const message = { worker: 'message' };
const snapshot = { worker: 'snapshot', plain: true };

/** MODEL_API is keras.Sequential's model: in worker mode every method and property is a Promise. */
export const MODEL_API = freeze({
  kind: 'model',
  methods: {
    add: { ...message, plain: true },
    pop: { ...message, plain: true },
    compile: { ...message, args: COMPILE_ARGS },
    fit: {
      ...message, args: FIT_ARGS, data: ['x', 'y', 'sample_weight'], dataLists: ['validation_data'],
      callbacks: true, async: true, yields: true,
    },
    evaluate: { ...message, args: EVALUATE_ARGS, data: ['x', 'y', 'sample_weight'], callbacks: true },
    predict: { ...message, args: PREDICT_ARGS, data: ['x'], callbacks: true },
    train_on_batch: { ...message, args: TRAIN_ON_BATCH_ARGS, data: ['x', 'y', 'sample_weight'], aliases: ['trainOnBatch'] },
    test_on_batch: { ...message, args: TEST_ON_BATCH_ARGS, data: ['x', 'y', 'sample_weight'], aliases: ['testOnBatch'] },
    predict_on_batch: { ...message, plain: true, aliases: ['predictOnBatch'] },
    // Keras's model(x): a JS object cannot be called (see Model.call).
    call: { ...message, plain: true, aliases: ['apply'] },
    build: { ...message, args: ['input_shape'] },
    summary: { ...message, args: SUMMARY_ARGS, print: 'print_fn' },
    count_params: { ...message, plain: true, aliases: ['countParams'] },
    get_weights: { ...message, plain: true, aliases: ['getWeights'] },
    set_weights: { ...message, plain: true, aliases: ['setWeights'] },
    get_config: { ...message, plain: true, aliases: ['getConfig'] },
    get_layer: { ...message, args: ['name', 'index'], aliases: ['getLayer'] },
    reset_states: { ...message, plain: true, aliases: ['resetStates'] },
    to_json: { ...message, plain: true },
    // The file methods (io/save.mjs) take the destination first as given (an
    // IOHandler is an object, not options); in worker mode it must be a
    // string (pathArg), as a handler's functions cannot cross.
    save: { ...message, plain: true, async: true, pathArg: true },
    save_weights: { ...message, plain: true, async: true, pathArg: true, aliases: ['saveWeights'] },
    load_weights: { ...message, plain: true, async: true, pathArg: true, aliases: ['loadWeights'] },
    dispose: { ...message, plain: true, disposes: true },
  },
  properties: {
    name: {},
    layers: {},
    weights: {},
    trainable_weights: { aliases: ['trainableWeights'] },
    non_trainable_weights: { aliases: ['nonTrainableWeights'] },
    input_shape: { aliases: ['inputShape'] },
    output_shape: { aliases: ['outputShape'] },
    built: {},
    metrics_names: { aliases: ['metricsNames'] },
    optimizer: {},
    stop_training: { writable: true, aliases: ['stopTraining'] },
  },
});

/** LAYER_API is model.layers[i]: its description is a snapshot, its weights cross. */
export const LAYER_API = freeze({
  kind: 'layer',
  methods: {
    get_config: { ...snapshot, aliases: ['getConfig'] },
    count_params: { ...snapshot, aliases: ['countParams'] },
    // TF.js's Layer.getClassName; Keras has only the class_name property.
    getClassName: { ...snapshot },
    get_weights: { ...message, plain: true, aliases: ['getWeights'] },
    set_weights: { ...message, plain: true, aliases: ['setWeights'] },
    reset_states: { ...message, plain: true, aliases: ['resetStates'] },
    call: { ...message, plain: true, aliases: ['apply'] },
  },
  properties: {
    name: {}, class_name: {}, trainable: { writable: true }, input_shape: {}, output_shape: {}, weights: {},
    trainable_weights: { aliases: ['trainableWeights'] },
    non_trainable_weights: { aliases: ['nonTrainableWeights'] },
  },
});

/** OPTIMIZER_API is model.optimizer after compile: in worker mode a snapshot whose learning_rate writes through. */
export const OPTIMIZER_API = freeze({
  kind: 'optimizer',
  methods: {
    get_config: { ...snapshot, aliases: ['getConfig'] },
  },
  properties: {
    learning_rate: { writable: true, aliases: ['lr', 'learningRate'] },
    iterations: {},
  },
});

function freeze(o) {
  for (const v of Object.values(o)) if (v && typeof v === 'object') freeze(v);
  return Object.freeze(o);
}

/** parseCall reads a method's arguments as its body receives them: the config dict, or the arguments as given. */
export function parseCall(api, method, args) {
  const spec = api.methods[method];
  return spec.plain ? args : [parseArgs(method, spec.args, args)];
}

/**
 * installLocal makes cls (a main-thread class whose methods take what
 * parseCall gives) follow api: each method parses its arguments from the
 * table, and the aliases of methods and properties are installed. It throws
 * when cls lacks an entry of the table, so the table and the class agree.
 */
export function installLocal(cls, api) {
  const proto = cls.prototype;
  for (const [name, spec] of Object.entries(api.methods)) {
    const body = proto[name];
    if (typeof body !== 'function') throw new Error(`api: ${cls.name} has no method ${name}`);
    if (spec.async) {
      const f = { [name](...args) { return new Promise((resolve) => resolve(body.apply(this, parseCall(api, name, args)))); } }[name];
      define(proto, name, { value: f });
    } else if (!spec.plain) {
      define(proto, name, { value: { [name](...args) { return body.apply(this, parseCall(api, name, args)); } }[name] });
    }
    for (const a of spec.aliases ?? []) define(proto, a, { value: proto[name] });
  }
  for (const [name, spec] of Object.entries(api.properties)) {
    for (const a of spec.aliases ?? []) {
      const d = { get() { return this[name]; } };
      if (spec.writable) d.set = function (v) { this[name] = v; };
      define(proto, a, d);
    }
  }
  cls.api = api;
}

/**
 * installRemote derives a worker proxy class from api. ops give the
 * transport: call(obj, method, spec, args) for a 'message' method,
 * snapshot(obj, method) for a 'snapshot' one, get(obj, prop) and
 * set(obj, prop, value) for properties.
 */
export function installRemote(cls, api, ops) {
  const proto = cls.prototype;
  for (const [name, spec] of Object.entries(api.methods)) {
    const f = spec.worker === 'snapshot'
      ? { [name]() { return ops.snapshot(this, name); } }[name]
      : { [name](...args) { return ops.call(this, name, spec, args); } }[name];
    define(proto, name, { value: f });
    for (const a of spec.aliases ?? []) define(proto, a, { value: f });
  }
  for (const [name, spec] of Object.entries(api.properties)) {
    const d = { get() { return ops.get(this, name); } };
    if (spec.writable) d.set = function (v) { ops.set(this, name, v); };
    for (const n of [name, ...(spec.aliases ?? [])]) define(proto, n, d);
  }
  cls.api = api;
}

// define adds a method (d.value) or an accessor (d.get, d.set) the way class bodies do: not enumerable.
function define(proto, name, d) {
  Object.defineProperty(proto, name, 'value' in d ? { configurable: true, writable: true, ...d } : { configurable: true, ...d });
}

/** surface lists what an API table offers a user: method and property names with their aliases. */
export function surface(api) {
  const names = (table) => Object.entries(table).flatMap(([n, s]) => [n, ...(s.aliases ?? [])]).sort();
  return { methods: names(api.methods), properties: names(api.properties) };
}
