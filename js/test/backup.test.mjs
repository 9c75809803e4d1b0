// keras.callbacks.BackupAndRestore: a fit interrupted after epoch 3 and run
// again with the same callback on a fresh model of the same config ends with
// the weights and losses of an uninterrupted fit, to the bit (shuffle off,
// no dropout: the random state is not backed up, in Keras neither); the
// backup is gone after a normal end; bad arguments give Keras's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras as loadOurs } from './helpers.mjs';
import { MemoryStorage } from './io_storage.mjs';

const exists = (p) => stat(p).then(() => true, () => false);

/** fresh makes the same model each call (same seed, same config), with the layer names given. */
function fresh(k, names = ['dense', 'dense_1']) {
  k.utils.set_random_seed(11);
  const m = k.Sequential([k.layers.Dense(5, { activation: 'tanh', input_shape: [3], name: names[0] }), k.layers.Dense(1, { name: names[1] })]);
  m.compile({ optimizer: k.optimizers.Adam({ learning_rate: 0.05 }), loss: 'mse' });
  return m;
}

function data(k) {
  const x = k.tensor(Float32Array.from({ length: 36 }, (_, i) => Math.sin(i * 0.7)), [12, 3]);
  const y = k.tensor(Float32Array.from({ length: 12 }, (_, i) => Math.cos(i * 0.3)), [12, 1]);
  return { x, y };
}

const weightsOf = (m) => m.get_weights().map((w) => Array.from(w.data));

/** Interrupt throws at the end of epoch index `at`, as a crash would. */
class Interrupt extends (await loadOurs()).callbacks.Callback {
  constructor(at) { super(); this.at = at; }
  on_epoch_end(epoch) { if (epoch === this.at) throw new Error('interrupted'); }
}

