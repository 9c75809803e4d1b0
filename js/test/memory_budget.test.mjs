// One memory budget for the whole runtime (sequential/budget.go): every
// model's weights, optimizer state and batch buffers, and every tensor the
// door copies in, reserve from it. Models that each fit alone but not
// together: the one over the limit is refused with a ResourceExhaustedError
// that names what it asked, who holds the rest and the limit; the others go
// on; after a dispose a fresh model trains in the same runtime. The limit
// is set small (keras.config.set_memory_limit, loadKeras({memoryLimit})) so
// the test is quick; the real default is what the wasm memory can grow to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

const MiB = 2 ** 20;
// Dense(256) on 256 inputs: 65,792 weights; with their gradients 514 KiB,
// and Adam's state (two slots and the clipped gradient) 771 KiB more.
const LIMIT = Math.round(3.2 * MiB);

function data(keras, n) {
  const x = keras.tensor(new Float32Array(n * 256).map((_, i) => ((i * 7) % 13) / 13), [n, 256]);
  const y = keras.tensor(new Float32Array(n * 256).map((_, i) => ((i * 5) % 11) / 11), [n, 256]);
  return { x, y };
}

async function denseAdam(keras, name) {
  const m = keras.Sequential([keras.layers.Dense(256, { input_dim: 256 })], name);
  await m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

async function refused(p, ...patterns) {
  const e = await Promise.resolve().then(() => p()).then(() => null, (err) => err);
  assert.ok(e, 'expected a refusal');
  assert.equal(e.name, 'ResourceExhaustedError', e.message);
  for (const re of patterns) assert.match(e.message, re);
  assert.doesNotMatch(e.message, /SetMemoryLimit|sequential\.|\*Model|runtime\/debug/, 'no Go names');
  return e;
}

for (const worker of [false, true]) {
  const mode = worker ? 'worker' : 'main thread';

  test(`${mode}: the model over the runtime's budget is refused, the others train, and after a dispose a fresh one trains`, async () => {
    const keras = await loadKeras({ worker, memoryLimit: LIMIT });
    try {
      assert.equal(await keras.config.get_memory_limit(), LIMIT, 'loadKeras({memoryLimit}) sets the limit');
      const { x, y } = data(keras, 16);
      const first = await denseAdam(keras, 'first');
      const second = await denseAdam(keras, 'second');
      for (const m of [first, second]) await m.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
      const info = await keras.config.get_memory_info();
      assert.deepEqual(info.holders.filter((h) => h.model).map((h) => h.name).sort(), ['first', 'second']);
      assert.ok(info.current > 2.5 * MiB && info.current < LIMIT, `in use ${info.current}`);

      // The third builds (weights and gradients fit) but Adam's state does not.
      const third = keras.Sequential([keras.layers.Dense(256, { input_dim: 256 })], 'third');
      const e = await refused(() => third.compile({ optimizer: 'adam', loss: 'mse' }),
        /^compile: out of memory: model "third" would need about 771\.0 KiB more \(the optimizer's state for 65792 weights\)/,
        /model "first" 1\.\d MiB/, /model "second" 1\.\d MiB/, /model "third" 514\.0 KiB/,
        /memory limit of 3\.2 MiB/, /dispose the models you no longer need \(model\.dispose\(\)\)/,
        /keras\.config\.set_memory_limit\(bytes\)/);
      assert.ok(e instanceof keras.errors.ResourceExhaustedError || worker, 'instanceof on the main thread');

      // The others still work, and so does the refused one's SGD.
      await first.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
      assert.deepEqual((await second.predict(x)).shape, [16, 256]);

      // Data the door would copy in is refused before it is copied.
      const big = data(keras, 1024);
      await refused(() => first.predict(big.x), /^predict: out of memory: this call would need about 1\.0 MiB more \(x, a tensor of shape \[1024, 256\]\)/);
      await refused(() => first.train_on_batch(big.x, big.y), /^train_on_batch: /, /out of memory/);
      if (!worker) {
        // Nor would a .keras file's bytes.
        const { loadKerasBytes } = await import('../src/kerasfile.mjs');
        await refused(() => loadKerasBytes(keras, new Uint8Array(2 * MiB)), /^loadKerasBytes: out of memory: this call would need about 2\.0 MiB more \(the file's 2097152 bytes\)/);
      }
      // to_categorical's result would not fit either.
      await refused(() => keras.utils.to_categorical(new Float32Array(1000), 1000), /^to_categorical: /, /out of memory/);

      await first.dispose();
      await first.dispose(); // twice is harmless, with a worker too
      await third.compile({ optimizer: 'adam', loss: 'mse' });
      const h = await third.fit(x, y, { epochs: 2, batch_size: 8, verbose: 0 });
      assert.equal(h.history.loss.length, 2, 'a fresh model trains in the same runtime after a dispose');
      await second.dispose();
      await third.dispose();
      const after = await keras.config.get_memory_info();
      assert.equal(after.holders.filter((x) => x.model).length, 0, 'disposed models hold nothing');
      assert.ok(after.current < 64 * 1024, `in use after disposing all: ${after.current}`);
      assert.ok(after.peak >= info.current);
    } finally {
      keras.terminate?.();
    }
  });

  test(`${mode}: set_memory_limit refuses what is not a positive number of bytes or above what the memory can grow to`, async () => {
    const keras = await loadKeras({ worker });
    try {
      const limit = await keras.config.get_memory_limit();
      if (!worker) assert.ok(limit > 2.5 * 2 ** 30 && limit < 4 * 2 ** 30, `the default limit follows the wasm memory: ${limit}`);
      const bad = async (v, name, re) => {
        const e = await Promise.resolve().then(() => keras.config.set_memory_limit(v)).then(() => null, (err) => err);
        assert.equal(e?.name, name, `${v}: ${e?.message}`);
        assert.match(e.message, re);
      };
      await bad('1GiB', 'TypeError', /bytes must be a positive whole number.*Received: bytes="1GiB"/);
      await bad(0, 'ValueError', /Received: bytes=0/);
      await bad(1.5, 'ValueError', /Received: bytes=1.5/);
      await bad(8 * 2 ** 30, 'ValueError', /can be at most \d+ bytes \(3\.\d GiB\), what this runtime's memory can grow to/);
      assert.equal(await keras.config.get_memory_limit(), limit, 'a refused limit changes nothing');
      await keras.config.set_memory_limit(2 ** 30);
      assert.equal(await keras.config.getMemoryLimit(), 2 ** 30, 'the camelCase spelling too');
    } finally {
      keras.terminate?.();
    }
  });
}

for (const worker of [false, true]) {
  test(`${worker ? 'worker' : 'main thread'}: loadKeras({memoryLimit}) refuses a bad limit`, async () => {
    await assert.rejects(loadKeras({ worker, memoryLimit: '2GB' }), (e) => e.name === 'TypeError' && /set_memory_limit: bytes must be a positive whole number/.test(e.message));
    await assert.rejects(loadKeras({ worker, memoryLimit: 2 ** 40 }), (e) => e.name === 'ValueError' && /can be at most/.test(e.message));
  });
}
