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

import { loadLocal } from '../keras.mjs';
import { Tensor } from './tensor.mjs';
import { History } from './callbacks.mjs';
import { Model, LayerView, OptimizerView } from './model.mjs';
import { decode } from './wire.mjs';
import { makeError } from './errors.mjs';

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
    port.post({ type: 'hooks', list });
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

  const hookStub = (id, methods) => {
    const stub = {};
    for (const m of methods) {
      stub[m] = (...args) => hooks.add({ id, method: m, args: args.map(plain) });
    }
    return stub;
  };

  const model = (id) => {
    const m = models.get(id);
    if (!m) throw new Error(`worker: no model ${id} (it was disposed, or never made)`);
    if (m.error) throw makeError(m.name, `this model could not be made: ${m.error}`);
    return m;
  };

  const handlers = {
    async init(msg) {
      const print = (s) => post({ type: 'print', text: String(s) });
      const local = await loadLocal({ ...msg.options, print });
      keras = local.keras;
      return { names: local.names, version: keras.version };
    },
    new(msg) {
      try {
        const args = decode(msg.args, keras, hookStub);
        const m = msg.ctor === 'Sequential' ? keras.Sequential(...args) : keras.models.model_from_json(...args);
        models.set(msg.target, m);
      } catch (e) {
        models.set(msg.target, { error: e.message, name: e.name });
        throw e;
      }
      return null;
    },
    async call(msg) {
      const m = model(msg.target);
      let args = decode(msg.args, keras, hookStub);
      if (msg.method === 'summary') args = [{ ...args[0], print_fn: () => {} }]; // the page prints it
      if (msg.method === 'fit' && args[0] && !('yield_every' in args[0])) args = [{ ...args[0], yield_every: WORKER_YIELD_MS }];
      if (typeof m[msg.method] !== 'function') throw new TypeError(`model.${msg.method} is not a function`);
      const r = await m[msg.method](...args);
      if (msg.method === 'dispose') models.delete(msg.target);
      return encodeResult(r, msg.target);
    },
    get(msg) { return encodeResult(model(msg.target)[msg.prop], msg.target); },
    set(msg) { model(msg.target)[msg.prop] = msg.value; return null; },
    optimizerSet(msg) { model(msg.target).optimizer[msg.prop] = msg.value; return null; },
    layerCall(msg) {
      const layer = model(msg.target).layers[msg.index];
      return encodeResult(layer[msg.method](...decode(msg.args, keras, hookStub)), msg.target);
    },
    ns(msg) {
      let f = keras;
      for (const p of msg.path) f = f[p];
      return encodeResult(f(...decode(msg.args, keras, hookStub)), null);
    },
  };

  port.onMessage(async (msg) => {
    try {
      if (msg.op !== 'init') await ready;
      const p = handlers[msg.op](msg);
      if (msg.op === 'init') ready = p.catch(() => {});
      const result = await p;
      post({ type: 'reply', id: msg.id, result });
    } catch (e) {
      post({ type: 'reply', id: msg.id, error: { message: e?.message ?? String(e), name: e?.name, cause: e?.cause?.message } });
    }
  });
}

/** plain copies logs (a Proxy during a hook, which cannot be cloned) into a plain object. */
function plain(v) {
  return v && typeof v === 'object' && !Array.isArray(v) ? { ...v } : v;
}

/** encodeResult tags what a model method returns for the page. */
function encodeResult(r, target, index) {
  if (r instanceof Tensor) return { __tensor: { data: r.data, shape: r.shape.slice(), dtype: r.dtype } };
  if (r instanceof History) return { __history: { history: r.history, epoch: r.epoch, params: r.params } };
  if (r instanceof Model) throw new Error('worker: a model cannot be returned by value');
  if (r instanceof LayerView) {
    return {
      __layer: {
        target, index, name: r.name, class_name: r.class_name, trainable: r.trainable, input_shape: r.input_shape,
        output_shape: r.output_shape, weights: r.weights, config: r._config,
      },
    };
  }
  if (r instanceof OptimizerView) {
    return { __optimizer: { target, learning_rate: r.learning_rate, iterations: r.iterations, config: r.get_config() } };
  }
  if (Array.isArray(r)) return r.map((e, i) => encodeResult(e, target, i));
  return r;
}
