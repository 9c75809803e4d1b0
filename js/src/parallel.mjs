// Data-parallel training across Web Workers: loadKeras({worker: true,
// workers: N}). Go's wasm target has no threads, so each core gets its own
// worker and runtime, and every model exists N times, one replica per
// worker. FanClient routes the model's requests: what changes a model
// (making it, add, compile, set_weights ...) goes to every worker, the rest
// (predict, evaluate, get_weights ...) to worker 0. fit runs here, on the
// page: each batch is cut in N slices, every worker computes its slice's
// gradient (weighted by slice/batch, wasm/parallel.go), and every worker
// applies their sum with its optimizer. With shared memory (Node; a
// cross-origin isolated page) the gradients stay in SharedArrayBuffers and
// every worker adds them itself, in replica order, so the page's part of a
// step is a message; otherwise the page adds them and sends the sum.
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
import { toData, describe } from './tensor.mjs';
import { History, normalizeCallbacks, callHook, setModel } from './callbacks.mjs';
import { NotImplementedError, ValueError } from './errors.mjs';
import { slices, CONTROL_INTS, REPLICA_FAILED } from './parallel-sync.mjs';

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
const TAKEN = new Set(['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'shuffle', 'sample_weight',
  'validation_data', 'validation_split', 'validation_batch_size', 'validation_freq']);

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
}

/** rows is samples [a, b) of a {data, shape} tensor (null stays null). */
function rows(t, a, b) {
  if (t === null) return null;
  const w = t.shape.slice(1).reduce((p, d) => p * d, 1);
  return { data: t.data.subarray(a * w, b * w), shape: [b - a, ...t.shape.slice(1)] };
}

/**
 * validation reads fit's validation_data, or cuts validation_split off the
 * training data as Keras does (its last samples, before any shuffling):
 * it returns {train: [x, y, sw], val: {x, y, sw} | null}.
 */
function validation(cfg, x, y, sw) {
  const vd = cfg.validation_data;
  if (vd !== undefined && vd !== null) {
    if (!Array.isArray(vd) || vd.length < 2 || vd.length > 3) {
      throw new TypeError(`fit: validation_data must be [x_val, y_val] or [x_val, y_val, val_sample_weight]; received ${describe(vd)}`);
    }
    const vw = vd.length === 3 && vd[2] !== null && vd[2] !== undefined ? toData(vd[2], 'fit: validation_data[2]') : null;
    return { train: [x, y, sw], val: { x: toData(vd[0], 'fit: validation_data[0]'), y: toData(vd[1], 'fit: validation_data[1]'), sw: vw } };
  }
  const split = cfg.validation_split ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ValueError(`fit: validation_split must be a number in [0, 1), the fraction of the data (its last samples) held out for validation; received ${describe(split)}`);
  }
  if (split === 0) return { train: [x, y, sw], val: null };
  const n = x.shape[0];
  const at = Math.floor(n * (1 - split)); // Keras: split_at = floor(n · (1 − validation_split))
  if (at === 0 || at === n) {
    throw new ValueError(`fit: training data contains ${n} samples, which is not sufficient to split it into a validation and training set as specified by validation_split=${split}. ` +
      'Either provide more data, or a different value for the validation_split argument');
  }
  return { train: [rows(x, 0, at), rows(y, 0, at), rows(sw, 0, at)], val: { x: rows(x, at, n), y: rows(y, at, n), sw: rows(sw, at, n) } };
}

function checkFreq(freq) {
  if (!Number.isInteger(freq) || freq < 1) throw new ValueError(`fit: invalid argument validation_freq: expected a positive integer. Received: validation_freq=${describe(freq)}`);
  return freq;
}

