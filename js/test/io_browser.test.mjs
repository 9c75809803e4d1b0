// The browser IO handlers (src/io/browser.mjs) under Node: http(s) against a
// local node:http server (good models and damaged ones), browserFiles with
// Node's File objects, downloads:// with a stand-in document, localstorage://
// with a Web Storage stand-in, each against TF.js 4.22's own handlers where
// TF.js can run them in Node. IndexedDB is in the Chromium test
// (demo/test/io_browser.test.mjs).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { browserFiles, browserHandler, copyModel, listModels, moveModel, removeModel } from '../src/io/browser.mjs';
import { MemoryStorage } from './io_storage.mjs';

// TF.js 4.22: the dev dependency of js/ when it has one, else the parity generator's (make installs it).
let tf = null;
for (const dir of ['../package.json', '../../testdata/parity/gen/package.json']) {
  try {
    tf = await import(pathToFileURL(createRequire(new URL(dir, import.meta.url)).resolve('@tensorflow/tfjs')).href);
    break;
  } catch { /* try the next */ }
}
if (tf === null && process.env.CI === 'true') throw new Error('@tensorflow/tfjs 4.22 is not installed (make installs it under testdata/parity/gen)');
const skipTF = tf ? false : '@tensorflow/tfjs not installed (cd testdata/parity/gen && npm ci)';

/** artifactsOf is a TF.js-made model's artifacts, as its save handlers receive them (falls back to hand-made ones). */
async function tfArtifacts() {
  await tf.setBackend('cpu');
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let a;
  await m.save(tf.io.withSaveHandler(async (x) => { a = x; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return { m, a };
}

/** handArtifacts is a small ModelArtifacts that needs no TF.js: two float32 weights, 12 + 3 values. */
function handArtifacts() {
  const w = Float32Array.from({ length: 15 }, (_, i) => i / 7 - 1);
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { units: 3 } }] } },
    weightSpecs: [{ name: 'dense/kernel', shape: [4, 3], dtype: 'float32' }, { name: 'dense/bias', shape: [3], dtype: 'float32' }],
    weightData: w.buffer, format: 'layers-model', generatedBy: 'keraswasm test', convertedBy: null,
    userDefinedMetadata: { note: 'hi' },
  };
}

const bytes = (b) => Array.from(new Uint8Array(b));

/** rejects asserts that p rejects with an error of class name whose message has every part. */
async function rejects(p, name, ...parts) {
  let err = null;
  try { await p; } catch (e) { err = e; }
  assert.ok(err instanceof Error, `expected a rejection, got ${err}`);
  assert.equal(err.name, name, err.message);
  for (const s of parts) assert.ok(err.message.includes(s), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(s)}`);
  return err;
}

// --- http(s) -------------------------------------------------------------

let server, base;
const files = new Map(); // path -> {status, body, headers}
const requests = [];
let uploads = [];

before(async () => {
  server = createServer(async (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const chunks = [];
    for await (const c of req) chunks.push(c);
    if (req.method === 'POST') {
      const r = new Request(`http://x${req.url}`, { method: 'POST', headers: req.headers, body: Buffer.concat(chunks) });
      const form = await r.formData();
      const parts = {};
      for (const [k, v] of form) parts[k] = { name: v.name, type: v.type, bytes: new Uint8Array(await v.arrayBuffer()) };
      uploads.push({ url: req.url, parts });
      res.writeHead(req.url.includes('fail') ? 500 : 200).end('ok');
      return;
    }
    const f = files.get(req.url.split('?')[0]);
    if (!f) { res.writeHead(404, 'Not Found').end('no'); return; }
    if (f.cut) { // promise the whole body, send part of it, then drop the connection
      res.writeHead(200, { 'content-length': f.body.length });
      res.write(f.body.subarray(0, f.cut), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.writeHead(f.status ?? 200, { 'content-type': 'application/octet-stream', ...f.headers }).end(f.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

/** serve puts a model at /dir/model.json with its weights split into shards of shardBytes. */
function serve(dir, a, shardBytes = 24) {
  const data = new Uint8Array(a.weightData);
  const paths = [];
  for (let off = 0, i = 0; off < data.length; off += shardBytes, i++) {
    paths.push(`group1-shard${i + 1}of${Math.ceil(data.length / shardBytes)}.bin`);
    files.set(`/${dir}/${paths[i]}`, { body: Buffer.from(data.subarray(off, off + shardBytes)) });
  }
  const json = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
    weightsManifest: [{ paths, weights: a.weightSpecs }], userDefinedMetadata: a.userDefinedMetadata };
  files.set(`/${dir}/model.json`, { body: JSON.stringify(json) });
  return { url: `${base}/${dir}/model.json`, paths, json };
}

test('http: a model.json and its shards load as the artifacts that were served, as TF.js loads them', { skip: skipTF }, async () => {
  const { a } = await tfArtifacts();
  const { url } = serve('good', a);
  const got = await browserHandler(url, 'load_model').load();
  assert.deepEqual(got.modelTopology, a.modelTopology);
  assert.deepEqual(got.weightSpecs, a.weightSpecs);
  assert.deepEqual(bytes(got.weightData), bytes(a.weightData));
  assert.equal(got.format, 'layers-model');
  const theirs = await tf.io.http(url).load();
  const theirData = tf.io.CompositeArrayBuffer.join(theirs.weightData);
  assert.deepEqual(bytes(got.weightData), bytes(theirData));
  assert.deepEqual({ ...got, weightData: null }, { ...theirs, weightData: null });
});

test('http: weights in two groups, a query string kept on every shard URL', async () => {
  const a = handArtifacts();
  const data = new Uint8Array(a.weightData);
  files.set('/two/k.bin', { body: Buffer.from(data.subarray(0, 48)) });
  files.set('/two/b.bin', { body: Buffer.from(data.subarray(48)) });
  files.set('/two/model.json', { body: JSON.stringify({ modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ['k.bin'], weights: [a.weightSpecs[0]] }, { paths: ['./b.bin'], weights: [a.weightSpecs[1]] }] }) });
  requests.length = 0;
  const got = await browserHandler(`${base}/two/model.json?v=3`, 'load_model').load();
  assert.deepEqual(bytes(got.weightData), bytes(a.weightData));
  assert.deepEqual(requests.sort(), ['GET /two/b.bin?v=3', 'GET /two/k.bin?v=3', 'GET /two/model.json?v=3']);
});

