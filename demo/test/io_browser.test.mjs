// The browser IO handlers (js/src/io/browser.mjs) in Debian's headless Chromium, driven by
// playwright-core, in one page beside TF.js 4.22 (its tf.min.js, served by this test's own
// loopback server: nothing comes from elsewhere). Models TF.js saves to indexeddb:// and
// localstorage:// load through our handlers as the same artifacts; models our handlers save
// load in tf.loadLayersModel with the same predictions; list/remove/copy/move agree with
// tf.io's; downloads:// really downloads, and the files come back in through an
// <input type=file>; an http save is POSTed here and loads back over http.
//
// Environment: CHROMIUM (default /usr/bin/chromium). Under CI=true a missing browser fails;
// elsewhere it skips.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing under CI=true: the browser test cannot be skipped in CI; ` +
    'install it with `apt-get install -y chromium` (make iobrowsertest does so as root)');
}

/** tfjsDist finds TF.js 4.22's tf.min.js: js/'s dev dependency, else the parity generator's. */
function tfjsDist() {
  for (const dir of ['js/package.json', 'testdata/parity/gen/package.json']) {
    try {
      const pkg = createRequire(join(ROOT, dir)).resolve('@tensorflow/tfjs/package.json');
      const version = JSON.parse(readFileSync(pkg, 'utf8')).version;
      return { path: join(dirname(pkg), 'dist/tf.min.js'), version };
    } catch { /* try the next */ }
  }
  if (process.env.CI === 'true') throw new Error('@tensorflow/tfjs is not installed (make installs it under testdata/parity/gen)');
  return null;
}
const tfjs = tfjsDist();
const skip = !haveBrowser ? `${CHROMIUM} is missing; install Debian's chromium (apt-get install -y chromium)`
  : !tfjs ? '@tensorflow/tfjs not installed (cd testdata/parity/gen && npm ci)' : false;

const PAGE = `<!doctype html><meta charset="utf-8"><title>io</title>
<input type="file" id="files" multiple>
<script src="/tf.min.js"></script>
<script type="module">
import * as io from '/js/src/io/browser.mjs';
window.io = io;
document.body.dataset.ready = '1';
</script>`;

let server, origin, userDataDir, context, page;
const uploads = new Map(); // path -> {type, bytes}, from the http save
const consoleErrors = [], foreign = [];

/** serve answers the page, tf.min.js, js/src/**.mjs, and POSTs to /upload (kept under /uploaded/). */
async function serve(req, res) {
  const url = new URL(req.url, 'http://x');
  const send = (status, type, body) => res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  if (req.method === 'POST' && url.pathname === '/upload') {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const form = await new Request('http://x/upload', { method: 'POST', headers: req.headers, body: Buffer.concat(chunks) }).formData();
    for (const [k, v] of form) uploads.set(`/uploaded/${k}`, { type: v.type, bytes: Buffer.from(await v.arrayBuffer()) });
    return send(200, 'text/plain', 'saved');
  }
  if (url.pathname === '/') return send(200, 'text/html', PAGE);
  if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
  if (url.pathname === '/tf.min.js') return send(200, 'text/javascript', readFileSync(tfjs.path));
  if (uploads.has(url.pathname)) { const u = uploads.get(url.pathname); return send(200, u.type, u.bytes); }
  const file = normalize(join(ROOT, url.pathname));
  if (url.pathname.startsWith('/js/src/') && file.startsWith(join(ROOT, 'js/src/')) && file.endsWith('.mjs') && existsSync(file)) {
    return send(200, 'text/javascript', readFileSync(file));
  }
  return send(404, 'text/plain', 'not found');
}

