// Models leave and come back as TF.js's Layers format and Keras 3 files,
// checked against @tensorflow/tfjs 4.22 (the pinned dev dependency of
// testdata/parity/gen): a model trained here loads in TF.js with the same
// predictions, a model trained in TF.js loads here and trains on, save →
// load → save gives the same bytes, and a run resumed from a file with its
// optimizer gives the History of the uninterrupted run to the bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { mkdtemp, readdir, readFile, writeFile, stat, truncate, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras as loadOurs } from './helpers.mjs';
import { loadKeras } from '../keras.mjs';
import { useBrowserHandlers } from '../src/io/router.mjs';

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

async function ourModel(k, optimizer = 'adam') {
  k.utils.set_random_seed(11);
  const m = k.Sequential([
    k.layers.Dense(6, { activation: 'relu', input_shape: [4] }),
    k.layers.BatchNormalization(),
    k.layers.Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const xs = (k) => k.tensor(X, [N, 4]);
const ys = (k) => k.tensor(Y, [N, 3]);
const ourPredict = async (m, k) => Array.from((await m.predict(xs(k))).data);

/** capture is a TF.js-shaped save handler that keeps the artifacts. */
function capture() {
  const box = {};
  box.handler = { async save(a) { box.artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; } };
  return box;
}

test('a model trained here, saved through tf.io.withSaveHandler, predicts the same in TF.js (1e-6)', { skip }, async () => {
  const k = await loadOurs();
  const m = await ourModel(k);
  await m.fit(xs(k), ys(k), { epochs: 3, batch_size: 6, shuffle: false, verbose: 0 });
  let arts;
  const r = await m.save(tfjs.io.withSaveHandler(async (a) => { arts = a; return { modelArtifactsInfo: tfjs.io.getModelArtifactsInfoForJSON(a) }; }));
  assert.ok(r.modelArtifactsInfo.weightDataBytes > 0);
  assert.equal(arts.format, 'layers-model');
  assert.equal(arts.trainingConfig.optimizer_config.class_name, 'Adam');
  const theirs = await tfjs.loadLayersModel(tfjs.io.fromMemory(arts));
  const want = await ourPredict(m, k);
  const got = theirs.predict(tfjs.tensor2d(X, [N, 4])).dataSync();
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-6, `prediction ${i}: TF.js ${got[i]} vs ours ${want[i]}`);
  // TF.js compiled it from trainingConfig and took the Adam state: it trains on.
  assert.equal(theirs.optimizer.iterations, 12);
  const h = await theirs.fit(tfjs.tensor2d(X, [N, 4]), tfjs.tensor2d(Y, [N, 3]), { epochs: 1, batchSize: 6, verbose: 0 });
  assert.ok(Number.isFinite(h.history.loss[0]));
});

test('a model built and trained in TF.js, saved through a TF.js handler, loads here with its predictions and trains on', { skip }, async () => {
  const k = await loadOurs();
  const t = tfjs.sequential();
  t.add(tfjs.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }));
  t.add(tfjs.layers.batchNormalization());
  t.add(tfjs.layers.dense({ units: 3, activation: 'softmax' }));
  t.compile({ optimizer: tfjs.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await t.fit(tfjs.tensor2d(X, [N, 4]), tfjs.tensor2d(Y, [N, 3]), { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
  const box = capture();
  await t.save(box.handler, { includeOptimizer: true });
  const m = await k.models.load_model(tfjs.io.fromMemory(box.artifacts));
  const want = t.predict(tfjs.tensor2d(X, [N, 4])).dataSync();
  const got = await ourPredict(m, k);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-6, `prediction ${i}: ours ${got[i]} vs TF.js ${want[i]}`);
  assert.equal(m.optimizer.iterations, 6);
  assert.ok(Math.abs(m.optimizer.learning_rate - 0.01) < 1e-9);
  const h = await m.fit(xs(k), ys(k), { epochs: 2, batch_size: 8, verbose: 0 });
  assert.equal(h.history.loss.length, 2);
  assert.equal(m.optimizer.iterations, 12);
  // keras.tf's loadLayersModel takes the same artifacts.
  const tm = await k.tf.loadLayersModel(tfjs.io.fromMemory(box.artifacts));
  assert.deepEqual(Array.from(tm.predict(k.tf.tensor2d(Array.from(X), [N, 4])).dataSync()), got);
});

test('save → load → save gives the same artifacts and bytes; files under file:// give them too', async () => {
  const k = await loadOurs();
  const m = await ourModel(k, 'rmsprop');
  await m.fit(xs(k), ys(k), { epochs: 2, batch_size: 6, shuffle: false, verbose: 0 });
  const a = capture();
  await m.save(a.handler);
  const back = await k.models.load_model({ load: async () => a.artifacts });
  const b = capture();
  await back.save(b.handler);
  const { weightData: wa, ...ja } = a.artifacts;
  const { weightData: wb, ...jb } = b.artifacts;
  assert.deepEqual(jb, ja);
  assert.deepEqual(new Uint8Array(wb), new Uint8Array(wa));

  const dir = await mkdtemp(join(tmpdir(), 'kw-io-'));
  try {
    const r = await m.save(`file://${join(dir, 'm1')}`);
    assert.equal(r.modelArtifactsInfo.modelTopologyType, 'JSON');
    assert.deepEqual((await readdir(join(dir, 'm1'))).sort(), ['group1-shard1of1.bin', 'model.json']);
    const fromFile = await k.models.load_model(join(dir, 'm1', 'model.json'));
    await fromFile.save(join(dir, 'm2'));
    assert.deepEqual(await readFile(join(dir, 'm2', 'group1-shard1of1.bin')), await readFile(join(dir, 'm1', 'group1-shard1of1.bin')));
    assert.equal(await readFile(join(dir, 'm2', 'model.json'), 'utf8'), await readFile(join(dir, 'm1', 'model.json'), 'utf8'));
    assert.deepEqual(await ourPredict(fromFile, k), await ourPredict(m, k));
    if (tfjs) {
      // TF.js reads our model.json and shard as its own files (through a handler over the same bytes).
      const mj = JSON.parse(await readFile(join(dir, 'm1', 'model.json'), 'utf8'));
      const data = await readFile(join(dir, 'm1', 'group1-shard1of1.bin'));
      const theirs = await tfjs.loadLayersModel(tfjs.io.fromMemory({ ...mj, weightSpecs: mj.weightsManifest[0].weights, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.length) }));
      const got = theirs.predict(tfjs.tensor2d(X, [N, 4])).dataSync();
      const want = await ourPredict(m, k);
      for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-6, `prediction ${i}`);
      assert.equal(theirs.optimizer.getClassName(), 'RMSProp', 'our RMSprop reaches TF.js as its RMSProp');
    }
    // .keras and .weights.h5 by their extensions.
    await m.save(join(dir, 'm.keras'));
    const fromKeras = await k.models.load_model(join(dir, 'm.keras'));
    assert.deepEqual(await ourPredict(fromKeras, k), await ourPredict(m, k));
    await m.save_weights(join(dir, 'w.weights.h5'));
    await m.save_weights(join(dir, 'w_tfjs'));
    for (const src of [join(dir, 'w.weights.h5'), join(dir, 'w_tfjs')]) {
      const other = await ourModel(k);
      k.utils.set_random_seed(99);
      await other.load_weights(src);
      assert.deepEqual(await ourPredict(other, k), await ourPredict(m, k), src);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('resuming from a saved model with its optimizer gives the uninterrupted History to the bit', async () => {
  const k = await loadOurs();
  const whole = await ourModel(k, 'adam');
  const hw = await whole.fit(xs(k), ys(k), { epochs: 4, batch_size: 6, shuffle: false, verbose: 0 });
  const first = await ourModel(k, 'adam');
  const h1 = await first.fit(xs(k), ys(k), { epochs: 2, batch_size: 6, shuffle: false, verbose: 0 });
  const box = capture();
  await first.save(box.handler);
  const resumed = await k.models.load_model({ load: async () => box.artifacts });
  const h2 = await resumed.fit(xs(k), ys(k), { epochs: 4, initial_epoch: 2, batch_size: 6, shuffle: false, verbose: 0 });
  for (const key of ['loss', 'accuracy']) {
    assert.deepEqual([...h1.history[key], ...h2.history[key]], hw.history[key], key);
  }
  // Without the optimizer, the same resume starts Adam afresh and differs.
  const noOpt = capture();
  await first.save(noOpt.handler, { include_optimizer: false });
  assert.equal(noOpt.artifacts.trainingConfig, undefined);
  const fresh = await k.models.load_model({ load: async () => noOpt.artifacts });
  assert.equal(fresh.optimizer, null);
});

test('bad files and destinations are clear errors and the runtime goes on', async () => {
  const k = await loadOurs();
  const m = await ourModel(k);
  const dir = await mkdtemp(join(tmpdir(), 'kw-io-'));
  try {
    await m.save(join(dir, 'a'));
    const shard = join(dir, 'a', 'group1-shard1of1.bin');
    const size = (await stat(shard)).size;
    await truncate(shard, size - 4);
    await assert.rejects(k.models.load_model(join(dir, 'a')), (e) => e.name === 'ValueError' && /load_model: .*a weight shard is short/.test(e.message));
    await rm(shard);
    await assert.rejects(k.models.load_model(join(dir, 'a')), (e) => e.name === 'ValueError' && /the weight shard group1-shard1of1.bin listed in .* is missing/.test(e.message));
    const mj = JSON.parse(await readFile(join(dir, 'a', 'model.json'), 'utf8'));
    mj.modelTopology.config.layers[1].class_name = 'Densse';
    mj.weightsManifest = [];
    await writeFile(join(dir, 'a', 'model.json'), JSON.stringify(mj));
    await assert.rejects(k.models.load_model(join(dir, 'a')), (e) => /load_model: .*Densse/.test(e.message) && /Dense/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const box = capture();
  await m.save(box.handler);
  const f16 = { ...box.artifacts, weightSpecs: box.artifacts.weightSpecs.map((s, i) => (i === 0 ? { ...s, dtype: 'float16' } : s)) };
  await assert.rejects(k.models.load_model({ load: async () => f16 }), (e) => e.name === 'NotImplementedError' && /"float16"/.test(e.message));
  // Browser schemes go to src/io/browser.mjs, which says what Node lacks (io_http.test.mjs loads over http).
  await assert.rejects(m.save('indexeddb://x'), (e) => /^save: indexeddb:\/\/ needs a browser/.test(e.message));
  await assert.rejects(m.save('ftp://x/y'), (e) => e.name === 'ValueError' && /ftp/.test(e.message));
  await assert.rejects(m.save({ nosave: 1 }), (e) => e instanceof TypeError && /no save\(\) method/.test(e.message));
  await assert.rejects(m.save(box.handler, { save_format: 'tf' }), (e) => e.name === 'NotImplementedError' && /save_format="tf"/.test(e.message));
  // The model and the runtime are usable after every error.
  const again = capture();
  await m.save(again.handler);
  assert.ok(again.artifacts.weightSpecs.length > 0);
});

test('the browser hook gives the browser schemes their handler; .keras bytes from a handler load', async () => {
  const k = await loadOurs();
  const m = await ourModel(k);
  const store = new Map();
  const hook = useBrowserHandlers((url) => (url.startsWith('indexeddb://') ? {
    async save(a) { store.set(url, a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; },
    async load() { return store.get(url); },
  } : null));
  try {
    await m.save('indexeddb://my-model');
    const back = await k.models.load_model('indexeddb://my-model');
    assert.deepEqual(await ourPredict(back, k), await ourPredict(m, k));
    await assert.rejects(m.save('localstorage://x'), (e) => e.name === 'NotImplementedError');
  } finally {
    useBrowserHandlers(hook);
  }
  const dir = await mkdtemp(join(tmpdir(), 'kw-io-'));
  try {
    await m.save(join(dir, 'm.keras'));
    const bytes = new Uint8Array(await readFile(join(dir, 'm.keras')));
    const back = await k.models.load_model({ load: async () => ({ format: 'keras', kerasBytes: bytes }) });
    assert.deepEqual(await ourPredict(back, k), await ourPredict(m, k));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('keras.tf: model.save and tf.loadLayersModel go through the same router (TF.js defaults: no optimizer)', async () => {
  const k = await loadOurs();
  const tf = k.tf;
  const t = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  t.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const box = capture();
  await t.save(box.handler);
  assert.equal(box.artifacts.trainingConfig, undefined, 'TF.js leaves the optimizer out by default');
  await t.save(box.handler, { includeOptimizer: true });
  assert.equal(box.artifacts.trainingConfig.optimizer_config.class_name, 'SGD');
  const back = await tf.loadLayersModel({ load: async () => box.artifacts });
  assert.equal(back.layers.length, 1);
  await assert.rejects(tf.loadLayersModel({ load: async () => box.artifacts }, { strict: false }), (e) => e.name === 'NotImplementedError');
});

test('worker mode: save and load_model with file paths and .keras; handlers run on the page', async () => {
  const kw = await loadKeras({ worker: true });
  const dir = await mkdtemp(join(tmpdir(), 'kw-io-'));
  try {
    const m = kw.Sequential([kw.layers.Dense(3, { input_shape: [4] })]);
    await m.compile({ optimizer: 'adam', loss: 'mse' });
    const want = Array.from((await m.predict(kw.tensor(X, [N, 4]))).data);
    for (const p of [join(dir, 'w'), join(dir, 'w.keras')]) {
      await m.save(p);
      const back = await kw.models.load_model(p);
      assert.deepEqual(Array.from((await back.predict(kw.tensor(X, [N, 4]))).data), want, p);
    }
    // IOHandler objects (io_worker_handlers.test.mjs checks them with TF.js's own).
    const box = capture();
    await m.save(box.handler);
    const back = await kw.models.load_model({ load: async () => box.artifacts });
    assert.deepEqual(Array.from((await back.predict(kw.tensor(X, [N, 4]))).data), want, 'through a handler');
  } finally {
    kw.terminate();
    await rm(dir, { recursive: true, force: true });
  }
});

test('keras.models.model_from_json takes the modelTopology TF.js 4.22 wrote and a Keras 3 config', async () => {
  const k = await loadOurs();
  const mj = JSON.parse(await readFile(new URL('../../testdata/tfjs/tfjs_adam/model.json', import.meta.url), 'utf8'));
  const m = k.models.model_from_json(JSON.stringify(mj.modelTopology));
  assert.deepEqual(m.layers.map((l) => l.name), ['dense_Dense1', 'batch_normalization_BatchNormalization1', 'dense_Dense2']);
  const k3 = k.models.model_from_json(JSON.stringify({
    module: 'keras', class_name: 'Sequential', registered_name: null,
    config: { name: 's', trainable: true, dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
      layers: [{ module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', units: 2 }, registered_name: null, build_config: { input_shape: [null, 3] } }] },
    build_config: { input_shape: [null, 3] },
    compile_config: { optimizer: 'adam', loss: 'mse', loss_weights: null, metrics: null, weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false },
  }));
  assert.equal(k3.count_params(), 8);
  assert.ok(k3.optimizer, 'compiled from compile_config');
  assert.throws(() => k.models.model_from_json('{"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_shape": [null, 3], "sparse": true}}]}}'),
    (e) => e.name === 'NotImplementedError' && /model_from_json: .*sparse/.test(e.message));
});

test('model.save and load_model reach the browser schemes of src/io/browser.mjs (localstorage:// over a Web Storage)', async () => {
  const { MemoryStorage } = await import('./io_storage.mjs');
  const k = await loadOurs();
  const m = await ourModel(k);
  // Node 20 has no localStorage: the scheme says it needs a browser page, under save's prefix.
  await assert.rejects(m.save('localstorage://kw'), (e) => /^save: /.test(e.message) && /browser/.test(e.message));
  globalThis.localStorage = new MemoryStorage();
  try {
    const r = await m.save('localstorage://kw');
    assert.ok(r.modelArtifactsInfo.weightDataBytes > 0);
    assert.ok(Object.keys(await k.models.list_models()).includes('localstorage://kw'));
    const back = await k.models.load_model('localstorage://kw');
    assert.deepEqual(await ourPredict(back, k), await ourPredict(m, k));
  } finally {
    delete globalThis.localStorage;
  }
});
