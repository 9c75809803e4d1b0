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

test('utils.split_dataset: Keras\'s sizes (round half to even), left first, right last; [x, y] stay paired', () => {
  const n = 10;
  const x = keras.tensor(Float32Array.from({ length: n * 2 }, (_, i) => Math.floor(i / 2)), [n, 2]);
  const y = keras.tensor(Float32Array.from({ length: n }, (_, i) => i), [n, 1]);
  const ids = (t) => t.array().map((r) => r[0]);
  const range = (a, b) => Array.from({ length: b - a }, (_, i) => a + i);
  // Keras: left = round(left_size * n) (Python rounds 2.5 to 2) or the count; right the rest, or
  // the last right_size samples.
  for (const [opts, nl, nr] of [[{ left_size: 0.8 }, 8, 2], [{ right_size: 0.25 }, 8, 2], [{ left_size: 0.25 }, 2, 8],
    [{ left_size: 3, right_size: 2 }, 3, 2], [{ left_size: 0.45 }, 4, 6], [{ left_size: 0.35 }, 4, 6]]) {
    const [[xl, yl], [xr, yr]] = keras.utils.split_dataset([x, y], opts);
    assert.deepEqual(ids(xl), range(0, nl), JSON.stringify(opts));
    assert.deepEqual(ids(yl), range(0, nl));
    assert.deepEqual(ids(xr), range(n - nr, n));
    assert.deepEqual(ids(yr), range(n - nr, n));
  }
  // One array in, one array out on each side; positional arguments as in Keras.
  const [a, b] = keras.utils.split_dataset([[1], [2], [3], [4]], 0.5, null, true, 11);
  const [a2, b2] = keras.utils.splitDataset([[1], [2], [3], [4]], { left_size: 0.5, shuffle: true, seed: 11 });
  assert.deepEqual([a.array(), b.array()], [a2.array(), b2.array()], 'the same seed, the same split');
  assert.deepEqual([...a.array(), ...b.array()].map((r) => r[0]).sort(), [1, 2, 3, 4]);
  assert.throws(() => keras.utils.split_dataset([x, y]), { name: 'ValueError', message: /^split_dataset: at least one of the `left_size` or `right_size`/ });
  assert.throws(() => keras.utils.split_dataset(x, { left_size: 'half' }), { name: 'TypeError', message: /left_size/ });
  assert.throws(() => keras.utils.split_dataset(x, { left_size: 0.99 }), { name: 'ValueError', message: /empty right dataset split/ });
});

test('utils.split_dataset in a worker: the same split, as a Promise', async () => {
  const x = keras.tensor(Float32Array.from({ length: 6 }, (_, i) => i), [6, 1]);
  const [l, r] = await wk.utils.split_dataset([x, x], { right_size: 2 });
  assert.deepEqual(l[0].array(), [[0], [1], [2], [3]]);
  assert.deepEqual(r[1].array(), [[4], [5]]);
});
