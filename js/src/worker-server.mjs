// The worker side of {worker: true}: it loads the runtime in the worker and
// runs the page's requests on ordinary (local) models. Requests are handled
// as they arrive; fit yields to the worker's event loop, so a request that
// comes during a fit (stop_training = true, predict ...) runs between its
// batches, as on the main thread.
//
// Two things differ from the main thread, both for speed. A worker has no
// page to keep drawing, so fit yields only every WORKER_YIELD_MS unless the
// caller gives yield_every: each yield hands the thread back to the event
// loop, and on a busy machine getting it back costs far more than the
// yield itself. And batch hooks travel in bunches (at most one message per
// HOOK_FLUSH_MS; a tail goes when fit next yields): one message per batch
// made the page handle thousands of messages an epoch. Other hooks, replies and prints flush the bunch first,
// so the page sees every hook, in order, before fit resolves.
//
// Async hooks are awaited as on the main thread (and as TF.js does), with one
// yield policy for speed: an epoch- or train-level hook (onEpochEnd,
// on_train_end ...) is a round trip: fit waits here until the page says the
// hook finished, and the page says so only once that hook's Promise and every
// earlier batch hook's Promise have settled. A batch hook is not a round trip
// (that would cost a message pair per batch): fit goes on at once, and its
// Promise is waited for at the next epoch-level hook, so every async hook has
// finished before the next epoch starts and before fit resolves.

import { loadLocal } from './namespace.mjs';
import { LayerView, LAYER_INDEX, Model, modelRuntime } from './model.mjs';
import { PAGE_DOORS, LOAD_DOORS } from './io/worker_io.mjs';
import { parallelStep } from './parallel-worker.mjs';
import { OP, reply, replyError, printMessage, hooksMessage, stoppedMessage, hookCall, decode, encodeResult } from './wire.mjs';

/** WORKER_YIELD_MS is how often fit in the worker yields by default: Stop reaches it within this. */
export const WORKER_YIELD_MS = 100;

/** HOOK_FLUSH_MS is how often, at most, batch hooks are sent on to the page. */
export const HOOK_FLUSH_MS = 40;

// BATCH_HOOK tells the per-batch hooks (onBatchEnd, on_train_batch_begin ...), which may wait.
const BATCH_HOOK = /batch/i;

/**
 * hookQueue gathers hook calls and posts them as one {type: 'hooks', list}
 * message: at once for the non-batch hooks, else when HOOK_FLUSH_MS has passed
 * since the last message (a timer sends a tail when fit next yields).
 */
function hookQueue(port) {
  let list = [];
  let last = 0;
  let timer = null;
  const flush = () => {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    if (list.length === 0) return;
    port.post(hooksMessage(list));
    list = [];
    last = performance.now();
  };
  const add = (hook) => {
    list.push(hook);
    if (!BATCH_HOOK.test(hook.method) || performance.now() - last >= HOOK_FLUSH_MS) flush();
    else timer ??= setTimeout(flush, HOOK_FLUSH_MS);
  };
  return { add, flush };
}

