// The browser IO handlers (src/io/browser.mjs) under Node: browserFiles with
// Node's File objects, downloads:// with a stand-in document, localstorage://
// with a Web Storage stand-in, each against TF.js 4.22's own handlers where
// TF.js can run them in Node. http(s):// is in io_http.test.mjs; IndexedDB
// in the Chromium test (demo/test/io_browser.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserFiles, browserHandler, copyModel, listModels, moveModel, removeModel } from '../src/io/browser.mjs';
import { MemoryStorage } from './io_storage.mjs';
import { bytes, handArtifacts, rejects, skipTF, tf, tfArtifacts } from './io_helpers.mjs';

// --- browserFiles --------------------------------------------------------

function modelFiles(a, { weightsName = 'model.weights.bin', jsonName = 'model.json' } = {}) {
  const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
    weightsManifest: [{ paths: [`./${weightsName}`], weights: a.weightSpecs }] };
  return [new File([JSON.stringify(json)], jsonName, { type: 'application/json' }), new File([a.weightData], weightsName)];
}

test('browserFiles: a model.json and its weight file load, the JSON first or not', async () => {
  const a = handArtifacts();
  const [j, w] = modelFiles(a);
  for (const list of [[j, w], [w, j]]) {
    const got = await browserFiles(list).load();
    assert.deepEqual(got.modelTopology, a.modelTopology);
    assert.deepEqual(got.weightSpecs, a.weightSpecs);
    assert.deepEqual(bytes(got.weightData), bytes(a.weightData));
  }
});

test('browserFiles: what TF.js downloads loads here and the same artifacts load in TF.js', { skip: skipTF }, async () => {
  const { a } = await tfArtifacts();
  const list = modelFiles(a, { weightsName: 'm.weights.bin', jsonName: 'm.json' });
  const got = await browserFiles(list).load();
  assert.deepEqual(bytes(got.weightData), bytes(a.weightData));
  const model = await tf.loadLayersModel(tf.io.fromMemory(got));
  assert.equal(model.layers.length, 2);
});

test('browserFiles: a single .keras file gives its bytes for the router', async () => {
  const zip = new Uint8Array([0x50, 0x4b, 3, 4, 9, 9]);
  const got = await browserFiles([new File([zip], 'mnist.keras')]).load();
  assert.equal(got.format, 'keras');
  assert.ok(got.kerasBytes instanceof Uint8Array);
  assert.deepEqual(Array.from(got.kerasBytes), Array.from(zip));
  await rejects(browserFiles([new File([zip], 'a.keras'), new File(['{}'], 'model.json')]).load(), 'ValueError', 'loaded alone');
});

test('browserFiles: missing, extra, short and duplicate files are clear errors, checked before reading', async () => {
  const a = handArtifacts();
  const [j, w] = modelFiles(a);
  await rejects(browserFiles([j]).load(), 'ValueError', "'model.weights.bin' that file 'model.json' names was not given");
  await rejects(browserFiles([j, w, new File(['x'], 'extra.bin')]).load(), 'ValueError', 'names 1 weight files but 2 were given', 'extra.bin');
  await rejects(browserFiles([j, new File([a.weightData.slice(0, 50)], 'model.weights.bin')]).load(), 'ValueError', 'declares 60 bytes', 'hold 50');
  await rejects(browserFiles([j, w, new File(['x'], 'model.weights.bin')]).load(), 'ValueError', "two weight files are named 'model.weights.bin'");
  // A weight file whose size is wrong is never read.
  let read = false;
  const spy = new File([new Uint8Array(8)], 'model.weights.bin');
  spy.arrayBuffer = async () => { read = true; return new ArrayBuffer(8); };
  await rejects(browserFiles([j, spy]).load(), 'ValueError', 'hold 8');
  assert.equal(read, false);
  await rejects(browserFiles([new File(['nope'], 'model.json')]).load(), 'ValueError', "file 'model.json' is not JSON");
  assert.throws(() => browserFiles('model.json'), TypeError);
  assert.throws(() => browserFiles([{ name: 'model.json' }]), TypeError);
  assert.throws(() => browserFiles([]), (e) => e.name === 'ValueError');
});

// --- downloads:// --------------------------------------------------------

/** fakeDocument records the anchors clicked and the blobs behind their object URLs. */
function fakeDocument() {
  const clicks = [], blobs = new Map(), revoked = [];
  let n = 0;
  const origCreate = URL.createObjectURL, origRevoke = URL.revokeObjectURL;
  URL.createObjectURL = (b) => { const u = `blob:fake/${n++}`; blobs.set(u, b); return u; };
  URL.revokeObjectURL = (u) => revoked.push(u);
  globalThis.document = { createElement: (tag) => ({ tag, click() { clicks.push({ tag, download: this.download, href: this.href }); } }) };
  return { clicks, blobs, restore() { delete globalThis.document; URL.createObjectURL = origCreate; URL.revokeObjectURL = origRevoke; } };
}