/** verbosity reads fit's verbose: 0, 1, 2 or "auto" (Keras's default, 1 in fit). */
function verbosity(v) {
  if (v === undefined || v === null || v === 'auto') return 1;
  if (v === 0 || v === 1 || v === 2 || v === false || v === true) return Number(v);
  throw new ValueError(`fit: verbose must be 0 (silent), 1 (progress bar), 2 (one line per epoch) or "auto"; received ${JSON.stringify(v)}`);
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
 * reduce adds the workers' slice results: losses, (workers 1…) metric
 * states and, without shared memory, the gradients (into worker 0's, which
 * then goes to every worker). With shared memory every worker adds the
 * gradients itself (parallel-worker.mjs), in parallel, and sum is null.
 */
function reduce(got, shared) {
  const sum = shared ? null : got[0].grads;
  let loss = got[0].loss;
  const state = got.length > 1 ? new Array(got[1].state.length).fill(0) : [];
  for (let i = 1; i < got.length; i++) {
    if (!shared) {
      const g = got[i].grads;
      for (let j = 0; j < sum.length; j++) sum[j] += g[j];
    }
    loss += got[i].loss;
    got[i].state.forEach((v, j) => { state[j] += v; });
  }
  return { sum, loss, state };
}

async function parallelFit(model, { client, target, created }, cfg) {
  checkOptions(cfg);
  await created;
  const given = [toData(cfg.x, 'fit: x'), toData(cfg.y, 'fit: y'),
    cfg.sample_weight === undefined || cfg.sample_weight === null ? null : toData(cfg.sample_weight, 'fit: sample_weight')];
  const { train: [x, y, sw], val } = validation(cfg, ...given);
  const freq = checkFreq(cfg.validation_freq ?? 1);
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
  const params = { verbose: verbosity(cfg.verbose), epochs, steps, samples: n };
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
    const verbose = verbosity(cfg.verbose);
    const [size] = await Promise.all(client.clients.map((_, i) => step(i, 'begin', {
      x: data[0], y: data[1], sw: data[2], batchSize, replica: i, verbose: i === 0 ? verbose : 0, epochs,
    })));
    // BatchNormalization's moving statistics are each replica's own (its
    // slices'); their mean is what Keras's MirroredStrategy reads, and the
    // moving update is linear, so averaging them at each epoch's end (before
    // validating) changes nothing later reads would give.
    const moving = await step(0, 'moving', { size: true });
    const syncMoving = async () => {
      if (moving === 0) return;
      const all = await Promise.all(client.clients.map((_, i) => step(i, 'moving', {})));
      const mean = new Float32Array(moving);
      for (let j = 0; j < moving; j++) {
        let s = 0;
        for (const m of all) s += m[j]; // in float64, replica order: the same values give themselves back
        mean[j] = s / all.length;
      }
      await Promise.all(client.clients.map((_, i) => step(i, 'setMoving', { data: mean })));
    };
    if (val) { // worker 0 validates: the replicas' weights are the same
      await step(0, 'validation', { ...val, batchSize: cfg.validation_batch_size ?? 0 });
    }
    if (sab) {
      const grads = [0, 1].map(() => client.clients.map(() => new SharedArrayBuffer(4 * size)));
      await Promise.all(client.clients.map((_, i) => step(i, 'share', { grads })));
      shared = true;
    }
    // With shared memory and no batch-level JS hooks, the page has nothing
    // to do between batches: the workers wait for each other (Atomics), not
    // for a message from here, which removes a round trip per batch.
    const alone = shared && !js.some((e) => Object.keys(e.hooks).some((h) => h.includes('batch') || h === 'yield'));
    const sync = alone ? { ctl: new SharedArrayBuffer(4 * CONTROL_INTS), stats: null } : null;
    await hook('train_begin', undefined, {});
    for (let epoch = 0; epoch < epochs && !model.stop_training; epoch++) {
      await all('epochBegin', { epoch });
      await hook('epoch_begin', epoch, {});
      const o = order(n, cfg.shuffle ?? true);
      const batchIdx = (b) => o.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const computeMsgs = (b) => {
        const idx = batchIdx(b);
        return slices(idx, workers).map((p, i) => ({ idx: p, batch: idx.length, reset: i > 0, buf: b % 2 }));
      };
      await hook('train_batch_begin', 0, {});
      let got = await Promise.all(computeMsgs(0).map((c, i) => step(i, 'compute', c)));
      if (alone && got.length === workers) {
        // The workers run the rest of the epoch by themselves (parallel-worker.mjs runEpoch).
        const { loss, state } = reduce(got, shared);
        const width = 1 + (got[1]?.state.length ?? 0);
        sync.stats ??= new SharedArrayBuffer(8 * 2 * workers * width);
        await settle(client.clients.map((_, i) => step(i, 'epoch', {
          order: o, batchSize, workers, replica: i, width, ctl: sync.ctl, stats: sync.stats,
          first: { grads: null, loss, rows: batchIdx(0).length, state: i === 0 ? state : [], parts: got.length },
        })));
        await syncMoving();
        logs = { ...await step(0, 'epochEnd', { epoch, validate: (epoch + 1) % freq === 0 }) };
        await hook('epoch_end', epoch, logs);
        continue;
      }
      for (let b = 0; b < steps; b++) {
        const rows = batchIdx(b).length;
        const { sum, loss, state } = reduce(got, shared);
        // Apply batch b everywhere and, within the epoch, compute batch b+1 in the same message.
        const next = b + 1 < steps && !model.stop_training ? computeMsgs(b + 1) : [];
        const replies = await Promise.all(client.clients.map((_, i) => step(i, 'step', {
          apply: { grads: sum, loss, rows, state: i === 0 ? state : [], buf: b % 2, parts: got.length }, compute: next[i] ?? null,
        })));
        logs = { ...replies[0].applied.logs };
        got = replies.map((r) => r.computed).filter((r) => r !== null);
        await hook('train_batch_end', b, logs);
        if (model.stop_training || next.length === 0) break;
        await hook('train_batch_begin', b + 1, {});
      }
      await syncMoving();
      logs = { ...await step(0, 'epochEnd', { epoch, validate: (epoch + 1) % freq === 0 }) };
      await hook('epoch_end', epoch, logs);
    }
    await hook('train_end', undefined, logs);
  } finally {
    await all('end').catch(() => {});
  }
  history.params = params;
  return history;
}

/**
 * settle waits for every worker's reply, and rejects with the first real
 * error: a worker that fails wakes the others, which then fail with
 * REPLICA_FAILED, possibly before the first one's error arrives here.
 */
async function settle(promises) {
  const rs = await Promise.allSettled(promises);
  const bad = rs.filter((r) => r.status === 'rejected').map((r) => r.reason);
  if (bad.length > 0) throw bad.find((e) => !String(e?.message).startsWith(REPLICA_FAILED)) ?? bad[0];
  return rs.map((r) => r.value);
}
