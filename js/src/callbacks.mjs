// Callbacks the way Keras and TF.js users write them. Three kinds reach fit:
//   - Keras callbacks the Go core implements (EarlyStopping, ReduceLROnPlateau,
//     TerminateOnNaN): a config, run in Go;
//   - JS hooks: keras.callbacks.Callback subclasses (on_epoch_end ...), plain
//     objects with TF.js hooks (onEpochEnd ...), LambdaCallback and History;
//     Go calls them at the same points with Keras's logs;
//   - LearningRateScheduler: a JS schedule function that Go calls at each
//     epoch begin through a JS hook (Keras's logic, a few lines, lives here).
// Keras: keras/src/callbacks/*.py; TF.js: tfjs-layers/src/base_callbacks.ts.

import { KerasObject, parseArgs } from './args.mjs';
import { ValueError } from './errors.mjs';
import { describe } from './tensor.mjs';

/**
 * BEFORE_FIT names an async method a callback may have, run by model.fit
 * before the fit starts: (model) => the epoch to start from, or undefined.
 * BackupAndRestore restores its backup there (the core cannot wait for a
 * file read between on_train_begin and the first epoch).
 */
export const BEFORE_FIT = Symbol('keraswasm.beforeFit');

/** HOOKS maps every accepted method name to the hook id the runtime uses. */
export const HOOKS = {
  on_train_begin: 'train_begin', on_train_end: 'train_end',
  on_epoch_begin: 'epoch_begin', on_epoch_end: 'epoch_end',
  on_train_batch_begin: 'train_batch_begin', on_train_batch_end: 'train_batch_end',
  on_batch_begin: 'train_batch_begin', on_batch_end: 'train_batch_end',
  on_test_begin: 'test_begin', on_test_end: 'test_end',
  on_test_batch_begin: 'test_batch_begin', on_test_batch_end: 'test_batch_end',
  on_predict_begin: 'predict_begin', on_predict_end: 'predict_end',
  on_predict_batch_begin: 'predict_batch_begin', on_predict_batch_end: 'predict_batch_end',
  onTrainBegin: 'train_begin', onTrainEnd: 'train_end', onEpochBegin: 'epoch_begin', onEpochEnd: 'epoch_end',
  onBatchBegin: 'train_batch_begin', onBatchEnd: 'train_batch_end',
  onTrainBatchBegin: 'train_batch_begin', onTrainBatchEnd: 'train_batch_end',
  onTestBegin: 'test_begin', onTestEnd: 'test_end', onTestBatchBegin: 'test_batch_begin', onTestBatchEnd: 'test_batch_end',
  onPredictBegin: 'predict_begin', onPredictEnd: 'predict_end',
  onPredictBatchBegin: 'predict_batch_begin', onPredictBatchEnd: 'predict_batch_end',
  onYield: 'yield',
};

// Hooks whose first argument is the epoch or batch index; the others get only logs.
const STEP_HOOKS = new Set(['epoch_begin', 'epoch_end', 'train_batch_begin', 'train_batch_end', 'test_batch_begin',
  'test_batch_end', 'predict_batch_begin', 'predict_batch_end']);

/**
 * Callback is the base class for callbacks written in JS, as in Keras:
 * subclass it and define on_epoch_end(epoch, logs) and friends (or the TF.js
 * spellings). this.model is the model being trained; this.params holds
 * {epochs, steps, verbose}.
 */
export class Callback {
  static argNames = [];

  constructor() { this.model = null; this.params = {}; }
  set_model(model) { this.model = model; }
  set_params(params) { this.params = params; }
  setModel(model) { this.set_model(model); }
  setParams(params) { this.set_params(params); }
}

/** History records the epoch logs of fit; fit returns one. Keras: keras/src/callbacks/history.py. */
export class History extends Callback {
  static argNames = [];

