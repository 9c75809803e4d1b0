// build.mjs assembles gemm.wat into the SIMD module the Go runtime imports
// (keraswasm_simd), with wabt's WebAssembly port, so no native toolchain is
// needed. The functions of the other parts (PARTS: element-wise kernels,
// optimizer updates) are spliced in before gemm.wat's closing parenthesis,
// so one module, over one imported memory, holds every kernel:
//
//   node wasm/simd/build.mjs OUT.wasm [RELAXED.wasm]
//
// writes OUT.wasm (make simd: js/dist/keraswasm_simd.wasm) and, when given,
// RELAXED.wasm (js/dist/keraswasm_simd_relaxed.wasm): the same kernels with
// their f32x4 multiply-adds as relaxed SIMD's f32x4.relaxed_madd, derived
// from the same text by relax.mjs (which says why it is a second module).
// The same source always gives the same bytes; the name section is kept (a
// few hundred bytes) so that profilers show gemm_macro and pack_a rather
// than wasm-function[0].
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import wabtInit from 'wabt';
import { relax } from './relax.mjs';

const [out, relaxedOut] = process.argv.slice(2);
if (!out || process.argv.length > 4) {
  console.error('usage: node wasm/simd/build.mjs OUT.wasm [RELAXED.wasm]');
  process.exit(2);
}
const PARTS = ['elementwise.wat', 'optimizers.wat', 'softmax.wat', 'smooth.wat', 'logsumexp.wat'];
const read = (name) => readFile(new URL(`./${name}`, import.meta.url), 'utf8');
const gemm = (await read('gemm.wat')).trimEnd();
if (!gemm.endsWith(')')) throw new Error('build.mjs: gemm.wat must end with the module\'s closing parenthesis');
const parts = await Promise.all(PARTS.map(read));
const source = `${gemm.slice(0, -1)}\n${parts.join('\n')}\n)\n`;
const wabt = await wabtInit();

/** assemble writes the module of text to path, with the given wabt features. */
async function assemble(path, name, text, features) {
  const mod = wabt.parseWat(name, text, features);
  try {
    mod.resolveNames();
    mod.validate();
    const { buffer } = mod.toBinary({ write_debug_names: true, canonicalize_lebs: true });
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, buffer);
    return buffer.length;
  } finally {
    mod.destroy();
  }
}

console.log(`simd: wrote ${out} (${await assemble(out, 'keraswasm_simd.wat', source, { simd: true })} bytes)`);
if (relaxedOut) {
  const r = relax(source);
  for (const f of ['$gemm_macro', '$sgd_momentum', '$rmsprop', '$adam']) {
    if (!r.fused[f]) throw new Error(`build.mjs: relax.mjs fused no multiply-add in ${f}; its vector code changed form`);
  }
  const size = await assemble(relaxedOut, 'keraswasm_simd_relaxed.wat', r.source, { simd: true, relaxed_simd: true });
  const fused = Object.entries(r.fused).map(([f, n]) => `${f.slice(1)} ${n}`).join(', ');
  console.log(`simd: wrote ${relaxedOut} (${size} bytes; multiply-adds fused: ${fused})`);
}
