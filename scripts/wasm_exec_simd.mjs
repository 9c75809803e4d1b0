// wasm_exec_simd.mjs is the Node side of scripts/go_js_wasm_exec_simd: it
// runs a Go wasm binary with Go's own wasm_exec.js (from $GOROOT) and the
// keraswasm_simd imports of js/simd.mjs, so `go test -exec` runs tensor's
// tests through the SIMD kernel. Usage: node wasm_exec_simd.mjs BINARY ARGS...
// KERASWASM_SIMD picks the kernels: simd (default), js (the JavaScript
// fallback) or relaxed (the relaxed-SIMD variant, for benchmarks: tensor's
// bit-for-bit tests do not hold with it).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simdImports, attachSimd } from '../js/simd.mjs';

if (process.argv.length < 3) {
  console.error('usage: go_js_wasm_exec_simd BINARY [ARGS...]');
  process.exit(2);
}
const goroot = process.env.GOROOT;
if (!goroot) {
  console.error('wasm_exec_simd: GOROOT is not set (go_js_wasm_exec_simd sets it from `go env GOROOT`)');
  process.exit(2);
}

// Go's wasm_exec.js does its file and process I/O through these globals.
const require = createRequire(import.meta.url);
globalThis.require = require;
globalThis.fs = require('node:fs');
globalThis.path = require('node:path');
await import(pathToFileURL(join(goroot, 'lib', 'wasm', 'wasm_exec.js')).href);

const go = new globalThis.Go();
go.argv = process.argv.slice(2);
go.env = { TMPDIR: tmpdir(), ...process.env };
go.exit = process.exit;
const simd = simdImports();
try {
  const { instance } = await WebAssembly.instantiate(readFileSync(process.argv[2]), { ...go.importObject, ...simd });
  const want = process.env.KERASWASM_SIMD || 'simd';
  const kind = await attachSimd(simd, instance, { kernel: want });
  if (kind !== want) throw new Error('this Node cannot compile WebAssembly SIMD');
  process.on('exit', (code) => { // Node exits when nothing is pending: let Go report the deadlock
    if (code === 0 && !go.exited) {
      go._pendingEvent = { id: 0 };
      go._resume();
    }
  });
  await go.run(instance);
} catch (err) {
  console.error(err);
  process.exit(1);
}
