// loadKeras({simd: 'relaxed'}): the relaxed-SIMD kernels
// (dist/keraswasm_simd_relaxed.wasm, wasm/simd/relax.mjs) against the default
// ones, and the option's refusals.
//
// Tolerances. A relaxed multiply-add rounds once where the default rounds the
// product and the sum apart, so over a k-term dot product each kernel is
// within (k+1)·u·Σ|a·b| of the exact value (u = 2⁻²⁴, float32's unit
// roundoff; bound used: 2·(k+2)·2⁻²³·(|α|·Σ|a·b| + |β·c|), twice that, for
// their difference). The optimizer updates perform a handful of operations a
// weight: after 5 steps each weight and slot agrees within 1e-6 of the
// largest magnitude in its array. Models trained for 3 epochs with each:
// losses within 1e-5 relative, weights within 1e-5 absolute plus 1e-5 relative.
//
// Node 20 compiles relaxed SIMD only with --experimental-wasm-relaxed-simd:
// without it this file tests the refusal itself and runs its relaxed tests in
// a child Node with the flag; with it (or on an engine that has it), it runs
// them here and the refusal in a child without the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadKeras } from '../keras.mjs';
import { simdImports, attachSimd, relaxedSimdSupported } from '../simd.mjs';
import { lcg } from './helpers.mjs';

const FLAG = '--experimental-wasm-relaxed-simd';
const here = relaxedSimdSupported();

const CASES = [
  'relaxed gemm_macro equals the default within float32 rounding over every tile remainder',
  'relaxed optimizer updates and axpy equal the default within float32 rounding over every vector remainder',
  'models trained with simd relaxed stay within tolerance of the default, on the main thread and in a worker',
];

// (func (export "madd") (param f32 f32 f32) (result f32)): lane 0 of
// f32x4.relaxed_madd of the three splatted.
const MADD_PROBE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03,
  0x7d, 0x7d, 0x7d, 0x01, 0x7d, 0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x6d, 0x61, 0x64, 0x64, 0x00, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0x20, 0x00, 0xfd, 0x13, 0x20, 0x01, 0xfd, 0x13, 0x20, 0x02, 0xfd, 0x13, 0xfd, 0x85,
  0x02, 0xfd, 0x1f, 0x00, 0x0b]);

/**
 * engineFuses says whether this engine computes relaxed_madd with one
 * rounding: (1+2⁻¹²)² − (1+2⁻¹¹) is 2⁻²⁴ fused, and 0 when the product is
 * rounded first (to 1+2⁻¹¹, a tie to even).
 */
function engineFuses() {
  const { madd } = new WebAssembly.Instance(new WebAssembly.Module(MADD_PROBE)).exports;
  const r = madd(1 + 2 ** -12, 1 + 2 ** -12, -(1 + 2 ** -11));
  assert.ok(r === 2 ** -24 || r === 0, `relaxed_madd probe gave ${r}`);
  return r !== 0;
}

/** bothKernels attaches the default and the relaxed module to one memory. */
async function bothKernels() {
  const mem = new WebAssembly.Memory({ initial: 128 });
  const def = simdImports(), rel = simdImports();
  assert.equal(await attachSimd(def, { exports: { mem } }), 'simd');
  assert.equal(await attachSimd(rel, { exports: { mem } }, { kernel: 'relaxed' }), 'relaxed');
  assert.equal(rel.keraswasm_simd.elementwise(), 1, 'Go calls the relaxed element-wise kernels too');
  return { mem, def: def.keraswasm_simd, rel: rel.keraswasm_simd };
}

