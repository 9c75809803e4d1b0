// The page of js/bundle/webpack/ bundled by webpack 5 (js/package.json's pinned devDependency)
// with no loader, plugin or keraswasm option: webpack emits the files the package names with
// `new URL('…', import.meta.url)` and bundles its worker. Then it runs in headless Chromium, where
// it trains a tiny model on the main thread and in a Web Worker. The package is reached through a
// node_modules/keraswasm symlink, as after `npm install`. `make bundletest` runs it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import webpack from 'webpack';
import { browserSkip, launch, runPage, serve, writeMNIST } from './helpers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = resolve(HERE, '..');
const skip = browserSkip('webpack page test');

let work = '', server = null, origin = '', browser = null, stats = null;

/** pack runs one webpack build and resolves to its stats as JSON (errors, warnings, assets). */
function pack(config) {
  return new Promise((ok, fail) => {
    const compiler = webpack(config);
    compiler.run((err, s) => {
      compiler.close(() => {});
      if (err) fail(err);
      else ok(s.toJson({ all: false, errors: true, warnings: true, assets: true }));
    });
  });
}

before(async () => {
  if (skip) return;
  assert.ok(existsSync(join(PKG, 'dist/keras.wasm')), 'js/dist/keras.wasm is missing: run `make wasm` first');
  work = mkdtempSync(join(tmpdir(), 'keraswasm-webpack-'));
  for (const f of ['index.html', 'app.mjs']) copyFileSync(join(HERE, 'webpack', f), join(work, f));
  copyFileSync(join(HERE, 'train.mjs'), join(work, 'train.mjs'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(PKG, join(work, 'node_modules/keraswasm'), 'dir');
  const out = join(work, 'dist');
  // performance: webpack's size hint fires for any asset over 244 KiB, as keras.wasm is (README).
  stats = await pack({
    mode: 'production', context: work, entry: './app.mjs', output: { path: out },
    performance: { maxAssetSize: 16 * 2 ** 20, maxEntrypointSize: 16 * 2 ** 20 },
  });
  copyFileSync(join(work, 'index.html'), join(out, 'index.html'));
  writeMNIST(out);
  ({ server, origin } = await serve(out));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('a webpack build of a page importing keraswasm carries the runtime and trains in Chromium', { skip, timeout: 120_000 }, async (t) => {
  assert.deepEqual(stats.errors.map((e) => e.message), []);
  assert.deepEqual(stats.warnings.map((w) => `${w.moduleName ?? ''} ${w.message}`), [], 'webpack warned while building the page');
  const files = readdirSync(join(work, 'dist'));
  t.diagnostic(`built: ${files.join(' ')}`);
  assert.equal(files.filter((f) => f.endsWith('.wasm')).length, 3, 'keras.wasm, the SIMD module and its relaxed variant are emitted');
  const requests = await runPage(browser, `${origin}/`, t, { mnist: true });
  assert.ok(requests.filter((r) => r.url.endsWith('.wasm')).length >= 2, `the page fetched both wasm modules: ${requests.map((r) => r.url).join(', ')}`);
  assert.deepEqual(requests.filter((r) => /\/(src|node_modules)\//.test(r.url)), [], 'nothing outside the build was reached');
});