before(async () => {
  if (skip) return;
  server = createServer((req, res) => serve(req, res).catch((e) => res.writeHead(500).end(String(e))));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${server.address().port}`;
  userDataDir = mkdtempSync(join(tmpdir(), 'keraswasm-io-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, acceptDownloads: true });
  context.on('request', (r) => { const u = new URL(r.url()); if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) foreign.push(r.url()); });
  page = context.pages()[0] ?? await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
  await page.goto(origin);
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60_000 });
  // One TF.js model for every test, its predictions on fixed inputs, and its artifacts as TF.js's handlers get them.
  await page.evaluate(async () => {
    await tf.setBackend('cpu');
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 6, inputShape: [4], activation: 'tanh' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    await m.fit(tf.randomNormal([16, 4], 0, 1, 'float32', 1), tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3), { epochs: 2, verbose: 0 });
    window.x = tf.tensor2d([[1, 2, 3, 4], [-1, 0.5, 0, 2], [0.1, -0.2, 0.3, -0.4]]);
    window.model = m;
    window.want = Array.from(m.predict(x).dataSync());
    await m.save(tf.io.withSaveHandler(async (a) => { window.artifacts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    // Helpers the tests use inside the page.
    window.bytes = (b) => Array.from(new Uint8Array(b instanceof ArrayBuffer ? b : tf.io.CompositeArrayBuffer.join(b)));
    window.predictions = async (url) => Array.from((await tf.loadLayersModel(url)).predict(x).dataSync());
    window.errorOf = async (p) => { try { await p; return null; } catch (e) { return { name: e.name, message: e.message }; } };
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  server?.close();
});

function noTrouble() {
  assert.deepEqual(consoleErrors, [], 'console errors on the page');
  assert.deepEqual(foreign, [], `requests to hosts other than ${origin}`);
}

test(`TF.js ${tfjs?.version} saves to indexeddb:// and localstorage://; our handlers read the same artifacts`, { skip }, async () => {
  const r = await page.evaluate(async () => {
    // Our handler creates the database first; TF.js then saves into it and lists what we saved.
    await new Promise((ok, fail) => { const q = indexedDB.deleteDatabase('tensorflowjs'); q.onsuccess = ok; q.onerror = () => fail(q.error); });
    await io.browserHandler('indexeddb://z', 'save').save(artifacts);
    const zListed = Object.keys(await tf.io.listModels()).includes('indexeddb://z');
    const zPredicts = JSON.stringify(await predictions('indexeddb://z')) === JSON.stringify(want);
    await tf.io.removeModel('indexeddb://z');
    await model.save('indexeddb://a');
    await model.save('localstorage://b');
    const out = {};
    for (const url of ['indexeddb://a', 'localstorage://b']) {
      const got = await io.browserHandler(url, 'load_model').load();
      out[url] = {
        topology: JSON.stringify(got.modelTopology) === JSON.stringify(artifacts.modelTopology),
        topologyDeep: got.modelTopology, specs: got.weightSpecs, format: got.format, generatedBy: got.generatedBy,
        data: bytes(got.weightData), isBuffer: got.weightData instanceof ArrayBuffer,
      };
    }
    return { zListed, zPredicts, out, topology: artifacts.modelTopology, specs: artifacts.weightSpecs, data: bytes(artifacts.weightData), generatedBy: artifacts.generatedBy };
  });
  assert.ok(r.zListed && r.zPredicts, 'TF.js lists and loads a model saved into the database our handler created');
  for (const [url, got] of Object.entries(r.out)) {
    assert.deepEqual(got.topologyDeep, r.topology, `${url}: topology`);
    assert.deepEqual(got.specs, r.specs, `${url}: weight specs`);
    assert.deepEqual(got.data, r.data, `${url}: weight bytes`);
    assert.ok(got.isBuffer, `${url}: weightData is one ArrayBuffer`);
    assert.equal(got.format, 'layers-model');
    assert.equal(got.generatedBy, r.generatedBy);
  }
  assert.ok(r.data.length === (4 * 6 + 6 + 6 * 3 + 3) * 4);
  noTrouble();
});

test('our handlers save to indexeddb:// and localstorage://; tf.loadLayersModel predicts the same', { skip }, async () => {
  const r = await page.evaluate(async () => {
    const c = await io.browserHandler('indexeddb://c', 'save').save(artifacts);
    const d = await io.browserHandler('localstorage://d', 'save').save(artifacts);
    return { c: c.modelArtifactsInfo, d: d.modelArtifactsInfo, pc: await predictions('indexeddb://c'), pd: await predictions('localstorage://d'), want,
      // TF.js's own record of c, to see our record shape is what it reads.
      stored: Object.keys((await tf.io.listModels())['indexeddb://c'] ?? {}) };
  });
  assert.deepEqual(r.pc, r.want, 'indexeddb://c predictions');
  assert.deepEqual(r.pd, r.want, 'localstorage://d predictions');
  assert.deepEqual(r.stored, ['dateSaved', 'modelTopologyType', 'modelTopologyBytes', 'weightSpecsBytes', 'weightDataBytes']);
  assert.equal(r.c.weightDataBytes, 51 * 4);
  noTrouble();
});

