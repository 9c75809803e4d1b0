// What the bundler page tests share (vite.test.mjs, esbuild.test.mjs): Debian's Chromium driven by
// playwright-core, a static server for a build's output, and a page run that collects its result,
// console errors and requests. The page writes {main, worker} or {error} to window.__result.
//
// Environment: CHROMIUM (default /usr/bin/chromium). Under CI=true a missing browser fails;
// elsewhere the tests skip.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** browserSkip returns false when Chromium is there, else why the test named what skips (and throws under CI=true). */
export function browserSkip(what) {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM} is missing under CI=true: the ${what} cannot be skipped in CI; ` +
      'install it with `apt-get install -y chromium` (make bundletest does so as root)');
  }
  return `${CHROMIUM} is missing; install Debian's chromium to run the ${what}`;
}

/** serve answers GET requests with the files under dir (a build's output), and nothing else; it resolves to {origin, server}. */
export function serve(dir) {
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, origin: `http://127.0.0.1:${server.address().port}` })));
}

/** idx is an IDX file of unsigned bytes. */
function idx(dims, values) {
  const b = Buffer.alloc(4 + 4 * dims.length + values.length);
  b.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
  Buffer.from(values).copy(b, 4 + 4 * dims.length);
  return b;
}

/** MNIST_PAGE is what train.mjs's mnist() reports for the files writeMNIST writes. */
export const MNIST_PAGE = { shapes: [[2, 2, 2], [2], [1, 2, 2], [1]], x: [0, 255, 1, 2, 3, 4, 5, 6], y: [5, 0], yt: [7] };

/**
 * writeMNIST writes a tiny MNIST under dir/mnist/, gzipped as GoMNIST ships it (plain files are
 * the fallback after a 404 for the .gz, which Chromium logs as a console error; the Node tests
 * cover them).
 */
export function writeMNIST(dir) {
  mkdirSync(join(dir, 'mnist'));
  const put = (name, b, gz) => writeFileSync(join(dir, 'mnist', gz ? `${name}.gz` : name), gz ? gzipSync(b) : b);
  put('train-images-idx3-ubyte', idx([2, 2, 2], MNIST_PAGE.x), true);
  put('train-labels-idx1-ubyte', idx([2], MNIST_PAGE.y), true);
  put('t10k-images-idx3-ubyte', idx([1, 2, 2], [9, 9, 9, 9]), true);
  put('t10k-labels-idx1-ubyte', idx([1], MNIST_PAGE.yt), true);
}

/** launch starts headless Chromium. */
export function launch() { return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS }); }

/**
 * runPage opens url and waits for window.__result; it asserts that the page trained on both
 * threads (and, with mnist, read writeMNIST's files both ways) with no console error, no failed
 * request and every request answered 200, and returns the requests for further checks.
 */
export async function runPage(browser, url, t, { mnist = false } = {}) {
  const page = await browser.newPage();
  const errors = [], requests = [], failed = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('requestfinished', async (r) => requests.push({ url: r.url(), status: (await r.response())?.status() }));
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 100_000, polling: 100 });
    const result = await page.evaluate(() => window.__result);
    t.diagnostic(`result: ${JSON.stringify(result)}`);
    assert.equal(result.error, undefined, `the page failed: ${result.error}`);
    assert.deepEqual(errors, [], 'console errors on the page');
    assert.deepEqual(failed, [], 'failed requests');
    assert.deepEqual(requests.filter((r) => r.status !== 200), [], 'requests that did not answer 200');
    for (const mode of ['main', 'worker']) {
      assert.equal(result[mode].epochs, 40, `${mode}: History has every epoch`);
      assert.ok(result[mode].accuracy >= 0.9, `${mode}: accuracy ${result[mode].accuracy} on a separable problem`);
    }
    if (mnist) assert.deepEqual(result.mnist, [MNIST_PAGE, MNIST_PAGE], 'keras.datasets.mnist.load_data on the page and in the worker');
    return requests;
  } finally {
    await page.close();
  }
}
