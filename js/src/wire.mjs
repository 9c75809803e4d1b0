// The message format between the page and the worker ({worker: true}).
// Values cross by structured clone, so what cannot be cloned is tagged:
//   {__tensor: {data, shape, dtype}}         a keras tensor
//   {__keras: {kind, class_name, config}}    a layer, optimizer, callback ... config object
//   {__fn: {source, name}}                   a custom metric or loss function (re-made in the worker)
//   {__lrs: {schedule, verbose}}             a LearningRateScheduler (its schedule is a __fn)
//   {__callback: {id, methods}}              a JS callback that stays on the page; the worker
//                                            posts its hooks back ({type: 'hook'})
//   {__history}, {__layer}, {__optimizer}    results that refer to a model
// Custom functions are sent as source text and re-made in the worker with
// `keras` and `K` in scope: they must not use other variables of the page.

import { KerasObject } from './args.mjs';
import { Tensor } from './tensor.mjs';
import { LearningRateScheduler, hooksOf } from './callbacks.mjs';

/** fnSource describes a function for the worker. */
export function fnSource(fn) {
  return { __fn: { source: Function.prototype.toString.call(fn), name: fn.name } };
}

/**
 * encode tags v for the worker. onCallback(cb) registers a page-side
 * callback and returns its id; it is used for the values under a
 * "callbacks" key.
 */
export function encode(v, onCallback, key) {
  if (v === null || v === undefined || typeof v !== 'object' && typeof v !== 'function') return v;
  if (typeof v === 'function') return typeof v.keras_name === 'string' ? v.keras_name : fnSource(v);
  if (v instanceof Tensor) return { __tensor: { data: v.data, shape: v.shape.slice(), dtype: v.dtype } };
  if (v instanceof KerasObject) {
    return { __keras: { kind: v.constructor.kind ?? null, class_name: v.class_name, config: encode(v.config, onCallback) } };
  }
  if (ArrayBuffer.isView(v)) return v;
  if (key === 'callbacks') {
    const list = Array.isArray(v) ? v : [v];
    return list.map((cb) => encodeCallback(cb, onCallback));
  }
  if (Array.isArray(v)) return v.map((e) => encode(e, onCallback));
  const out = {};
  for (const [k, e] of Object.entries(v)) out[k] = encode(e, onCallback, k);
  return out;
}

function encodeCallback(cb, onCallback) {
  if (cb instanceof LearningRateScheduler) return { __lrs: { schedule: fnSource(cb.schedule), verbose: cb.verbose } };
  if (cb instanceof KerasObject || cb === null || typeof cb !== 'object') return encode(cb, onCallback);
  const hooks = hooksOf(cb, 'callbacks');
  const methods = Object.values(hooks);
  if (typeof cb.set_params === 'function') methods.push('set_params');
  else if (typeof cb.setParams === 'function') methods.push('setParams');
  return { __callback: { id: onCallback(cb), methods } };
}

/** remake turns a __fn back into a function, with keras and K in scope. */
export function remake(fn, keras) {
  const { source, name } = fn;
  let f;
  try {
    f = new Function('keras', 'K', `"use strict"; return (${source});`)(keras, keras.backend);
  } catch {
    // A method written as name(a, b) {...} is not an expression on its own.
    f = new Function('keras', 'K', `"use strict"; return ({${source}})[${JSON.stringify(name)}];`)(keras, keras.backend);
  }
  if (typeof f !== 'function') throw new TypeError(`could not re-make function ${name} in the worker`);
  if (f.name !== name) Object.defineProperty(f, 'name', { value: name });
  return f;
}

/**
 * decode undoes encode in the worker. hookStub(id, methods) makes the
 * worker-side stand-in of a page callback.
 */
export function decode(v, keras, hookStub) {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
  if (Array.isArray(v)) return v.map((e) => decode(e, keras, hookStub));
  if (v.__tensor) return new Tensor(v.__tensor.data, v.__tensor.shape, v.__tensor.dtype);
  if (v.__keras) return remakeObject(v.__keras, keras, hookStub);
  if (v.__fn) {
    try {
      return remake(v.__fn, keras);
    } catch (e) {
      throw new Error(`worker: could not re-make the function ${v.__fn.name} from its source (${e.message}); ` +
        'a custom function given to a worker must be self-contained (it may use keras and K), and the page\'s ' +
        'Content-Security-Policy must allow it to be evaluated in the worker');
    }
  }
  if (v.__lrs) return keras.callbacks.LearningRateScheduler(decode(v.__lrs.schedule, keras, hookStub), v.__lrs.verbose);
  if (v.__callback) return hookStub(v.__callback.id, v.__callback.methods);
  const out = {};
  for (const [k, e] of Object.entries(v)) out[k] = decode(e, keras, hookStub);
  return out;
}

const GROUPS = {
  layer: 'layers', optimizer: 'optimizers', callback: 'callbacks', loss: 'losses', metric: 'metrics',
  initializer: 'initializers', regularizer: 'regularizers', constraint: 'constraints',
};

function remakeObject({ kind, class_name: className, config }, keras, hookStub) {
  const obj = new KerasObject(className, decode(config, keras, hookStub));
  const ctor = kind && keras[GROUPS[kind]]?.[className];
  if (typeof ctor === 'function' && ctor.prototype instanceof KerasObject) Object.setPrototypeOf(obj, ctor.prototype);
  return obj;
}
