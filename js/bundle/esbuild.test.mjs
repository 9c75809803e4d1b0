// The page of js/bundle/esbuild/ bundled by esbuild (js/package.json's pinned devDependency) as
// js/README.md's esbuild section says: the page's script and keraswasm/worker.mjs as two entry
// points, the runtime's three files copied beside them; then run in headless Chromium, where it
// trains a tiny model on the main thread and in a Web Worker. The package is reached through a
// node_modules/keraswasm symlink, as after `npm install`. `make bundletest` runs it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { browserSkip, launch, runPage, serve, writeMNIST } from './helpers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = resolve(HERE, '..');
const skip = browserSkip('esbuild page test');

let work = '', server = null, origin = '', browser = null, result = null;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(PKG, 'dist/keras.wasm')), 'js/dist/keras.wasm is missing: run `make wasm` first');
  work = mkdtempSync(join(tmpdir(), 'keraswasm-esbuild-'));
  for (const f of ['index.html', 'app.mjs']) copyFileSync(join(HERE, 'esbuild', f), join(work, f));
  copyFileSync(join(HERE, 'train.mjs'), join(work, 'train.mjs'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(PKG, join(work, 'node_modules/keraswasm'), 'dir');
  const out = join(work, 'dist');
  result = await build({
    absWorkingDir: work,
    entryPoints: { app: 'app.mjs', worker: 'keraswasm/worker.mjs' },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outdir: out, logLevel: 'silent',
  });
  // What the README says to do after the build: the runtime's files beside the bundles.
  mkdirSync(join(out, 'keraswasm'));
  for (const f of ['keras.wasm', 'wasm_exec.js', 'keraswasm_simd.wasm']) {
    copyFileSync(join(work, 'node_modules/keraswasm/dist', f), join(out, 'keraswasm', f));
  }
  cpSync(join(work, 'index.html'), join(out, 'index.html'));
  writeMNIST(out);
  ({ server, origin } = await serve(out));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('an esbuild bundle of a page importing keraswasm trains in Chromium, on the page and in a worker', { skip, timeout: 120_000 }, async (t) => {
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.warnings.map((w) => w.text), [], 'esbuild warned while bundling the page');
  t.diagnostic(`built: ${readdirSync(join(work, 'dist')).join(' ')}`);
  const requests = await runPage(browser, `${origin}/`, t, { mnist: true });
  for (const want of [/\/app\.js$/, /\/worker\.js$/, /\/keraswasm\/keras\.wasm$/, /\/keraswasm\/wasm_exec\.js$/, /\/keraswasm\/keraswasm_simd\.wasm$/]) {
    assert.ok(requests.some((r) => want.test(r.url)), `the page never fetched ${want}: ${requests.map((r) => r.url).join(', ')}`);
  }
  // Nothing outside the build was reached (the package's own src/ or dist/ beside it).
  assert.deepEqual(requests.filter((r) => /\/(src|node_modules)\//.test(r.url)), []);
});
