// model.save('x.keras') keeps the compiled optimizer's state, as Keras 3's
// model.save always does (its variables under optimizer/vars of
// model.weights.h5; sequential/keras_optimizer_test.go checks the layout
// with h5py): a run saved mid-training, loaded with
// keras.models.load_model and resumed gives the History of the
// uninterrupted run to the bit. include_optimizer: false leaves it out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keras as loadOurs } from './helpers.mjs';

const N = 24;
const X = Float32Array.from({ length: N * 4 }, (_, i) => Math.sin(i * 0.37) + ((i * 7) % 5) / 5);
const Y = new Float32Array(N * 3);
for (let i = 0; i < N; i++) Y[i * 3 + (X[i * 4] + X[i * 4 + 1] > 0.6 ? 0 : X[i * 4 + 2] > 0.5 ? 1 : 2)] = 1;

function model(k, optimizer) {
  k.utils.set_random_seed(11);
  const m = k.Sequential([
    k.layers.Dense(6, { activation: 'relu', input_shape: [4] }),
    k.layers.BatchNormalization(),
    k.layers.Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const fit = (k, m, from, to) => m.fit(k.tensor(X, [N, 4]), k.tensor(Y, [N, 3]), { epochs: to, initial_epoch: from, batch_size: 6, shuffle: false, verbose: 0 });

test('a .keras file saved mid-training resumes with the uninterrupted History to the bit', async (t) => {
  const k = await loadOurs();
  const dir = await mkdtemp(join(tmpdir(), 'kw-kopt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const optimizers = {
    'SGD(momentum, nesterov)': () => k.optimizers.SGD({ learning_rate: 0.05, momentum: 0.9, nesterov: true }),
    'RMSprop(momentum, centered)': () => k.optimizers.RMSprop({ momentum: 0.5, centered: true }),
    RMSprop: () => 'rmsprop',
    Adam: () => k.optimizers.Adam({ learning_rate: 0.01 }),
  };
  for (const [name, opt] of Object.entries(optimizers)) {
    const whole = model(k, opt());
    const hw = await fit(k, whole, 0, 4);
    const first = model(k, opt());
    const h1 = await fit(k, first, 0, 2);
    const path = join(dir, `${name}.keras`);
    await first.save(path);
    const resumed = await k.models.load_model(path);
    assert.equal(resumed.optimizer.iterations, first.optimizer.iterations, name);
    const h2 = await fit(k, resumed, 2, 4);
    for (const key of ['loss', 'accuracy']) {
      assert.deepEqual([...h1.history[key], ...h2.history[key]], hw.history[key], `${name} ${key}`);
    }
  }
});

test('include_optimizer: false leaves the optimizer state out of a .keras file', async (t) => {
  const k = await loadOurs();
  const dir = await mkdtemp(join(tmpdir(), 'kw-kopt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const m = model(k, 'adam');
  await fit(k, m, 0, 1);
  await m.save(join(dir, 'with.keras'));
  await m.save(join(dir, 'without.keras'), { include_optimizer: false });
  const w = await k.models.load_model(join(dir, 'with.keras'));
  const wo = await k.models.load_model(join(dir, 'without.keras'));
  assert.equal(w.optimizer.iterations, 4);
  assert.equal(wo.optimizer.iterations, 0, 'compiled, with a fresh optimizer');
  await assert.rejects(m.save(join(dir, 'x.keras'), { include_optimizer: 1 }), (e) => e instanceof TypeError && /include_optimizer must be true or false/.test(e.message));
});
