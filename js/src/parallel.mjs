// Data-parallel training across Web Workers: loadKeras({worker: true,
// workers: N}). Go's wasm target has no threads, so each core gets its own
// worker and runtime, and every model exists N times, one replica per
// worker. FanClient routes the model's requests: what changes a model
// (making it, add, compile, set_weights ...) goes to every worker, the rest
// (predict, evaluate, get_weights ...) to worker 0. fit runs here, on the
// page: each batch is cut in N slices, every worker computes its slice's
// gradient (weighted by slice/batch, wasm/parallel.go), the page adds them
// and sends the sum to every worker, which applies it with its optimizer.
// The replicas stay identical, and equal one worker's fit on the whole
// batches up to the order of float32 summation.
//
// Porting note: Keras 2's fit(workers=...) fed batches from several data
// loader processes; here `workers` is a load option and splits the
// gradient computation, as tf.distribute.MirroredStrategy does with
// replicas.

import { OP } from './wire.mjs';
import { isNode } from './env.mjs';
import { parseCall, MODEL_API } from './api.mjs';
import { toData } from './tensor.mjs';
import { History, normalizeCallbacks, callHook, setModel } from './callbacks.mjs';
import { NotImplementedError, ValueError } from './errors.mjs';

// BROADCAST are the methods that change a model: every replica runs them.
const BROADCAST = new Set(['add', 'pop', 'compile', 'build', 'set_weights', 'load_weights', 'reset_states', 'dispose', 'train_on_batch']);
// NS_BROADCAST are namespace functions whose effect every runtime needs.
const NS_BROADCAST = new Set(['set_random_seed', 'set_memory_limit']);

/** FanClient looks like one worker's Client (remote.mjs) over N of them. */
export class FanClient {
  constructor(clients) {
    this.clients = clients;
    this.print = clients[0].print;
  }

  get nextObject() { return this.clients[0].nextObject; }
  set nextObject(v) { for (const c of this.clients) c.nextObject = v; }
  get dead() { return this.clients.find((c) => c.dead)?.dead ?? null; }

  /** everyone says whether a request goes to all workers. */
  static everyone(msg) {
    if (msg.op === OP.new || msg.op === OP.drop || msg.op === OP.set) return true;
    if (msg.op === OP.call) return BROADCAST.has(msg.method);
    if (msg.op === OP.ns) return NS_BROADCAST.has(msg.path.at(-1));
    if (msg.op === OP.door) return msg.door.startsWith('load'); // weights or state loaded into every replica
    return false;
  }

  /** request sends msg to worker 0, or to all (resolving with worker 0's reply once all replied). */
  request(msg) {
    if (!FanClient.everyone(msg)) return this.clients[0].request(msg);
    return Promise.all(this.clients.map((c) => c.request(msg))).then((rs) => rs[0]);
  }

  /** to sends msg to worker i. */
  to(i, msg) { return this.clients[i].request(msg); }

  post(msg) { for (const c of this.clients) c.post(msg); }
  encode(args, group) { return this.clients[0].encode(args, group); }
  release(group) { return this.clients[0].release(group); }
  terminate(why) { for (const c of this.clients) c.terminate(why); }
}

