// What the page's coordinator (parallel.mjs) and the workers
// (parallel-worker.mjs) of a data-parallel fit must agree on: how a batch
// is cut into slices, and, when they share memory, how the workers wait for
// each other without the page.

/** slices cuts idx (one batch) into at most n non-empty, nearly equal parts. */
export function slices(idx, n) {
  const k = Math.min(n, idx.length);
  const out = [];
  for (let i = 0; i < k; i++) out.push(idx.subarray(Math.floor((i * idx.length) / k), Math.floor(((i + 1) * idx.length) / k)));
  return out;
}

// The control block of an epoch run by the workers alone (an Int32Array over
// a SharedArrayBuffer): how many have arrived at the barrier, its
// generation, and whether a worker failed.
const ARRIVED = 0;
const GENERATION = 1;
const FAILED = 2;
export const CONTROL_INTS = 3;

/** ReplicaFailed is what the other workers throw when one of them failed (its own error says why). */
export const REPLICA_FAILED = 'fit: another worker of this data-parallel fit failed';

/**
 * barrier returns when all n workers have called it (the last one to
 * arrive wakes the others), or throws when one of them failed (fail).
 * Atomics.wait blocks, which a worker may do and a page may not.
 */
export function barrier(ctl, n) {
  const gen = Atomics.load(ctl, GENERATION);
  if (Atomics.load(ctl, FAILED) !== 0) throw new Error(REPLICA_FAILED);
  if (Atomics.add(ctl, ARRIVED, 1) === n - 1) {
    Atomics.store(ctl, ARRIVED, 0);
    Atomics.add(ctl, GENERATION, 1);
    Atomics.notify(ctl, GENERATION);
    return;
  }
  while (Atomics.load(ctl, GENERATION) === gen) Atomics.wait(ctl, GENERATION, gen);
  if (Atomics.load(ctl, FAILED) !== 0) throw new Error(REPLICA_FAILED);
}

/** fail marks the run failed and wakes every waiting worker, which then throws REPLICA_FAILED. */
export function fail(ctl) {
  Atomics.store(ctl, FAILED, 1);
  Atomics.add(ctl, GENERATION, 1);
  Atomics.notify(ctl, GENERATION);
}
