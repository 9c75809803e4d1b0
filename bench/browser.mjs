// The workloads in headless Chromium: keraswasm (on the page's main thread)
// beside TensorFlow.js 4.22's wasm, cpu and webgl backends, in one page, the
// runs interleaved (each runner once per round), so every figure is taken on
// the same machine at the same time.
//
//   node bench/browser.mjs [--only mnist-mlp,mnist-cnn,seed-cnn-note] [--runners keraswasm,keraswasm-relaxed,tfjs-wasm]
//                          [--rounds 2] [--tfjs-samples mnist-cnn=128] [--wasm build/x/keras.wasm]
//                          [--gemm 256]
//
// Runners: keraswasm (the default SIMD kernels, the page's main thread),
// keraswasm-relaxed (loaded with {simd: 'relaxed'}, its own runtime in the
// same page), keraswasm-worker (one Web Worker), keraswasm-workers2 … (N
// workers, data-parallel), tfjs-wasm, tfjs-cpu, tfjs-webgl. --gemm SIZES (e.g. 128,256) adds, each round, a
// line of GEMM GFLOP/s per kernel path (bench/gemm.mjs: simd, and relaxed
// when a keraswasm-relaxed runner is asked for).
//
// Each workload's line of samples/s is followed by a line of peak memory per
// runner (bench/memory.mjs: keraswasm's wasm memory, TF.js's tensors at the
// peak of a training step and its wasm backend's memory, each + the JS heap,
// which Chromium reports exactly with --enable-precise-memory-info) and the
// model's own need (weights, gradients, optimizer slots, a batch of
// activations). Wasm memories only grow: a runner's figure is its peak so far
// in the page.
// seed-cnn-note is W4 (seed-cnn) as the study note runs it and the demo's
// fifth example does: 100 images of 100×100×3, 10 epochs, batch 32, one fit
// without warm-up; its line gives the fit's wall time. TF.js runs it only
// when named in --runners with --tfjs-samples (its cpu backend would take
// hours).
//
// --wasm times another keraswasm build (a path under the repository, with
// its wasm_exec.js and keraswasm_simd.wasm beside it).
// --tfjs-samples NAME=N trains TF.js on the first N samples of a workload
// (one fit, no warm-up) where a full fit would take minutes (TF.js's cpu
// backend runs the CNN at about one sample per second); the table says so.
// It serves the repository on a loopback port (js/, bench/ and the npm
// packages of bench/) and needs Chromium (CHROMIUM, default
// /usr/bin/chromium; demo/test/ensure-chromium.sh) and playwright-core from
// demo/node_modules (cd demo && npm ci).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, describeNeed } from './memory.mjs';
import { card } from './workloads.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { chromium } = createRequire(new URL('../demo/package.json', import.meta.url))('playwright-core');
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const names = opt('--only', 'mnist-mlp,mnist-cnn,seed-cnn-note').split(',');
// Workloads of the card run with other settings: [card name, overrides].
const DERIVED = { 'seed-cnn-note': ['seed-cnn', { num_samples: 100, epochs: 10, warmup_fits: 0, timed_fits: 1 }] };
const runners = opt('--runners', 'keraswasm,tfjs-wasm,tfjs-cpu').split(',');
const rounds = Number(opt('--rounds', 1));
const tfjsSamples = Object.fromEntries((opt('--tfjs-samples', '') || '').split(',').filter(Boolean)
  .map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const path = resolve(ROOT, '.' + decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (path !== ROOT && !path.startsWith(ROOT + sep)) {
    res.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(path);
    // Cross-origin isolated (as the demo is), so keraswasm-workers* share their gradients in memory.
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
    }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--enable-precise-memory-info', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
});
const wasm = opt('--wasm');
// openPage loads the bench page; a runner that crashes its page (TF.js out
// of memory) gets n/a and the next runner a new page.
async function openPage() {
  const p = await browser.newPage();
  p.on('pageerror', (e) => console.error('page error:', e.message));
  await p.goto(`${base}/bench/browser.html${wasm ? `?wasm=/${wasm.replace(/^\.?\//, '')}` : ''}`);
  await p.waitForFunction(() => globalThis.benchReady === true, null, { timeout: 60000 });
  return p;
}
try {
  let page = await openPage();
  console.log(`Chromium ${await browser.version()}; ${new Date().toISOString()}; keraswasm ${wasm ?? 'js/dist/keras.wasm'}`);
  const gemmSizes = (opt('--gemm', '') || '').split(',').filter(Boolean).map(Number);
  const kernels = runners.includes('keraswasm-relaxed') ? ['simd', 'relaxed'] : ['simd'];
  for (let r = 1; r <= rounds; r++) {
    for (const size of gemmSizes) {
      const cells = [];
      for (const kernel of kernels) {
        const g = await page.evaluate(([k, n]) => globalThis.gemmOne(k, n), [kernel, size]);
        cells.push(`${kernel} ${g.toFixed(1).padStart(6)}`);
      }
      console.log(`round ${r} GEMM ${size}×${size}×${size} GFLOP/s: ${cells.join('   ')}`);
    }
    for (const name of names) {
      const [cardName, derived] = DERIVED[name] ?? [name, {}];
      const cells = [];
      const mems = [];
      const sps = {}; // runner → samples/s, for the ratios line
      const flops = card.workloads.find((w) => w.name === cardName)?.flops_per_sample?.train;
      let need;
      for (const runner of runners) {
        const cut = runner.startsWith('tfjs-') ? tfjsSamples[name] : undefined;
        if (DERIVED[name] && runner.startsWith('tfjs-') && !cut) continue;
        const over = { ...derived, ...(cut ? { num_samples: cut, warmup_fits: 0, timed_fits: 1 } : {}) };
        try {
          const out = await page.evaluate(([n, rn, o]) => globalThis.runOne(n, rn, o), [cardName, runner, over]);
          const wall = DERIVED[name] ? ` (${out.seconds.toFixed(1)} s wall)` : '';
          const gflops = flops ? ` [${((out.samplesPerSec * flops) / 1e9).toFixed(1)} GFLOP/s]` : '';
          cells.push(`${runner} ${out.samplesPerSec.toFixed(1).padStart(8)}${gflops}${cut ? ` (${cut} samples, 1 fit)` : ''}${wall}`);
          sps[runner] = out.samplesPerSec;
          mems.push(describe(runner, out.memory));
          need ??= out.memory?.need;
        } catch (e) {
          cells.push(`${runner} n/a (${String(e.message).replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0].slice(0, 160)})`);
          if (page.isClosed() || /closed|crash/i.test(e.message)) {
            await page.close().catch(() => {});
            page = await openPage();
          }
        }
      }
      console.log(`round ${r} ${name.padEnd(10)} samples/s: ${cells.join('   ')}`);
      // Ratios: each keraswasm runner over TF.js's fastest here, and N workers over one worker.
      const tf = Object.entries(sps).filter(([k]) => k.startsWith('tfjs-')).sort((a, b) => b[1] - a[1])[0];
      const ratios = Object.entries(sps).filter(([k]) => k.startsWith('keraswasm')).map(([k, v]) => (tf ? `${k}/${tf[0]} ${(v / tf[1]).toFixed(1)}×` : null)).filter(Boolean);
      for (const [k, v] of Object.entries(sps)) {
        if (/^keraswasm-workers\d+$/.test(k) && sps['keraswasm-worker']) ratios.push(`${k}/keraswasm-worker ${(v / sps['keraswasm-worker']).toFixed(2)}×`);
      }
      if (ratios.length) console.log(`        ratios: ${ratios.join('   ')}`);
      if (mems.length) console.log(`        memory: ${mems.join('; ')}`);
      if (need) console.log(`        ${describeNeed(need)}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
