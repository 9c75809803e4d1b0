// The browser model stores on the keras namespace (src/io/namespace_io.mjs):
// keras.models.list_models / remove_model / copy_model / move_model and
// keras.io.*, here over a Web Storage stand-in, with their own error prefixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras } from './helpers.mjs';
import { loadKeras } from '../keras.mjs';
import { MemoryStorage } from './io_storage.mjs';

const artifacts = () => ({
  modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }],
  weightData: Float32Array.of(1, 2).buffer,
});

test('keras.models.list_models, copy_model, move_model, remove_model over localstorage://', async () => {
  const k = await keras();
  globalThis.localStorage = new MemoryStorage();
  try {
    assert.deepEqual(await k.models.list_models(), {});
    const { browserHandler } = await import('../src/io/browser.mjs');
    await browserHandler('localstorage://m', 'save').save(artifacts());
    assert.equal((await k.models.copy_model('localstorage://m', 'localstorage://n')).weightDataBytes, 8);
    await k.models.move_model('localstorage://n', 'localstorage://o');
    assert.deepEqual(Object.keys(await k.models.listModels()).sort(), ['localstorage://m', 'localstorage://o']);
    assert.equal((await k.io.removeModel('localstorage://m')).weightDataBytes, 8);
    assert.deepEqual(Object.keys(await k.io.listModels()), ['localstorage://o']);
    await assert.rejects(k.models.remove_model('localstorage://m'), (e) => e.name === 'ValueError' && e.message.startsWith('remove_model: there is no model'));
    await assert.rejects(k.io.removeModel('localstorage://m'), (e) => e.message.startsWith('removeModel: '));
    await assert.rejects(k.models.copy_model('localstorage://o', 'localstorage://o'), (e) => e.message.startsWith('copy_model: '));
  } finally {
    delete globalThis.localStorage;
  }
});

test('keras.io.browserFiles loads File objects; errors start with browserFiles', async () => {
  const k = await keras();
  const a = artifacts();
  const json = JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] });
  const got = await k.io.browserFiles([new File([json], 'model.json'), new File([a.weightData], 'w.bin')]).load();
  assert.deepEqual(Array.from(new Float32Array(got.weightData)), [1, 2]);
  await assert.rejects(k.io.browserFiles([new File([json], 'model.json')]).load(), (e) => e.name === 'ValueError' && e.message.startsWith('browserFiles: '));
});

test('the worker namespace has the same store functions', { timeout: 120_000 }, async () => {
  const w = await loadKeras({ worker: true });
  try {
    assert.equal(typeof w.models.list_models, 'function');
    assert.equal(typeof w.io.browserFiles, 'function');
    assert.deepEqual(await w.models.list_models(), {}); // Node has neither browser store
  } finally {
    w.terminate();
  }
});
