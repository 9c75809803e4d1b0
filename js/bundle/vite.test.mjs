// A page that imports the package by name, built by Vite (js/package.json's pinned devDependency)
// the way a web developer builds one, then run in headless Chromium (Debian's, driven by
// playwright-core): the build must carry the whole runtime (keras.wasm, wasm_exec.js, the SIMD
// module, worker.mjs) so the page trains a tiny model on the main thread and in a Web Worker.
// The package is reached through a node_modules/keraswasm symlink, as after `npm install`.
//
// Environment: CHROMIUM (default /usr/bin/chromium). Under CI=true a missing browser fails;
// elsewhere the test skips. `make bundletest` runs it (after `make wasm`).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, readdirSync, readFileSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createLogger } from 'vite';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = resolve(HERE, '..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing under CI=true: the Vite page test cannot be skipped in CI; ` +
    'install it with `apt-get install -y chromium` (make bundletest does so as root)');
}
const skip = haveBrowser ? false : `${CHROMIUM} is missing; install Debian's chromium to run the Vite page test`;

let work = '', server = null, origin = '', browser = null, output = null;
const warnings = [];

// serve answers GET requests with the files under dir (the Vite build), and nothing else.
function serve(dir) {
  server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${server.address().port}`)));
}

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(PKG, 'dist/keras.wasm')), 'js/dist/keras.wasm is missing: run `make wasm` first');
  work = mkdtempSync(join(tmpdir(), 'keraswasm-vite-'));
  copyFileSync(join(HERE, 'page/index.html'), join(work, 'index.html'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(PKG, join(work, 'node_modules/keraswasm'), 'dir');
  // Vite's warnings are what the developer sees on every build: the test keeps them.
  const logger = createLogger('warn');
  const warn = logger.warn;
  logger.warn = (msg, opts) => { warnings.push(msg); warn(msg, opts); };
  output = await build({
    root: work, customLogger: logger, configFile: false,
    build: { outDir: join(work, 'dist'), emptyOutDir: true },
  });
  origin = await serve(join(work, 'dist'));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a Vite build of a page importing keraswasm carries the runtime and trains in Chromium', { skip, timeout: 120_000 }, async (t) => {
  assert.deepEqual(warnings, [], 'Vite warned while building the page');
  const files = readdirSync(join(work, 'dist/assets'));
  t.diagnostic(`built: ${files.join(' ')}`);
  for (const want of [/^keras-.*\.wasm$/, /^wasm_exec-.*\.js$/, /^worker-.*\.(m?js)$/]) {
    assert.ok(files.some((f) => want.test(f)), `the build has no file matching ${want}: ${files.join(', ')}`);
  }
  // The SIMD module (2.6 kB) is under Vite's assetsInlineLimit (4 kB): it is either a file or a
  // data: URL inside the chunks that load it (the page's and the worker's).
  const chunks = files.filter((f) => /\.m?js$/.test(f)).map((f) => readFileSync(join(work, 'dist/assets', f), 'utf8'));
  const simdInlined = chunks.filter((c) => c.includes('data:application/wasm;base64,')).length;
  const simdFile = files.some((f) => /^keraswasm_simd-.*\.wasm$/.test(f));
  t.diagnostic(`SIMD module: ${simdFile ? 'a file' : `inlined in ${simdInlined} chunks`}`);
  assert.ok(simdFile || simdInlined >= 2, 'the build carries the SIMD module for the page and the worker');
  for (const f of files) assert.doesNotMatch(f, /\.(md|ts|json|mjs)$/, `the build copied a package file the runtime never loads: ${f}`);

  const page = await browser.newPage();
  const errors = [], requests = [], failed = [];
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('requestfinished', async (r) => requests.push({ url: r.url(), status: (await r.response())?.status() }));
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 100_000, polling: 100 });
  const result = await page.evaluate(() => window.__result);
  t.diagnostic(`result: ${JSON.stringify(result)}`);
  assert.equal(result.error, undefined, `the page failed: ${result.error}`);
  assert.deepEqual(errors, [], 'console errors on the page');
  assert.deepEqual(failed, [], 'failed requests');
  const bad = requests.filter((r) => r.status !== 200);
  assert.deepEqual(bad, [], 'requests that did not answer 200');
  for (const want of [/keras-[^/]*\.wasm$/, /wasm_exec-[^/]*\.js$/, /worker-[^/]*\.m?js$/]) {
    assert.ok(requests.some((r) => want.test(r.url)), `the page never fetched ${want}: ${requests.map((r) => r.url).join(', ')}`);
  }
  for (const mode of ['main', 'worker']) {
    assert.equal(result[mode].epochs, 40, `${mode}: History has every epoch`);
    assert.ok(result[mode].accuracy >= 0.9, `${mode}: accuracy ${result[mode].accuracy} on a separable problem`);
  }
  await page.close();
});
