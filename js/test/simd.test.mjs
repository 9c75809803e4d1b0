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
  await assert.rejects(attachSimd(simd, { exports: { mem } }, { kernel: 'gpu' }), /kernel must be 'simd', 'relaxed' or 'js'. Received: gpu/);
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

// The element-wise kernels (wasm/simd/elementwise.wat, optimizers.wat) against
// the same formulas in JavaScript with Math.fround after every operation
// (float32 arithmetic exactly), bit for bit, over lengths hitting every
// remainder of the vector width, at byte offsets that are not 16-aligned, and
// never writing past n values. Go's loops are compared with them under wasm
// in tensor/simd_ew_test.go.
const fr = Math.fround;
const SIZES = [0, 1, 3, 4, 5, 17, 1023];

async function ewKernels() {
  const mem = new WebAssembly.Memory({ initial: 64 });
  const imports = simdImports();
  assert.equal(await attachSimd(imports, { exports: { mem } }), 'simd');
  return { mem, k: imports.keraswasm_simd };
}

/** arrays lays out count arrays of n floats from byte offset base + 4·shift, 64 bytes apart, each followed by a NaN sentinel. */
function arrays(mem, n, count, shift, fill) {
  const f = new Float32Array(mem.buffer);
  const out = [];
  let at = 4096 + 4 * shift;
  for (let a = 0; a < count; a++) {
    for (let i = 0; i < n; i++) f[at / 4 + i] = fill(a, i);
    f[at / 4 + n] = NaN;
    out.push(at);
    at += 4 * n + 64 + 4 * ((shift + a) % 4);
  }
  return out;
}

const floats = (mem, at, n) => new Float32Array(mem.buffer, at, n).slice();
const bits = (x) => new Uint32Array(x.buffer, x.byteOffset, x.length);
const sentinelKept = (mem, at, n) => Number.isNaN(new Float32Array(mem.buffer)[at / 4 + n]);

test('elementwise() says whether Go may call the element-wise kernels', async () => {
  const before = simdImports();
  assert.equal(before.keraswasm_simd.elementwise(), 0);
  assert.throws(() => before.keraswasm_simd.relu(0, 0, 0), /call attachSimd/);
  const mem = new WebAssembly.Memory({ initial: 1 });
  await attachSimd(before, { exports: { mem } });
  assert.equal(before.keraswasm_simd.elementwise(), 1);
  const js = simdImports();
  await attachSimd(js, { exports: { mem } }, { kernel: 'js' });
  assert.equal(js.keraswasm_simd.elementwise(), 0, 'the JS fallback has GEMM only: Go keeps its own loops');
});

test('relu and relu_grad select bit for bit: NaN payloads kept, −0 to +0', async () => {
  const { mem, k } = await ewKernels();
  const u = new Uint32Array([0x7fc00001, 0xffa00000, 0x80000000, 0x00000001, 0x7f800000, 0xff800000]);
  const special = new Float32Array(u.buffer);
  const rand = rng(11);
  const val = () => (rand() < 0.3 ? special[Math.floor(rand() * special.length)] : rand() * 4 - 2);
  for (const n of SIZES) {
    for (let shift = 0; shift < 4; shift++) {
      const [x, y, dy, dst] = arrays(mem, n, 4, shift, val);
      const xs = floats(mem, x, n), ys = floats(mem, y, n), dys = floats(mem, dy, n);
      k.relu(dst, x, n);
      // Compare stored bits: a kept NaN must keep its payload.
      const got = bits(floats(mem, dst, n)), xb = bits(xs);
      for (let i = 0; i < n; i++) {
        assert.equal(got[i], xs[i] > 0 || Number.isNaN(xs[i]) ? xb[i] : 0, `relu n=${n} shift=${shift} [${i}] of ${xs[i]}`);
      }
      assert.ok(sentinelKept(mem, dst, n), `relu n=${n} wrote past n`);
      k.relu_grad(dst, y, dy, n);
      const g = bits(floats(mem, dst, n)), dyb = bits(dys);
      for (let i = 0; i < n; i++) assert.equal(g[i], ys[i] > 0 ? dyb[i] : 0, `relu_grad n=${n} [${i}]`);
      assert.ok(sentinelKept(mem, dst, n), `relu_grad n=${n} wrote past n`);
    }
  }
});

