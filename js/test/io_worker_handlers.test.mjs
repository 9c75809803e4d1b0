// TF.js IOHandler objects in worker mode (loadKeras({worker: true})): the
// handler runs on the page, the artifacts cross (src/io/worker_io.mjs).
// Checked with TF.js 4.22's own handlers (tf.io.withSaveHandler,
// tf.io.fromMemory; the pinned dev dependency of testdata/parity/gen): a
// model trained in the worker and saved through a handler loads in TF.js
// with the same predictions, loads back into the worker through
// tf.io.fromMemory and resumes with the uninterrupted History to the bit;
// save_weights / load_weights through handlers, with 1 and 2 workers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { loadKeras } from '../keras.mjs';

const genDir = new URL('../../testdata/parity/gen/package.json', import.meta.url);
let tfjs = null;
try {
  tfjs = await import(pathToFileURL(createRequire(genDir).resolve('@tensorflow/tfjs')).href);
  await tfjs.setBackend('cpu');
} catch (e) {
  if (process.env.CI === 'true') throw new Error(`@tensorflow/tfjs is not installed under testdata/parity/gen (make installs it with npm ci): ${e.message}`);
}
const skip = tfjs ? false : '@tensorflow/tfjs not installed (cd testdata/parity/gen && npm ci)';

const N = 24;
const X = Float32Array.from({ length: N * 4 }, (_, i) => Math.sin(i * 0.37) + ((i * 7) % 5) / 5);
const Y = new Float32Array(N * 3);
for (let i = 0; i < N; i++) Y[i * 3 + (X[i * 4] + X[i * 4 + 1] > 0.6 ? 0 : X[i * 4 + 2] > 0.5 ? 1 : 2)] = 1;

async function model(k, seed = 11) {
  await k.utils.set_random_seed(seed);
  const m = k.Sequential([
    k.layers.Dense(6, { activation: 'relu', input_shape: [4] }),
    k.layers.Dense(3, { activation: 'softmax' }),
  ]);
  await m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const fit = (k, m, from, to) => m.fit(k.tensor(X, [N, 4]), k.tensor(Y, [N, 3]), { epochs: to, initial_epoch: from, batch_size: 6, shuffle: false, verbose: 0 });
const fit2 = (k, m, epochs) => m.fit(k.tensor(X, [N, 4]), k.tensor(Y, [N, 3]), { epochs, batch_size: 6, shuffle: false, verbose: 0 });
const predict = async (k, m) => Array.from((await m.predict(k.tensor(X, [N, 4]))).data);

/** saver is tf.io.withSaveHandler keeping the artifacts in box.artifacts. */
function saver(box) {
  return tfjs.io.withSaveHandler(async (a) => { box.artifacts = a; return { modelArtifactsInfo: tfjs.io.getModelArtifactsInfoForJSON(a) }; });
}

test('worker mode: model.save(tf.io.withSaveHandler) → TF.js predicts the same; load_model(tf.io.fromMemory) resumes to the bit', { skip }, async (t) => {
  const k = await loadKeras({ worker: true });
  t.after(() => k.terminate());
  const whole = await model(k);
  const hw = await fit(k, whole, 0, 4);
  const first = await model(k);
  const h1 = await fit(k, first, 0, 2);
  const box = {};
  const r = await first.save(saver(box));
  assert.equal(r.modelArtifactsInfo.modelTopologyType, 'JSON', 'the handler\'s SaveResult comes back');
  assert.equal(box.artifacts.format, 'layers-model');
  assert.ok(box.artifacts.weightData.byteLength > 0);

  const theirs = await tfjs.loadLayersModel(tfjs.io.fromMemory(box.artifacts));
  const tp = Array.from(theirs.predict(tfjs.tensor(X, [N, 4])).dataSync());
  const ours = await predict(k, first);
  tp.forEach((v, i) => assert.ok(Math.abs(v - ours[i]) <= 1e-6, `prediction ${i}: TF.js ${v}, ours ${ours[i]}`));

  const resumed = await k.models.load_model(tfjs.io.fromMemory(box.artifacts));
  assert.deepEqual(await predict(k, resumed), ours);
  const h2 = await fit(k, resumed, 2, 4);
  for (const key of ['loss', 'accuracy']) {
    assert.deepEqual([...h1.history[key], ...h2.history[key]], hw.history[key], key);
  }
  // A handler that loads a model TF.js made and trained.
  const tm = tfjs.sequential({ layers: [tfjs.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })] });
  tm.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await tm.fit(tfjs.tensor(X, [N, 4]), tfjs.tensor(Y, [N, 3]), { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
  const tbox = {};
  await tm.save(saver(tbox));
  const fromTF = await k.models.load_model(tfjs.io.fromMemory(tbox.artifacts));
  const want = Array.from(tm.predict(tfjs.tensor(X, [N, 4])).dataSync());
  (await predict(k, fromTF)).forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-6, `TF.js model, prediction ${i}`));
});

