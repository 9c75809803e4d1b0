// Tests of js/simd.mjs and the SIMD kernel it loads (dist/keraswasm_simd.wasm,
// built by `make simd`), without Go: a WebAssembly.Memory stands in for Go's.
// The SIMD kernel and the JavaScript fallback must agree bit for bit (both
// sum each element's products in k order in float32), and both must match a
// float64 reference within float32 rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simdImports, attachSimd, jsKernel } from '../simd.mjs';

const MR = 4, NR = 8;

// mulberry32, so the operands are the same on every run.
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** block lays out packed A and B panels and a padded C in mem; returns byte offsets and a reference. */
function block(mem, { mc, nc, kc, pad, cInit }, rand) {
  const f = new Float32Array(mem.buffer);
  const mcp = Math.ceil(mc / MR) * MR, ncp = Math.ceil(nc / NR) * NR, ldc = nc + pad;
  const ap = 64, bp = ap + 4 * mcp * kc + 16, c = bp + 4 * ncp * kc + 12, t = c + 4 * mc * ldc + 4;
  for (let i = 0; i < mcp * kc; i++) f[ap / 4 + i] = (i % MR) + Math.floor(i / (MR * kc)) * MR < mc ? rand() * 2 - 1 : 0;
  for (let i = 0; i < ncp * kc; i++) f[bp / 4 + i] = (i % NR) + Math.floor(i / (NR * kc)) * NR < nc ? rand() * 2 - 1 : 0;
  for (let i = 0; i < mc * ldc; i++) f[c / 4 + i] = i % ldc >= nc ? 12345 : cInit(rand);
  const aAt = (i, p) => f[ap / 4 + Math.floor(i / MR) * MR * kc + p * MR + (i % MR)];
  const bAt = (p, j) => f[bp / 4 + Math.floor(j / NR) * NR * kc + p * NR + (j % NR)];
  return { ap, bp, c, t, ldc, aAt, bAt, c0: f.slice(c / 4, c / 4 + mc * ldc) };
}

async function kernels() {
  const mem = new WebAssembly.Memory({ initial: 64 });
  const simd = simdImports();
  assert.equal(await attachSimd(simd, { exports: { mem } }), 'simd');
  return { mem, simd: simd.keraswasm_simd.gemm_macro, js: jsKernel(mem).gemm_macro };
}

const cases = [
  { name: 'full tiles', mc: 8, nc: 16, kc: 5, alpha: 1, beta: 0 },
  { name: 'edges in m and n', mc: 13, nc: 19, kc: 7, alpha: 0.5, beta: 0.75 },
  { name: 'one element, k one', mc: 1, nc: 1, kc: 1, alpha: -2, beta: 1 },
  { name: 'thin rows', mc: 3, nc: 40, kc: 33, alpha: 1, beta: 1 },
  { name: 'a cache block', mc: 128, nc: 72, kc: 256, alpha: 1, beta: 0 },
];

test('SIMD kernel and JS fallback agree bit for bit and match the float64 product', async () => {
  const { mem, simd, js } = await kernels();
  for (const tc of cases) {
    const rand = rng(tc.mc * 1000 + tc.nc);
    const b = block(mem, { ...tc, pad: 3, cInit: (r) => r() * 2 - 1 }, rand);
    const f = new Float32Array(mem.buffer);
    const run = (k) => {
      f.set(b.c0, b.c / 4);
      k(tc.mc, tc.nc, tc.kc, tc.alpha, b.ap, b.bp, tc.beta, b.c, b.ldc, b.t);
      return f.slice(b.c / 4, b.c / 4 + tc.mc * b.ldc);
    };
    const got = run(simd), want = run(js);
    assert.deepEqual(got, want, `${tc.name}: SIMD and JS kernels differ`);
    for (let i = 0; i < tc.mc; i++) {
      for (let j = 0; j < b.ldc; j++) {
        const v = got[i * b.ldc + j];
        if (j >= tc.nc) {
          assert.equal(v, 12345, `${tc.name}: padding C[${i},${j}] was written`);
          continue;
        }
        let s = 0, abs = 0;
        for (let p = 0; p < tc.kc; p++) { s += b.aAt(i, p) * b.bAt(p, j); abs += Math.abs(b.aAt(i, p) * b.bAt(p, j)); }
        const exp = tc.alpha * s + tc.beta * b.c0[i * b.ldc + j];
        const bound = 2 * (tc.kc + 2) * 2 ** -23 * (Math.abs(tc.alpha) * abs + Math.abs(tc.beta * b.c0[i * b.ldc + j])) + 1e-30;
        assert.ok(Math.abs(v - exp) <= bound, `${tc.name}: C[${i},${j}] = ${v}, want ${exp} ± ${bound}`);
      }
    }
  }
});