test('list_models, remove_model, copy_model and move_model agree with tf.io', { skip }, async () => {
  const r = await page.evaluate(async () => {
    const norm = (l) => Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => [k, { ...v, dateSaved: new Date(v.dateSaved).getTime() }]));
    const steps = [];
    const both = async (what) => steps.push({ what, ours: norm(await io.listModels()), theirs: norm(await tf.io.listModels()) });
    await both('start');
    const removed = await io.removeModel('indexeddb://a');
    await both('removed indexeddb://a');
    const copied = await io.copyModel('indexeddb://c', 'localstorage://e');
    await both('copied c to localstorage://e');
    const moved = await io.moveModel('localstorage://b', 'indexeddb://f');
    await both('moved localstorage://b to indexeddb://f');
    await tf.io.copyModel('indexeddb://f', 'indexeddb://g');
    await tf.io.removeModel('localstorage://d');
    await both('TF.js copied f to g and removed d');
    const missing = await errorOf(io.removeModel('indexeddb://a'));
    return { steps, removed, copied, moved, missing, pe: await predictions('localstorage://e'), pf: await predictions('indexeddb://f'),
      pg: await io.browserHandler('indexeddb://g', 'load_model').load().then((a) => bytes(a.weightData)), data: bytes(artifacts.weightData), want };
  });
  for (const s of r.steps) assert.deepEqual(s.ours, s.theirs, s.what);
  assert.deepEqual(Object.keys(r.steps.at(-1).ours), ['indexeddb://c', 'indexeddb://f', 'indexeddb://g', 'localstorage://e']);
  assert.equal(r.removed.weightDataBytes, 204);
  assert.equal(r.copied.weightDataBytes, 204);
  assert.deepEqual(r.pe, r.want);
  assert.deepEqual(r.pf, r.want);
  assert.deepEqual(r.pg, r.data);
  assert.equal(r.missing.name, 'ValueError');
  assert.match(r.missing.message, /^remove_model: there is no model indexeddb:\/\/a in IndexedDB/);
  noTrouble();
});

test('a failed IndexedDB save leaves the model stored before intact; a damaged record is a ValueError', { skip }, async () => {
  const r = await page.evaluate(async () => {
    // A function cannot be stored (DataCloneError): the one transaction aborts, both stores unchanged.
    const bad = { ...artifacts, userDefinedMetadata: { f: () => 1 }, weightData: new ArrayBuffer(204) };
    const before = (await tf.io.listModels())['indexeddb://c'];
    const err = await errorOf(io.browserHandler('indexeddb://c', 'save').save(bad));
    const afterInfo = (await tf.io.listModels())['indexeddb://c'];
    const p = await predictions('indexeddb://c');
    // A record whose weights are shorter than its specs, written as TF.js would.
    const short = { ...artifacts, weightData: artifacts.weightData.slice(0, 100) };
    await new Promise((ok, fail) => {
      const req = indexedDB.open('tensorflowjs', 1);
      req.onsuccess = () => {
        const tx = req.result.transaction(['models_store', 'model_info_store'], 'readwrite');
        tx.objectStore('models_store').put({ modelPath: 'short', modelArtifacts: short, modelArtifactsInfo: {} });
        tx.objectStore('model_info_store').put({ modelPath: 'short', modelArtifactsInfo: { modelTopologyType: 'JSON' } });
        tx.oncomplete = () => { req.result.close(); ok(); };
        tx.onerror = () => fail(tx.error);
      };
      req.onerror = () => fail(req.error);
    });
    const damaged = await errorOf(io.browserHandler('indexeddb://short', 'load_model').load());
    await io.removeModel('indexeddb://short');
    return { err, same: JSON.stringify(before) === JSON.stringify(afterInfo), p, want, damaged };
  });
  assert.ok(r.err && /^save: cannot save indexeddb:\/\/c/.test(r.err.message), JSON.stringify(r.err));
  assert.ok(r.same, 'the info record is unchanged');
  assert.deepEqual(r.p, r.want, 'the model stored before still loads');
  assert.equal(r.damaged.name, 'ValueError');
  assert.match(r.damaged.message, /^load_model: indexeddb:\/\/short: the weight specs describe 204 bytes but the weight data has 100/);
  noTrouble();
});

