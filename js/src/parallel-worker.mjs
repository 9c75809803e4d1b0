// The worker side of data-parallel training (loadKeras({worker: true,
// workers: N}), js/src/parallel.mjs): one request per step of the
// coordinator on a model of this worker, through the runtime's parallel
// doors (wasm/parallel_js.go). A step's gradient goes back in a buffer the
// run keeps.

import { modelRuntime } from './model.mjs';
import { barrier, fail, slices } from './parallel-sync.mjs';

// runs holds each model's run: its gradient buffer, and with shared memory
// (the page sends SharedArrayBuffers at begin) the other replicas' buffers
// too, so no gradient travels in a message.
const runs = new WeakMap(); // model → {grads: Float32Array, replica, sets: Uint8Array[][] | null, parts, shared}

const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** parallelStep runs msg.step ('begin', 'share', 'compute', 'apply', 'step', 'epoch', 'validation', 'moving', 'setMoving', 'epochBegin', 'epochEnd', 'end') on model. */
export function parallelStep(model, msg) {
  const [rt, h] = modelRuntime(model);
  switch (msg.step) {
    case 'begin': {
      const size = rt.call('parallelBegin', h, rt.tensorIn(msg.x), rt.tensorIn(msg.y), rt.tensorIn(msg.sw ?? null), msg.batchSize, msg.replica);
      runs.set(model, { grads: new Float32Array(size), replica: msg.replica, sets: null, parts: null, shared: false });
      // The replica whose logs the page reports prints the progress, through this runtime's print.
      if (msg.verbose > 0) rt.call('parallelProgress', h, msg.verbose, msg.epochs, rt.print);
      return size;
    }
    case 'share': { // the page's SharedArrayBuffers: two sets of every replica's gradient
      // Two sets, used by batches in turn: while a replica still reads batch
      // b's parts, a faster one may already write batch b+1's (in the other set).
      const run = runs.get(model);
      const sets = msg.grads.map((set) => set.map((b) => new Uint8Array(b)));
      // What parallelApplyParts reads, per set: the others' buffers, null for
      // this replica's own part (still in the runtime).
      const parts = sets.map((set) => set.map((b, k) => (k === run.replica ? null : b)));
      Object.assign(run, { sets, parts, shared: true });
      return null;
    }
    case 'compute': {
      const run = runs.get(model);
      if (!run) throw new Error('fit: no data-parallel fit is running on this model (it ended, or never began)');
      const out = run.shared ? run.sets[msg.buf][run.replica] : bytes(run.grads);
      const [loss, state] = rt.call('parallelCompute', h, bytes(msg.idx), msg.batch, msg.reset, out);
      return { grads: run.shared ? null : run.grads, loss, state };
    }
    case 'apply': {
      const run = runs.get(model);
      // With shared memory the replicas' gradients are added in the runtime, in
      // replica order, by every replica at once: the page only says when.
      if (run?.shared) {
        // The first msg.parts replicas computed a slice (all of them but in a batch smaller than the workers).
        const all = run.parts[msg.buf];
        return rt.call('parallelApplyParts', h, msg.parts === all.length ? all : all.slice(0, msg.parts), msg.loss, msg.rows, msg.state);
      }
      return rt.call('parallelApply', h, bytes(msg.grads ?? new Float32Array(0)), msg.loss, msg.rows, msg.state);
    }
    case 'step': { // apply one batch, then compute this worker's slice of the next (one round trip a batch)
      const applied = parallelStep(model, { step: 'apply', ...msg.apply });
      return { applied, computed: msg.compute ? parallelStep(model, { step: 'compute', ...msg.compute }) : null };
    }
    case 'epoch': // the rest of an epoch, with the other workers and without the page
      return runEpoch(model, msg);
    case 'validation': // this replica validates at epoch ends
      return rt.call('parallelValidation', h, rt.tensorIn(msg.x), rt.tensorIn(msg.y), rt.tensorIn(msg.sw ?? null), msg.batchSize);
    case 'moving': { // the moving statistics (BatchNormalization's), or with msg.size only their length
      const n = rt.call('parallelMoving', h, null);
      if (msg.size) return n;
      const out = new Float32Array(n);
      if (n > 0) rt.call('parallelMoving', h, bytes(out));
      return out;
    }
    case 'setMoving':
      return rt.call('parallelSetMoving', h, bytes(msg.data));
    case 'epochBegin':
      return rt.call('parallelEpochBegin', h, msg.epoch);
    case 'epochEnd': // the epoch's logs, with val_ ones when msg.validate
      return rt.call('parallelEpochEnd', h, msg.epoch, !!msg.validate);
    case 'end':
      runs.delete(model);
      rt.call('parallelEnd', h);
      return null;
    default:
      throw new Error(`worker: unknown parallel step ${msg.step}`);
  }
}

/**
 * runEpoch runs the rest of an epoch whose first batch the page had
 * computed: apply batch b, compute this worker's slice of batch b+1 into
 * the shared set (b+1) % 2 with its loss and metric state in msg.stats,
 * wait for the others (barrier), add their losses and states in replica
 * order as the page would (parallel.mjs reduce), and apply again. Two sets
 * let a fast worker write batch b+1 while a slow one still reads batch b; a
 * worker writes a set again only after every worker has passed the barrier
 * that follows its last read. The page takes part again at the epoch's end
 * (epochEnd: the logs).
 */
function runEpoch(model, msg) {
  const { order, batchSize, workers: n, replica: r, width } = msg;
  const ctl = new Int32Array(msg.ctl);
  const stats = new Float64Array(msg.stats);
  const steps = Math.ceil(order.length / batchSize);
  const batchIdx = (b) => order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
  const row = (set, k) => stats.subarray((set * n + k) * width, (set * n + k + 1) * width);
  let apply = msg.first;
  const state = new Array(width - 1); // the others' metric states, added; reused batch to batch
  try {
    for (let b = 0; ; b++) {
      parallelStep(model, { step: 'apply', ...apply, buf: b % 2 });
      if (b + 1 >= steps) break;
      const idx = batchIdx(b + 1);
      const parts = slices(idx, n);
      const set = (b + 1) % 2;
      if (r < parts.length) {
        const got = parallelStep(model, { step: 'compute', idx: parts[r], batch: idx.length, reset: r > 0, buf: set });
        if (got.state.length !== width - 1) throw new Error(`fit: metric state of ${got.state.length} values: expected ${width - 1}`);
        const mine = row(set, r);
        mine[0] = got.loss;
        mine.set(got.state, 1);
      }
      barrier(ctl, n);
      let loss = row(set, 0)[0];
      state.fill(0);
      for (let k = 1; k < parts.length; k++) {
        const theirs = row(set, k);
        loss += theirs[0];
        for (let j = 0; j < state.length; j++) state[j] += theirs[1 + j];
      }
      apply = { loss, rows: idx.length, state: r === 0 ? state : [], parts: parts.length };
    }
  } catch (e) {
    fail(ctl);
    throw e;
  }
  return null;
}