test('downloads: two files, name.json (TF.js model.json naming ./name.weights.bin) and name.weights.bin', async () => {
  const a = handArtifacts();
  const d = fakeDocument();
  try {
    const r = await browserHandler('downloads://my-model', 'save').save(a);
    assert.deepEqual(d.clicks.map((c) => [c.tag, c.download]), [['a', 'my-model.json'], ['a', 'my-model.weights.bin']]);
    const json = JSON.parse(await d.blobs.get(d.clicks[0].href).text());
    assert.deepEqual(json.weightsManifest, [{ paths: ['./my-model.weights.bin'], weights: a.weightSpecs }]);
    assert.deepEqual(json.modelTopology, a.modelTopology);
    assert.deepEqual(json.userDefinedMetadata, { note: 'hi' });
    assert.deepEqual(bytes(await d.blobs.get(d.clicks[1].href).arrayBuffer()), bytes(a.weightData));
    assert.equal(r.modelArtifactsInfo.weightDataBytes, 60);
    // The two downloads load back through browserFiles.
    const back = await browserFiles([new File([JSON.stringify(json)], 'my-model.json'),
      new File([await d.blobs.get(d.clicks[1].href).arrayBuffer()], 'my-model.weights.bin')]).load();
    assert.deepEqual(bytes(back.weightData), bytes(a.weightData));
    await browserHandler('downloads://', 'save').save(a);
    assert.deepEqual(d.clicks.slice(2).map((c) => c.download), ['model.json', 'model.weights.bin']);
    assert.equal(browserHandler('downloads://x', 'save').load, undefined);
  } finally {
    d.restore();
  }
});

test('schemes that need a browser say so in Node; other strings get null', () => {
  assert.throws(() => browserHandler('downloads://x', 'save'), (e) => e.name === 'Error' && /^save: downloads:\/\/ needs a browser page/.test(e.message));
  assert.throws(() => browserHandler('indexeddb://x', 'load_model'), (e) => e.name === 'Error' && /^load_model: indexeddb:\/\/ needs a browser/.test(e.message));
  assert.throws(() => browserHandler('localstorage://x', 'save'), (e) => /^save: localstorage:\/\/ needs a browser page/.test(e.message));
  for (const u of ['file://m.json', 'model.keras', 'HTTP://x', 'indexeddb:/x', 42, null]) assert.equal(browserHandler(u, 'save'), null, String(u));
});

// --- localstorage:// -----------------------------------------------------

test('localstorage: a round trip, and the stored strings are exactly those TF.js stores', { skip: skipTF }, async () => {
  const { a, m } = await tfArtifacts();
  globalThis.window = { localStorage: new MemoryStorage() };
  globalThis.localStorage = window.localStorage;
  tf.env().set('IS_BROWSER', true);
  try {
    await m.save('localstorage://tf');
    const r = await browserHandler('localstorage://ours', 'save').save(a);
    const ls = window.localStorage;
    for (const k of ['info', 'model_topology', 'weight_specs', 'weight_data', 'model_metadata']) {
      const theirs = ls.getItem(`tensorflowjs_models/tf/${k}`), ours = ls.getItem(`tensorflowjs_models/ours/${k}`);
      assert.ok(theirs !== null && ours !== null, k);
      if (k === 'info') {
        assert.deepEqual({ ...JSON.parse(ours), dateSaved: 0 }, { ...JSON.parse(theirs), dateSaved: 0 });
        assert.match(JSON.parse(ours).dateSaved, /^\d{4}-\d\d-\d\dT/);
      } else assert.equal(ours, theirs, k);
    }
    assert.deepEqual(r.modelArtifactsInfo.weightDataBytes, a.weightData.byteLength);
    const got = await browserHandler('localstorage://tf', 'load_model').load();
    const theirs = await tf.io.getLoadHandlers('localstorage://ours')[0].load();
    assert.deepEqual({ ...got, weightData: null }, { ...theirs, weightData: null });
    assert.deepEqual(bytes(got.weightData), bytes(a.weightData));
    assert.deepEqual(bytes(theirs.weightData), bytes(a.weightData));
  } finally {
    tf.env().set('IS_BROWSER', false);
    delete globalThis.window; delete globalThis.localStorage;
  }
});