test('downloads:// downloads name.json and name.weights.bin; they load back through an <input type=file>', { skip }, async () => {
  const downloads = [];
  const onDownload = (d) => downloads.push(d);
  page.on('download', onDownload);
  try {
    await page.evaluate(() => io.browserHandler('downloads://my-model', 'save').save(artifacts));
    for (let i = 0; i < 100 && downloads.length < 2; i++) await page.waitForTimeout(50);
  } finally {
    page.off('download', onDownload);
  }
  assert.deepEqual(downloads.map((d) => d.suggestedFilename()), ['my-model.json', 'my-model.weights.bin']);
  const dir = mkdtempSync(join(tmpdir(), 'keraswasm-io-dl-'));
  try {
    const paths = [];
    for (const d of downloads) { const p = join(dir, d.suggestedFilename()); await d.saveAs(p); paths.push(p); }
    const json = JSON.parse(readFileSync(paths[0], 'utf8'));
    assert.deepEqual(json.weightsManifest[0].paths, ['./my-model.weights.bin']);
    // The weights file first, as a user may pick them: the .json is found by its name.
    await page.setInputFiles('#files', [paths[1], paths[0]]);
    const r = await page.evaluate(async () => {
      const a = await io.browserFiles(document.getElementById('files').files).load();
      const m = await tf.loadLayersModel(tf.io.fromMemory(a));
      return { p: Array.from(m.predict(x).dataSync()), want, data: bytes(a.weightData), src: bytes(artifacts.weightData) };
    });
    assert.deepEqual(r.data, r.src);
    assert.deepEqual(r.p, r.want);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  noTrouble();
});

test('an http save POSTs model.json and model.weights.bin; the files load back over http here and in TF.js', { skip }, async () => {
  const r = await page.evaluate(async () => {
    const s = await io.browserHandler(`${location.origin}/upload`, 'save').save(artifacts);
    const a = await io.browserHandler(`${location.origin}/uploaded/model.json`, 'load_model').load();
    const bad = await errorOf(io.browserHandler(`${location.origin}/nothing/model.json`, 'load_model').load());
    return { status: s.responses[0].status, data: bytes(a.weightData), src: bytes(artifacts.weightData),
      p: await predictions(`${location.origin}/uploaded/model.json`), want, bad };
  });
  assert.equal(r.status, 200);
  assert.deepEqual(r.data, r.src);
  assert.deepEqual(r.p, r.want);
  assert.equal(r.bad.name, 'ValueError');
  assert.match(r.bad.message, /HTTP 404/);
  assert.deepEqual([...uploads.keys()].sort(), ['/uploaded/model.json', '/uploaded/model.weights.bin']);
  consoleErrors.splice(0); // the 404 above is logged by Chromium as a failed resource
  noTrouble();
});

test('in a Web Worker, indexeddb:// loads what the page saved and localstorage:// says it needs a page', { skip }, async () => {
  const r = await page.evaluate(async () => {
    const code = `
      import * as io from '${location.origin}/js/src/io/browser.mjs';
      const a = await io.browserHandler('indexeddb://c', 'load_model').load();
      let ls = null;
      try { io.browserHandler('localstorage://c', 'load_model'); } catch (e) { ls = e.message; }
      postMessage({ data: Array.from(new Uint8Array(a.weightData)), ls, list: Object.keys(await io.listModels()).sort() });`;
    const w = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })), { type: 'module' });
    const msg = await new Promise((ok, fail) => { w.onmessage = (e) => ok(e.data); w.onerror = (e) => fail(new Error(e.message)); });
    w.terminate();
    return { ...msg, src: bytes(artifacts.weightData) };
  });
  assert.deepEqual(r.data, r.src);
  assert.match(r.ls, /^load_model: localstorage:\/\/ needs a browser page/);
  assert.ok(r.list.includes('indexeddb://c') && r.list.every((u) => u.startsWith('indexeddb://')), JSON.stringify(r.list));
  noTrouble();
});

test('a localstorage:// save past Chromium\'s quota fails and leaves the model stored before intact', { skip }, async () => {
  const r = await page.evaluate(async () => {
    await io.browserHandler('localstorage://q', 'save').save(artifacts);
    const keys = () => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('tensorflowjs_models/q/')).map((k) => [k, localStorage.getItem(k)]));
    const before = keys();
    const n = 3 * 2 ** 20; // 12 MiB of float32 weights, 16 MiB of base64 text: past the 10 MiB of an origin
    const big = { ...artifacts, weightSpecs: [{ name: 'big', shape: [n], dtype: 'float32' }], weightData: new Float32Array(n).fill(0.5).buffer };
    const err = await errorOf(io.browserHandler('localstorage://q', 'save').save(big));
    const after = keys();
    const out = { err, same: JSON.stringify(before) === JSON.stringify(after), p: await predictions('localstorage://q'), want };
    await io.removeModel('localstorage://q');
    return out;
  });
  assert.ok(r.err, 'the big save failed');
  assert.match(r.err.message, /^save: cannot save to localstorage:\/\/q: .*quota.*unchanged/);
  assert.ok(r.same, 'the five keys of the model stored before are unchanged');
  assert.deepEqual(r.p, r.want, 'TF.js loads the model stored before');
  noTrouble();
});
