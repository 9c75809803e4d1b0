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
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createLogger } from 'vite';
import { browserSkip, launch, runPage, serve } from './helpers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = resolve(HERE, '..');
const skip = browserSkip('Vite page test');

let work = '', server = null, origin = '', browser = null, output = null;
const warnings = [];

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(PKG, 'dist/keras.wasm')), 'js/dist/keras.wasm is missing: run `make wasm` first');
  work = mkdtempSync(join(tmpdir(), 'keraswasm-vite-'));
  copyFileSync(join(HERE, 'page/index.html'), join(work, 'index.html'));
  copyFileSync(join(HERE, 'train.mjs'), join(work, 'train.mjs'));
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
  ({ server, origin } = await serve(join(work, 'dist')));
  browser = await launch();
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

  const requests = await runPage(browser, `${origin}/`, t);
  for (const want of [/keras-[^/]*\.wasm$/, /wasm_exec-[^/]*\.js$/, /worker-[^/]*\.m?js$/]) {
    assert.ok(requests.some((r) => want.test(r.url)), `the page never fetched ${want}: ${requests.map((r) => r.url).join(', ')}`);
  }
});