  constructor() { super(); this.history = {}; this.epoch = []; }
  on_train_begin() { this.epoch = []; }
  on_epoch_end(epoch, logs = {}) {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

/** LambdaCallback builds a callback from functions (on_epoch_end: (epoch, logs) => ...). */
export class LambdaCallback extends Callback {
  /** The Keras positional arguments (the Go catalog lists the same). */
  static argNames = ['on_epoch_begin', 'on_epoch_end', 'on_batch_begin', 'on_batch_end', 'on_train_begin', 'on_train_end'];

  constructor(...args) {
    super();
    const cfg = parseArgs('LambdaCallback', LambdaCallback.argNames, args);
    for (const [k, fn] of Object.entries(cfg)) {
      if (!(k in HOOKS)) throw new TypeError(`LambdaCallback: unknown argument ${k}; it takes ${Object.keys(HOOKS).filter((h) => h.startsWith('on_')).join(', ')}`);
      if (typeof fn !== 'function') throw new TypeError(`LambdaCallback: ${k} must be a function; received ${describe(fn)}`);
      this[k] = fn;
    }
  }
}

/**
 * LearningRateScheduler sets the optimizer's learning rate at each epoch
 * begin to schedule(epoch, lr) and logs it as "lr", as Keras does; the Go
 * core runs the callback and calls the schedule function.
 * Keras: keras/src/callbacks/learning_rate_scheduler.py.
 */
export class LearningRateScheduler extends Callback {
  /** The Keras positional arguments (the Go catalog lists the same). */
  static argNames = ['schedule', 'verbose'];

  constructor(...args) {
    super();
    const { schedule, verbose = 0, ...rest } = parseArgs('LearningRateScheduler', LearningRateScheduler.argNames, args);
    for (const k of Object.keys(rest)) throw new TypeError(`LearningRateScheduler: unknown argument ${k}; it takes schedule, verbose`);
    if (typeof schedule !== 'function') {
      throw new TypeError(`LearningRateScheduler: schedule must be a function (epoch, lr) => new_lr; received ${describe(schedule)}`);
    }
    if (!Number.isInteger(verbose)) throw new TypeError(`LearningRateScheduler: verbose must be an integer. Received: verbose=${describe(verbose)}`);
    this.schedule = schedule;
    this.verbose = verbose;
  }

  /** run calls the schedule for the core: it reads logs.lr and leaves the new rate there. */
  run(epoch, logs) {
    const lr = this.schedule(epoch, logs.lr);
    if (typeof lr !== 'number') {
      throw new ValueError(`the output of the schedule function should be a number. Got: ${describe(lr)}`);
    }
    logs.lr = lr;
  }
}

/**
 * hooksOf returns the hooks a JS callback defines, as {hookId: method name}.
 * Plain objects may not carry unknown on* functions (a misspelt hook would
 * never run, silently).
 */
export function hooksOf(cb, where) {
  const hooks = {};
  const seen = new Set();
  for (let o = cb; o && o !== Object.prototype && o !== Callback.prototype; o = Object.getPrototypeOf(o)) {
    for (const k of Object.getOwnPropertyNames(o)) {
      if (seen.has(k) || k === 'constructor') continue;
      seen.add(k);
      const v = cb[k];
      if (typeof v !== 'function') continue;
      const id = HOOKS[k];
      if (id) {
        if (hooks[id] && hooks[id] !== k) throw new TypeError(`${where}: both ${hooks[id]} and ${k} are defined; they are the same hook, define one`);
        hooks[id] = k;
      } else if (/^on[A-Z_]/.test(k) && Object.getPrototypeOf(cb) === Object.prototype) {
        throw new TypeError(`${where}: unknown callback hook ${k}; valid hooks are ${Object.keys(HOOKS).join(', ')}`);
      }
    }
  }
  return hooks;
}

/**
 * normalizeCallbacks turns fit's callbacks argument (a list, or TF.js's single
 * object) into runtime items: {config} for Go callbacks, {js, hooks} for JS
 * ones (js indexes the returned list of JS callback objects). A JS entry's
 * where names it within the call (callbacks[0]), for the errors of its hooks,
 * which the runtime prefixes with the call (fit: ...).
 */
export function normalizeCallbacks(callbacks, what = 'callbacks') {
  if (callbacks === undefined || callbacks === null) return { items: [], js: [] };
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  const items = [];
  const js = [];
  list.forEach((cb, i) => {
    const where = `${what}[${i}]`;
    const inCall = `callbacks[${i}]`;
    if (cb instanceof KerasObject) {
      if (cb.constructor.kind !== 'callback') {
        throw new TypeError(`${where}: ${cb.class_name} is not a callback; expected keras.callbacks.* or an object with hooks such as onEpochEnd`);
      }
      items.push({ config: cb.toJSON() });
      return;
    }
    if (cb === null || typeof cb !== 'object') {
      throw new TypeError(`${where}: expected a callback (keras.callbacks.*, or an object with hooks such as onEpochEnd); received ${describe(cb)}`);
    }
    if (cb instanceof LearningRateScheduler) {
      items.push({ schedule: js.length, verbose: cb.verbose });
      js.push({ cb, hooks: { schedule: 'run' }, where: `${inCall} (LearningRateScheduler)` });
      return;
    }
    const hooks = hooksOf(cb, where);
    if (Object.keys(hooks).length === 0) {
      throw new TypeError(`${where}: this object has no callback hooks; define on_epoch_end (Keras) or onEpochEnd (TF.js) or another hook`);
    }
    items.push({ js: js.length, hooks: Object.keys(hooks) });
    js.push({ cb, hooks, where: inCall });
  });
  return { items, js };
}

/** callHook runs one hook of a JS callback with Keras's arguments; it returns what the hook returns. */
export function callHook(entry, hook, step, logs, batch) {
  const method = entry.hooks[hook];
  if (!method) return undefined;
  const fn = entry.cb[method];
  if (hook === 'yield') return fn.call(entry.cb, step, batch, logs);
  if (hook === 'schedule') return fn.call(entry.cb, step, logs);
  return STEP_HOOKS.has(hook) ? fn.call(entry.cb, step, logs) : fn.call(entry.cb, logs);
}

/** setModel gives a JS callback the model it runs for (Keras's set_model, TF.js's setModel), if it takes one. */
export function setModel(cb, model) {
  if (typeof cb?.set_model === 'function') cb.set_model(model);
  else if (typeof cb?.setModel === 'function') cb.setModel(model);
}