function relaxedCases() {
  const fuses = engineFuses();

  test(CASES[0], async (t) => {
    t.diagnostic(`this engine ${fuses ? 'fuses' : 'does not fuse'} relaxed_madd`);
    const { mem, def, rel } = await bothKernels();
    const g = lcg(17);
    const MR = 4, NR = 8;
    let differ = 0, cases = 0;
    // mc and nc over every remainder of the 4×8 tile (and a few whole tiles), k from 1 to past a cache block.
    for (const kc of [1, 2, 3, 7, 64, 257]) {
      for (const mc of [1, 2, 3, 4, 5, 6, 7, 8, 9, 13]) {
        for (const nc of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 23]) {
          for (const [alpha, beta] of [[1, 0], [0.5, 0.75]]) {
            const f = new Float32Array(mem.buffer);
            const mcp = Math.ceil(mc / MR) * MR, ncp = Math.ceil(nc / NR) * NR, ldc = nc + 1;
            const ap = 64, bp = ap + 4 * mcp * kc, c = bp + 4 * ncp * kc, tt = c + 4 * mc * ldc + 16;
            for (let i = 0; i < mcp * kc; i++) f[ap / 4 + i] = (i % MR) + Math.floor(i / (MR * kc)) * MR < mc ? g() * 2 - 1 : 0;
            for (let i = 0; i < ncp * kc; i++) f[bp / 4 + i] = (i % NR) + Math.floor(i / (NR * kc)) * NR < nc ? g() * 2 - 1 : 0;
            const c0 = Float32Array.from({ length: mc * ldc }, (_, i) => (i % ldc === nc ? 12345 : g() * 2 - 1));
            const run = (k) => {
              f.set(c0, c / 4);
              k.gemm_macro(mc, nc, kc, alpha, ap, bp, beta, c, ldc, tt);
              return f.slice(c / 4, c / 4 + mc * ldc);
            };
            const want = run(def), got = run(rel);
            cases++;
            for (let i = 0; i < mc; i++) {
              for (let j = 0; j <= nc; j++) {
                const at = i * ldc + j;
                if (j === nc) { assert.equal(got[at], 12345, `C padding written (${mc}×${nc}×${kc})`); continue; }
                let abs = 0;
                for (let p = 0; p < kc; p++) {
                  abs += Math.abs(f[ap / 4 + Math.floor(i / MR) * MR * kc + p * MR + (i % MR)] * f[bp / 4 + Math.floor(j / NR) * NR * kc + p * NR + (j % NR)]);
                }
                const bound = 2 * 2 * (kc + 2) * 2 ** -23 * (Math.abs(alpha) * abs + Math.abs(beta * c0[at])) + 1e-30;
                assert.ok(Math.abs(got[at] - want[at]) <= bound,
                  `${mc}×${nc}×${kc} α=${alpha} β=${beta}: C[${i},${j}] relaxed ${got[at]}, default ${want[at]}, bound ${bound}`);
                if (got[at] !== want[at]) differ++;
              }
            }
          }
        }
      }
    }
    t.diagnostic(`${cases} blocks, ${differ} elements differ from the default`);
    if (fuses) assert.ok(differ > 0, 'an engine that fuses gives some different roundings: the relaxed module ran');
    else assert.equal(differ, 0, 'an engine that does not fuse gives the default bits');
  });

  test(CASES[1], async (t) => {
    const { mem, def, rel } = await bothKernels();
    const f = () => new Float32Array(mem.buffer);
    let worst = 0;
    const close = (got, want, what) => {
      const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - want[i]) / (scale || 1));
        assert.ok(Math.abs(got[i] - want[i]) <= 1e-6 * scale + 1e-30, `${what}[${i}]: relaxed ${got[i]}, default ${want[i]} (largest ${scale})`);
      }
    };
    // Each update: its arrays at 4-byte offsets (not 16-aligned), n over the remainders of 4.
    const updates = [
      ['sgd_momentum', 3, (k, [w, g, v], n, nest) => k.sgd_momentum(w, g, v, n, 0.01, 0.9, nest), [0, 1]],
      ['rmsprop', 5, (k, [w, g, v, mom, avg], n, flags) => k.rmsprop(w, g, v, mom, avg, n, 0.001, 0.9, 1e-7, 0.5, flags), [0, 1, 2, 3]],
      ['adam', 5, (k, [w, g, m, v, vhat], n, ams) => k.adam(w, g, m, v, vhat, n, 0.9, 0.999, 1e-7, 0.001, ams), [0, 1]],
      ['axpy', 2, (k, [d, x], n) => k.axpy(d, x, n, -0.37), [0]],
    ];
    for (const [name, count, call, modes] of updates) {
      for (const mode of modes) {
        for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 1027]) {
          const stride = 4 * n + 68;
          const at = Array.from({ length: count }, (_, a) => 4100 + a * stride);
          const states = {};
          for (const [kind, k] of [['def', def], ['rel', rel]]) {
            const g = lcg(n * 7 + mode);
            const v = f();
            for (let a = 0; a < count; a++) for (let i = 0; i < n; i++) v[at[a] / 4 + i] = a === 1 ? g() * 2 - 1 : a === 0 ? g() - 0.5 : 0;
            for (let step = 0; step < 5; step++) {
              for (let i = 0; i < n; i++) f()[at[1] / 4 + i] = Math.sin(step + i) * (1 + g()); // a new gradient each step
              call(k, at, n, mode);
            }
            states[kind] = at.map((p) => f().slice(p / 4, p / 4 + n));
          }
          states.def.forEach((want, a) => close(states.rel[a], want, `${name} mode ${mode} n=${n} array ${a}`));
        }
      }
    }
    t.diagnostic(`largest difference: ${worst.toExponential(2)} of the array's largest magnitude`);
  });

  test(CASES[2], async (t) => {
    const def = await loadKeras();
    const rel = await loadKeras({ simd: 'relaxed' });
    const wrk = await loadKeras({ simd: 'relaxed', worker: true });
    t.after(() => wrk.terminate());
    const g = lcg(5);
    const n = 256;
    const mlpX = Float32Array.from({ length: n * 64 }, g);
    const imgX = Float32Array.from({ length: n * 10 * 10 }, g);
    const labels = Array.from({ length: n }, () => Math.floor(g() * 10));
    const models = {
      'mlp adam': (k) => {
        const m = k.Sequential([k.layers.Dense(48, { activation: 'relu', input_shape: [64] }), k.layers.Dense(10, { activation: 'softmax' })]);
        m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
        return [m, k.tensor(mlpX, [n, 64])];
      },
      'mlp rmsprop centered momentum': (k) => {
        const m = k.Sequential([k.layers.Dense(40, { activation: 'tanh', input_shape: [64] }), k.layers.Dense(10, { activation: 'softmax' })]);
        m.compile({ optimizer: k.optimizers.RMSprop({ learning_rate: 0.002, centered: true, momentum: 0.5 }), loss: 'categorical_crossentropy' });
        return [m, k.tensor(mlpX, [n, 64])];
      },
      'convnet sgd nesterov': (k) => {
        const m = k.Sequential([
          k.layers.Conv2D(6, 3, { activation: 'relu', input_shape: [10, 10, 1] }), k.layers.MaxPooling2D(2),
          k.layers.Flatten(), k.layers.Dense(10, { activation: 'softmax' })]);
        m.compile({ optimizer: k.optimizers.SGD({ learning_rate: 0.05, momentum: 0.9, nesterov: true }), loss: 'categorical_crossentropy' });
        return [m, k.tensor(imgX, [n, 10, 10, 1])];
      },
    };
    for (const [name, make] of Object.entries(models)) {
      const train = async (k) => {
        k.utils.set_random_seed(3);
        const [m, x] = make(k);
        const y = k.utils.to_categorical(labels, 10);
        const h = await m.fit(x, await y, { epochs: 3, batch_size: 32, shuffle: false, verbose: 0 });
        const w = await m.get_weights();
        return { loss: h.history.loss, w: w.map((v) => Array.from(v.data)) };
      };
      const a = await train(def), b = await train(rel), c = await train(wrk);
      assert.deepEqual(c, b, `${name}: the worker's relaxed run equals the main thread's bit for bit`);
      let most = 0;
      a.loss.forEach((l, i) => {
        assert.ok(Math.abs(b.loss[i] - l) <= 1e-5 * Math.abs(l), `${name}: epoch ${i} loss relaxed ${b.loss[i]}, default ${l}`);
      });
      a.w.forEach((w, j) => w.forEach((v, i) => {
        const d = Math.abs(b.w[j][i] - v);
        most = Math.max(most, d);
        assert.ok(d <= 1e-5 + 1e-5 * Math.abs(v), `${name}: weight ${j}[${i}] relaxed ${b.w[j][i]}, default ${v}`);
      }));
      t.diagnostic(`${name}: losses ${a.loss.map((l) => l.toFixed(6))}; largest weight difference ${most.toExponential(2)}`);
      if (fuses) assert.notDeepEqual(b.w, a.w, `${name}: an engine that fuses trains to other bits (the relaxed kernels ran)`);
      else assert.deepEqual(b, a, `${name}: an engine that does not fuse trains to the default's bits`);
    }
  });
}

