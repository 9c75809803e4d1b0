// loadKeras's simd option: which SIMD kernels the runtime imports.
//
//   'default' (or absent): dist/keraswasm_simd.wasm, whose float32 results
//     equal native Go's bit for bit on every engine (each product rounded,
//     then added, in Go's order); the JavaScript kernel where wasm has no SIMD.
//   'relaxed': dist/keraswasm_simd_relaxed.wasm, the same kernels with
//     relaxed SIMD's f32x4.relaxed_madd for GEMM's and the optimizers'
//     multiply-adds (wasm/simd/relax.mjs). Faster where the engine fuses
//     them (one rounding per multiply-add), and so no longer bit-identical
//     to native Go, nor necessarily between machines (an engine may fuse or
//     not); within float32 rounding of the default (js/test/relaxed.test.mjs).
//     Detected with WebAssembly.validate; an engine without relaxed SIMD is
//     refused with a NotImplementedError, never silently given the default.

import { ValueError, nearestName } from './errors.mjs';
import { relaxedSimdSupported, relaxedRefusal } from '../simd.mjs';

/** SIMD_OPTIONS are the values loadKeras's simd option takes. */
export const SIMD_OPTIONS = ['default', 'relaxed'];

/**
 * simdKernel checks loadKeras's simd option and returns the kernel it names
 * for attachSimd ('simd' or 'relaxed'): a TypeError for a value that is not
 * a string, a ValueError naming the nearest valid value for an unknown one,
 * and a NotImplementedError for 'relaxed' on an engine without relaxed SIMD.
 * where prefixes the messages (the method called: loadKeras).
 */
export function simdKernel(value, where = 'loadKeras') {
  if (value === undefined || value === 'default') return 'simd';
  if (typeof value !== 'string') {
    throw new TypeError(`${where}: simd must be a string, one of ${SIMD_OPTIONS.map((o) => `'${o}'`).join(', ')}. Received: ${value === null ? 'null' : typeof value === 'object' ? 'an object' : `${String(value)} (${typeof value})`}`);
  }
  if (value !== 'relaxed') {
    throw new ValueError(`${where}: unknown simd: '${value}'; expected one of ${SIMD_OPTIONS.map((o) => `'${o}'`).join(', ')}. Did you mean '${nearestName(value, SIMD_OPTIONS)}'?`);
  }
  if (!relaxedSimdSupported()) throw relaxedRefusal(where);
  return 'relaxed';
}