test('http: a short shard is a ValueError naming the group, its files and their sizes', async () => {
  const a = handArtifacts();
  const { url, paths } = serve('short', a);
  files.get(`/short/${paths[1]}`).body = files.get(`/short/${paths[1]}`).body.subarray(0, 10);
  await rejects(browserHandler(url, 'load_model').load(), 'ValueError', 'load_model: ', 'declares 60 bytes', 'hold 46', `${paths[1]}: 10`, 'truncated');
});

test('http: a connection dropped part way through a shard is an Error naming the file', async () => {
  const a = handArtifacts();
  const { url, paths } = serve('cut', a);
  files.get(`/cut/${paths[0]}`).cut = 5;
  await rejects(browserHandler(url, 'load_model').load(), 'Error', 'load_model: reading ', paths[0], 'failed part way');
});

test('http: a missing shard is a ValueError with the HTTP status and the URL', async () => {
  const a = handArtifacts();
  const { url, paths } = serve('missing', a);
  files.delete(`/missing/${paths[2]}`);
  await rejects(browserHandler(url, 'load_model').load(), 'ValueError', 'load_model: ', 'HTTP 404', paths[2], 'beside its model.json');
});

test('http: a manifest declaring fewer bytes than its shards hold is refused while reading', async () => {
  const a = handArtifacts();
  const { url, json } = serve('long', a);
  json.weightsManifest[0].weights[1].shape = [2];
  files.get('/long/model.json').body = JSON.stringify(json);
  await rejects(browserHandler(url, 'save').load(), 'ValueError', 'save: ', 'hold more than the 56 bytes');
});

test('http: a manifest declaring more bytes than its shards hold is refused', async () => {
  const a = handArtifacts();
  const { url, json } = serve('more', a);
  json.weightsManifest[0].weights[1].shape = [30];
  files.get('/more/model.json').body = JSON.stringify(json);
  await rejects(browserHandler(url, 'load_model').load(), 'ValueError', 'declares 168 bytes', 'hold 60');
});

test('http: a huge declared size is refused before any weight file is requested', async () => {
  const a = handArtifacts();
  const { url, json } = serve('huge', a);
  json.weightsManifest[0].weights[0].shape = [1e6, 1e6];
  files.get('/huge/model.json').body = JSON.stringify(json);
  requests.length = 0;
  await rejects(browserHandler(url, 'load_model').load(), 'ValueError', "weight 'dense/kernel'", '[1000000,1000000]', '4 GiB');
  assert.deepEqual(requests, ['GET /huge/model.json']);
  json.weightsManifest[0].weights[0].shape = [40000, 40000];
  files.get('/huge/model.json').body = JSON.stringify(json);
  requests.length = 0;
  await rejects(browserHandler(url, 'load_model').load(), 'ValueError', 'more than 4294967296 bytes');
  assert.deepEqual(requests, ['GET /huge/model.json']);
});

