// Data-parallel training in the demo's page (make browsertest): the demo
// server's COOP/COEP headers make the page cross-origin isolated, so a
// fit with loadKeras({worker: true, workers: 2}) shares its gradients in
// SharedArrayBuffers (js/src/parallel.mjs), and its History equals the
// same fit with one worker within the package's parallel tolerance.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MINUTE, openDemo, skip } from './harness.mjs';

let demo = null;
before(async () => {
  if (skip) return;
  demo = await openDemo();
  await demo.page.goto(`${demo.origin}/`);
  await demo.page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 5 * MINUTE });
});
after(async () => { await demo?.close(); });

// TOL bounds |2 workers − 1 worker| after 3 epochs: float32 sums of 32 rows against two sums of 16.
const TOL = 1e-4;

test('the demo page is cross-origin isolated, and two workers train as one there', { skip, timeout: 5 * MINUTE }, async (t) => {
  const got = await demo.page.evaluate(async () => {
    const { loadKeras } = await import('/keraswasm/keras.mjs');
    let s = 7;
    const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
    const x = Float32Array.from({ length: 256 * 20 }, r);
    const y = Float32Array.from({ length: 256 * 4 }, (_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 1 : 0));
    // fit trains a fresh model with `workers` workers from the given initial weights (or its own).
    const fit = async (workers, initial) => {
      const keras = await loadKeras({ worker: true, workers });
      try {
        const m = keras.Sequential([keras.layers.Dense(32, { activation: 'relu', input_shape: [20] }), keras.layers.Dense(4, { activation: 'softmax' })]);
        await m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
        if (initial) await m.set_weights(initial.map((w) => keras.tensor(Float32Array.from(w.data), w.shape)));
        const start = (await m.get_weights()).map((w) => ({ data: Array.from(w.data), shape: w.shape }));
        const h = await m.fit(keras.tensor(x, [256, 20]), keras.tensor(y, [256, 4]), { epochs: 3, batch_size: 32, shuffle: false, verbose: 0 });
        const end = (await m.get_weights()).map((w) => Array.from(w.data));
        return { start, history: h.history, end };
      } finally {
        keras.terminate();
      }
    };
    const one = await fit(1);
    const two = await fit(2, one.start);
    return { isolated: globalThis.crossOriginIsolated, one, two };
  });
  assert.equal(got.isolated, true, 'COOP + COEP: crossOriginIsolated, so SharedArrayBuffer is there');
  for (const k of Object.keys(got.one.history)) {
    got.one.history[k].forEach((v, i) => assert.ok(Math.abs(got.two.history[k][i] - v) <= TOL, `${k}[${i}]: ${got.two.history[k][i]} vs ${v}`));
  }
  got.one.end.forEach((w, i) => w.forEach((v, j) => assert.ok(Math.abs(got.two.end[i][j] - v) <= TOL, `weight ${i}[${j}]`)));
  t.diagnostic(`loss, 1 worker: ${got.one.history.loss.map((v) => v.toFixed(5)).join(', ')}; 2 workers: ${got.two.history.loss.map((v) => v.toFixed(5)).join(', ')}`);
  demo.noTrouble();
});