test('BackupAndRestore: interrupted after epoch 3, resumed on a fresh model, equals the uninterrupted fit to the bit', async () => {
  const k = await loadOurs();
  const dir = await mkdtemp(join(tmpdir(), 'kw-backup-'));
  const backup = join(dir, 'backup');
  try {
    const { x, y } = data(k);
    const fit = { batch_size: 4, epochs: 6, shuffle: false, verbose: 0 };
    const whole = fresh(k);
    const hw = await whole.fit(x, y, fit);

    const first = fresh(k);
    const cb = k.callbacks.BackupAndRestore(backup);
    await assert.rejects(first.fit(x, y, { ...fit, callbacks: [cb, new Interrupt(2)] }), /interrupted/);
    assert.deepEqual((await readdir(backup)).sort(), ['latest']);
    const rec = JSON.parse(await readFile(join(backup, 'latest', 'model.json'), 'utf8')).userDefinedMetadata;
    assert.deepEqual(rec, { keraswasm_backup: { epoch: 3, batch: 0 } }, 'the backup is after 3 epochs');
    assert.equal(first.optimizer.iterations, 9, '3 epochs of 3 batches');

    // Weights are matched by position, as Keras 3's weights files are: other layer names restore too.
    const second = fresh(k, ['hidden', 'out']);
    const h2 = await second.fit(x, y, { ...fit, callbacks: [cb] });
    assert.deepEqual(h2.epoch, [3, 4, 5], 'the History covers the remaining epochs, as Keras');
    const firstLosses = hw.history.loss.slice(0, 3);
    assert.deepEqual([...firstLosses, ...h2.history.loss], hw.history.loss, 'losses to the bit');
    assert.deepEqual(weightsOf(second), weightsOf(whole), 'final weights to the bit');
    assert.equal(second.optimizer.iterations, whole.optimizer.iterations);
    assert.equal(await exists(backup), false, 'a normal end removes the backup');

    // A new fit without a backup starts at epoch 0; delete_checkpoint: false keeps the last backup.
    const keep = k.callbacks.BackupAndRestore(backup, { delete_checkpoint: false });
    const third = fresh(k);
    const h3 = await third.fit(x, y, { ...fit, epochs: 2, callbacks: [keep] });
    assert.deepEqual(h3.epoch, [0, 1]);
    assert.equal(await exists(join(backup, 'latest', 'model.json')), true);
    const h4 = await third.fit(x, y, { ...fit, epochs: 2, callbacks: [keep] });
    assert.deepEqual(h4.epoch, [], 'the backup says 2 epochs are done');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('BackupAndRestore: double_checkpoint keeps the previous backup and falls back to it; save_freq in batches', async () => {
  const k = await loadOurs();
  const dir = await mkdtemp(join(tmpdir(), 'kw-backup2-'));
  try {
    const { x, y } = data(k);
    const fit = { batch_size: 4, epochs: 6, shuffle: false, verbose: 0 };
    const whole = fresh(k);
    const hw = await whole.fit(x, y, fit);

    const cb = k.callbacks.BackupAndRestore(dir, { double_checkpoint: true });
    await assert.rejects(fresh(k).fit(x, y, { ...fit, callbacks: [cb, new Interrupt(3)] }), /interrupted/);
    assert.deepEqual((await readdir(dir)).sort(), ['latest', 'latest.bkp']);
    // The latest backup is damaged (a short shard): the previous one, after epoch 3, is restored.
    const shard = (await readdir(join(dir, 'latest'))).find((f) => f.endsWith('.bin'));
    await rm(join(dir, 'latest', shard));
    const m = fresh(k);
    const h = await m.fit(x, y, { ...fit, callbacks: [cb] });
    assert.deepEqual(h.epoch, [3, 4, 5]);
    assert.deepEqual(h.history.loss, hw.history.loss.slice(3));
    assert.deepEqual(weightsOf(m), weightsOf(whole));
    assert.equal(await exists(dir), false);

    // save_freq: 2 batches: a backup within epoch index 1 (after its batch 0, the 4th batch) records epoch 1,
    // so the resumed fit runs epoch 1 again from its start, as Keras does.
    const byBatch = k.callbacks.BackupAndRestore(dir, { save_freq: 2 });
    const stopAt = { n: 0, on_train_batch_end() { this.n += 1; if (this.n === 5) throw new Error('interrupted'); } };
    await assert.rejects(fresh(k).fit(x, y, { ...fit, callbacks: [byBatch, stopAt] }), /interrupted/);
    const rec = JSON.parse(await readFile(join(dir, 'latest', 'model.json'), 'utf8')).userDefinedMetadata.keraswasm_backup;
    assert.deepEqual(rec, { epoch: 1, batch: 0 });
    const again = fresh(k);
    const hb = await again.fit(x, y, { ...fit, callbacks: [byBatch] });
    assert.deepEqual(hb.epoch, [1, 2, 3, 4, 5]);
    assert.equal(again.optimizer.iterations, 4 + 15, 'the 4 batches of the backup, then 5 epochs');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('BackupAndRestore to localstorage:// (a browser store): resumed to the bit, then removed', async () => {
  const k = await loadOurs();
  globalThis.localStorage = new MemoryStorage();
  try {
    const { x, y } = data(k);
    const fit = { batch_size: 4, epochs: 5, shuffle: false, verbose: 0 };
    const whole = fresh(k);
    const hw = await whole.fit(x, y, fit);
    const cb = k.callbacks.BackupAndRestore('localstorage://bk');
    await assert.rejects(fresh(k).fit(x, y, { ...fit, callbacks: [cb, new Interrupt(1)] }), /interrupted/);
    assert.deepEqual(Object.keys(await k.models.list_models()), ['localstorage://bk']);
    const m = fresh(k);
    const h = await m.fit(x, y, { ...fit, callbacks: [cb] });
    assert.deepEqual(h.epoch, [2, 3, 4]);
    assert.deepEqual(h.history.loss, hw.history.loss.slice(2));
    assert.deepEqual(weightsOf(m), weightsOf(whole));
    assert.deepEqual(await k.models.list_models(), {}, 'removed after a normal end');
    assert.throws(() => k.callbacks.BackupAndRestore('localstorage://bk', { double_checkpoint: true }),
      (e) => e.name === 'NotImplementedError' && /double_checkpoint/.test(e.message));
  } finally {
    delete globalThis.localStorage;
  }
});

test('BackupAndRestore refuses bad arguments with Keras classes, and a backup of another model', async () => {
  const k = await loadOurs();
  const B = k.callbacks.BackupAndRestore;
  assert.throws(() => B(''), (e) => e.name === 'ValueError' && /Empty `backup_dir`/.test(e.message));
  assert.throws(() => B(), (e) => e.name === 'ValueError');
  assert.throws(() => B('/tmp/x', { save_freq: 'batch' }), (e) => e.name === 'ValueError' && /save_freq/.test(e.message));
  assert.throws(() => B('/tmp/x', { save_freq: 0 }), (e) => e.name === 'ValueError');
  assert.throws(() => B('/tmp/x', { delete_checkpoint: 'yes' }), (e) => e instanceof TypeError);
  assert.throws(() => B('/tmp/x', { save_before_preemption: true }), (e) => e.name === 'NotImplementedError');
  assert.throws(() => B('/tmp/x', { patience: 1 }), (e) => e instanceof TypeError && /unknown argument patience/.test(e.message));
  assert.throws(() => B({ save() {}, load() {} }), (e) => e.name === 'NotImplementedError' && /IOHandler/.test(e.message));
  assert.throws(() => B('/tmp/x.keras'), (e) => e.name === 'ValueError' && /directory/.test(e.message));
  assert.throws(() => B('downloads://x'), (e) => e.name === 'ValueError');
  assert.throws(() => B(42), (e) => e instanceof TypeError);

  const dir = await mkdtemp(join(tmpdir(), 'kw-backup3-'));
  try {
    const { x, y } = data(k);
    const cb = B(dir, { delete_checkpoint: false });
    await fresh(k).fit(x, y, { epochs: 1, verbose: 0, callbacks: [cb] });
    k.utils.set_random_seed(1);
    const other = k.Sequential([k.layers.Dense(2, { input_shape: [3] }), k.layers.Dense(1)]);
    other.compile({ optimizer: 'adam', loss: 'mse' });
    const before = weightsOf(other);
    await assert.rejects(other.fit(x, y, { epochs: 2, verbose: 0, callbacks: [cb] }), (e) => /BackupAndRestore/.test(e.message) && /shape/.test(e.message));
    assert.deepEqual(weightsOf(other), before, 'a backup that does not fit changes nothing');
    const h = await other.fit(x, y, { epochs: 1, verbose: 0 });
    assert.equal(h.history.loss.length, 1, 'the model trains on');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// In worker mode BackupAndRestore works with save_freq 'epoch' (io_worker_callbacks.test.mjs).
test('BackupAndRestore in worker mode refuses save_freq in batches, saying why, and the model trains on', async () => {
  const { loadKeras } = await import('../keras.mjs');
  const w = await loadKeras({ worker: true });
  try {
    const m = w.Sequential([w.layers.Dense(1, { input_dim: 2 })]);
    await m.compile('sgd', 'mse');
    const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const y = [[1], [0], [1], [0]];
    const dir = join(tmpdir(), 'kw-backup-worker-never-written');
    await assert.rejects(m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [w.callbacks.BackupAndRestore(dir, { save_freq: 2 })] }),
      (e) => e.name === 'NotImplementedError' && /BackupAndRestore: save_freq=2 .* not implemented in worker mode: the worker does not wait for batch hooks/.test(e.message));
    assert.equal(await exists(dir), false);
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    assert.equal(h.history.loss.length, 1);
  } finally {
    await w.terminate();
  }
});
