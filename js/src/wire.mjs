// The message format between the page and the worker ({worker: true}), both
// ways: remote.mjs (the page) and worker-server.mjs (the worker) speak only
// through what is defined here.
//
// Requests, page → worker, each with an id that its reply repeats:
//   {op: 'init', options}                    load the runtime; replies {names, version}
//   {op: 'new', ctor, target, args}          make model `target` (ctor 'Sequential', 'model_from_json' or 'load_model')
//   {op: 'call', target, via, method, args}  call a method of model target, or of the view at
//                                            target.via (['layers', 2], ['optimizer'])
//   {op: 'get', target, via, prop}           read a property; {op: 'set', ..., prop, value} writes one
//   {op: 'ns', path, args}                   call a namespace function (['losses', 'mse'])
//   {op: 'hookDone', seq}                    hook call seq (an awaited one) has finished on the page
// Messages, worker → page:
//   {type: 'reply', id, result} or {type: 'reply', id, error: {name, message, stack, cause}}
//   {type: 'print', text}                    a line printed in the worker (verbose fit ...)
//   {type: 'hooks', list: [{id, method, args, seq}]}  calls of page callbacks, in order; a call
//                                            with seq is awaited: the worker waits for its hookDone
//
// Values cross by structured clone, so what cannot be cloned is tagged:
//   {__tensor: {data, shape, dtype}}         a keras tensor
//   {__keras: {kind, class_name, config}}    a layer, optimizer, callback ... config object
//   {__fn: {source, name}}                   a custom metric or loss function (re-made in the worker)
//   {__lrs: {schedule, verbose}}             a LearningRateScheduler (its schedule is a __fn)
//   {__callback: {id, methods}}              a JS callback that stays on the page; the worker
//                                            posts its hooks back
//   {__history: {history, epoch, params}}    what fit returns
//   {__view: {kind, target, via, props, results}}  a layer or optimizer view (api.mjs LAYER_API,
//                                            OPTIMIZER_API): its properties and snapshot methods'
//                                            results, taken in the worker
// Custom functions are sent as source text and re-made in the worker with
// `keras` and `K` in scope: they must not use other variables of the page.

import { KerasObject } from './args.mjs';
import { Tensor } from './tensor.mjs';
import { History, LearningRateScheduler, hooksOf } from './callbacks.mjs';
import { makeError } from './errors.mjs';

/** OP names the requests; REPLY, PRINT, HOOKS and STOPPED the worker's messages. */
export const OP = Object.freeze({ init: 'init', new: 'new', call: 'call', get: 'get', set: 'set', ns: 'ns', resolve: 'resolve', hookDone: 'hookDone', drop: 'drop', parallel: 'parallel', door: 'door' });
export const REPLY = 'reply';
export const PRINT = 'print';
export const HOOKS = 'hooks';
/** STOPPED: the worker's runtime stopped (its Go program ended); the worker lives on but its models are gone. */
export const STOPPED = 'stopped';

/** reply is the worker's answer to request id: its result, or the error it threw. */
export function reply(id, result) { return { type: REPLY, id, result }; }
export function replyError(id, err) { return { type: REPLY, id, error: encodeError(err) }; }
export function printMessage(text) { return { type: PRINT, text: String(text) }; }
export function hooksMessage(list) { return { type: HOOKS, list }; }
export function stoppedMessage(why) { return { type: STOPPED, why: String(why) }; }

/** hookCall is one call of page callback id; logs (a Proxy during a hook, which cannot be cloned) cross as plain objects. */
export function hookCall(id, method, args, seq) {
  const out = { id, method, args: args.map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? { ...v } : v)) };
  if (seq !== undefined) out.seq = seq;
  return out;
}

/**
 * encodeError keeps what makes an error an error across the worker: its
 * class name, message, stack and cause (a chain of causes is cut after a few,
 * so that a cycle ends).
 */
export function encodeError(e, depth = 0) {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e) };
  const out = { name: e.name, message: e.message, stack: e.stack };
  if (e.cause !== undefined && depth < 8) out.cause = encodeError(e.cause, depth + 1);
  return out;
}

/**
 * decodeError re-makes the worker's error on the page: an error of the
 * worker's class (ValueError, TypeError, NotImplementedError ...), with its
 * cause, and a stack of the page's frames then the worker's.
 */
export function decodeError(w) {
  const e = namedError(w.name, w.message, w.cause ? { cause: decodeError(w.cause) } : undefined);
  if (w.stack && e.stack) e.stack += `\n  in the keras worker:\n${w.stack.split('\n').slice(1).join('\n')}`;
  return e;
}

/** namedError makes an error of the class called name (errors.mjs makeError): the worker's ValueError arrives as a ValueError. */
export const namedError = makeError;

/** encodeTensor tags a keras tensor; decodeTensor re-makes it. */
function encodeTensor(t) { return { __tensor: { data: t.data, shape: t.shape.slice(), dtype: t.dtype } }; }
function decodeTensor({ data, shape, dtype }) { return new Tensor(data, shape, dtype); }

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
  if (v instanceof Tensor) return encodeTensor(v);
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
  if (v.__tensor) return decodeTensor(v.__tensor);
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

/**
 * encodeResult tags what a method or property gives in the worker for the
 * page. ref {target, via} says where it was read: a view carries where it
 * lives (an array's elements add their index), so that its methods reach it.
 */
export function encodeResult(r, ref) {
  if (r instanceof Tensor) return encodeTensor(r);
  if (r instanceof History) return { __history: { history: r.history, epoch: r.epoch, params: r.params } };
  if (Array.isArray(r)) return r.map((e, i) => encodeResult(e, { ...ref, via: [...ref.via, i] }));
  const api = r?.constructor?.api;
  if (api && api.kind === 'model') throw new Error('worker: a model cannot be returned by value');
  if (api) {
    const props = {};
    for (const p of Object.keys(api.properties)) props[p] = r[p];
    const results = {};
    for (const [m, spec] of Object.entries(api.methods)) if (spec.worker === 'snapshot') results[m] = r[m]();
    return { __view: { kind: api.kind, target: ref.target, via: ref.via, props, results } };
  }
  return r;
}

/**
 * decodeResult undoes encodeResult on the page. view(info) makes the page's
 * proxy of a __view; model is the page's model that fit's History refers to.
 */
export function decodeResult(r, view, model) {
  if (r === null || typeof r !== 'object' || ArrayBuffer.isView(r)) return r;
  if (Array.isArray(r)) return r.map((e) => decodeResult(e, view, model));
  if (r.__tensor) return decodeTensor(r.__tensor);
  if (r.__history) {
    const h = new History();
    Object.assign(h, r.__history);
    h.set_model(model);
    return h;
  }
  if (r.__view) return view(r.__view);
  return r;
}
