// loadKeras: options, errors, and independent runtimes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadKeras } from '../keras.mjs';
import { assertRejectsMessage } from './helpers.mjs';

test('a missing runtime is a clear error', async () => {
  await assertRejectsMessage(loadKeras({ wasmURL: '/nonexistent/keras.wasm' }), '/nonexistent/', 'make wasm');
  const execURL = new URL('../dist/wasm_exec.js', import.meta.url);
  await assertRejectsMessage(loadKeras({ wasmURL: '/nonexistent/keras.wasm', wasmExecURL: execURL }), 'could not read the runtime', '/nonexistent/keras.wasm');
});

test('two runtimes are independent; wasmURL as a path and wasmModule work', async () => {
  const path = fileURLToPath(new URL('../dist/keras.wasm', import.meta.url));
  const a = await loadKeras({ wasmURL: path });
  const b = await loadKeras({ wasmModule: a.runtime.module });
  a.utils.set_random_seed(1);
  b.utils.set_random_seed(1);
  const ma = a.Sequential([a.layers.Dense(2, { input_dim: 2 })]);
  const mb = b.Sequential([b.layers.Dense(2, { input_dim: 2 })]);
  assert.deepEqual(ma.get_weights()[0].array(), mb.get_weights()[0].array(), 'the same seed in each runtime');
  ma.dispose();
  assert.deepEqual(mb.output_shape, [null, 2], "disposing in one runtime leaves the other's model");
  mb.dispose();
});