test('localstorage: a save that runs out of quota leaves the model stored before intact', async () => {
  const ls = new MemoryStorage();
  globalThis.localStorage = ls;
  try {
    const a = handArtifacts();
    await browserHandler('localstorage://m', 'save').save(a);
    const before = ls.snapshot();
    ls.quota = ls.used() + 100; // room for the small keys, not for the big weights
    const big = { ...a, weightSpecs: [{ name: 'w', shape: [1000], dtype: 'float32' }], weightData: new ArrayBuffer(4000) };
    await rejects(browserHandler('localstorage://m', 'save').save(big), 'Error', 'save: cannot save to localstorage://m', 'quota', 'unchanged');
    assert.deepEqual(ls.snapshot(), before);
    const got = await browserHandler('localstorage://m', 'load_model').load();
    assert.deepEqual(bytes(got.weightData), bytes(a.weightData));
    // A new name that does not fit leaves nothing behind.
    await rejects(browserHandler('localstorage://n', 'save').save(big), 'Error', 'quota');
    assert.deepEqual(ls.snapshot(), before);
  } finally {
    delete globalThis.localStorage;
  }
});

test('localstorage: damaged stored models are ValueErrors, never a wrong model', async () => {
  const ls = new MemoryStorage();
  globalThis.localStorage = ls;
  try {
    const a = handArtifacts();
    const h = browserHandler('localstorage://d', 'load_model');
    await rejects(h.load(), 'ValueError', 'load_model: there is no model localstorage://d');
    await browserHandler('localstorage://d', 'save').save(a);
    const data = ls.getItem('tensorflowjs_models/d/weight_data');
    ls.setItem('tensorflowjs_models/d/weight_data', data.slice(0, 40));
    await rejects(h.load(), 'ValueError', 'localstorage://d', 'describe 60 bytes', 'has 30');
    ls.setItem('tensorflowjs_models/d/weight_data', '!!not base64!!');
    await rejects(h.load(), 'ValueError', 'not base64');
    ls.setItem('tensorflowjs_models/d/weight_specs', '{');
    await rejects(h.load(), 'ValueError', 'weight specs of localstorage://d', 'not JSON');
    ls.removeItem('tensorflowjs_models/d/model_topology');
    await rejects(h.load(), 'ValueError', 'topology of localstorage://d is missing');
  } finally {
    delete globalThis.localStorage;
  }
});

test('localstorage: list_models, remove_model, copy_model and move_model', async () => {
  const ls = new MemoryStorage();
  globalThis.localStorage = ls;
  try {
    const a = handArtifacts();
    assert.deepEqual(await listModels(), {});
    await browserHandler('localstorage://a/b', 'save').save(a);
    const info = await copyModel('localstorage://a/b', 'localstorage://c');
    assert.equal(info.weightDataBytes, 60);
    const list = await listModels();
    assert.deepEqual(Object.keys(list).sort(), ['localstorage://a/b', 'localstorage://c']);
    assert.equal(list['localstorage://c'].modelTopologyType, 'JSON');
    assert.equal(typeof list['localstorage://c'].dateSaved, 'string'); // JSON text, as TF.js lists it
    await moveModel('localstorage://c', 'localstorage://d');
    assert.deepEqual(Object.keys(await listModels()).sort(), ['localstorage://a/b', 'localstorage://d']);
    const d = await browserHandler('localstorage://d', 'load_model').load();
    assert.deepEqual(bytes(d.weightData), bytes(a.weightData));
    const removed = await removeModel('localstorage://a/b');
    assert.equal(removed.weightDataBytes, 60);
    assert.deepEqual(Object.keys(await listModels()), ['localstorage://d']);
    assert.equal(ls.keys().filter((k) => k.includes('/a/b/')).length, 0);
    await rejects(removeModel('localstorage://a/b'), 'ValueError', 'remove_model: there is no model localstorage://a/b');
    await rejects(removeModel('localstorag://d'), 'ValueError', "Did you mean 'localstorage://d'");
    await rejects(removeModel('https://x/model.json'), 'ValueError', 'not in a browser model store');
    await rejects(copyModel('localstorage://d', 'localstorage://d'), 'ValueError', 'the same URL');
    await rejects(copyModel('localstorage://d', 'indexdb://e'), 'ValueError', "Did you mean 'indexeddb://e'");
    // A move whose destination cannot be written keeps the source.
    ls.quota = ls.used() + 10;
    await rejects(moveModel('localstorage://d', 'localstorage://e'), 'Error', 'quota');
    assert.deepEqual(Object.keys(await listModels()), ['localstorage://d']);
  } finally {
    delete globalThis.localStorage;
  }
});
