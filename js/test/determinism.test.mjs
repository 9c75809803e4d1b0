// One seed, one run: the History of the study note's binary example
// (testdata/studynote/keras_sequential_note.md, lines 131–146) trained here
// from keras.utils.set_random_seed(seed) equals the golden that the native
// Go test (wasm/golden_test.go) writes and checks, within float rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { keras as load, binaryData, assertClose } from './helpers.mjs';

const keras = await load();
const golden = JSON.parse(await readFile(new URL('../../testdata/golden/wasm_studynote_binary_history.json', import.meta.url), 'utf8'));

async function run() {
  keras.utils.set_random_seed(golden.seed);
  const { Dense } = keras.layers;
  const model = keras.Sequential();
  model.add(Dense(32, { activation: 'relu', input_dim: golden.features }));
  model.add(Dense(1, { activation: 'sigmoid' }));
  function mean_pred(y_true, y_pred) { return keras.backend.mean(y_pred); }
  model.compile('rmsprop', 'binary_crossentropy', ['accuracy', mean_pred]);
  const { x, y } = binaryData(golden.data_seed, golden.samples, golden.features);
  const history = await model.fit(keras.tensor(x, [golden.samples, golden.features]), keras.tensor(y, [golden.samples, 1]),
    { epochs: 3, batch_size: 32, validation_split: 0.2, verbose: 0 });
  model.dispose();
  return history.history;
}

test('the same seed gives the same History as native Go', async () => {
  const got = await run();
  assert.deepEqual(Object.keys(got).sort(), Object.keys(golden.history).sort());
  let worst = 0;
  for (const [k, want] of Object.entries(golden.history)) {
    assertClose(got[k], want, golden.tolerance, k);
    got[k].forEach((v, i) => { worst = Math.max(worst, Math.abs(v - want[i]) / Math.max(Math.abs(v), 1e-12)); });
  }
  console.log(`# largest relative difference from the native Go History: ${worst}`);
});

test('running it again from the same seed repeats it exactly', async () => {
  const a = await run();
  const b = await run();
  assert.deepEqual(a, b);
});
