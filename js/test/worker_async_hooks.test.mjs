// Worker mode awaits async hooks as the main thread does (and as TF.js
// does): an async onEpochEnd finishes before the next epoch starts and
// before fit resolves; an async batch hook has finished by the next
// epoch-level hook (the yield policy in worker-server.mjs).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';
import { lcg } from './helpers.mjs';

const keras = await loadKeras({ worker: true });
after(() => keras.terminate());
const L = keras.layers;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function smallModel() {
  const m = keras.Sequential([L.Dense(4, { activation: 'relu', input_dim: 3 }), L.Dense(1)]);
  await m.compile('sgd', 'mse');
  const g = lcg(5);
  const x = keras.tensor(Float32Array.from({ length: 64 * 3 }, g), [64, 3]);
  const y = keras.tensor(Float32Array.from({ length: 64 }, g), [64, 1]);
  return { m, x, y };
}

test('worker: an async onEpochEnd finishes before the next epoch and before fit resolves', async () => {
  const { m, x, y } = await smallModel();
  const events = [];
  let status = '';
  const h = await m.fit(x, y, { epochs: 3, batch_size: 16, verbose: 0, callbacks: [{
    onEpochBegin: (epoch) => { events.push(`begin ${epoch}`); },
    onEpochEnd: async (epoch) => {
      events.push(`end ${epoch} start`);
      await sleep(30);
      status = `epoch ${epoch}`;
      events.push(`end ${epoch} done`);
    },
    onTrainEnd: async () => { await sleep(20); events.push('train end done'); },
  }] });
  status = 'fit resolved';
  assert.deepEqual(events, ['begin 0', 'end 0 start', 'end 0 done', 'begin 1', 'end 1 start', 'end 1 done',
    'begin 2', 'end 2 start', 'end 2 done', 'train end done']);
  assert.deepEqual(h.epoch, [0, 1, 2]);
  await sleep(60);
  assert.equal(status, 'fit resolved', 'no hook wrote after fit resolved');
  await m.dispose();
});

test('worker: an async onBatchEnd has finished by the next epoch-level hook', async () => {
  const { m, x, y } = await smallModel();
  let pending = 0;
  const seen = [];
  await m.fit(x, y, { epochs: 2, batch_size: 16, verbose: 0, callbacks: [{
    onBatchEnd: async () => { pending++; await sleep(5); pending--; },
    onEpochEnd: (epoch) => { seen.push(pending); },
  }] });
  // onEpochEnd itself runs as soon as it arrives; its hookDone waits for the
  // batch Promises, so at the next epoch's end none from epoch 0 is left.
  assert.equal(pending, 0, 'every async batch hook settled before fit resolved');
  assert.equal(seen.length, 2);
  await m.dispose();
});

test('worker: a rejecting async onEpochEnd stops fit with the one prefix, and the model stays usable', async () => {
  const { m, x, y } = await smallModel();
  const epochs = [];
  await assert.rejects(m.fit(x, y, { epochs: 5, batch_size: 16, verbose: 0, callbacks: [{
    onEpochEnd: async (epoch) => { epochs.push(epoch); await sleep(5); throw new RangeError('bad epoch'); },
  }] }), (e) => e.name === 'RangeError' && /^fit: a callback threw: bad epoch/.test(e.message));
  assert.deepEqual(epochs, [0], 'fit stopped after the epoch whose hook failed');
  const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
  assert.equal(h.epoch.length, 1);
  await m.dispose();
});
