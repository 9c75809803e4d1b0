// loadKeras({worker: true}): the same namespace, with the runtime in a Web
// Worker (a worker thread in Node) so that training never holds the page.
// Config builders (layers, optimizers, callbacks ...), tensors, utils and
// the backend run on the page as usual; every model method returns a
// Promise and runs in the worker. JS callbacks stay on the page: the worker
// streams their hooks (batch and epoch logs) back as it trains, without
// waiting for them; custom metric, loss and schedule functions are sent as
// source text and re-made in the worker (see wire.mjs).

import { parseArgs } from './args.mjs';
import { Tensor, toData } from './tensor.mjs';
import { History } from './callbacks.mjs';
import { makeNamespace } from './namespace.mjs';
import { encode } from './wire.mjs';
import { makeError } from './errors.mjs';

const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

async function resolveHref(u) {
  if (u === undefined) return undefined;
  if (u instanceof URL) return u.href;
  if (isNode && !/^[a-z][a-z0-9+.-]*:/i.test(u)) return (await import('node:url')).pathToFileURL(u).href;
  return new URL(u, globalThis.location?.href).href;
}

/** startWorker starts the worker and returns a port {post, onMessage, ref, unref, terminate}. */
async function startWorker(url) {
  if (typeof Worker === 'function' && !isNode) {
    const w = new Worker(url, { type: 'module' });
    let onError = () => {};
    w.onerror = (e) => onError(new Error(`keras worker failed: ${e.message ?? e}`));
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => { w.onmessage = (e) => f(e.data); },
      onError: (f) => { onError = f; },
      ref() {}, unref() {},
      terminate: () => w.terminate(),
    };
  }
  const { Worker: NodeWorker } = await import('node:worker_threads');
  const w = new NodeWorker(url);
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.on('message', f),
    onError: (f) => w.on('error', f),
    ref: () => w.ref(),
    unref: () => w.unref(),
    terminate: () => w.terminate(),
  };
}

/** Client sends requests to the worker and routes its replies, prints and hooks. */
class Client {
  #port; #pending = new Map(); #next = 1; #callbacks = new Map(); #nextCallback = 1;
  nextObject = 1;

  constructor(port, print) {
    this.#port = port;
    port.onMessage((m) => this.#receive(m));
    port.onError((e) => {
      for (const { reject } of this.#pending.values()) reject(e);
      this.#pending.clear();
    });
    this.print = print;
    port.unref();
  }

  #receive(m) {
    if (m.type === 'print') { this.print(m.text); return; }
    if (m.type === 'hooks') { for (const h of m.list) this.#hook(h); return; }
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#port.unref();
    if (m.error) {
      const e = makeError(m.error.name, m.error.message);
      if (m.error.cause) e.cause = new Error(m.error.cause);
      p.reject(e);
    } else {
      p.resolve(m.result);
    }
  }

  #hook({ id, method, args }) {
    const entry = this.#callbacks.get(id);
    if (!entry) return;
    const fail = (e) => {
      if (entry.error) return;
      entry.error = e;
      // Keras stops fit when a callback raises; here the hook ran after the
      // fact, so stop the fit as soon as the worker sees this.
      if (entry.group.target) this.post({ op: 'set', target: entry.group.target, prop: 'stop_training', value: true });
    };
    try {
      const r = entry.cb[method](...args);
      if (r && typeof r.catch === 'function') r.catch(fail);
    } catch (e) {
      fail(e);
    }
  }

  /** request posts msg and resolves with the worker's reply. */
  request(msg) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      if (this.#pending.size === 1) this.#port.ref();
      this.#port.post({ ...msg, id });
    });
  }

  /** post sends msg without waiting (setters); a failure is reported on the console. */
  post(msg) { this.request(msg).catch((e) => console.error(`keras worker: ${e.message}`)); }

  /** encode tags args for the worker, registering page callbacks in calls group. */
  encode(args, group) {
    return encode(args, (cb) => {
      const id = this.#nextCallback++;
      this.#callbacks.set(id, { cb, group, error: null });
      return id;
    });
  }

  /** release forgets a call's callbacks and returns the first error one threw. */
  release(group) {
    let err = null;
    for (const [id, e] of this.#callbacks) {
      if (e.group !== group) continue;
      err ??= e.error;
      this.#callbacks.delete(id);
    }
    return err;
  }

  terminate() { this.#port.terminate(); }
}