test('add_rows and sum_rows_f64: the bias and its gradient, column by column in row order', async () => {
  const { mem, k } = await ewKernels();
  const rand = rng(12);
  for (const c of [1, 3, 4, 5, 17, 64]) {
    for (const rows of [0, 1, 3, 17]) {
      const [y, b] = arrays(mem, rows * c, 2, c % 4, () => rand() * 2 - 1);
      const f = new Float32Array(mem.buffer);
      for (let j = 0; j < c; j++) f[b / 4 + j] = rand() * 2 - 1;
      const ys = floats(mem, y, rows * c), bs = floats(mem, b, c);
      k.add_rows(y, b, rows, c);
      const want = ys.map((v, i) => fr(v + bs[i % c]));
      assert.deepEqual(floats(mem, y, rows * c), want, `add_rows (${rows}, ${c})`);
      assert.ok(sentinelKept(mem, y, rows * c), `add_rows (${rows}, ${c}) wrote past the matrix`);
      // sum_rows_f64 over the first w columns of the (rows, c) matrix y, into float64s at acc (8-aligned).
      for (const w of [c, Math.max(1, c - 2)]) {
        const acc = 1 << 20;
        const d = new Float64Array(mem.buffer, acc, w + 1);
        d.fill(0.25);
        d[w] = NaN;
        k.sum_rows_f64(acc, y, rows, w, c);
        for (let j = 0; j < w; j++) {
          let s = 0.25;
          for (let r = 0; r < rows; r++) s += want[r * c + j];
          assert.equal(d[j], s, `sum_rows_f64 (${rows}, ${w}) ldx ${c} column ${j}`);
        }
        assert.ok(Number.isNaN(d[w]), 'sum_rows_f64 wrote past w');
      }
    }
  }
});

test('first_nonfinite finds the first NaN or ±Inf', async () => {
  const { mem, k } = await ewKernels();
  for (const n of SIZES) {
    const [x] = arrays(mem, n, 1, n % 4, (a, i) => i - 2);
    assert.equal(k.first_nonfinite(x, n), -1, `n=${n} finite`);
    const f = new Float32Array(mem.buffer);
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const at of new Set([0, n >> 1, n - 1])) {
        if (at < 0 || at >= n) continue;
        const old = f[x / 4 + at];
        f[x / 4 + at] = bad;
        assert.equal(k.first_nonfinite(x, n), at, `n=${n} ${bad} at ${at}`);
        f[x / 4 + at] = old;
      }
    }
  }
});

