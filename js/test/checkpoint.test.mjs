// keras.callbacks.ModelCheckpoint: Keras's filepath formatting, save_best_only
// with mode, save_weights_only, any destination, and what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras as loadOurs } from './helpers.mjs';
import { formatPath } from '../src/io/checkpoint.mjs';

test('formatPath fills Keras/Python format fields', () => {
  assert.equal(formatPath('w-{epoch:02d}-{val_loss:.2f}.keras', { epoch: 3, val_loss: 0.12345 }), 'w-03-0.12.keras');
  assert.equal(formatPath('{epoch}-{loss:.4f}-{acc:5.1f}', { epoch: 12, loss: 1.5, acc: 0.26 }), '12-1.5000-  0.3');
  assert.equal(formatPath('{loss:.3e}', { loss: 0.000123 }), '1.230e-04');
  assert.equal(formatPath('{epoch:03d}', { epoch: -4 }), '-04');
  assert.throws(() => formatPath('{val_acc:.2f}', { epoch: 1 }), (e) => e.name === 'KeyError' && /Failed to format this callback filepath/.test(e.message));
  assert.throws(() => formatPath('{epoch:x}', { epoch: 1 }), (e) => e.name === 'ValueError');
});

async function trained(k) {
  k.utils.set_random_seed(3);
  const m = k.Sequential([k.layers.Dense(4, { activation: 'relu', input_shape: [3] }), k.layers.Dense(1)]);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  const x = k.tensor(Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)), [10, 3]);
  const y = k.tensor(Float32Array.from({ length: 10 }, (_, i) => Math.cos(i)), [10, 1]);
  return { m, x, y };
}

test('ModelCheckpoint saves each epoch with a formatted path, or only the best', async () => {
  const k = await loadOurs();
  const dir = await mkdtemp(join(tmpdir(), 'kw-ckpt-'));
  try {
    const { m, x, y } = await trained(k);
    const every = k.callbacks.ModelCheckpoint(join(dir, 'e{epoch:02d}-{loss:.3f}.keras'), { monitor: 'loss' });
    const h = await m.fit(x, y, { epochs: 3, batch_size: 5, verbose: 0, callbacks: [every] });
    const want = h.history.loss.map((l, i) => `e${String(i + 1).padStart(2, '0')}-${l.toFixed(3)}.keras`);
    assert.deepEqual((await readdir(dir)).sort(), want.sort());
    const back = await k.models.load_model(join(dir, want[2]));
    assert.deepEqual(Array.from(back.predict(x).data), Array.from(m.predict(x).data), 'the last checkpoint is the model after the last epoch');

    // save_best_only: a save only when loss improved ('auto' is min for a loss); weights only, TF.js weights.
    const saved = [];
    const handler = { async save(a) { saved.push(a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; } };
    const best = new k.callbacks.ModelCheckpoint(handler, { monitor: 'loss', save_best_only: true, save_weights_only: true, initial_value_threshold: 0 });
    await m.fit(x, y, { epochs: 2, batch_size: 5, verbose: 0, callbacks: [best] });
    assert.equal(saved.length, 0, 'no epoch beats a loss of 0');
    const best2 = k.callbacks.ModelCheckpoint(handler, { monitor: 'loss', save_best_only: true, save_weights_only: true, mode: 'max' });
    const h2 = await m.fit(x, y, { epochs: 3, batch_size: 5, verbose: 0, callbacks: [best2] });
    const ups = h2.history.loss.filter((l, i, a) => a.slice(0, i).every((p) => l > p)).length;
    assert.equal(saved.length, ups, 'mode max saves when the loss rises');
    assert.equal(saved[0].modelTopology, undefined, 'weights only');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('ModelCheckpoint refuses what it does not do', async () => {
  const k = await loadOurs();
  assert.throws(() => k.callbacks.ModelCheckpoint('x.keras', { save_freq: 10 }), (e) => e.name === 'NotImplementedError' && /save_freq=10/.test(e.message));
  assert.throws(() => k.callbacks.ModelCheckpoint('x.keras', { save_freq: 'batch' }), (e) => e.name === 'ValueError');
  assert.throws(() => k.callbacks.ModelCheckpoint('x.keras', { mode: 'maximum' }), (e) => e.name === 'ValueError' && /mode/.test(e.message));
  assert.throws(() => k.callbacks.ModelCheckpoint(42), (e) => e instanceof TypeError);
  const { m, x, y } = await trained(k);
  const cb = k.callbacks.ModelCheckpoint('{val_loss:.2f}.keras');
  await assert.rejects(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [cb] }), (e) => /val_loss/.test(e.message));
  const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
  assert.equal(h.history.loss.length, 1, 'the model trains on');
});
