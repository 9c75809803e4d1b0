// Embedding, LSTM and Masking from JS: a text model learns the sign of a
// sequence's sum (left padding masked by mask_zero), and summary counts
// Keras's parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

// runningSum makes n left-padded sequences over tokens 1..4 (values -2, -1,
// +1, +2), labelled 1 when the sum is positive; zero sums are redrawn.
function runningSum(n, steps, seed) {
  let s = seed;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const val = [0, -2, -1, 1, 2];
  const x = new Float32Array(n * steps), y = new Float32Array(n);
  for (let i = 0; i < n;) {
    const pad = Math.floor(next() * (steps / 2));
    let sum = 0;
    for (let t = 0; t < steps; t++) {
      const tok = t >= pad ? 1 + Math.floor(next() * 4) : 0;
      x[i * steps + t] = tok;
      sum += val[tok];
    }
    if (sum === 0) continue;
    y[i] = sum > 0 ? 1 : 0;
    i++;
  }
  return { x: keras.tensor(x, [n, steps]), y: keras.tensor(y, [n, 1]) };
}

test('Embedding(mask_zero) → LSTM → Dense learns the sign of a running sum from JS', async () => {
  keras.utils.set_random_seed(3);
  const model = keras.Sequential([
    L.Embedding(5, 8, { mask_zero: true, input_length: 10 }),
    L.LSTM(16),
    L.Dense(1, { activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const train = runningSum(2000, 10, 1), held = runningSum(500, 10, 2);
  await model.fit(train.x, train.y, { epochs: 15, batch_size: 32, verbose: 0 });
  const [, acc] = await model.evaluate(held.x, held.y, { verbose: 0 });
  assert.ok(acc >= 0.95, `accuracy ${acc}`);
});

test('summary counts Keras parameters for Embedding, LSTM, GRU and SimpleRNN', () => {
  const model = keras.Sequential([
    L.Embedding(100, 8, { input_length: 6 }),
    L.LSTM(32, { return_sequences: true }),
    L.GRU(4, { returnSequences: true }),
    L.SimpleRNN(3),
  ]);
  const lines = [];
  model.summary({ print_fn: (l) => lines.push(l) });
  const text = lines.join('\n');
  for (const n of [800, 4 * (32 * (8 + 32) + 32), 3 * (4 * (32 + 4) + 2 * 4), 3 * (4 + 3) + 3]) {
    assert.match(text, new RegExp(`\\b${n.toLocaleString('en-US')}\\b|\\b${n}\\b`), `count ${n}`);
  }
});