test('sgd_momentum, rmsprop and adam apply the Go rules in float32, bit for bit', async () => {
  const { mem, k } = await ewKernels();
  const rand = rng(13);
  const sq = (v) => fr(Math.sqrt(v));
  for (const n of SIZES) {
    for (let shift = 0; shift < 4; shift++) {
      const fill = (a, i) => (a >= 2 ? fr((rand() * rand()) * 1e-2) : (i % 7 === 0 ? 0 : rand() * 2 - 1));
      // sgd: w, g, v (velocity may be negative)
      for (const nesterov of [0, 1]) {
        const [w, g, v] = arrays(mem, n, 3, shift, (a, i) => (a === 2 ? rand() - 0.5 : fill(a, i)));
        const W = floats(mem, w, n), G = floats(mem, g, n), V = floats(mem, v, n);
        const lr = fr(0.01), mu = fr(0.9);
        for (let i = 0; i < n; i++) {
          const vi = fr(fr(V[i] * mu) - fr(G[i] * lr));
          V[i] = vi;
          W[i] = fr(W[i] + (nesterov ? fr(fr(vi * mu) - fr(G[i] * lr)) : vi));
        }
        k.sgd_momentum(w, g, v, n, lr, mu, nesterov);
        assert.deepEqual(floats(mem, w, n), W, `sgd n=${n} nesterov=${nesterov} w`);
        assert.deepEqual(floats(mem, v, n), V, `sgd n=${n} v`);
        assert.ok(sentinelKept(mem, w, n) && sentinelKept(mem, v, n), 'sgd wrote past n');
      }
      // rmsprop: w, g, v, mom, avg (avg² ≤ v so the centered root is real)
      for (const flags of [0, 1, 2, 3]) {
        const [w, g, v, mom, avg] = arrays(mem, n, 5, shift, fill);
        const f = new Float32Array(mem.buffer);
        for (let i = 0; i < n; i++) f[avg / 4 + i] = fr(Math.sqrt(f[v / 4 + i]) * 0.5);
        const [W, G, V, M, A] = [w, g, v, mom, avg].map((p) => floats(mem, p, n));
        const lr = fr(0.001), rho = fr(0.9), eps = fr(1e-7), mu = fr(0.5), orho = fr(1 - rho);
        for (let i = 0; i < n; i++) {
          V[i] = fr(fr(rho * V[i]) + fr(fr(orho * G[i]) * G[i]));
          let d = fr(V[i] + eps);
          if (flags & 2) {
            A[i] = fr(fr(rho * A[i]) + fr(orho * G[i]));
            d = fr(fr(V[i] - fr(A[i] * A[i])) + eps);
          }
          let inc = fr(fr(lr * G[i]) / sq(d));
          if (flags & 1) inc = M[i] = fr(fr(mu * M[i]) + inc);
          W[i] = fr(W[i] - inc);
        }
        k.rmsprop(w, g, v, mom, avg, n, lr, rho, eps, mu, flags);
        for (const [name, p, want] of [['w', w, W], ['v', v, V], ['mom', mom, M], ['avg', avg, A]]) {
          assert.deepEqual(floats(mem, p, n), want, `rmsprop n=${n} flags=${flags} ${name}`);
          assert.ok(sentinelKept(mem, p, n), `rmsprop wrote past n in ${name}`);
        }
      }
      // adam: w, g, m, v, vhat
      for (const amsgrad of [0, 1]) {
        const [w, g, m, v, vhat] = arrays(mem, n, 5, shift, (a, i) => (a === 2 ? rand() * 0.2 - 0.1 : fill(a, i)));
        const [W, G, M, V, H] = [w, g, m, v, vhat].map((p) => floats(mem, p, n));
        const b1 = fr(0.9), b2 = fr(0.999), eps = fr(1e-7), alpha = fr(0.00123);
        const ob1 = fr(1 - b1), ob2 = fr(1 - b2);
        for (let i = 0; i < n; i++) {
          M[i] = fr(M[i] + fr(fr(G[i] - M[i]) * ob1));
          V[i] = fr(V[i] + fr(fr(fr(G[i] * G[i]) - V[i]) * ob2));
          let vi = V[i];
          if (amsgrad) vi = H[i] = Math.max(H[i], vi);
          W[i] = fr(W[i] - fr(fr(M[i] * alpha) / fr(sq(vi) + eps)));
        }
        k.adam(w, g, m, v, vhat, n, b1, b2, eps, alpha, amsgrad);
        for (const [name, p, want] of [['w', w, W], ['m', m, M], ['v', v, V], ['vhat', vhat, H]]) {
          assert.deepEqual(floats(mem, p, n), want, `adam n=${n} amsgrad=${amsgrad} ${name}`);
          assert.ok(sentinelKept(mem, p, n), `adam wrote past n in ${name}`);
        }
      }
    }
  }
});

test('im2col_inside copies each window row, col2im_inside adds it back in row order', async () => {
  const { mem, k } = await ewKernels();
  const rand = rng(14);
  // (n, h, w, c, kh, kw, sh, sw, dh): valid windows, width undilated
  for (const [n, h, w, c, kh, kw, sh, sw, dh] of [[2, 7, 6, 1, 3, 3, 1, 1, 1], [1, 9, 8, 3, 2, 3, 2, 1, 2], [2, 5, 5, 8, 3, 3, 1, 2, 1]]) {
    const oh = Math.floor((h - 1 - (kh - 1) * dh) / sh) + 1, ow = Math.floor((w - kw) / sw) + 1;
    const rows = n * oh * ow, run = kw * c, kcols = kh * run, img = h * w * c, ld = w * c;
    const [x, cols, dx] = arrays(mem, Math.max(img * n, rows * kcols), 3, c % 4, () => rand() * 2 - 1);
    const X = floats(mem, x, img * n), DX = floats(mem, dx, img * n);
    k.im2col_inside(cols, x, rows, 0, 0, 0, oh, ow, kh, run, img, sh * ld, dh * ld, sw * c);
    const got = floats(mem, cols, rows * kcols);
    const want = new Float32Array(rows * kcols);
    for (let r = 0; r < rows; r++) {
      const b = Math.floor(r / (oh * ow)), i = Math.floor(r / ow) % oh, j = r % ow;
      for (let a = 0; a < kh; a++) {
        for (let e = 0; e < run; e++) {
          const src = b * img + (i * sh + a * dh) * ld + j * sw * c + e;
          want[r * kcols + a * run + e] = X[src];
          DX[src] = fr(DX[src] + got[r * kcols + a * run + e]);
        }
      }
    }
    assert.deepEqual(got, want, `im2col_inside (${n}, ${h}, ${w}, ${c}) window ${kh}x${kw}`);
    k.col2im_inside(dx, cols, rows, 0, 0, 0, oh, ow, kh, run, img, sh * ld, dh * ld, sw * c);
    assert.deepEqual(floats(mem, dx, img * n), DX, `col2im_inside (${n}, ${h}, ${w}, ${c})`);
  }
});