/** decodeResult turns the worker's tagged results into page objects. */
function decodeResult(r, client, model) {
  if (r === null || typeof r !== 'object' || ArrayBuffer.isView(r)) return r;
  if (Array.isArray(r)) return r.map((e) => decodeResult(e, client, model));
  if (r.__tensor) return new Tensor(r.__tensor.data, r.__tensor.shape, r.__tensor.dtype);
  if (r.__history) {
    const h = new History();
    Object.assign(h, r.__history);
    h.set_model(model);
    return h;
  }
  if (r.__layer) return new RemoteLayer(client, r.__layer);
  if (r.__optimizer) return new RemoteOptimizer(client, r.__optimizer);
  return r;
}

const METHODS = ['add', 'pop', 'compile', 'fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch',
  'predict_on_batch', 'count_params', 'get_weights', 'set_weights', 'get_config', 'to_json', 'dispose'];
const ALIASES = {
  trainOnBatch: 'train_on_batch', testOnBatch: 'test_on_batch', predictOnBatch: 'predict_on_batch',
  countParams: 'count_params', getWeights: 'get_weights', setWeights: 'set_weights', getConfig: 'get_config',
};
const PROPS = ['name', 'layers', 'input_shape', 'output_shape', 'built', 'metrics_names', 'optimizer', 'stop_training'];

/**
 * RemoteModel is a Sequential model in the worker. Its methods return
 * Promises; its properties are Promises too (await model.layers), and
 * stop_training can be set (the worker sees it between two batches).
 */
export class RemoteModel {
  #client; #id; #created;

  constructor(client, ctor, args) {
    this.#client = client;
    this.#id = client.nextObject++;
    const group = {};
    this.#created = client.request({ op: 'new', ctor, target: this.#id, args: client.encode(args, group) });
    this.#created.catch(() => {}); // reported by every later call
  }

