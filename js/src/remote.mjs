// loadKeras({worker: true}): the same namespace, with the runtime in a Web
// Worker (a worker thread in Node) so that training never holds the page.
// Config builders (layers, optimizers, callbacks ...), tensors, utils and
// the backend run on the page as usual; every model method returns a
// Promise and runs in the worker. JS callbacks stay on the page: the worker
// streams their hooks (batch and epoch logs) back as it trains, and waits
// for async ones as worker-server.mjs says (epoch-level hooks each time,
// batch hooks by the next epoch-level one); custom metric, loss and schedule functions are sent as
// source text and re-made in the worker (see wire.mjs).
//
// The proxies are not written by hand: RemoteModel, RemoteLayer and
// RemoteOptimizer are derived from the tables of api.mjs (installRemote),
// the ones the main-thread classes are made with, so both modes offer the
// same methods, aliases and argument handling.

import { toData } from './tensor.mjs';
import { setModel } from './callbacks.mjs';
import { makeNamespace } from './namespace.mjs';
import { MODEL_API, LAYER_API, OPTIMIZER_API, installRemote, parseCall } from './api.mjs';
import { OP, REPLY, PRINT, HOOKS, STOPPED, encode, decodeResult, decodeError, namedError } from './wire.mjs';
import { resolveURL, startWorker } from './env.mjs';
import { ResourceExhaustedError, ValueError } from './errors.mjs';
import { newWorker, workerURL } from './assets.mjs';
import { claimLayer, releaseLayer } from './placed.mjs';
import { parseArgs } from './args.mjs';
import { handlerCall, handlerLoad, setRemote, beforeFit } from './io/worker_io.mjs';

/** Client sends requests to the worker and routes its replies, prints and hooks. */
class Client {
  #port; #pending = new Map(); #next = 1; #callbacks = new Map(); #nextCallback = 1;
  #inflight = new Set(); // Promises of async hooks not yet settled
  nextObject = 1;