test('http: a Content-Length past the declared bytes stops the download before the body is read', async () => {
  const a = handArtifacts();
  const { url, paths } = serve('cl', a, 60);
  files.get(`/cl/${paths[0]}`).body = Buffer.alloc(1 << 20);
  await rejects(browserHandler(url, 'load_model').load(), 'ValueError', 'hold more than the 60 bytes');
});

test('http: damaged model.json files are ValueErrors that say what is wrong', async () => {
  const cases = [
    ['not json {', 'is not JSON'],
    ['[1,2]', 'expected an object'],
    ['{"format":"layers-model"}', 'neither a modelTopology nor a weightsManifest'],
    ['{"modelTopology":{},"weightsManifest":{}}', 'weightsManifest must be an array'],
    ['{"modelTopology":{},"weightsManifest":[{"paths":"a.bin","weights":[]}]}', 'weightsManifest[0] must be {paths'],
    ['{"modelTopology":{},"weightsManifest":[{"paths":["a.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float64"}]}]}', "dtype \"float64\"", 'float32, float16'],
    ['{"modelTopology":{},"weightsManifest":[{"paths":["a.bin"],"weights":[{"name":"w","shape":[-2],"dtype":"float32"}]}]}', 'non-negative integers'],
    ['{"modelTopology":{},"weightsManifest":[{"paths":[],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]}', 'declares weights but no files'],
  ];
  for (const [i, [body, ...parts]] of cases.entries()) {
    files.set(`/bad${i}/model.json`, { body });
    await rejects(browserHandler(`${base}/bad${i}/model.json`, 'load_model').load(), 'ValueError', 'load_model: ', ...parts);
  }
  await rejects(browserHandler(`${base}/nothing/model.json`, 'load_model').load(), 'ValueError', 'HTTP 404', 'TF.js model.json');
});

test('http: string weights are checked through their length prefixes', async () => {
  const enc = new TextEncoder();
  const strs = ['ab', 'cde'];
  const parts = strs.flatMap((s) => { const b = enc.encode(s); const n = new Uint8Array(4); new DataView(n.buffer).setUint32(0, b.length, true); return [n, b]; });
  const good = Buffer.concat(parts);
  const manifest = { modelTopology: {}, weightsManifest: [{ paths: ['s.bin'], weights: [{ name: 'vocab', shape: [2], dtype: 'string' }] }] };
  files.set('/str/model.json', { body: JSON.stringify(manifest) });
  files.set('/str/s.bin', { body: good });
  const got = await browserHandler(`${base}/str/model.json`, 'load_model').load();
  assert.deepEqual(bytes(got.weightData), Array.from(good));
  files.set('/str/s.bin', { body: good.subarray(0, good.length - 1) });
  await rejects(browserHandler(`${base}/str/model.json`, 'load_model').load(), 'ValueError', 'the weight data has 12');
  const lying = Buffer.from(good); lying.writeUInt32LE(1e9, 0);
  files.set('/str/s.bin', { body: lying });
  await rejects(browserHandler(`${base}/str/model.json`, 'load_model').load(), 'ValueError', 'at least 1000000004');
});

test('http: save POSTs the multipart form TF.js posts', { skip: skipTF }, async () => {
  const { a } = await tfArtifacts();
  uploads = [];
  const r = await browserHandler(`${base}/upload`, 'save').save(a);
  await tf.io.http(`${base}/upload`).save(a);
  const [ours, theirs] = uploads;
  assert.deepEqual(Object.keys(ours.parts), ['model.json', 'model.weights.bin']);
  for (const k of Object.keys(theirs.parts)) {
    assert.equal(ours.parts[k].name, theirs.parts[k].name);
    assert.equal(ours.parts[k].type, theirs.parts[k].type);
    assert.deepEqual(Array.from(ours.parts[k].bytes), Array.from(theirs.parts[k].bytes), k);
  }
  assert.equal(r.modelArtifactsInfo.weightDataBytes, a.weightData.byteLength);
  assert.equal(r.responses[0].status, 200);
  await rejects(browserHandler(`${base}/upload-fail`, 'save').save(a), 'Error', 'save: POST', 'HTTP 500', 'not saved');
});

test('saving artifacts whose specs disagree with their data is refused before anything is sent', async () => {
  const a = handArtifacts();
  a.weightData = a.weightData.slice(0, 40);
  uploads = [];
  await rejects(browserHandler(`${base}/upload`, 'save').save(a), 'ValueError', 'save: the model to save', 'describe 60 bytes', 'has 40');
  assert.equal(uploads.length, 0);
});

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

test('http: a "model.json" past 64 MiB is refused without reading it whole', async () => {
  files.set('/big/model.json', { body: Buffer.alloc(65 * 2 ** 20, 0x20) });
  await rejects(browserHandler(`${base}/big/model.json`, 'load_model').load(), 'ValueError', 'larger than 64 MiB', 'not the weights');
  files.delete('/big/model.json');
});
