// make bench: every workload of workloads.json trained by keraswasm and by
// TensorFlow.js 4.22 (wasm and cpu backends) in this one Node process, so the
// numbers are measured side by side on the same machine at the same time.
//
//   node bench/run.mjs [--only mnist-mlp,seed-mlp] [--quick] [--json out.json]
//                      [--runners keraswasm,tfjs-wasm,tfjs-cpu] [--wasm build/x/keras.wasm]
//
// --runners picks the runners (default keraswasm, tfjs-wasm, tfjs-cpu;
// keraswasm-relaxed is keraswasm loaded with {simd: 'relaxed'}, run right
// after keraswasm on each workload; Node 20 needs
// --experimental-wasm-relaxed-simd for it); --wasm times another
// keraswasm runtime (wasm_exec.js and keraswasm_simd.wasm from js/dist/), e.g.
// a build of an older commit, to compare builds in interleaved runs.
// --quick times one fit after no warm-up (instead of the card's 1 + 3) for
// every runner alike: the Conv2D workloads take minutes per fit on TF.js's
// cpu backend.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadKeras } from '../js/keras.mjs';
import { card } from './workloads.mjs';
import * as kw from './keraswasm.mjs';
import * as tfjs from './tfjs.mjs';
import { describe, describeNeed } from './memory.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = opt('--only')?.split(',');
const quick = argv.includes('--quick');
const workloads = card.workloads
  .filter((w) => !only || only.includes(w.name))
  .map((w) => (quick ? { ...w, warmup_fits: 0, timed_fits: 1 } : w));

const runners = opt('--runners')?.split(',') ?? ['keraswasm', 'tfjs-wasm', 'tfjs-cpu'];
const wasm = opt('--wasm');
const dist = new URL('../js/dist/', import.meta.url);
const rows = [];
const load = (simd) => loadKeras({
  simd,
  ...(wasm ? {
    wasmURL: pathToFileURL(resolve(wasm)).href,
    wasmExecURL: new URL('wasm_exec.js', dist).href,
    simdURL: new URL(simd === 'relaxed' ? 'keraswasm_simd_relaxed.wasm' : 'keraswasm_simd.wasm', dist).href,
  } : {}),
});
if (runners.includes('keraswasm')) await kw.ready(await load('default'));
const relaxed = runners.includes('keraswasm-relaxed') ? await load('relaxed') : null;
for (const w of workloads) {
  const row = { id: w.id, name: w.name };
  if (runners.includes('keraswasm')) {
    const r = await kw.run(w);
    row.keraswasm = r.samplesPerSec;
    row['keraswasm-cpu-time'] = r.samplesPerCPUSec;
    row['keraswasm-memory'] = r.memory;
  }
  if (relaxed) {
    const r = await kw.run(w, {}, relaxed);
    row['keraswasm-relaxed'] = r.samplesPerSec;
    row['keraswasm-relaxed-cpu-time'] = r.samplesPerCPUSec;
  }
  for (const backend of ['wasm', 'cpu'].filter((b) => runners.includes(`tfjs-${b}`))) {
    await tfjs.useBackend(backend);
    try {
      const r = await tfjs.run(w);
      row[`tfjs-${backend}`] = r.samplesPerSec;
      row[`tfjs-${backend}-cpu-time`] = r.samplesPerCPUSec;
      row[`tfjs-${backend}-memory`] = r.memory;
    } catch (e) {
      // The TF.js wasm backend has no Conv2DBackpropFilter: it cannot train Conv2D.
      row[`tfjs-${backend}`] = null;
      row[`tfjs-${backend}-error`] = String(e.message ?? e).split('\n')[0];
    }
  }
  rows.push(row);
  const f = (v) => (v == null ? 'n/a' : v.toFixed(0));
  console.log(`${w.id} ${w.name.padEnd(10)} keraswasm ${f(row.keraswasm).padStart(7)} samples/s`
    + (relaxed ? `   keraswasm-relaxed ${f(row['keraswasm-relaxed']).padStart(7)}` : '')
    + `   tfjs-wasm ${f(row['tfjs-wasm']).padStart(7)}   tfjs-cpu ${f(row['tfjs-cpu']).padStart(7)}`
    + (row.keraswasm && row['tfjs-wasm'] ? `   (${(row.keraswasm / row['tfjs-wasm']).toFixed(2)}x tfjs-wasm)` : ''));
  // Per CPU second of this process (best fit): less moved by other processes on a shared machine.
  const c = (k) => (row[`${k}-cpu-time`] == null ? 'n/a' : row[`${k}-cpu-time`].toFixed(0));
  console.log(`   per CPU second: keraswasm ${c('keraswasm').padStart(7)}${relaxed ? `   keraswasm-relaxed ${c('keraswasm-relaxed').padStart(7)}` : ''}   tfjs-wasm ${c('tfjs-wasm').padStart(7)}   tfjs-cpu ${c('tfjs-cpu').padStart(7)}`);
  // Peak memory (bench/memory.mjs): JS heap is process.memoryUsage().heapUsed here.
  const mems = runners.filter((k) => row[`${k}-memory`]).map((k) => describe(k, row[`${k}-memory`]));
  if (mems.length) console.log(`   memory: ${mems.join('; ')}`);
  if (row['keraswasm-memory']) console.log(`   ${describeNeed(row['keraswasm-memory'].need)}`);
}
const out = opt('--json');
if (out) writeFileSync(out, JSON.stringify({ node: process.version, date: new Date().toISOString(), rows }, null, 2));
