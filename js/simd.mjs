// The WebAssembly SIMD GEMM kernels that the Go runtime imports.
//
// Go's wasm target has no SIMD, so tensor.Gemm's packing and inner loops live
// in a second, hand-written module (wasm/simd/gemm.wat, assembled by `make
// simd` into dist/keraswasm_simd.wasm) that shares the Go instance's memory.
// The Go module imports them as keraswasm_simd.{gemm_macro, pack_a, pack_b},
// but its memory exists only once it is instantiated, after its imports had
// to be given; so each import is a trampoline that calls the SIMD instance,
// made once the Go instance exists (a crossing costs ~75 ns, once per block):
//
//   const go = new Go();
//   const simd = simdImports();
//   const { instance } = await WebAssembly.instantiate(goModule, { ...go.importObject, ...simd });
//   await attachSimd(simd, instance);          // before go.run
//   go.run(instance);
//
// Where the engine has no wasm SIMD (Safari before 16.4), attachSimd falls
// back to a plain JavaScript kernel with the same results, much slower.
// Works in browsers, Web Workers and Node >= 20.
//
// attachSimd(simd, instance, {kernel: 'relaxed'}) attaches the relaxed-SIMD
// variant instead (dist/keraswasm_simd_relaxed.wasm: the same kernels with
// their multiply-adds as f32x4.relaxed_madd, wasm/simd/relax.mjs), faster
// where the engine fuses them, and not bit-identical to the Go kernel; it
// has no fallback: an engine without relaxed SIMD (relaxedSimdSupported()
// false) is refused with a NotImplementedError.

import { readBytes, resolveURL } from './src/env.mjs';
import { simdURL, simdRelaxedURL } from './src/assets.mjs';
import { NotImplementedError } from './src/errors.mjs';

const STATE = Symbol('keraswasm_simd');
// The SIMD module's exports: the GEMM kernels (gemm.wat), which the JS
// fallback also provides, and the element-wise ones (elementwise.wat,
// optimizers.wat), which Go asks for only when `elementwise()` is 1.
const GEMM_KERNELS = ['gemm_macro', 'pack_a', 'pack_b'];
export const ELEMENTWISE_KERNELS = ['relu', 'relu_grad', 'add_rows', 'sum_rows_f64', 'first_nonfinite',
  'sgd_momentum', 'rmsprop', 'adam', 'im2col_inside', 'col2im_inside',
  'axpy', 'mul_to', 'maxpool', 'softmax_rows', 'exp_f64',
  'sigmoid', 'sigmoid_grad', 'tanh', 'tanh_grad', 'exp2_f64', 'tanh2_f64', 'sigmoid2_f64',
  'logsumexp_rows', 'log_f64', 'softmax_xent_grad'];
const modules = new Map(); // URL -> Promise<WebAssembly.Module | null>: one fetch and compile per page

// The smallest module with one relaxed SIMD instruction:
// (func (param v128) (result v128) (f32x4.relaxed_madd (local.get 0) (local.get 0) (local.get 0))).
const RELAXED_PROBE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7b, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x00, 0x20,
  0x00, 0xfd, 0x85, 0x02, 0x0b]);

/**
 * relaxedSimdSupported says whether this engine compiles WebAssembly relaxed
 * SIMD (WebAssembly.validate of a module holding f32x4.relaxed_madd): true
 * in Chromium-based browsers from 114, false in Node 20 unless it runs with
 * --experimental-wasm-relaxed-simd, and false where wasm has no SIMD at all.
 */
export function relaxedSimdSupported() {
  return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
}

/** relaxedRefusal is the NotImplementedError for kernel 'relaxed' on an engine without relaxed SIMD. */
export function relaxedRefusal(where) {
  return new NotImplementedError(`${where}: simd: 'relaxed' needs WebAssembly relaxed SIMD (f32x4.relaxed_madd), ` +
    'which this engine does not compile (WebAssembly.validate refused it). Chromium-based browsers have it from ' +
    'version 114; Node 20 needs the flag --experimental-wasm-relaxed-simd. Load without simd (or with ' +
    "simd: 'default') for the SIMD kernels every engine runs, whose results equal native Go's bit for bit");
}

function notAttached() {
  throw new Error('keraswasm: the SIMD GEMM kernels are not attached: call attachSimd(imports, goInstance) ' +
    'after instantiating the Go module and before go.run(instance)');
}

/**
 * simdImports returns the imports the Go module needs ({keraswasm_simd:
 * {gemm_macro, pack_a, pack_b, elementwise, relu, …}}: GEMM_KERNELS,
 * `elementwise` and ELEMENTWISE_KERNELS), to spread into go.importObject. Each Go
 * instance needs its own: pass the same object to attachSimd.
 */
