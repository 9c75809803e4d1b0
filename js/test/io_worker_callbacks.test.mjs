// ModelCheckpoint and BackupAndRestore in worker mode
// (loadKeras({worker: true})): the callbacks run on the page; the worker
// waits for each epoch-level hook (a round trip), so a checkpoint or a
// backup made at an epoch end holds that epoch's state. A path is written
// by the worker (model.save) or by the page (a backup's store), an
// IOHandler is called on the page with the artifacts the worker made
// (src/io/worker_io.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKeras } from '../keras.mjs';

const exists = (p) => stat(p).then(() => true, () => false);
const X = Array.from({ length: 12 }, (_, i) => [Math.sin(i * 0.7), Math.sin(i * 0.7 + 0.7), Math.sin(i * 0.7 + 1.4)]);
const Y = Array.from({ length: 12 }, (_, i) => [Math.cos(i * 0.3)]);

async function fresh(w) {
  await w.utils.set_random_seed(11);
  const m = w.Sequential([w.layers.Dense(5, { activation: 'tanh', input_shape: [3] }), w.layers.Dense(1)]);
  await m.compile({ optimizer: w.optimizers.Adam({ learning_rate: 0.05 }), loss: 'mse' });
  return m;
}

const FIT = { batch_size: 4, shuffle: false, verbose: 0 };
const weightsOf = async (m) => (await m.get_weights()).map((t) => Array.from(t.data));

test('worker mode: ModelCheckpoint saves each epoch\'s model, to a path and to an IOHandler', async (t) => {
  const w = await loadKeras({ worker: true });
  const dir = await mkdtemp(join(tmpdir(), 'kw-wckpt-'));
  t.after(async () => { w.terminate(); await rm(dir, { recursive: true, force: true }); });
  const two = await fresh(w);
  await two.fit(X, Y, { ...FIT, epochs: 2 });
  const whole = await fresh(w);
  const hw = await whole.fit(X, Y, { ...FIT, epochs: 3 });

  const saved = [];
  const handler = { async save(a) { saved.push(a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; } };
  const m = await fresh(w);
  const h = await m.fit(X, Y, { ...FIT, epochs: 3, callbacks: [
    w.callbacks.ModelCheckpoint(join(dir, 'ckpt-{epoch:02d}.keras')),
    w.callbacks.ModelCheckpoint({ filepath: handler }),
  ] });
  assert.deepEqual(h.history.loss, hw.history.loss, 'the checkpoints do not change the fit');
  assert.deepEqual((await readdir(dir)).sort(), ['ckpt-01.keras', 'ckpt-02.keras', 'ckpt-03.keras']);
  assert.equal(saved.length, 3);
  const fromFile = await w.models.load_model(join(dir, 'ckpt-02.keras'));
  assert.deepEqual(await weightsOf(fromFile), await weightsOf(two), 'ckpt-02.keras holds the weights after epoch 2');
  const fromHandler = await w.models.load_model({ load: async () => saved[1] });
  assert.deepEqual(await weightsOf(fromHandler), await weightsOf(two), 'the handler got the weights after epoch 2');
  // The .keras checkpoint holds the optimizer: the third epoch resumes to the bit.
  const h3 = await fromFile.fit(X, Y, { ...FIT, epochs: 3, initial_epoch: 2 });
  assert.deepEqual(h3.history.loss, hw.history.loss.slice(2));
});

/** Interrupt throws at the end of epoch index `at`, as a crash would. */
function interrupt(w, at) {
  return new (class extends w.callbacks.Callback {
    on_epoch_end(epoch) { if (epoch === at) throw new Error('interrupted'); }
  })();
}

test('worker mode: BackupAndRestore, interrupted after epoch 3 and run again, equals the uninterrupted fit to the bit', async (t) => {
  const w = await loadKeras({ worker: true });
  const dir = await mkdtemp(join(tmpdir(), 'kw-wbackup-'));
  t.after(async () => { w.terminate(); await rm(dir, { recursive: true, force: true }); });
  const backup = join(dir, 'backup');
  const whole = await fresh(w);
  const hw = await whole.fit(X, Y, { ...FIT, epochs: 6 });

  const first = await fresh(w);
  const cb = w.callbacks.BackupAndRestore(backup);
  await assert.rejects(first.fit(X, Y, { ...FIT, epochs: 6, callbacks: [cb, interrupt(w, 2)] }), /interrupted/);
  assert.deepEqual(await readdir(backup), ['latest']);
  assert.equal((await first.optimizer).iterations, 9, '3 epochs of 3 batches');

  const second = await fresh(w);
  const h2 = await second.fit(X, Y, { ...FIT, epochs: 6, callbacks: [cb] });
  assert.deepEqual(h2.epoch, [3, 4, 5], 'the History covers the remaining epochs, as Keras');
  assert.deepEqual([...hw.history.loss.slice(0, 3), ...h2.history.loss], hw.history.loss, 'losses to the bit');
  assert.deepEqual(await weightsOf(second), await weightsOf(whole), 'final weights to the bit');
  assert.equal(await exists(backup), false, 'a normal end removes the backup');
});

test('workers: 2: ModelCheckpoint saves through worker 0; BackupAndRestore refuses, saying why', async (t) => {
  const w = await loadKeras({ worker: true, workers: 2 });
  const dir = await mkdtemp(join(tmpdir(), 'kw-wpar-'));
  t.after(async () => { w.terminate(); await rm(dir, { recursive: true, force: true }); });
  const m = await fresh(w);
  await m.fit(X, Y, { ...FIT, epochs: 2, callbacks: [w.callbacks.ModelCheckpoint(join(dir, 'c-{epoch}.keras'))] });
  assert.deepEqual((await readdir(dir)).sort(), ['c-1.keras', 'c-2.keras']);
  const back = await w.models.load_model(join(dir, 'c-2.keras'));
  assert.deepEqual(await weightsOf(back), await weightsOf(m));
  await assert.rejects(m.fit(X, Y, { ...FIT, epochs: 1, callbacks: [w.callbacks.BackupAndRestore(join(dir, 'b'))] }),
    (e) => e.name === 'NotImplementedError' && /BackupAndRestore: with workers > 1/.test(e.message));
});
