// Keras's automatic model names, main thread and worker: "sequential",
// "sequential_1", ... per runtime; keras.backend.clear_session() starts the
// count again (Keras resets its name uids there).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

const keras = await loadKeras();
const kw = await loadKeras({ worker: true });
after(() => kw.terminate());

for (const [mode, k] of [['main thread', keras], ['worker', kw]]) {
  test(`models without a name are sequential, sequential_1, ...; clear_session starts again (${mode})`, async () => {
    await k.backend.clear_session();
    const names = [];
    for (const args of [[], [[], 'mine'], [[k.layers.Dense(1, { input_dim: 2 })]], [{ name: null }]]) {
      const m = k.Sequential(...args);
      names.push(await m.name);
      await m.dispose();
    }
    assert.deepEqual(names, ['sequential', 'mine', 'sequential_1', 'sequential_2']);
    await k.backend.clear_session();
    const m = k.Sequential();
    assert.equal(await m.name, 'sequential');
    const copy = k.models.model_from_json(await m.to_json());
    assert.equal(await copy.name, 'sequential', 'model_from_json keeps the name in the JSON');
    await m.dispose();
    await copy.dispose();
    assert.throws(() => k.backend.clear_session('yes'), { name: 'TypeError', message: /keras.backend.clear_session: free_memory must be a boolean/ });
  });
}