/** child runs this file in a Node with args and returns its exit status and output. */
function child(args) {
  const env = { ...process.env, KERASWASM_RELAXED_CHILD: '1' };
  delete env.NODE_TEST_CONTEXT; // a plain run of the file, not a test runner's subprocess
  return spawnSync(process.execPath, [...args, fileURLToPath(import.meta.url)], { env, encoding: 'utf8', timeout: 600_000 });
}

test('simd values other than default and relaxed are refused, with the nearest name', async () => {
  await assert.rejects(loadKeras({ simd: 'relaxd' }), (e) => e.name === 'ValueError' &&
    e.message === "loadKeras: unknown simd: 'relaxd'; expected one of 'default', 'relaxed'. Did you mean 'relaxed'?");
  await assert.rejects(loadKeras({ simd: 'Defualt', worker: true }), (e) => e.name === 'ValueError' && /Did you mean 'default'\?$/.test(e.message));
  await assert.rejects(loadKeras({ simd: true }), (e) => e instanceof TypeError &&
    /^loadKeras: simd must be a string, one of 'default', 'relaxed'. Received: true \(boolean\)$/.test(e.message));
  await assert.rejects(loadKeras({ simd: null, worker: true }), (e) => e instanceof TypeError && /Received: null$/.test(e.message));
});