export function simdImports() {
  const kernel = Object.fromEntries([...GEMM_KERNELS, ...ELEMENTWISE_KERNELS].map((k) => [k, notAttached]));
  const state = { kernel, kind: null };
  // Fixed arity: V8 calls a wasm export from JS fastest with exact arguments.
  const imports = {
    keraswasm_simd: {
      gemm_macro: (mc, nc, kc, alpha, ap, bp, beta, c, ldc, t) =>
        state.kernel.gemm_macro(mc, nc, kc, alpha, ap, bp, beta, c, ldc, t),
      pack_a: (ap, a, lda, mc, kc, trans) => state.kernel.pack_a(ap, a, lda, mc, kc, trans),
      pack_b: (bp, b, ldb, kc, nc, trans) => state.kernel.pack_b(bp, b, ldb, kc, nc, trans),
      // 1 when the element-wise kernels below are the SIMD module's, 0 when
      // they are absent (the JS fallback): Go then keeps its own loops.
      elementwise: () => (state.kind === 'simd' || state.kind === 'relaxed' ? 1 : 0),
      relu: (dst, x, n) => state.kernel.relu(dst, x, n),
      relu_grad: (dst, y, dy, n) => state.kernel.relu_grad(dst, y, dy, n),
      add_rows: (y, b, rows, c) => state.kernel.add_rows(y, b, rows, c),
      sum_rows_f64: (acc, x, rows, w, ldx) => state.kernel.sum_rows_f64(acc, x, rows, w, ldx),
      first_nonfinite: (x, n) => state.kernel.first_nonfinite(x, n),
      sgd_momentum: (w, g, v, n, lr, mu, nesterov) => state.kernel.sgd_momentum(w, g, v, n, lr, mu, nesterov),
      rmsprop: (w, g, v, mom, avg, n, lr, rho, eps, mu, flags) =>
        state.kernel.rmsprop(w, g, v, mom, avg, n, lr, rho, eps, mu, flags),
      adam: (w, g, m, v, vhat, n, b1, b2, eps, alpha, amsgrad) =>
        state.kernel.adam(w, g, m, v, vhat, n, b1, b2, eps, alpha, amsgrad),
      softmax_rows: (y, x, rows, n) => state.kernel.softmax_rows(y, x, rows, n),
      exp_f64: (dst, x, n) => state.kernel.exp_f64(dst, x, n),
      sigmoid: (dst, x, n) => state.kernel.sigmoid(dst, x, n),
      sigmoid_grad: (dst, y, dy, n) => state.kernel.sigmoid_grad(dst, y, dy, n),
      tanh: (dst, x, n) => state.kernel.tanh(dst, x, n),
      tanh_grad: (dst, y, dy, n) => state.kernel.tanh_grad(dst, y, dy, n),
      exp2_f64: (dst, x, n) => state.kernel.exp2_f64(dst, x, n),
      tanh2_f64: (dst, x, n) => state.kernel.tanh2_f64(dst, x, n),
      sigmoid2_f64: (dst, x, n) => state.kernel.sigmoid2_f64(dst, x, n),
      logsumexp_rows: (lse, x, rows, n) => state.kernel.logsumexp_rows(lse, x, rows, n),
      log_f64: (dst, x, n) => state.kernel.log_f64(dst, x, n),
      softmax_xent_grad: (d, x, t, lse, rows, n, a, b) => state.kernel.softmax_xent_grad(d, x, t, lse, rows, n, a, b),
      maxpool: (y, argmax, x, geom) => state.kernel.maxpool(y, argmax, x, geom),
      axpy: (dst, x, n, alpha) => state.kernel.axpy(dst, x, n, alpha),
      mul_to: (dst, s, t, n) => state.kernel.mul_to(dst, s, t, n),
      im2col_inside: (dst, x, rows, n, oh, ow, OH, OW, KH, run, img, shs, dhs, sws) =>
        state.kernel.im2col_inside(dst, x, rows, n, oh, ow, OH, OW, KH, run, img, shs, dhs, sws),
      col2im_inside: (dx, cols, rows, n, oh, ow, OH, OW, KH, run, img, shs, dhs, sws) =>
        state.kernel.col2im_inside(dx, cols, rows, n, oh, ow, OH, OW, KH, run, img, shs, dhs, sws),
    },
  };
  Object.defineProperty(imports, STATE, { value: state });
  return imports;
}

/**
 * attachSimd instantiates the SIMD module over goInstance's memory and
 * points the imports' trampoline at it. It resolves to 'simd', or to 'js'
 * when the engine cannot compile wasm SIMD (or options.kernel is 'js') and
 * the JavaScript kernel is used instead, or to 'relaxed' for options.kernel
 * 'relaxed' (rejected with a NotImplementedError where the engine has no
 * relaxed SIMD).
 * options: url (default dist/keraswasm_simd.wasm beside this file, or
 * dist/keraswasm_simd_relaxed.wasm for kernel 'relaxed'), module (a compiled
 * WebAssembly.Module, e.g. sent to a worker), bytes, kernel ('simd'
 * default, 'relaxed' or 'js').
 */
