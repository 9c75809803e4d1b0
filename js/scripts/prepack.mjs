// npm's prepack hook: refuse to pack the package without its runtime. Every
// file package.json's `files` names must exist (dist/keras.wasm,
// dist/wasm_exec.js and dist/keraswasm_simd.wasm come from `make wasm`), so a
// clone where the wasm was never built cannot publish a package that fails
// at load. Usage: node scripts/prepack.mjs [package dir] (default: js/).
import { readFile, stat } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
const missing = [];
for (const f of pkg.files ?? []) {
  try { await stat(join(dir, f)); } catch { missing.push(f); }
}
if (missing.length) {
  console.error(`prepack: refusing to pack ${pkg.name}: missing ${missing.join(', ')}; run \`make wasm\` at the repository root first`);
  process.exit(1);
}
