// BatchNormalization in a data-parallel fit (loadKeras({worker: true,
// workers: 2})) is per replica, as under Keras's MirroredStrategy with
// synchronized=False: each worker normalizes its slice with the slice's
// statistics, and the moving statistics read after fit are the replicas'
// mean. With momentum 0 they are the last batch's: the mean of its rows,
// and the mean of its two halves' (biased) variances, written here from
// the data (one worker's fit gives the whole batch's variance instead).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

const two = await loadKeras({ worker: true, workers: 2 });
after(() => two.terminate());

test('moving statistics after a two-worker fit are the mean of the replicas\' own', async () => {
  let s = 99;
  const r = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 4294967296; };
  const x = Float32Array.from({ length: 64 * 4 }, () => r() * 3 - 1);
  const y = Float32Array.from({ length: 64 * 2 }, (_, i) => (i % 2 === Math.floor(i / 2) % 2 ? 1 : 0));
  const m = two.Sequential([two.layers.BatchNormalization({ momentum: 0, input_shape: [4] }), two.layers.Dense(2, { activation: 'softmax' })]);
  await m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
  const h = await m.fit(two.tensor(x, [64, 4]), two.tensor(y, [64, 2]), { epochs: 2, batch_size: 16, shuffle: false, verbose: 0 });
  assert.ok(h.history.loss.every(Number.isFinite));
  const [, , mean, variance] = await m.get_weights();
  const stats = (from, to, f) => {
    let mu = 0;
    for (let i = from; i < to; i++) mu += x[i * 4 + f];
    mu /= to - from;
    let v = 0;
    for (let i = from; i < to; i++) v += (x[i * 4 + f] - mu) ** 2;
    return [mu, v / (to - from)];
  };
  for (let f = 0; f < 4; f++) {
    const [whole] = stats(48, 64, f);
    const [, v0] = stats(48, 56, f);
    const [, v1] = stats(56, 64, f);
    assert.ok(Math.abs(mean.data[f] - whole) < 1e-5, `moving_mean[${f}] ${mean.data[f]} vs ${whole}`);
    assert.ok(Math.abs(variance.data[f] - (v0 + v1) / 2) < 1e-5, `moving_variance[${f}] ${variance.data[f]} vs ${(v0 + v1) / 2}`);
    assert.ok(Math.abs(variance.data[f] - stats(48, 64, f)[1]) > 1e-4, 'not the whole batch\'s variance');
  }
  // The model stays usable: evaluate (worker 0) uses the averaged statistics.
  const e = await m.evaluate(two.tensor(x, [64, 4]), two.tensor(y, [64, 2]), { verbose: 0 });
  assert.ok(Number.isFinite(e));
});
