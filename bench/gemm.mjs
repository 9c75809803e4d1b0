// GEMM throughput of one SIMD kernel path (js/simd.mjs: 'simd', the default
// module; 'relaxed', its relaxed-SIMD variant; 'js', the fallback), without
// Go: C = A·B for square float32 matrices in a WebAssembly.Memory, blocked
// as tensor.Gemm blocks it (tensor/gemm.go: 128-row blocks of A, 512 deep,
// 1024 columns of B) and through the same three calls Go makes (pack_a,
// pack_b, gemm_macro). Works in Node and in a page (bench/browser.mjs).
//
//   node [--experimental-wasm-relaxed-simd] bench/gemm.mjs [--size 256] [--rounds 5] [--kernels simd,relaxed]
import { simdImports, attachSimd } from '../js/simd.mjs';

const MC = 128, KC = 512, NC = 1024, MR = 4, NR = 8;

/** gemmKernel attaches kernel over a fresh memory big enough for size×size products. */
export async function gemmKernel(kernel, size) {
  const floats = 3 * size * size + MC * KC + KC * NC + 64;
  const mem = new WebAssembly.Memory({ initial: Math.ceil((4 * floats) / 65536) + 1 });
  const imports = simdImports();
  await attachSimd(imports, { exports: { mem } }, { kernel });
  const f = new Float32Array(mem.buffer);
  let seed = 1;
  const a = 0, b = a + size * size, c = b + size * size, ap = c + size * size, bp = ap + MC * KC, t = bp + KC * NC; // in floats
  for (let i = 0; i < 2 * size * size; i++) { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; f[i] = seed / 2 ** 31 - 1; }
  const k = imports.keraswasm_simd;
  const B = (x) => 4 * x; // byte offsets
  /** product computes C = A·B once, blocked as tensor.Gemm. */
  const product = () => {
    for (let jc = 0; jc < size; jc += NC) {
      const nc = Math.min(NC, size - jc);
      for (let pc = 0; pc < size; pc += KC) {
        const kc = Math.min(KC, size - pc);
        k.pack_b(B(bp), B(b + pc * size + jc), size, kc, nc, 0);
        for (let ic = 0; ic < size; ic += MC) {
          const mc = Math.min(MC, size - ic);
          k.pack_a(B(ap), B(a + ic * size + pc), size, mc, kc, 0);
          k.gemm_macro(mc, nc, kc, 1, B(ap), B(bp), pc === 0 ? 0 : 1, B(c + ic * size + jc), size, B(t));
        }
      }
    }
  };
  return { product };
}

/** gemmGFLOPs times kernel's size×size product: the best of reps runs of about 30 ms, in GFLOP/s. */
export async function gemmGFLOPs(kernel, size = 256, reps = 5) {
  const { product } = await gemmKernel(kernel, size);
  const flops = 2 * size ** 3;
  const inner = Math.max(1, Math.round(50e9 * 0.03 / flops)); // ~30 ms a run at 50 GFLOP/s: many timer ticks
  product();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) product();
    best = Math.min(best, (performance.now() - t0) / 1000 / inner);
  }
  return flops / best / 1e9;
}

if (typeof process === 'object' && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const opt = (name, def) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : def);
  const sizes = opt('--size', '128,256,512').split(',').map(Number);
  const kernels = opt('--kernels', 'simd,relaxed').split(',');
  const rounds = Number(opt('--rounds', 5));
  console.log(`Node ${process.version}; ${new Date().toISOString()}; GEMM GFLOP/s, best of ${rounds} interleaved rounds`);
  const best = {};
  for (let r = 0; r < rounds; r++) {
    for (const size of sizes) {
      for (const kernel of kernels) {
        const g = await gemmGFLOPs(kernel, size, 3);
        best[`${size} ${kernel}`] = Math.max(best[`${size} ${kernel}`] ?? 0, g);
      }
    }
  }
  for (const size of sizes) console.log(`${size}×${size}×${size}: ${kernels.map((k) => `${k} ${best[`${size} ${k}`].toFixed(1)}`).join('   ')}`);
}
