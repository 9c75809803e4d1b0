// Where one workload's training time goes, per function: trains it with
// keraswasm (as run.mjs does) under V8's CPU profiler (node:inspector, this
// thread only, which is where the Go runtime runs) and prints the functions
// with the most self time, as a share of the timed fits.
//
//   node bench/profile.mjs mnist-cnn [--top 10] [--wasm build/prof/keras.wasm] [--save out.cpuprofile]
//                          [--simd relaxed]
//
// --simd relaxed profiles the runtime loaded with {simd: 'relaxed'} (Node 20:
// run node with --experimental-wasm-relaxed-simd).
//
// The release runtime (js/dist/keras.wasm) is built with -s -w, which drops
// the function names; build one with them for a readable table:
//   GOOS=js GOARCH=wasm go build -trimpath -o build/prof/keras.wasm ./wasm
// and pass it with --wasm (wasm_exec.js and keraswasm_simd.wasm are taken
// from js/dist/).
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadKeras } from '../js/keras.mjs';
import { card } from './workloads.mjs';
import * as kw from './keraswasm.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : def;
};
const name = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const w = card.workloads.find((x) => x.name === name || x.id === name);
if (!w) {
  console.error(`usage: node bench/profile.mjs WORKLOAD [--top N] [--wasm FILE] [--save FILE]; workloads: ${card.workloads.map((x) => x.name).join(', ')}`);
  process.exit(2);
}
const top = Number(opt('--top', 10));
const wasm = opt('--wasm');
const dist = new URL('../js/dist/', import.meta.url);
const simd = opt('--simd', 'default');
const options = wasm ? {
  simd,
  wasmURL: pathToFileURL(resolve(wasm)).href,
  wasmExecURL: new URL('wasm_exec.js', dist).href,
  simdURL: new URL(simd === 'relaxed' ? 'keraswasm_simd_relaxed.wasm' : 'keraswasm_simd.wasm', dist).href,
} : { simd };
await kw.ready(await loadKeras(options));

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 }); // µs
// The card's warm-up fit runs unprofiled; the three timed fits are profiled.
let profile;
const r = await kw.run({ ...w, warmup_fits: 1, timed_fits: 3 }, {
  timed: async (phase) => {
    if (phase === 'begin') await session.post('Profiler.start');
    else ({ profile } = await session.post('Profiler.stop'));
  },
});
session.disconnect();
if (opt('--save')) writeFileSync(opt('--save'), JSON.stringify(profile));

// Self time per function name, from the sample counts of the profile's nodes.
const self = new Map();
const byID = new Map(profile.nodes.map((n) => [n.id, n]));
const counts = new Map();
for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
let total = 0;
for (const [id, c] of counts) {
  const n = byID.get(id);
  if (n.callFrame.functionName === '(idle)' || n.callFrame.functionName === '(program)') continue;
  const f = n.callFrame.functionName.replace('github.com_keraswasm_keraswasm_', '') || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
  self.set(f, (self.get(f) ?? 0) + c);
  total += c;
}
const rows = [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
console.log(`${w.id} ${w.name}: ${(w.num_samples / r.seconds).toFixed(0)} samples/s (best of 3 fits, profiled), ${total} samples of busy time`);
console.log('| function | % of busy time |');
console.log('|---|---:|');
for (const [f, c] of rows) console.log(`| ${f} | ${(100 * c / total).toFixed(1)} |`);