  async _call(method, args) {
    await this.#created;
    const group = { target: this.#id };
    const enc = this.#client.encode(args, group);
    try {
      const r = await this.#client.request({ op: 'call', target: this.#id, method, args: enc });
      const cbErr = this.#client.release(group);
      if (cbErr) {
        const e = makeError(cbErr?.name, `${method}: a callback threw: ${cbErr?.message ?? cbErr}`, { cause: cbErr });
        throw e;
      }
      return decodeResult(r, this.#client, this);
    } finally {
      this.#client.release(group);
    }
  }

  /** fit trains in the worker; page callbacks get the batch and epoch logs as they stream in. */
  fit(...args) {
    return Promise.resolve().then(() => {
      const { callbacks, ...rest } = parseArgs('fit', FIT_ARGS, args);
      const cbs = callbacks === undefined || callbacks === null ? [] : Array.isArray(callbacks) ? callbacks : [callbacks];
      for (const cb of cbs) {
        if (cb && typeof cb.set_model === 'function') cb.set_model(this);
      }
      return this._call('fit', [{ ...rest, callbacks: cbs, ...dataOf(rest) }]);
    });
  }

  /** summary prints the table on the page (print_fn or console.log) and resolves to it. */
  async summary(...args) {
    const { print_fn: printFn = this.#client.print, ...rest } = parseArgs('summary', ['line_length', 'positions', 'print_fn'], args);
    const s = await this._call('summary', [{ ...rest, print_fn: undefined }].map(dropUndefined));
    printFn(s);
    return s;
  }

  _get(prop) {
    return this.#created.then(() => this.#client.request({ op: 'get', target: this.#id, prop }))
      .then((r) => decodeResult(r, this.#client, this));
  }

  set stop_training(v) { this.#client.post({ op: 'set', target: this.#id, prop: 'stop_training', value: v }); }
  get stop_training() { return this._get('stop_training'); }
  set stopTraining(v) { this.stop_training = v; }
  get stopTraining() { return this.stop_training; }
}

const FIT_ARGS = ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data',
  'shuffle', 'class_weight', 'sample_weight', 'initial_epoch', 'steps_per_epoch', 'validation_steps',
  'validation_batch_size', 'validation_freq', 'max_queue_size', 'workers', 'use_multiprocessing'];

/** dataOf turns fit's data into tensors on the page (a typed-array copy crosses, not nested arrays). */
function dataOf(cfg) {
  const out = {};
  for (const k of ['x', 'y', 'sample_weight']) if (cfg[k] !== undefined && cfg[k] !== null) out[k] = toData(cfg[k], `fit: ${k}`);
  if (Array.isArray(cfg.validation_data)) out.validation_data = cfg.validation_data.map((v, i) => (v == null ? v : toData(v, `fit: validation_data[${i}]`)));
  return out;
}

function dropUndefined(o) {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

for (const m of METHODS) {
  if (m === 'fit') continue;
  RemoteModel.prototype[m] = function (...args) { return this._call(m, args); };
}
for (const [alias, m] of Object.entries(ALIASES)) {
  RemoteModel.prototype[alias] = function (...args) { return this[m](...args); };
}
for (const p of PROPS) {
  if (p === 'stop_training') continue;
  Object.defineProperty(RemoteModel.prototype, p, { get() { return this._get(p); } });
}
Object.defineProperty(RemoteModel.prototype, 'metricsNames', { get() { return this.metrics_names; } });

/** RemoteLayer is one layer of a RemoteModel: its config now, its weights through Promises. */
class RemoteLayer {
  #client; #target; #index;
  constructor(client, info) {
    this.#client = client;
    this.#target = info.target;
    this.#index = info.index;
    for (const k of ['name', 'class_name', 'trainable', 'input_shape', 'output_shape', 'weights']) this[k] = info[k];
    this._config = info.config;
  }
  get_config() { return structuredClone(this._config); }
  count_params() { return this.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0); }
  async get_weights() { return decodeResult(await this.#layerCall('get_weights', []), this.#client); }
  async set_weights(w) { await this.#layerCall('set_weights', [w]); }
  #layerCall(method, args) {
    return this.#client.request({ op: 'layerCall', target: this.#target, index: this.#index, method, args: this.#client.encode(args, {}) });
  }
}

/** RemoteOptimizer is a snapshot of a model's optimizer; setting learning_rate reaches the worker. */
class RemoteOptimizer {
  #client; #target;
  constructor(client, info) {
    this.#client = client;
    this.#target = info.target;
    this._lr = info.learning_rate;
    this.iterations = info.iterations;
    this._config = info.config;
  }
  get learning_rate() { return this._lr; }
  set learning_rate(v) {
    this._lr = v;
    this.#client.post({ op: 'optimizerSet', target: this.#target, prop: 'learning_rate', value: v });
  }
  get lr() { return this.learning_rate; }
  set lr(v) { this.learning_rate = v; }
  get_config() { return structuredClone(this._config); }
}

/** loadWorkerKeras starts the worker, loads the runtime there and builds the namespace. */
export async function loadWorkerKeras(options = {}) {
  const url = options.workerURL ? await resolveHref(options.workerURL) : new URL('../worker.mjs', import.meta.url);
  const port = await startWorker(url);
  const client = new Client(port, options.print ?? ((s) => console.log(s)));
  const init = { wasmURL: await resolveHref(options.wasmURL), wasmExecURL: await resolveHref(options.wasmExecURL) };
  let ready;
  try {
    ready = await client.request({ op: 'init', options: dropUndefined(init) });
  } catch (e) {
    client.terminate();
    throw e;
  }
  const ns = (path) => (...args) => client.request({ op: 'ns', path, args: client.encode(args, {}) })
    .then((r) => decodeResult(r, client));
  const mode = {
    version: ready.version,
    runtime: null,
    modelClass: RemoteModel,
    newModel: (args) => new RemoteModel(client, 'Sequential', args),
    fromConfig: (json) => new RemoteModel(client, 'model_from_json', [json]),
    setRandomSeed: (seed) => client.request({ op: 'ns', path: ['utils', 'set_random_seed'], args: [seed] }),
    callTensor: (op, name, ...ts) => {
      const group = { lossCall: 'losses', metricCall: 'metrics', activationCall: 'activations' }[op];
      return ns([group, name])(...ts);
    },
  };
  const keras = makeNamespace(ready.names, mode);
  keras.worker = true;
  /** terminate stops the worker; the models in it are gone. */
  keras.terminate = () => client.terminate();
  return keras;
}