// The fit options the parallel loop takes; any other given is refused.
const TAKEN = new Set(['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'shuffle', 'sample_weight']);

/**
 * parallelModelClass derives the N-worker model from RemoteModel: the same
 * proxy, with fit run by the page (link(obj) gives {client, target, created}).
 */
export function parallelModelClass(RemoteModel, link) {
  class ParallelModel extends RemoteModel {
    #stop = false;
    get stop_training() { return this.#stop; }
    set stop_training(v) { this.#stop = !!v; }
    get stopTraining() { return this.#stop; }
    set stopTraining(v) { this.#stop = !!v; }

    fit(...args) {
      return new Promise((resolve) => resolve(parallelFit(this, link(this), parseCall(MODEL_API, 'fit', args)[0])));
    }
  }
  return ParallelModel;
}

/** checkOptions refuses what the parallel fit does not build, with NotImplementedError. */
function checkOptions(cfg) {
  for (const [k, v] of Object.entries(cfg)) {
    if (v === undefined || TAKEN.has(k)) continue;
    throw new NotImplementedError(`fit: ${k} is not implemented with workers > 1 (loadKeras({worker: true, workers: N})); ` +
      'leave it out, or load with workers: 1');
  }
  if ((cfg.verbose ?? 'auto') !== 0) {
    throw new NotImplementedError('fit: progress output (verbose 1 or 2, Keras\'s default "auto") is not implemented with workers > 1; ' +
      'pass verbose: 0 and log from a callback, or load with workers: 1');
  }
}

/** slices cuts idx (one batch) into at most n non-empty, nearly equal parts. */
function slices(idx, n) {
  const k = Math.min(n, idx.length);
  const out = [];
  for (let i = 0; i < k; i++) out.push(idx.subarray(Math.floor((i * idx.length) / k), Math.floor(((i + 1) * idx.length) / k)));
  return out;
}

/** toShared copies a tensor's values into a SharedArrayBuffer ({data, shape}; null stays null). */
function toShared(t) {
  if (t === null) return null;
  const data = new Float32Array(new SharedArrayBuffer(t.data.byteLength));
  data.set(t.data);
  return { data, shape: t.shape };
}

/** order is the samples' order for one epoch: shuffled (Fisher–Yates) or not. */
function order(n, shuffle) {
  const o = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      const t = o[i]; o[i] = o[j]; o[j] = t;
    }
  }
  return o;
}

/**
 * reduce adds the workers' slice results: gradients (in the shared buffers
 * when there are, into shared.sum), losses and (workers 1…) metric states.
 */
function reduce(got, shared) {
  const grads = got.map((r, i) => r.grads ?? shared.grads[i]);
  const sum = shared ? shared.sum : grads[0];
  if (shared) sum.set(grads[0]);
  let loss = got[0].loss;
  const state = got.length > 1 ? new Array(got[1].state.length).fill(0) : [];
  for (let i = 1; i < got.length; i++) {
    const g = grads[i];
    for (let j = 0; j < sum.length; j++) sum[j] += g[j];
    loss += got[i].loss;
    got[i].state.forEach((v, j) => { state[j] += v; });
  }
  return { sum, loss, state };
}

async function parallelFit(model, { client, target, created }, cfg) {
  checkOptions(cfg);
  await created;
  const x = toData(cfg.x, 'fit: x');
  const y = toData(cfg.y, 'fit: y');
  const sw = cfg.sample_weight === undefined || cfg.sample_weight === null ? null : toData(cfg.sample_weight, 'fit: sample_weight');
  const epochs = cfg.epochs ?? 1;
  const n = x.shape[0];
  const batchSize = Math.min(cfg.batch_size ?? 32, n);
  if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`fit: epochs must be a non-negative integer; received ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`fit: batch_size must be a positive integer; received ${cfg.batch_size}`);
  const { items, js } = normalizeCallbacks(cfg.callbacks);
  if (items.some((it) => !('js' in it))) {
    throw new NotImplementedError('fit: keras.callbacks.* (Go callbacks) and LearningRateScheduler are not implemented with workers > 1; ' +
      'use JS callbacks (on_epoch_end ...), or load with workers: 1');
  }
  const workers = client.clients.length;
  const step = (i, s, extra) => client.to(i, { op: OP.parallel, target, via: [], step: s, ...extra });
  const all = (s, extra) => Promise.all(client.clients.map((_, i) => step(i, s, extra)));
  // The replicas start from worker 0's weights, whatever happened before.
  await model.set_weights(await model.get_weights());
  const history = new History();
  history.set_model(model);
  const steps = Math.ceil(n / batchSize);
  const params = { verbose: 0, epochs, steps, samples: n };
  const cbs = [...js.map((e) => ({ ...e })), { cb: history, hooks: { epoch_end: 'on_epoch_end', train_begin: 'on_train_begin' } }];
  for (const e of js) setModel(e.cb, model);
  for (const e of cbs) e.cb.set_params?.(params) ?? e.cb.setParams?.(params);
  const hook = async (h, stepNo, logs, batch) => { for (const e of cbs) await callHook(e, h, stepNo, logs, batch); };
  model.stop_training = false;
  let logs = {};
  let shared = null;
  try {
    // Shared memory where there is (Node; a cross-origin isolated page): the
    // workers write their gradients into it and read the sum from it.
    const sab = typeof SharedArrayBuffer === 'function' && (isNode || globalThis.crossOriginIsolated === true);
    // With shared memory the data is copied once for all the workers, not cloned into each.
    const data = sab ? [x, y, sw].map(toShared) : [x, y, sw];
    const [size] = await Promise.all(client.clients.map((_, i) => step(i, 'begin', { x: data[0], y: data[1], sw: data[2], batchSize, replica: i })));
    if (sab) {
      const mem = { grads: client.clients.map(() => new SharedArrayBuffer(4 * size)), sum: new SharedArrayBuffer(4 * size) };
      await Promise.all(client.clients.map((_, i) => step(i, 'share', { grads: mem.grads[i], sum: mem.sum })));
      shared = { grads: mem.grads.map((g) => new Float32Array(g)), sum: new Float32Array(mem.sum) };
    }
    await hook('train_begin', undefined, {});
    for (let epoch = 0; epoch < epochs && !model.stop_training; epoch++) {
      await all('reset');
      await hook('epoch_begin', epoch, {});
      const o = order(n, cfg.shuffle ?? true);
      const batchIdx = (b) => o.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const computeMsgs = (b) => {
        const idx = batchIdx(b);
        return slices(idx, workers).map((p, i) => ({ idx: p, batch: idx.length, reset: i > 0 }));
      };
      await hook('train_batch_begin', 0, {});
      let got = await Promise.all(computeMsgs(0).map((c, i) => step(i, 'compute', c)));
      for (let b = 0; b < steps; b++) {
        const rows = batchIdx(b).length;
        const { sum, loss, state } = reduce(got, shared);
        // Apply batch b everywhere and, within the epoch, compute batch b+1 in the same message.
        const next = b + 1 < steps && !model.stop_training ? computeMsgs(b + 1) : [];
        const replies = await Promise.all(client.clients.map((_, i) => step(i, 'step', {
          apply: { grads: shared ? null : sum, loss, rows, state: i === 0 ? state : [] }, compute: next[i] ?? null,
        })));
        logs = { ...replies[0].applied.logs };
        got = replies.map((r) => r.computed).filter((r) => r !== null);
        await hook('train_batch_end', b, logs);
        if (model.stop_training || next.length === 0) break;
        await hook('train_batch_begin', b + 1, {});
      }
      await hook('epoch_end', epoch, logs);
    }
    await hook('train_end', undefined, logs);
  } finally {
    await all('end').catch(() => {});
  }
  history.params = params;
  return history;
}
