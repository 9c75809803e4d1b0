// The runtime's files are found through literal new URL('…', import.meta.url)
// expressions (src/assets.mjs), the form bundlers copy; each names a file that
// the package ships (package.json files) and that exists after make wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as assets from '../src/assets.mjs';

test('assets: every runtime file is a literal new URL(…, import.meta.url), exists, and is in package.json files', async () => {
  const src = (await readFile(new URL('../src/assets.mjs', import.meta.url), 'utf8')).split('\n').filter((l) => !/^\s*\/[/*]|^\s*\*/.test(l)).join('\n');
  const literals = [...src.matchAll(/new URL\((?:\/\*[^*]*\*\/ )*'([^'`$]+)', import\.meta\.url\)/g)].map((m) => m[1]);
  // worker.mjs twice: workerURL (Node's worker thread) and newWorker (new Worker(new URL(…)), bundled as a worker).
  assert.deepEqual(literals.sort(), ['../dist/keras.wasm', '../dist/keraswasm_simd.wasm', '../dist/keraswasm_simd_relaxed.wasm', '../dist/wasm_exec.js', '../worker.mjs', '../worker.mjs']);
  assert.match(src, /new Worker\(new URL\('\.\.\/worker\.mjs', import\.meta\.url\), \{ type: 'module' \}\)/);
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  for (const [name, f] of Object.entries(assets)) {
    if (name === 'newWorker') continue; // makes a Web Worker (browsers only); its URL is workerURL's
    const u = f();
    assert.ok((await stat(fileURLToPath(u))).isFile(), `${u} exists`);
    const rel = fileURLToPath(u).split('/js/').pop();
    assert.ok(pkg.files.includes(rel), `${rel} is in package.json files`);
  }
});

test('assets: no module finds a runtime file by a computed path (which bundlers cannot see)', async () => {
  // A template string in new URL(`…${x}`, import.meta.url) makes Vite copy every file it could
  // name (the README, keras.d.ts, package-lock.json, …) into the build.
  const { readdir } = await import('node:fs/promises');
  const files = ['../keras.mjs', '../tf.mjs', '../worker.mjs', '../simd.mjs',
    ...(await readdir(new URL('../src/', import.meta.url), { recursive: true }))
      .filter((f) => f.endsWith('.mjs')).map((f) => `../src/${f}`)];
  for (const f of files) {
    const src = await readFile(new URL(f, import.meta.url), 'utf8');
    assert.doesNotMatch(src, /new URL\(`/, `${f} makes a URL from a template string`);
    assert.doesNotMatch(src, /packageURL\(/, `${f} uses packageURL`);
    // Node's modules go through env.mjs nodeModule, which bundlers skip (a literal import('node:…') makes Vite warn).
    assert.doesNotMatch(src, /import\(\s*'node:/, `${f} imports a node: module directly`);
  }
});

test('assets: prepack refuses a package without dist/ and passes this one', async () => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  const { mkdtemp, copyFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const script = fileURLToPath(new URL('../scripts/prepack.mjs', import.meta.url));
  execFileSync(process.execPath, [script]); // the built package: passes
  const dir = await mkdtemp(join(tmpdir(), 'keraswasm-prepack-'));
  try {
    await copyFile(new URL('../package.json', import.meta.url), join(dir, 'package.json'));
    const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /refusing to pack keraswasm: missing .*dist\/keras\.wasm.*make wasm/);
  } finally {
    await rm(dir, { recursive: true });
  }
});
