// build.mjs assembles gemm.wat into the SIMD module the Go runtime imports
// (keraswasm_simd), with wabt's WebAssembly port, so no native toolchain is
// needed: `node wasm/simd/build.mjs OUT.wasm` (make simd writes
// js/dist/keraswasm_simd.wasm). The same source always gives the same bytes;
// the name section is kept (a few hundred bytes) so that profilers show
// gemm_macro and pack_a rather than wasm-function[0].
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import wabtInit from 'wabt';

const out = process.argv[2];
if (!out) {
  console.error('usage: node wasm/simd/build.mjs OUT.wasm');
  process.exit(2);
}
const src = new URL('./gemm.wat', import.meta.url);
const wabt = await wabtInit();
const mod = wabt.parseWat('gemm.wat', await readFile(src, 'utf8'), { simd: true });
try {
  mod.resolveNames();
  mod.validate();
  const { buffer } = mod.toBinary({ write_debug_names: true, canonicalize_lebs: true });
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, buffer);
  console.log(`simd: wrote ${out} (${buffer.length} bytes)`);
} finally {
  mod.destroy();
}