test('beta 0 never reads C: NaN garbage does not survive', async () => {
  const { mem, simd, js } = await kernels();
  for (const k of [simd, js]) {
    const b = block(mem, { mc: 9, nc: 11, kc: 4, pad: 1, cInit: () => NaN }, rng(7));
    k(9, 11, 4, 1, b.ap, b.bp, 0, b.c, b.ldc, b.t);
    const f = new Float32Array(mem.buffer, b.c, 9 * b.ldc);
    assert.ok(f.every((v) => !Number.isNaN(v)), 'C holds NaN after beta=0');
  }
});

test('the trampoline says what to do before attachSimd, and attachSimd checks its arguments', async () => {
  const simd = simdImports();
  assert.throws(() => simd.keraswasm_simd.gemm_macro(4, 8, 1, 1, 0, 0, 0, 0, 8, 0), /call attachSimd\(imports, goInstance\)/);
  const mem = new WebAssembly.Memory({ initial: 1 });
  await assert.rejects(attachSimd({}, { exports: { mem } }), /simdImports\(\) returned/);
  await assert.rejects(attachSimd(simd, {}), /exports\.mem/);
  await assert.rejects(attachSimd(simd, { exports: { mem } }, { kernel: 'gpu' }), /kernel must be 'simd' or 'js'. Received: gpu/);
  assert.equal(await attachSimd(simd, { exports: { mem } }, { kernel: 'js' }), 'js');
  await assert.rejects(attachSimd(simdImports(), { exports: { mem } }, { url: new URL('file:///nonexistent/k.wasm') }), /make simd/);
});

test('the kernel sees memory that Go grows after attaching', async () => {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const imports = simdImports();
  await attachSimd(imports, { exports: { mem } });
  mem.grow(2); // Go grows its heap: the old ArrayBuffer is detached
  const f = new Float32Array(mem.buffer);
  const base = 65536 * 2; // past the first memory size
  f.fill(1, base / 4, base / 4 + 4 + 8);
  imports.keraswasm_simd.gemm_macro(1, 1, 1, 3, base, base + 16, 0, base + 48, 1, base + 64);
  assert.equal(f[(base + 48) / 4], 3);
});

test('pack_a and pack_b lay out panels as gemm.wat says, SIMD and JS alike', async () => {
  const mem = new WebAssembly.Memory({ initial: 64 });
  const imports = simdImports();
  await attachSimd(imports, { exports: { mem } });
  const kinds = { simd: imports.keraswasm_simd, js: jsKernel(mem) };
  const f = new Float32Array(mem.buffer);
  const src = 1024, dst = 1 << 20; // byte offsets
  // rows × cols is the stored matrix; the block is op(X) of (r, kc) for A or (kc, r) for B.
  for (const [r, kc] of [[13, 7], [8, 9], [4, 1], [3, 5], [17, 12], [16, 16]]) {
    for (const trans of [0, 1]) {
      for (const which of ['a', 'b']) {
        const width = which === 'a' ? MR : NR;
        // op(A)[i, p] or op(B)[p, i]: stored (r, kc) untransposed for A, (kc, r) for B; swapped if trans.
        const stored = (which === 'a') === (trans === 0) ? [r, kc] : [kc, r];
        const ld = stored[1] + 3;
        for (let i = 0; i < stored[0] * ld; i++) f[src / 4 + i] = i + 1;
        const at = (i, p) => { // op(X) element: i along the panel's width, p the depth
          const [row, col] = which === 'a' ? [i, p] : [p, i];
          return (trans ? f[src / 4 + col * ld + row] : f[src / 4 + row * ld + col]);
        };
        const panels = Math.ceil(r / width);
        const want = new Float32Array(panels * width * kc);
        for (let s = 0; s < panels; s++) {
          for (let p = 0; p < kc; p++) {
            for (let i = 0; i < width; i++) want[s * width * kc + p * width + i] = s * width + i < r ? at(s * width + i, p) : 0;
          }
        }
        for (const [kind, k] of Object.entries(kinds)) {
          f.fill(NaN, dst / 4, dst / 4 + want.length + 8);
          if (which === 'a') k.pack_a(dst, src, ld, r, kc, trans);
          else k.pack_b(dst, src, ld, kc, r, trans);
          const got = f.slice(dst / 4, dst / 4 + want.length);
          assert.deepEqual(got, want, `${kind} pack_${which} r=${r} kc=${kc} trans=${trans}`);
          assert.ok(Number.isNaN(f[dst / 4 + want.length]), `${kind} pack_${which} wrote past its panels`);
        }
      }
    }
  }
});