test('axpy and mul_to: dst + alpha·x and s·t in float32', async () => {
  const { mem, k } = await ewKernels();
  const rand = rng(15);
  for (const n of SIZES) {
    for (let shift = 0; shift < 4; shift++) {
      const [d, x, t] = arrays(mem, n, 3, shift, () => rand() * 4 - 2);
      const D = floats(mem, d, n), X = floats(mem, x, n), T = floats(mem, t, n);
      const alpha = fr(-0.37);
      k.axpy(d, x, n, alpha);
      assert.deepEqual(floats(mem, d, n), D.map((v, i) => fr(v + fr(alpha * X[i]))), `axpy n=${n}`);
      assert.ok(sentinelKept(mem, d, n), 'axpy wrote past n');
      k.mul_to(d, x, t, n);
      assert.deepEqual(floats(mem, d, n), X.map((v, i) => fr(v * T[i])), `mul_to n=${n}`);
      assert.ok(sentinelKept(mem, d, n), 'mul_to wrote past n');
    }
  }
});

test('maxpool: the first maximum of each window and its flat index', async () => {
  const { mem, k } = await ewKernels();
  const rand = rng(16);
  // (n, h, w, c, window, stride), 'valid': every tap in the image
  for (const [n, h, w, c, kk, s] of [[2, 6, 6, 5, 2, 2], [1, 7, 5, 4, 3, 1], [2, 4, 6, 1, 2, 1]]) {
    const oh = Math.floor((h - kk) / s) + 1, ow = Math.floor((w - kk) / s) + 1, out = n * oh * ow * c;
    const [x, y, am, geom] = arrays(mem, Math.max(n * h * w * c, 16), 4, 0, () => Math.floor(rand() * 3) - 1);
    new Int32Array(mem.buffer, geom, 16).set([n, h, w, c, oh, ow, kk, kk, s, s, 1, 1, 0, 0, 0, 0]);
    const X = floats(mem, x, n * h * w * c);
    k.maxpool(y, am, x, geom);
    const Y = floats(mem, y, out), A = new Int32Array(mem.buffer, am, out).slice();
    for (let b = 0, o = 0; b < n; b++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          for (let ch = 0; ch < c; ch++, o++) {
            let best = -Infinity, at = -1;
            for (let a = 0; a < kk; a++) {
              for (let e = 0; e < kk; e++) {
                const idx = ((b * h + i * s + a) * w + j * s + e) * c + ch;
                if (at < 0 || X[idx] > best) { best = X[idx]; at = idx; }
              }
            }
            assert.equal(Y[o], best, `maxpool (${n}, ${h}, ${w}, ${c}) y[${o}]`);
            assert.equal(A[o], at, `maxpool (${n}, ${h}, ${w}, ${c}) argmax[${o}]`);
          }
        }
      }
    }
  }
});

test('softmax_rows: each row is exp(x − max)/Σ, within float32 rounding of Math.exp', async () => {
  const { mem, k } = await ewKernels();
  const rand = rng(17);
  for (const n of [1, 3, 10, 17]) {
    const rows = 5;
    const [x, y] = arrays(mem, rows * n, 2, n % 4, () => (rand() * 2 - 1) * 30);
    const X = floats(mem, x, rows * n);
    k.softmax_rows(y, x, rows, n);
    const Y = floats(mem, y, rows * n);
    for (let r = 0; r < rows; r++) {
      const row = X.slice(r * n, r * n + n), m = Math.max(...row);
      const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
      for (let j = 0; j < n; j++) {
        const want = Math.exp(row[j] - m) / s;
        assert.ok(Math.abs(Y[r * n + j] - want) <= 2 ** -22 * want + 1e-45, `softmax_rows n=${n} [${r}, ${j}] = ${Y[r * n + j]}, want ${want}`);
      }
    }
    assert.ok(sentinelKept(mem, y, rows * n), 'softmax_rows wrote past its rows');
  }
});
