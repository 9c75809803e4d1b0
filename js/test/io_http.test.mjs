// The http(s):// handler (src/io/http.mjs) against a local node:http server:
// good models load as TF.js loads them, damaged ones (short, missing, extra
// or oversized shards, bad manifests, dropped connections) are clear errors,
// and a save POSTs the multipart form TF.js posts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { browserHandler } from '../src/io/browser.mjs';
import { bytes, handArtifacts, rejects, skipTF, tf, tfArtifacts } from './io_helpers.mjs';

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


test('http: a "model.json" past 64 MiB is refused without reading it whole', async () => {
  files.set('/big/model.json', { body: Buffer.alloc(65 * 2 ** 20, 0x20) });
  await rejects(browserHandler(`${base}/big/model.json`, 'load_model').load(), 'ValueError', 'larger than 64 MiB', 'not the weights');
  files.delete('/big/model.json');
});