export async function attachSimd(imports, goInstance, options = {}) {
  const state = imports?.[STATE];
  if (!state) throw new TypeError('attachSimd: expected the object simdImports() returned as its first argument');
  const mem = goInstance?.exports?.mem;
  if (!(mem instanceof WebAssembly.Memory)) {
    throw new TypeError('attachSimd: expected the Go WebAssembly.Instance (whose exports.mem is its memory) as the second argument');
  }
  const kind = options.kernel ?? 'simd';
  if (kind !== 'simd' && kind !== 'js' && kind !== 'relaxed') {
    throw new TypeError(`attachSimd: kernel must be 'simd', 'relaxed' or 'js'. Received: ${String(options.kernel)}`);
  }
  if (kind === 'relaxed' && !relaxedSimdSupported()) throw relaxedRefusal('attachSimd');
  let module = null;
  if (kind !== 'js') module = await simdModule(kind === 'relaxed' && !options.url ? { ...options, url: simdRelaxedURL() } : options);
  if (kind === 'relaxed' && !module) throw relaxedRefusal('attachSimd');
  if (module) {
    const { exports } = await WebAssembly.instantiate(module, { env: { mem } });
    state.kernel = Object.fromEntries([...GEMM_KERNELS, ...ELEMENTWISE_KERNELS].map((k) => [k, exports[k]]));
    state.kind = kind;
  } else {
    state.kernel = { ...state.kernel, ...jsKernel(mem) };
    state.kind = 'js';
  }
  return state.kind;
}

/** simdModule compiles the SIMD module once per URL; null if the engine lacks wasm SIMD. */
async function simdModule(options) {
  if (options.module) return options.module;
  if (options.bytes) return WebAssembly.validate(options.bytes) ? WebAssembly.compile(options.bytes) : null;
  const url = options.url ? await resolveURL(options.url) : simdURL();
  const key = url.href;
  if (!modules.has(key)) {
    const p = readKernel(url).then((bytes) => (WebAssembly.validate(bytes) ? WebAssembly.compile(bytes) : null));
    p.catch(() => modules.delete(key));
    modules.set(key, p);
  }
  return modules.get(key);
}

/** readKernel reads the SIMD module's bytes, saying how to build it when they are not there. */
async function readKernel(url) {
  try {
    return await readBytes(url);
  } catch (e) {
    throw new Error(`keraswasm: could not read the SIMD kernel ${url} (${e.code ?? e.message}); build it with \`make simd\``);
  }
}

/**
 * jsKernel is gemm.wat's module in JavaScript, for engines without wasm
 * SIMD: gemm_macro (C = alpha·A·B + beta·C over the packed 4-row A and
 * 8-column B panels, summing in the same order in float32), pack_a and
 * pack_b, all on byte offsets into Go's memory.
 */
export function jsKernel(mem) {
  // A new view per call: Go's memory may have grown since the last one.
  const view = () => new Float32Array(mem.buffer);
  const t = new Float32Array(32);
  // pack fills width-wide panels: d[p·width + i] = src[i·si + p·sp] (in floats) for i < valid, else 0.
  const pack = (f, d, src, si, sp, width, valid, kc) => {
    for (let p = 0; p < kc; p++) {
      for (let i = 0; i < width; i++) f[d++] = i < valid ? f[src + i * si + p * sp] : 0;
    }
  };
  return {
    gemm_macro(mc, nc, kc, alpha, ap, bp, beta, c, ldc, _t) {
      const f = view();
      const a0 = ap >>> 2, b0 = bp >>> 2, c0 = c >>> 2;
      for (let jr = 0; jr < nc; jr += 8) {
        const nr = Math.min(8, nc - jr);
        for (let ir = 0; ir < mc; ir += 4) {
          const mr = Math.min(4, mc - ir);
          t.fill(0);
          let pa = a0 + ir * kc, pb = b0 + jr * kc;
          for (let p = 0; p < kc; p++, pa += 4, pb += 8) {
            for (let i = 0; i < 4; i++) {
              const av = f[pa + i];
              for (let j = 0; j < 8; j++) t[i * 8 + j] = Math.fround(t[i * 8 + j] + Math.fround(av * f[pb + j]));
            }
          }
          for (let i = 0; i < mr; i++) {
            const row = c0 + (ir + i) * ldc + jr;
            for (let j = 0; j < nr; j++) {
              let x = Math.fround(alpha * t[i * 8 + j]);
              if (beta !== 0) x = Math.fround(x + Math.fround(beta * f[row + j]));
              f[row + j] = x;
            }
          }
        }
      }
    },
    pack_a(ap, a, lda, mc, kc, trans) {
      const f = view();
      for (let ir = 0; ir < mc; ir += 4) {
        const src = trans ? (a >>> 2) + ir : (a >>> 2) + ir * lda;
        pack(f, (ap >>> 2) + ir * kc, src, trans ? 1 : lda, trans ? lda : 1, 4, Math.min(4, mc - ir), kc);
      }
    },
    pack_b(bp, b, ldb, kc, nc, trans) {
      const f = view();
      for (let jr = 0; jr < nc; jr += 8) {
        const src = trans ? (b >>> 2) + jr * ldb : (b >>> 2) + jr;
        pack(f, (bp >>> 2) + jr * kc, src, trans ? ldb : 1, trans ? 1 : ldb, 8, Math.min(8, nc - jr), kc);
      }
    },
  };
}
