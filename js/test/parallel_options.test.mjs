// fit's options in a data-parallel fit (loadKeras({worker: true, workers: 2}))
// do what one worker's fit does with them: progress output (Keras's default
// verbose "auto", a bar; verbose 2, a line per epoch) prints the same lines
// once the times are masked, once (by worker 0), not once per worker; and
// validation_split / validation_data / validation_freq / validation_batch_size
// give the same val_ History within the parallel tolerance.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

const printed = { 1: [], 2: [] };
const one = await loadKeras({ worker: true, print: (s) => printed[1].push(s) });
const two = await loadKeras({ worker: true, workers: 2, print: (s) => printed[2].push(s) });
after(() => { one.terminate(); two.terminate(); });

/**
 * masked hides what depends on the clock: "0s 323us/step", and the bar's
 * updates within an epoch (shown at most every 0.05 s, as Keras's); the
 * headers and each epoch's last line stay.
 */
const masked = (lines) => lines.filter((l) => /^(Epoch |64\/64 | - )/.test(l)).map((l) => l.replace(/ - \d+s( \d+[mu]?s\/step)?/g, ' - T'));

// TOL bounds |2 workers − 1 worker| (float32 sums over 16 rows against two sums over 8).
const TOL = 1e-4;

/** fitted trains a seeded model on n samples and returns its History and what it printed. */
async function fitted(keras, workers, opts, n = 64) {
  keras.utils.set_random_seed(3);
  const m = keras.Sequential([keras.layers.Dense(8, { activation: 'relu', input_shape: [6] }), keras.layers.Dense(3, { activation: 'softmax' })]);
  await m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const x = new Float32Array(n * 6).map((_, i) => ((i * 7919) % 13) / 13);
  const y = new Float32Array(n * 3).map((_, i) => (i % 3 === (Math.floor(i / 3) % 2) ? 1 : 0));
  printed[workers].length = 0;
  const h = await m.fit(keras.tensor(x, [n, 6]), keras.tensor(y, [n, 3]), { epochs: 2, batch_size: 16, shuffle: false, ...opts(keras) });
  return { history: h.history, lines: masked(printed[workers]) };
}

const fitPrinting = async (keras, workers, opts) => (await fitted(keras, workers, () => opts)).lines;

for (const verbose of [undefined, 1, 2]) {
  test(`verbose ${verbose ?? '"auto" (the default)'}: two workers print what one worker prints`, async () => {
    const a = await fitPrinting(one, 1, { verbose });
    const b = await fitPrinting(two, 2, { verbose });
    assert.equal(a.length, 4, `one worker printed ${JSON.stringify(a)}`);
    assert.deepEqual(b, a);
  });
}

const VALIDATIONS = {
  'validation_split 0.25': () => ({ validation_split: 0.25 }),
  'validation_data, validation_batch_size 5': (k) => ({
    validation_data: [k.tensor(new Float32Array(20 * 6).map((_, i) => (i % 5) / 5), [20, 6]), k.tensor(new Float32Array(20 * 3).map((_, i) => (i % 3 === 1 ? 1 : 0)), [20, 3])],
    validation_batch_size: 5,
  }),
  'validation_split, validation_freq 2': () => ({ validation_split: 0.25, validation_freq: 2, epochs: 3 }),
};
for (const [name, opts] of Object.entries(VALIDATIONS)) {
  test(`${name}: two workers give one worker's History, val_ values included, and print them`, async () => {
    const a = await fitted(one, 1, (k) => ({ ...opts(k), verbose: 2 }), 80);
    const b = await fitted(two, 2, (k) => ({ ...opts(k), verbose: 2 }), 80);
    assert.deepEqual(Object.keys(b.history), Object.keys(a.history));
    assert.ok('val_loss' in a.history && 'val_accuracy' in a.history, JSON.stringify(a.history));
    for (const [k, v] of Object.entries(a.history)) {
      assert.equal(b.history[k].length, v.length, k);
      v.forEach((e, i) => assert.ok(Math.abs(b.history[k][i] - e) <= TOL, `${k}[${i}]: ${b.history[k][i]} vs ${e}`));
    }
    assert.ok(a.lines.some((l) => l.includes('val_loss')), JSON.stringify(a.lines));
    assert.equal(b.lines.length, a.lines.length, JSON.stringify(b.lines));
  });
}

test('validation_split too large for the data is a ValueError, as in one worker\'s fit', async () => {
  const m = two.Sequential([two.layers.Dense(1, { input_shape: [2] })]);
  await m.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(m.fit(two.tensor([1, 2], [1, 2]), two.tensor([1], [1, 1]), { verbose: 0, validation_split: 0.1 }),
    (e) => e.name === 'ValueError' && /not sufficient to split it/.test(e.message));
  await assert.rejects(m.fit(two.tensor([1, 2, 3, 4], [2, 2]), two.tensor([1, 2], [2, 1]), { verbose: 0, validation_split: 1.5 }),
    (e) => e.name === 'ValueError' && /validation_split must be a number in \[0, 1\)/.test(e.message));
});

test('verbose is checked as fit checks it', async () => {
  const m = two.Sequential([two.layers.Dense(1, { input_shape: [2] })]);
  await m.compile({ optimizer: 'sgd', loss: 'mse' });
  await assert.rejects(m.fit(two.tensor([1, 2], [1, 2]), two.tensor([1], [1, 1]), { verbose: 3 }),
    (e) => e.name === 'ValueError' && /^fit: verbose must be 0/.test(e.message));
  const h = await m.fit(two.tensor([1, 2], [1, 2]), two.tensor([1], [1, 1]), { verbose: 0 });
  assert.equal(h.history.loss.length, 1, 'the model still trains');
});
