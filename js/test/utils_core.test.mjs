// keras.utils.pad_sequences and normalize, computed by the core (sequential/utils_*.go), on the
// main thread and in a worker, against Keras's formulas written here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

let keras, wk;
before(async () => { keras = await loadKeras(); wk = await loadKeras({ worker: true }); });
after(() => wk?.terminate());

// Keras's pad_sequences for numbers: np.full((n, maxlen), value, dtype); s[-maxlen:] or s[:maxlen];
// x[i, -len:] or x[i, :len]; int32 truncates toward zero.
function kerasPad(seqs, { maxlen = null, dtype = 'int32', padding = 'pre', truncating = 'pre', value = 0 } = {}) {
  const cast = (v) => (dtype === 'int32' ? Math.trunc(v) : Math.fround(v));
  const L = maxlen ?? Math.max(0, ...seqs.map((s) => s.length));
  return seqs.map((s) => {
    const row = new Array(L).fill(cast(value));
    const t = s.length > L ? (truncating === 'pre' ? s.slice(s.length - L) : s.slice(0, L)) : s;
    const off = padding === 'pre' ? L - t.length : 0;
    t.forEach((v, j) => { row[off + j] = cast(v); });
    return row;
  });
}

const SEQS = [[1, 2, 3], [4, 5], [], [6, 7, 8, 9, 10], [1.7, -2.5]];

test('utils.pad_sequences: Keras semantics for maxlen, dtype, padding, truncating, value', () => {
  for (const opts of [{}, { maxlen: 3 }, { maxlen: 3, padding: 'post', truncating: 'post' }, { maxlen: 4, padding: 'post', value: -1 },
    { dtype: 'float32', value: 0.5, maxlen: 6 }, { value: 2.9 }]) {
    const t = keras.utils.pad_sequences(SEQS, opts);
    assert.deepEqual(t.array(), kerasPad(SEQS, opts), JSON.stringify(opts));
    assert.equal(t.dtype, opts.dtype ?? 'int32');
  }
  // Positional, as in Keras: pad_sequences(sequences, maxlen, dtype, padding, truncating, value).
  assert.deepEqual(keras.utils.pad_sequences([[1], [2, 3], [4, 5, 6]], 2, 'int32', 'post', 'post', 9).array(), [[1, 9], [2, 3], [4, 5]]);
  assert.deepEqual(keras.preprocessing.sequence.pad_sequences([[1], [2, 3]]).array(), [[0, 1], [2, 3]]);
  assert.deepEqual(keras.utils.padSequences([new Float32Array([1, 2])], { maxlen: 3 }).array(), [[0, 1, 2]]);
});

test('utils.pad_sequences: errors name the argument, the model of Keras\'s', () => {
  assert.throws(() => keras.utils.pad_sequences([[1]], { padding: 'middle' }), { name: 'ValueError', message: /^pad_sequences: .*padding.*"pre", "post".*Received: padding="middle"/ });
  assert.throws(() => keras.utils.pad_sequences([[1], 2]), { name: 'ValueError', message: /non-iterable: the number 2 at position 1/ });
  assert.throws(() => keras.utils.pad_sequences([[[1, 2]]]), { name: 'NotImplementedError', message: /sequences of vectors/ });
  assert.throws(() => keras.utils.pad_sequences([[1]], { maxlen: 0 }), { name: 'ValueError', message: /maxlen/ });
  assert.throws(() => keras.utils.pad_sequences([[1]], { maxlne: 2 }), { name: 'ValueError', message: /maxlne/ });
  assert.deepEqual(keras.utils.pad_sequences([[1, 2]], 1).array(), [[2]], 'the runtime still works');
});

test('utils.normalize: x / max(norm, or 1 where 0) along axis, as Keras (numpy linalg.norm)', () => {
  const x = [[3, 4, 0], [0, 0, 0], [-1, 2, -2]];
  const norm = (v, p) => (p === Infinity ? Math.max(...v.map(Math.abs)) : v.reduce((s, e) => s + Math.abs(e) ** p, 0) ** (1 / p));
  for (const [axis, order] of [[-1, 2], [1, 1], [-1, Infinity], [0, 2], [0, 3]]) {
    const got = keras.utils.normalize(x, axis, order).array();
    const want = x.map((r) => r.slice());
    if (axis === 0) {
      for (let j = 0; j < 3; j++) { const n = norm(x.map((r) => r[j]), order) || 1; for (let i = 0; i < 3; i++) want[i][j] = x[i][j] / n; }
    } else {
      x.forEach((r, i) => { const n = norm(r, order) || 1; want[i] = r.map((e) => e / n); });
    }
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(got[i][j] - want[i][j]) < 1e-6, `axis ${axis} order ${order} [${i}][${j}]: ${got[i][j]} vs ${want[i][j]}`);
  }
  assert.deepEqual(keras.utils.normalize([[3, 4]], { order: 1 }).shape, [1, 2]);
  assert.throws(() => keras.utils.normalize([[1, 2]], 2), { name: 'ValueError', message: /^normalize: axis 2 is out of bounds for x of rank 2/ });
});

test('utils.pad_sequences and normalize in a worker: the same values, as Promises', async () => {
  const p = wk.utils.pad_sequences(SEQS, { maxlen: 4, padding: 'post' });
  assert.ok(p instanceof Promise);
  const t = await p;
  assert.deepEqual(t.array(), kerasPad(SEQS, { maxlen: 4, padding: 'post' }));
  assert.equal(t.dtype, 'int32');
  assert.deepEqual((await wk.utils.normalize([[3, 4]])).array().map((r) => r.map((v) => Math.round(v * 1e6) / 1e6)), [[0.6, 0.8]]);
  await assert.rejects(wk.utils.pad_sequences([[1]], { truncating: 'x' }), { name: 'ValueError', message: /truncating/ });
});