/** serve answers the page's messages on port ({post, onMessage}). */
export function serve(port) {
  let keras = null;
  let ready = null;
  const models = new Map(); // id → Model, or {error} if it could not be made
  const hooks = hookQueue(port);
  const post = (m) => { hooks.flush(); port.post(m); };

  // waiting holds the resolvers of awaited hook calls, by seq, until the page's hookDone.
  const waiting = new Map();
  let nextSeq = 1;
  const hookStub = (id, methods) => {
    const stub = {};
    for (const m of methods) {
      stub[m] = BATCH_HOOK.test(m) ? (...args) => hooks.add(hookCall(id, m, args)) : (...args) => {
        const seq = nextSeq++;
        const done = new Promise((resolve) => waiting.set(seq, resolve));
        hooks.add(hookCall(id, m, args, seq));
        return done;
      };
    }
    return stub;
  };

  // at finds the object a request names: model target, or the view at target.via.
  const at = ({ target, via = [] }) => {
    const m = models.get(target);
    if (!m) throw new Error(`worker: no model ${target} (it was disposed, or never made)`);
    if (m.error) throw new Error(`this model could not be made: ${m.error}`);
    return via.reduce((o, p) => o[p], m);
  };

  const handlers = {
    async [OP.init](msg) {
      const local = await loadLocal({ ...msg.options, print: (s) => post(printMessage(s)) });
      keras = local.keras;
      // The page learns at once that the runtime here stopped (its pending calls reject with it).
      keras.runtime.onStop = () => post(stoppedMessage(keras.runtime.stopReason));
      return { names: local.names, version: keras.version, memoryLimit: keras.config.get_memory_limit() };
    },
    async [OP.new](msg) {
      try {
        const args = decode(msg.args, keras, hookStub);
        const m = msg.ctor === 'Sequential' ? keras.Sequential(...args)
          : msg.ctor === 'load_model' ? await keras.models.load_model(...args)
            : msg.ctor === 'door' ? fromDoor(keras.runtime, args)
              : keras.models.model_from_json(...args);
        models.set(msg.target, m);
      } catch (e) {
        models.set(msg.target, { error: e.message, name: e.name });
        throw e;
      }
      return null;
    },
    async [OP.call](msg) {
      const obj = at(msg);
      const spec = obj.constructor.api?.methods[msg.method];
      if (!spec) throw new TypeError(`${obj.constructor.api?.kind ?? 'object'}.${msg.method} is not a function`);
      const args = workerArgs(spec, decode(msg.args, keras, hookStub));
      const r = await obj[msg.method](...args);
      // A disposed model stays here (a handle, nothing more) until the page drops its proxy
      // (OP.drop): later calls get the runtime's own answers, as on the main thread
      // (dispose again is harmless, others say the model was disposed).
      // A layer view (get_layer) lives at model.layers[i], wherever it was asked for.
      const via = r instanceof LayerView ? ['layers', r[LAYER_INDEX]] : msg.via ?? [];
      return encodeResult(r, { target: msg.target, via });
    },
    [OP.get](msg) { return encodeResult(at(msg)[msg.prop], { target: msg.target, via: [...(msg.via ?? []), msg.prop] }); },
    [OP.set](msg) { at(msg)[msg.prop] = msg.value; return null; },
    // The page dropped its proxy of a model (remote.mjs reclaim): dispose it here.
    [OP.drop](msg) {
      const m = models.get(msg.target);
      models.delete(msg.target);
      if (m && typeof m.dispose === 'function') m.dispose();
      return null;
    },
    [OP.hookDone](msg) {
      const resolve = waiting.get(msg.seq);
      waiting.delete(msg.seq);
      resolve?.();
      return null;
    },
    // A runtime door on a model here, for an IOHandler on the page (io/worker_io.mjs).
    [OP.door](msg) {
      if (!PAGE_DOORS.has(msg.door)) throw new Error(`worker: the door ${msg.door} is not open to the page`);
      const [rt, h] = modelRuntime(at(msg));
      return rt.call(msg.door, h, ...msg.args);
    },
    // One step of a data-parallel fit (parallel.mjs) on a model here.
    [OP.parallel](msg) { return parallelStep(at(msg), msg); },
    [OP.resolve](msg) { return JSON.parse(keras.runtime.call('get', msg.kind, msg.json)); },
    [OP.ns](msg) {
      let f = keras;
      for (const p of msg.path) f = f[p];
      const r = f(...decode(msg.args, keras, hookStub));
      // keras.datasets' loaders are async: the page gets what they resolve to.
      return r instanceof Promise ? r.then((v) => encodeResult(v, { target: null, via: [] })) : encodeResult(r, { target: null, via: [] });
    },
  };

  port.onMessage(async (msg) => {
    try {
      if (msg.op !== OP.init) await ready;
      const p = handlers[msg.op](msg);
      if (msg.op === OP.init) ready = p.catch(() => {});
      post(reply(msg.id, await p));
    } catch (e) {
      post(replyError(msg.id, e));
    }
  });
}

/** fromDoor makes a model from what an IOHandler on the page loaded: [door, ...args] of io/worker_io.mjs handlerLoad. */
function fromDoor(rt, [door, ...args]) {
  if (!LOAD_DOORS.has(door)) throw new Error(`worker: the door ${door} does not make a model`);
  return new Model(rt, [], rt.call(door, ...args));
}

/**
 * workerArgs is what differs in a worker from the page's call: the page
 * prints (the print argument prints nothing here), and a method that
 * yields does so every WORKER_YIELD_MS unless the caller says otherwise.
 */
function workerArgs(spec, args) {
  if (spec.plain) return args;
  const cfg = { ...args[0] };
  if (spec.print) cfg[spec.print] = () => {};
  if (spec.yields && !('yield_every' in cfg)) cfg.yield_every = WORKER_YIELD_MS;
  return [cfg];
}