if (!here) {
  test('without relaxed SIMD, simd: relaxed is a NotImplementedError on the main thread, in workers and in attachSimd', async () => {
    const check = (e) => {
      assert.equal(e.name, 'NotImplementedError');
      assert.match(e.message, /^loadKeras: simd: 'relaxed' needs WebAssembly relaxed SIMD \(f32x4\.relaxed_madd\), which this engine does not compile/);
      assert.match(e.message, /--experimental-wasm-relaxed-simd/);
      assert.match(e.message, /simd: 'default'/);
      return true;
    };
    await assert.rejects(loadKeras({ simd: 'relaxed' }), check);
    await assert.rejects(loadKeras({ simd: 'relaxed', worker: true }), check);
    await assert.rejects(loadKeras({ simd: 'relaxed', worker: true, workers: 2 }), check);
    const mem = new WebAssembly.Memory({ initial: 1 });
    await assert.rejects(attachSimd(simdImports(), { exports: { mem } }, { kernel: 'relaxed' }),
      (e) => e.name === 'NotImplementedError' && /^attachSimd: simd: 'relaxed' needs/.test(e.message));
    // The default is not affected.
    const keras = await loadKeras({ simd: 'default' });
    assert.equal(typeof keras.Sequential, 'function');
  });

  if (!process.env.KERASWASM_RELAXED_CHILD) {
    test(`the relaxed tests, in a Node with ${FLAG}`, (t) => {
      const r = child([FLAG]);
      assert.equal(r.status, 0, `child failed (status ${r.status}, signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
      for (const name of CASES) assert.match(r.stdout, new RegExp(`\\nok \\d+ - ${name}\\n`), `the child did not pass '${name}':\n${r.stdout}`);
      for (const line of r.stdout.split('\n')) if (/^# (?!Subtest|tests|suites|pass|fail|cancelled|skipped|todo|duration)/.test(line)) t.diagnostic(line.slice(2));
    });
  }
} else {
  relaxedCases();
  if (!process.env.KERASWASM_RELAXED_CHILD) {
    test('in a Node without relaxed SIMD, simd: relaxed is refused (child without the flag)', (t) => {
      const r = child([`--no-${FLAG.slice(2)}`]);
      if (/bad option/.test(r.stderr) || !r.stdout.includes('without relaxed SIMD, simd: relaxed is a NotImplementedError')) {
        t.skip(`this Node cannot turn relaxed SIMD off (${r.stderr.trim() || 'it validates with --no-' + FLAG.slice(2)})`);
        return;
      }
      assert.equal(r.status, 0, `child failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /ok \d+ - without relaxed SIMD, simd: relaxed is a NotImplementedError/);
    });
  }
}