test('worker mode: save_weights / load_weights through handlers, and errors as on the main thread', { skip }, async (t) => {
  const k = await loadKeras({ worker: true });
  t.after(() => k.terminate());
  const a = await model(k, 1);
  await fit(k, a, 0, 1);
  const box = {};
  await a.save_weights(saver(box));
  assert.equal(box.artifacts.modelTopology, undefined, 'weights only');
  const b = await model(k, 2);
  assert.notDeepEqual(await predict(k, b), await predict(k, a));
  await b.load_weights(tfjs.io.fromMemory(box.artifacts));
  assert.deepEqual(await predict(k, b), await predict(k, a));
  await b.loadWeights({ load: async () => box.artifacts }); // the alias, a plain handler object

  await assert.rejects(a.save({ nosave: 1 }), (e) => e instanceof TypeError && /^save: the IOHandler given has no save\(\) method/.test(e.message));
  await assert.rejects(k.models.load_model({ load: async () => null }), (e) => e.name === 'ValueError' && /^load_model: the IOHandler's load\(\) gave null/.test(e.message));
  await assert.rejects(a.save(saver({}), { save_format: 'tf' }), (e) => e.name === 'NotImplementedError' && /save_format="tf"/.test(e.message));
  const short = { ...box.artifacts, weightData: box.artifacts.weightData.slice(0, 8) };
  await assert.rejects(b.load_weights({ load: async () => short }), (e) => e.name === 'ValueError' && /^load_weights: /.test(e.message));
  assert.deepEqual(await predict(k, b), await predict(k, a), 'a refused load leaves the weights');
  await assert.rejects(a.save(saver({}), { bogus: 1 }), (e) => e instanceof TypeError && /unknown option bogus/.test(e.message));
});

// With 2 workers a model loaded through a handler is made in both (a
// replica missing in one would fail the fit) and trains as with one worker.
test('workers: 2: load_model and load_weights through a handler, then fit as one worker (1e-4)', { skip }, async (t) => {
  const one = await loadKeras({ worker: true });
  const two = await loadKeras({ worker: true, workers: 2 });
  t.after(() => { one.terminate(); two.terminate(); });
  const src = await model(one, 5);
  await fit(one, src, 0, 1);
  const box = {};
  await src.save(saver(box));
  const a = await one.models.load_model(tfjs.io.fromMemory(box.artifacts));
  const b = await two.models.load_model(tfjs.io.fromMemory(box.artifacts));
  const c = await model(two, 9);
  await c.load_weights(tfjs.io.fromMemory(box.artifacts));
  const ha = await fit2(one, a, 2);
  const hb = await fit2(two, b, 2);
  const hc = await fit2(two, c, 2);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(ha.history.loss[i] - hb.history.loss[i]) < 1e-4, `load_model: epoch ${i}: ${ha.history.loss[i]} vs ${hb.history.loss[i]}`);
  }
  // c has the weights but a fresh Adam (load_weights leaves the optimizer), as one worker's would.
  const d = await model(one, 9);
  await d.load_weights(tfjs.io.fromMemory(box.artifacts));
  const hd = await fit2(one, d, 2);
  for (let i = 0; i < 2; i++) {
    assert.ok(Math.abs(hd.history.loss[i] - hc.history.loss[i]) < 1e-4, `load_weights: epoch ${i}: ${hd.history.loss[i]} vs ${hc.history.loss[i]}`);
  }
});
