// W1 (mnist-mlp of bench/workloads.json; or another Dense/Conv2D workload) trained in Node by one worker and
// by two (loadKeras({worker: true, workers: N}), src/parallel.mjs),
// interleaved in one process: samples/s of the best timed fit, and the load
// average (the 2 cores are shared, which moves the figures).
//
//   node js/bench/workers.mjs [rounds=3] [workload=W1] [batch]
import { loadavg } from 'node:os';
import { loadKeras } from '../keras.mjs';
import { card, makeData, settings } from '../../bench/workloads.mjs';

const rounds = Number(process.argv[2] ?? 3);
const w = card.workloads.find((c) => c.id === (process.argv[3] ?? 'W1'));
const s = settings(w);
const batch = Number(process.argv[4] ?? s.batch_size);
const d = makeData(w);

async function setup(workers) {
  const keras = await loadKeras({ worker: true, workers });
  const x = keras.tensor(d.x, d.xShape);
  const y = keras.tensor(d.y, d.yShape);
  const m = keras.Sequential(w.layers.map((l, i) => {
    const first = i === 0 ? { input_shape: w.input_shape } : {};
    switch (l.type) {
      case 'Dense': return keras.layers.Dense(l.units, { activation: l.activation, ...first });
      case 'Conv2D': return keras.layers.Conv2D(l.filters, l.kernel_size, { activation: l.activation, ...first });
      case 'MaxPooling2D': return keras.layers.MaxPooling2D({ pool_size: l.pool_size, ...first });
      case 'Dropout': return keras.layers.Dropout(l.rate, first);
      case 'Flatten': return keras.layers.Flatten(first);
      default: throw new Error(`workers bench: layer type ${l.type} not built here`);
    }
  }));
  const { type, note, ...opt } = w.optimizer;
  await m.compile({ optimizer: keras.optimizers[type](opt), loss: w.loss });
  const fit = () => m.fit(x, y, { batch_size: batch, epochs: s.epochs, shuffle: s.shuffle, verbose: 0 });
  await fit(); // warm-up
  return { keras, fit, best: Infinity };
}

const runs = { 1: await setup(1), 2: await setup(2) };
for (let r = 0; r < rounds; r++) {
  for (const n of [1, 2]) {
    const t0 = performance.now();
    await runs[n].fit();
    runs[n].best = Math.min(runs[n].best, (performance.now() - t0) / 1000);
  }
}
const sps = (n) => (w.num_samples * s.epochs) / runs[n].best;
console.log(`${w.id} ${w.name}, batch ${batch}, best of ${rounds} interleaved fits, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
console.log(`workers 1: ${sps(1).toFixed(0)} samples/s`);
console.log(`workers 2: ${sps(2).toFixed(0)} samples/s (${(sps(2) / sps(1)).toFixed(2)}×)`);
for (const n of [1, 2]) runs[n].keras.terminate();
