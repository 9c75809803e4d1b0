// loadKeras({simd: 'relaxed'}) in headless Chromium (make browsertest), on the demo server's copy
// of the package: where WebAssembly.validate accepts relaxed SIMD (Chromium from 114), a model
// trains with it on the page and in a worker, to the same bits in both, within 1e-5 of the default
// kernels' losses (how many weights' bits differ from the default's is printed); where it does not,
// both are refused with a NotImplementedError. The kernels themselves are compared in
// js/test/relaxed.test.mjs.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MINUTE, openDemo, skip } from './harness.mjs';

let demo = null;
before(async () => {
  if (skip) return;
  demo = await openDemo();
  await demo.page.goto(`${demo.origin}/`);
});
after(async () => { await demo?.close(); });

test('simd relaxed in Chromium: trains on the page and in a worker, within tolerance of the default', { skip, timeout: 5 * MINUTE }, async (t) => {
  const out = await demo.page.evaluate(async () => {
    const { loadKeras } = await import('/keraswasm/keras.mjs');
    const { relaxedSimdSupported } = await import('/keraswasm/simd.mjs');
    const train = async (k) => {
      k.utils.set_random_seed(3);
      const m = k.Sequential([k.layers.Dense(24, { activation: 'relu', input_shape: [12] }), k.layers.Dense(3, { activation: 'softmax' })]);
      m.compile({ optimizer: k.optimizers.SGD({ learning_rate: 0.05, momentum: 0.9, nesterov: true }), loss: 'categorical_crossentropy' });
      const x = k.tensor(Float32Array.from({ length: 96 * 12 }, (_, i) => Math.sin(i * 0.37)), [96, 12]);
      const y = k.utils.to_categorical(Array.from({ length: 96 }, (_, i) => i % 3), 3);
      const h = await m.fit(x, await y, { epochs: 4, batch_size: 16, shuffle: false, verbose: 0 });
      return { loss: h.history.loss, w: (await m.get_weights()).map((v) => Array.from(v.data)) };
    };
    const refused = (p) => p.then(() => null, (e) => `${e.name}: ${e.message}`);
    const supported = relaxedSimdSupported();
    const def = await train(await loadKeras());
    if (!supported) return { supported, def, main: await refused(loadKeras({ simd: 'relaxed' })), worker: await refused(loadKeras({ simd: 'relaxed', worker: true })) };
    const main = await train(await loadKeras({ simd: 'relaxed' }));
    const wk = await loadKeras({ simd: 'relaxed', worker: true });
    const worker = await train(wk);
    wk.terminate();
    return { supported, def, main, worker };
  });
  t.diagnostic(`relaxed SIMD ${out.supported ? 'supported' : 'not supported'}; default losses ${out.def.loss.map((l) => l.toFixed(7))}`);
  if (!out.supported) {
    for (const e of [out.main, out.worker]) assert.match(e ?? 'not refused', /^NotImplementedError: loadKeras: simd: 'relaxed' needs WebAssembly relaxed SIMD/);
    return;
  }
  assert.deepEqual(out.worker, out.main, 'the worker trains with relaxed SIMD to the page\'s bits');
  out.def.loss.forEach((l, i) => assert.ok(Math.abs(out.main.loss[i] - l) <= 1e-5 * Math.abs(l), `epoch ${i}: relaxed ${out.main.loss[i]}, default ${l}`));
  t.diagnostic(`relaxed losses ${out.main.loss.map((l) => l.toFixed(7))}; ${out.main.w.flat().filter((v, i) => v !== out.def.w.flat()[i]).length} weights differ in their bits`);
  demo.noTrouble();
});