  constructor(port, print) {
    this.#port = port;
    port.onMessage((m) => this.#receive(m));
    port.onError((e) => this.stop(`the worker failed: ${e?.message ?? e}`, e));
    port.onExit?.((code) => this.stop(`the worker exited with code ${code}`));
    this.print = print;
    port.unref();
  }

  #receive(m) {
    if (m.type === PRINT) { this.print(m.text); return; }
    if (m.type === HOOKS) { for (const h of m.list) this.#hook(h); return; }
    if (m.type === STOPPED) { this.stop(`in the worker, ${m.why}`); this.#port.terminate(); return; }
    if (m.type !== REPLY) return;
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#port.unref();
    if (m.error) p.reject(decodeError(m.error));
    else p.resolve(m.result);
  }

  #hook({ id, method, args, seq }) {
    this.#run(id, method, args);
    // An awaited call is done once it and every earlier async hook settled
    // (a failure has already asked the worker to stop, in order before this).
    if (seq !== undefined) {
      Promise.all([...this.#inflight]).then(() => this.post({ op: OP.hookDone, seq }));
    }
  }

  #run(id, method, args) {
    const entry = this.#callbacks.get(id);
    // Keras stops at a callback's exception: once one hook of a call threw,
    // no later hook of that call runs (the worker may run a few more before
    // it sees stop_training; on_train_end among them would, say, delete a
    // BackupAndRestore backup).
    if (!entry || entry.group.failed) return;
    const fail = (e) => {
      if (entry.error) return;
      entry.error = e;
      entry.group.failed = true;
      // Keras stops fit when a callback raises; here the hook ran after the
      // fact, so stop the fit as soon as the worker sees this.
      if (entry.group.target) this.post({ op: OP.set, target: entry.group.target, via: [], prop: 'stop_training', value: true });
    };
    try {
      const r = entry.cb[method](...args);
      if (r && typeof r.then === 'function') {
        const p = Promise.resolve(r).catch(fail).finally(() => this.#inflight.delete(p));
        this.#inflight.add(p);
      }
    } catch (e) {
      fail(e);
    }
  }

  /** dead is the Error every call gets once the worker has stopped (null while it runs). */
  dead = null;

  /**
   * stop marks the worker as gone (it failed, exited or was terminated):
   * every pending call rejects with one Error, and so does every later one,
   * at once. The first reason is kept.
   */
  stop(reason, cause) {
    if (this.dead) return;
    this.dead = new Error(`the keras runtime stopped: ${reason}; its models are gone: call loadKeras() again`,
      cause === undefined ? undefined : { cause });
    for (const { reject } of this.#pending.values()) reject(this.dead);
    this.#pending.clear();
    this.#port.unref();
  }

  /** request posts msg and resolves with the worker's reply. */
  request(msg) {
    if (this.dead) return Promise.reject(this.dead);
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

  /** terminate stops the worker; pending and later calls reject. */
  terminate(why = 'terminate() was called') {
    this.stop(why);
    this.#port.terminate();
  }
}

// links holds what a proxy refers to: {client, target (the model's id), via
// (the path from the model to a view), created (the model's making), info
// (a view's snapshot)}. Kept outside the proxies so they show only the API.
const links = new WeakMap();

/**
 * RemoteModel is a Sequential model in the worker. Its methods return
 * Promises; its properties are Promises too (await model.layers), and
 * stop_training can be set (the worker sees it between two batches).
 */
export class RemoteModel {
  constructor(client, ctor, args) {
    let claimed = [];
    if (ctor === 'Sequential') {
      const { layers } = parseArgs('Sequential', ['layers', 'name', 'trainable'], args);
      if (Array.isArray(layers)) {
        layers.forEach((l, i) => {
          try {
            claimLayer(l, this, `Sequential: layers[${i}]`);
          } catch (e) {
            for (const k of layers.slice(0, i)) releaseLayer(k);
            throw e;
          }
        });
        claimed = layers;
      }
    }
    const target = client.nextObject++;
    const created = client.request({ op: OP.new, ctor, target, args: client.encode(args, {}) });
    // A failure is reported by every later call; the layers are in no model then.
    created.catch(() => { for (const l of claimed) releaseLayer(l); });
    links.set(this, { client, target, via: [], created });
    setRemote(this, client, target, created);
    reclaim.register(this, { client, target });
  }
}

/**
 * reclaim disposes, in the worker, a model whose proxy the page can no
 * longer reach (nor any view of it: views keep their model's proxy, links
 * owner), as model.mjs does on the main thread.
 */
const reclaim = new FinalizationRegistry(({ client, target }) => {
  if (!client.dead) client.request({ op: OP.drop, target }).catch(() => {});
});

/** RemoteLayer is one layer of a RemoteModel: its description now, its weights through Promises. */
class RemoteLayer {}

/** RemoteOptimizer is a snapshot of a model's optimizer; setting learning_rate reaches the worker. */
class RemoteOptimizer {}

const VIEWS = { layer: RemoteLayer, optimizer: RemoteOptimizer };

/**
 * view makes the page's proxy of a layer or optimizer the worker described
 * (wire.mjs __view); from, the proxy it was asked of, gives the model's
 * proxy it keeps alive (owner).
 */
function view(client, from) {
  const owner = from === undefined ? undefined : links.get(from)?.owner ?? from;
  return (info) => {
    const v = new VIEWS[info.kind]();
    links.set(v, { client, target: info.target, via: info.via, created: Promise.resolve(), info, owner });
    return v;
  };
}

/**
 * pageArgs does on the page what must happen before a call crosses: Keras
 * arguments are parsed with the method's table, data becomes tensors, JS
 * callbacks get set_model(the proxy), and a print argument stays here.
 * It returns the arguments to send, in their parsed form, and the printer.
 */
function pageArgs(obj, method, spec, args) {
  if (spec.plain) return { args };
  const [cfg] = parseCall(obj.constructor.api, method, args);
  const data = (v, where) => (v === undefined || v === null ? v : toData(v, where));
  for (const k of spec.data ?? []) if (k in cfg) cfg[k] = data(cfg[k], `${method}: ${k}`);
  for (const k of spec.dataLists ?? []) {
    if (Array.isArray(cfg[k])) cfg[k] = cfg[k].map((v, i) => data(v, `${method}: ${k}[${i}]`));
  }
  if (spec.callbacks && cfg.callbacks !== undefined && cfg.callbacks !== null) {
    cfg.callbacks = Array.isArray(cfg.callbacks) ? cfg.callbacks : [cfg.callbacks];
    for (const cb of cfg.callbacks) setModel(cb, obj);
  }
  let print = null;
  if (spec.print) {
    const link = links.get(obj);
    print = cfg[spec.print] === undefined ? link.client.print : cfg[spec.print];
    delete cfg[spec.print];
  }
  return { args: [cfg], print };
}

/** call forwards one method call to the worker and resolves with its decoded result. */
async function call(obj, method, spec, args) {
  if (spec.pathArg && typeof args[0] !== 'string') {
    // An IOHandler runs here; the artifacts cross (io/worker_io.mjs).
    const { client, target, created } = links.get(obj);
    await created;
    return handlerCall(client, target, method, args);
  }
  const sent = pageArgs(obj, method, spec, args);
  // A callback's restore (BackupAndRestore) runs here before fit, as on the main thread.
  if (method === 'fit') await beforeFit(obj, sent.args[0]);
  const layer = method === 'add' ? sent.args[0] : undefined;
  claimLayer(layer, obj, 'Sequential.add');
  try {
    return await forward(obj, method, sent);
  } catch (e) {
    releaseLayer(layer);
    throw e;
  }
}

async function forward(obj, method, sent) {
  const { client, target, via, created } = links.get(obj);
  await created;
  const group = { target };
  const enc = client.encode(sent.args, group);
  try {
    const r = await client.request({ op: OP.call, target, via, method, args: enc });
    const cbErr = client.release(group);
    if (cbErr) {
      throw namedError(cbErr?.name, `${method}: a callback threw: ${cbErr?.message ?? cbErr}`, { cause: cbErr });
    }
    const out = decodeResult(r, view(client, obj), obj);
    if (sent.print) sent.print(out);
    return out;
  } finally {
    client.release(group);
  }
}

// A model is live: each property read is a request. A view's properties and
// snapshot methods are answered from the snapshot; a write also reaches the worker.
installRemote(RemoteModel, MODEL_API, {
  call,
  get(obj, prop) {
    const { client, target, via, created } = links.get(obj);
    return created.then(() => client.request({ op: OP.get, target, via, prop })).then((r) => decodeResult(r, view(client, obj), obj));
  },
  set(obj, prop, value) {
    const { client, target, via } = links.get(obj);
    client.post({ op: OP.set, target, via, prop, value });
  },
});
const snapshotOps = {
  call,
  snapshot: (obj, method) => structuredClone(links.get(obj).info.results[method]),
  get: (obj, prop) => links.get(obj).info.props[prop],
  set(obj, prop, value) {
    const { client, target, via, info } = links.get(obj);
    info.props[prop] = value;
    client.post({ op: OP.set, target, via, prop, value });
  },
};
installRemote(RemoteLayer, LAYER_API, snapshotOps);
installRemote(RemoteOptimizer, OPTIMIZER_API, snapshotOps);

/** mnistInWorker is keras.datasets.mnist.load_data sending its url, resolved in the page, to the worker's. */
function mnistInWorker(call) {
  const resolved = async (u) => (typeof u === 'string' || u instanceof URL ? (await resolveURL(u)).href : u);
  const load_data = async (...args) => {
    const o = args[0];
    if (args.length === 1 && (typeof o === 'string' || o instanceof URL)) return call(await resolved(o));
    if (args.length === 1 && o !== null && typeof o === 'object' && 'url' in o) return call({ ...o, url: await resolved(o.url) });
    return call(...args);
  };
  return { load_data, loadData: load_data };
}

/** loadWorkerKeras starts the worker, loads the runtime there and builds the namespace. */
export async function loadWorkerKeras(options = {}) {
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) {
    throw new ValueError(`loadKeras: workers must be a positive integer (the number of Web Workers that train each model); received ${workers}`);
  }
  const href = async (u) => (u === undefined ? undefined : (await resolveURL(u)).href);
  const init = { wasmURL: await href(options.wasmURL), wasmExecURL: await href(options.wasmExecURL), memoryLimit: options.memoryLimit, simd: options.simd, __testDoors: options.__testDoors };
  const start = async () => {
    const port = options.workerURL ? await startWorker(await href(options.workerURL)) : await startWorker(workerURL(), newWorker);
    const c = new Client(port, options.print ?? ((s) => console.log(s)));
    try {
      return [c, await c.request({ op: OP.init, options: Object.fromEntries(Object.entries(init).filter(([, v]) => v !== undefined)) })];
    } catch (e) {
      c.terminate();
      throw e;
    }
  };
  const started = await Promise.allSettled(Array.from({ length: workers }, start));
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    for (const s of started) if (s.status === 'fulfilled') s.value[0].terminate();
    throw failed.reason;
  }
  const ready = started[0].value[1];
  // With workers > 1 every model has one replica per worker (parallel.mjs).
  let client = started[0].value[0];
  let Model = RemoteModel;
  if (workers > 1) {
    const { FanClient, parallelModelClass } = await import('./parallel.mjs');
    client = new FanClient(started.map((s) => s.value[0]));
    Model = parallelModelClass(RemoteModel, (obj) => links.get(obj));
  }
  const ns = (path) => (...args) => client.request({ op: OP.ns, path, args: client.encode(args, {}) })
    .then((r) => decodeResult(r, view(client)));
  const mode = {
    version: ready.version,
    runtime: null,
    modelClass: RemoteModel,
    newModel: (args) => new Model(client, 'Sequential', args),
    fromConfig: (json) => new Model(client, 'model_from_json', [json]),
    loadModel: async (source, options) => {
      // An IOHandler's load() runs here and its artifacts cross (io/worker_io.mjs).
      const m = typeof source === 'string'
        ? new Model(client, 'load_model', options === undefined ? [source] : [source, options])
        : new Model(client, 'door', await handlerLoad(source, options));
      await links.get(m).created;
      return m;
    },
    setRandomSeed: (seed) => ns(['utils', 'set_random_seed'])(seed),
    callTensor: (op, name, ...ts) => {
      const group = { lossCall: 'losses', metricCall: 'metrics', activationCall: 'activations' }[op];
      return ns([group, name])(...ts);
    },
    get: (kind, json, then) => client.request({ op: OP.resolve, kind, json }).then(then),
    // keras.utils' core functions run in the worker's namespace; each returns a Promise.
    utils: {
      pad_sequences: ns(['utils', 'pad_sequences']), padSequences: ns(['utils', 'pad_sequences']),
      normalize: ns(['utils', 'normalize']),
      split_dataset: ns(['utils', 'split_dataset']), splitDataset: ns(['utils', 'split_dataset']),
    },
    // load_data runs in the worker; a relative URL or a path is resolved here first, against the page.
    datasets: { mnist: mnistInWorker(ns(['datasets', 'mnist', 'load_data'])) },
    clearSession: () => ns(['backend', 'clear_session'])(),
    setMemoryLimit: (bytes) => ns(['config', 'set_memory_limit'])(bytes).then(() => { limit = bytes; }),
    memoryInfo: (then) => ns(['config', 'get_memory_info'])().then((i) => { limit = i.limit; return then(i); }),
    // The page makes to_categorical's result; the worker's budget is
    // checked at once against its limit as last known here (the copy in is
    // checked again when fit sends it).
    memoryCheck: (what, bytes) => {
      if (bytes > limit) {
        throw new ResourceExhaustedError(`to_categorical: out of memory: ${what} would need ${bytes} bytes, above the worker's memory limit of ${limit} bytes; ` +
          'lower num_classes, or pass fewer labels at a time, or raise the limit with keras.config.set_memory_limit(bytes)');
      }
    },
  };
  let limit = ready.memoryLimit;
  const keras = makeNamespace(ready.names, mode);
  keras.worker = true;
  keras.workers = workers;
  if (options.__testDoors) keras.__exitRuntime = (code) => ns(['__exitRuntime'])(code);
  /** terminate stops the worker; the models in it are gone and every pending or later call rejects. */
  keras.terminate = () => client.terminate();
  /** dispose is terminate under Keras-style naming: it frees the worker and its runtime. */
  keras.dispose = () => client.terminate('keras.dispose() was called');
  return keras;
}
