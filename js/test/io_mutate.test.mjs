// Damaged files, many of them: a good model.json and its weights mutated at
// random (a field deleted or replaced by another JSON value, a shape grown,
// a file cut or padded) go through browserFiles and the localstorage://
// reader. Each either loads with specs that describe its bytes exactly or
// fails with a ValueError under the caller's prefix; nothing else escapes
// and nothing declared is allocated (the largest shapes would need
// terabytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFiles, browserHandler } from '../src/io/browser.mjs';
import { lcg } from './helpers.mjs';
import { MemoryStorage } from './io_storage.mjs';

const SPECS = [
  { name: 'dense/kernel', shape: [4, 3], dtype: 'float32' },
  { name: 'dense/bias', shape: [3], dtype: 'float32' },
  { name: 'q', shape: [5], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } },
  { name: 'ids', shape: [2, 2], dtype: 'int32' },
];
const DATA = new Uint8Array(48 + 12 + 5 + 16).map((_, i) => i * 7);
const ODD = [null, true, -1, 0, 1.5, 2 ** 40, 1e300, '', 'x', 'float64', [], [-1], [1e9, 1e9], [2 ** 53], {}, { dtype: 'uint8' }];

/** mutate changes one random thing in a deep copy of value (paths into objects and arrays). */
function mutate(value, g) {
  const copy = structuredClone(value);
  const nodes = [];
  (function walk(v) { if (v && typeof v === 'object') { nodes.push(v); for (const k of Object.keys(v)) walk(v[k]); } })(copy);
  const node = nodes[Math.floor(g() * nodes.length)];
  const keys = Object.keys(node);
  if (keys.length === 0) return copy;
  const k = keys[Math.floor(g() * keys.length)];
  const r = g();
  if (r < 0.2) delete node[k];
  else if (r < 0.4 && typeof node[k] === 'number') node[k] = node[k] * 2 + 1;
  else node[k] = structuredClone(ODD[Math.floor(g() * ODD.length)]);
  return copy;
}

const SIZES = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2, bool: 1, complex64: 8 };

/** describes is the test's own count: the specs' bytes equal the data's. */
function describes(specs, data) {
  let n = 0;
  for (const s of specs) n += s.shape.reduce((a, b) => a * b, 1) * SIZES[s.quantization ? s.quantization.dtype : s.dtype];
  assert.equal(n, data.byteLength, JSON.stringify(specs));
}

function ok(err, prefix) {
  assert.ok(err.name === 'ValueError' || err.name === 'TypeError', `${err.name}: ${err.message}\n${err.stack}`);
  assert.ok(err.message.startsWith(prefix), err.message);
}

test('browserFiles: 3000 mutated model.json files and weight files load exactly or fail with ValueError', async (t) => {
  const g = lcg(11);
  const manifest = { modelTopology: { class_name: 'Sequential', config: {} }, format: 'layers-model',
    weightsManifest: [{ paths: ['a.bin', 'b.bin'], weights: SPECS.slice(0, 2) }, { paths: ['c.bin'], weights: SPECS.slice(2) }] };
  let loaded = 0, refused = 0;
  for (let i = 0; i < 3000; i++) {
    const m = g() < 0.8 ? mutate(manifest, g) : manifest;
    let a = DATA.subarray(0, 30), b = DATA.subarray(30, 60), c = DATA.subarray(60);
    const cut = g();
    if (cut < 0.1) b = b.subarray(0, Math.floor(g() * b.length));
    else if (cut < 0.2) c = new Uint8Array([...c, 1, 2, 3]);
    const files = [new File([JSON.stringify(m)], 'model.json'), new File([a], 'a.bin'), new File([b], 'b.bin'), new File([c], 'c.bin')];
    try {
      const art = await browserFiles(files).load();
      loaded++;
      assert.ok(art.weightData instanceof ArrayBuffer);
      describes(art.weightSpecs, art.weightData);
    } catch (e) {
      refused++;
      ok(e, 'browserFiles: ');
    }
  }
  t.diagnostic(`loaded ${loaded}, refused ${refused}`);
  assert.ok(loaded > 300 && refused > 1000, `loaded ${loaded}, refused ${refused}`);
});

test('localstorage: 2000 mutated stored models load exactly or fail with ValueError', async (t) => {
  const g = lcg(12);
  const ls = new MemoryStorage();
  globalThis.localStorage = ls;
  try {
    const good = { modelTopology: { class_name: 'Sequential' }, weightSpecs: SPECS, weightData: DATA.slice().buffer, format: 'layers-model' };
    let loaded = 0, refused = 0;
    for (let i = 0; i < 2000; i++) {
      await browserHandler('localstorage://m', 'save').save(good);
      const key = ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata'][Math.floor(g() * 5)];
      const full = `tensorflowjs_models/m/${key}`;
      const text = ls.getItem(full);
      const r = g();
      if (r < 0.15) ls.removeItem(full);
      else if (r < 0.3) ls.setItem(full, text.slice(0, Math.floor(g() * text.length)));
      else if (key !== 'weight_data') ls.setItem(full, JSON.stringify(mutate(JSON.parse(text), g)));
      else ls.setItem(full, text.slice(4)); // 3 bytes fewer
      try {
        const art = await browserHandler('localstorage://m', 'load_model').load();
        describes(art.weightSpecs, art.weightData);
        loaded++;
      } catch (e) {
        refused++;
        ok(e, 'load_model: ');
      }
    }
    t.diagnostic(`loaded ${loaded}, refused ${refused}`);
    assert.ok(loaded > 100 && refused > 500, `loaded ${loaded}, refused ${refused}`);
  } finally {
    delete globalThis.localStorage;
  }
});
