// build.mjs assembles gemm.wat into the SIMD module the Go runtime imports
// (keraswasm_simd), with wabt's WebAssembly port, so no native toolchain is
// needed. The functions of the other parts (PARTS: element-wise kernels,
// optimizer updates) are spliced in before gemm.wat's closing parenthesis,
// so one module, over one imported memory, holds every kernel: `node wasm/simd/build.mjs OUT.wasm` (make simd writes
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
const PARTS = ['elementwise.wat', 'optimizers.wat', 'softmax.wat', 'smooth.wat', 'logsumexp.wat'];
const read = (name) => readFile(new URL(`./${name}`, import.meta.url), 'utf8');
const gemm = (await read('gemm.wat')).trimEnd();
if (!gemm.endsWith(')')) throw new Error('build.mjs: gemm.wat must end with the module\'s closing parenthesis');
const parts = await Promise.all(PARTS.map(read));
const source = `${gemm.slice(0, -1)}\n${parts.join('\n')}\n)\n`;
const wabt = await wabtInit();
const mod = wabt.parseWat('keraswasm_simd.wat', source, { simd: true });
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
