// Dropped models are reclaimed: a model JS can no longer reach is disposed
// by a FinalizationRegistry (model.mjs reclaim; remote.mjs for a worker), so
// a page that builds, trains and predicts with models it never disposes
// keeps the runtime's memory bounded, and the Go→JS references do not pile
// up. Nothing Go holds (the compile callback for custom metrics) refers to
// the Model, or it could never be reclaimed; a layer view keeps its model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { loadKeras } from '../keras.mjs';

// gc is node --expose-gc's, or the same function made available here.
v8.setFlagsFromString('--expose-gc');
const gc = globalThis.gc ?? vm.runInNewContext('gc');

/**
 * settle collects garbage and lets the finalizers run (they are tasks of
 * their own): JS's, which dispose dropped models, then Go's (with a runtime
 * that has the test doors), which release the JS values Go no longer holds.
 */
async function settle(keras) {
  // At least three rounds, and on while the models alive still change (a loaded machine runs finalizers late).
  let before = -1;
  for (let i = 0; i < 10; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    keras?.__collectGo?.();
    const info = await keras?.config.get_memory_info();
    const now = info ? info.holders.length : 0;
    if (i >= 2 && now === before) break;
    before = now;
  }
}

function data(keras) {
  const x = keras.tensor(new Float32Array(32 * 20).map((_, i) => (i % 7) / 7), [32, 20]);
  const y = keras.tensor(new Float32Array(32).map((_, i) => i % 2), [32, 1]);
  return { x, y };
}

/** cycle builds, compiles (with a custom metric), fits and predicts a model, and drops it. */
async function cycle(keras, x, y) {
  const m = keras.Sequential([keras.layers.Dense(64, { input_dim: 20, activation: 'relu' }), keras.layers.Dense(1)]);
  await m.compile({ optimizer: 'adam', loss: 'mse', metrics: [function mean_pred(yt, yp) { return keras.backend.mean(yp); }] });
  await m.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
  await m.predict(x);
  return m;
}

test('main thread: 500 build/fit/predict cycles without dispose keep wasm memory and Go→JS references bounded', async () => {
  const keras = await loadKeras({ __testDoors: true });
  const { go, instance } = keras.runtime;
  const refs = () => go._values.length - go._idPool.length; // wasm_exec.js's table of JS values Go holds
  const mem = () => instance.exports.mem.buffer.byteLength;
  const { x, y } = data(keras);
  const seen = [];
  for (let i = 1; i <= 500; i++) {
    await cycle(keras, x, y);
    if (i % 100 === 0) {
      await settle(keras);
      const info = keras.config.get_memory_info();
      seen.push({ cycles: i, memMiB: mem() / 2 ** 20, refs: refs(), models: info.holders.filter((h) => h.model).length });
    }
  }
  console.log('without dispose:', JSON.stringify(seen));
  const [first, last] = [seen[0], seen.at(-1)];
  // Without reclaiming, the 500 models stay: 500 holders and about 40 MiB more memory.
  assert.ok(last.models < 100, `models alive after 500 dropped: ${last.models}`);
  assert.ok(last.memMiB - first.memMiB < 12, `wasm memory grew from ${first.memMiB} to ${last.memMiB} MiB`);
  assert.ok(last.refs <= first.refs + 50, `Go→JS references grew from ${first.refs} to ${last.refs}`);
});

test('main thread: a layer view or an optimizer view keeps its model alive', async () => {
  const keras = await loadKeras();
  const { x, y } = data(keras);
  const layer = (await cycle(keras, x, y)).layers[0];
  const opt = (await cycle(keras, x, y)).optimizer;
  await settle();
  assert.deepEqual(layer.get_weights()[0].shape, [20, 64], 'the model of a live layer view is not reclaimed');
  assert.equal(typeof opt.learning_rate, 'number');
});

test('worker: models whose proxies the page dropped are disposed in the worker', async () => {
  const keras = await loadKeras({ worker: true });
  try {
    const { x, y } = data(keras);
    for (let i = 0; i < 150; i++) await cycle(keras, x, y);
    const kept = await (await cycle(keras, x, y)).layers;
    await settle();
    await new Promise((r) => setTimeout(r, 100)); // the drops reach the worker
    const info = await keras.config.get_memory_info();
    const models = info.holders.filter((h) => h.model).length;
    console.log(`worker: ${models} of 151 dropped models alive, ${info.current} bytes in use`);
    assert.ok(models < 50, `models alive in the worker: ${models}`);
    assert.deepEqual((await kept[0].get_weights())[0].shape, [20, 64], 'a live view keeps its model');
  } finally {
    keras.terminate();
  }
});
