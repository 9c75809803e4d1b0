// The workers' barrier of a data-parallel epoch (src/parallel-sync.mjs), in
// real threads: nobody passes before everyone arrived, a barrier can be
// passed again and again, and a worker that fails wakes the others, which
// throw instead of waiting for ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { CONTROL_INTS, REPLICA_FAILED, slices } from '../src/parallel-sync.mjs';

const SYNC = new URL('../src/parallel-sync.mjs', import.meta.url).href;

/**
 * run starts n threads on one control block; each runs rounds barriers,
 * adding its number to a shared log before each, and thread `failing` (if
 * any) fails at round `at`. It resolves with each thread's outcome.
 */
function run(n, rounds, failing = -1, at = 0) {
  const ctl = new SharedArrayBuffer(4 * CONTROL_INTS);
  const log = new Int32Array(new SharedArrayBuffer(4 * (1 + n * rounds)));
  const src = `
    const { workerData: w, parentPort } = require('node:worker_threads');
    import(w.sync).then(({ barrier, fail }) => {
      const ctl = new Int32Array(w.ctl);
      const log = w.log;
      try {
        for (let r = 0; r < w.rounds; r++) {
          if (w.me === w.failing && r === w.at) { fail(ctl); throw new Error('my own failure'); }
          // Before the barrier of round r, every slot of earlier rounds is written.
          for (let k = 0; k < r * w.n; k++) if (log[1 + k] === 0) throw new Error('passed a barrier early');
          log[1 + r * w.n + w.me] = 1;
          barrier(ctl, w.n);
        }
        parentPort.postMessage('done');
      } catch (e) { parentPort.postMessage(e.message); }
    });`;
  return Promise.all(Array.from({ length: n }, (_, me) => new Promise((resolve, reject) => {
    const t = new Worker(src, { eval: true, workerData: { sync: SYNC, ctl, log, n, rounds, me, failing, at } });
    t.once('message', (m) => { resolve(m); t.terminate(); });
    t.once('error', reject);
  })));
}

test('a barrier holds every worker until all have arrived, round after round', { timeout: 30000 }, async () => {
  assert.deepEqual(await run(3, 200), ['done', 'done', 'done']);
});

test('a worker that fails wakes the others, which throw REPLICA_FAILED instead of waiting', { timeout: 30000 }, async () => {
  const got = await run(3, 50, 1, 7);
  assert.equal(got[1], 'my own failure');
  assert.deepEqual([got[0], got[2]], [REPLICA_FAILED, REPLICA_FAILED]);
});

test('slices cuts a batch into at most n nearly equal parts, in order', () => {
  const idx = Int32Array.from({ length: 7 }, (_, i) => i);
  assert.deepEqual(slices(idx, 3).map((s) => Array.from(s)), [[0, 1], [2, 3], [4, 5, 6]]);
  assert.deepEqual(slices(idx.subarray(0, 1), 2).map((s) => Array.from(s)), [[0]]);
});
