// Runs a workload with keraswasm (the Go core compiled to wasm, through the
// JS package) and returns the training throughput in samples per second.
import { loadKeras } from '../js/keras.mjs';
import { makeData, settings } from './workloads.mjs';
import { jsHeap, modelNeed } from './memory.mjs';

let keras;

// ready loads the runtime once; a caller may hand in its own (e.g. one
// loaded with other options: bench/profile.mjs).
export async function ready(k) {
  keras ??= k ?? await loadKeras();
  return keras;
}

function buildModel(w, keras) {
  const s = settings(w);
  const model = keras.Sequential();
  w.layers.forEach((l, i) => {
    const first = i === 0 ? { input_shape: w.input_shape } : {};
    const init = { kernel_initializer: keras.initializers.GlorotUniform({ seed: s.init_seed + i }), bias_initializer: 'zeros' };
    switch (l.type) {
      case 'Dense':
        model.add(keras.layers.Dense(l.units, { activation: l.activation, ...init, ...first }));
        break;
      case 'Conv2D':
        model.add(keras.layers.Conv2D(l.filters, l.kernel_size, { activation: l.activation, ...init, ...first }));
        break;
      case 'MaxPooling2D':
        model.add(keras.layers.MaxPooling2D({ pool_size: l.pool_size, ...first }));
        break;
      case 'Dropout':
        model.add(keras.layers.Dropout(l.rate, first));
        break;
      case 'Flatten':
        model.add(keras.layers.Flatten(first));
        break;
      case 'Embedding':
        model.add(keras.layers.Embedding(l.input_dim, l.output_dim, first));
        break;
      case 'LSTM':
        model.add(keras.layers.LSTM(l.units, { kernel_initializer: init.kernel_initializer, ...first }));
        break;
      default:
        throw new Error(`bench: layer type ${l.type} not known to the keraswasm runner`);
    }
  });
  return model;
}

function optimizer(o, keras) {
  const { type, note, ...args } = o;
  return keras.optimizers[type](args);
}

// wasmBytes is a runtime's wasm memory (it only grows: the peak so far);
// undefined for a runtime in workers.
const wasmBytes = (k) => k.runtime?.instance?.exports?.mem?.buffer?.byteLength;

// run times settings.timed_fits fit calls after settings.warmup_fits and
// returns {samplesPerSec, seconds} using the best (shortest) timed fit, and
// in Node samplesPerCPUSec from the fit that used the least CPU time;
// memory is {wasm: the wasm memory after the fits (its peak so far),
// wasmBefore: before the model was built, jsHeap: the most JS heap seen after
// a fit, need: the model's own need (memory.mjs modelNeed)}.
// hooks.timed(phase), if given, is awaited with 'begin' before the first
// timed fit and 'end' after the last (bench/profile.mjs profiles in between).
// runtime is the one to train on (default: the one ready loaded), e.g. one
// loaded with {simd: 'relaxed'} beside the default in the same page, or in
// workers; parallel (workers > 1) leaves out yield_every, which that fit
// does not take (its page never waits for the workers' step).
export async function run(w, hooks = {}, runtime = keras, { parallel = false } = {}) {
  const k = runtime;
  const s = settings(w);
  const wasmBefore = wasmBytes(k);
  const d = makeData(w);
  const x = k.tensor(d.x, d.xShape);
  const y = k.tensor(d.y, d.yShape);
  const model = buildModel(w, k);
  await model.compile({ optimizer: optimizer(w.optimizer, k), loss: w.loss });
  let heap = 0;
  const fit = async () => {
    await model.fit(x, y, { batch_size: s.batch_size, epochs: s.epochs, shuffle: s.shuffle, verbose: 0, ...(parallel ? {} : { yield_every: 'never' }) });
    heap = Math.max(heap, jsHeap() ?? NaN);
  };
  for (let i = 0; i < s.warmup_fits; i++) await fit();
  const times = [];
  await hooks.timed?.('begin');
  const cpus = []; // Node: this process's CPU seconds per fit, which other processes' load moves much less
  for (let i = 0; i < s.timed_fits; i++) {
    const c0 = globalThis.process?.cpuUsage?.();
    const t0 = performance.now();
    await fit();
    times.push((performance.now() - t0) / 1000);
    if (c0) {
      const c = process.cpuUsage(c0);
      cpus.push((c.user + c.system) / 1e6);
    }
  }
  await hooks.timed?.('end');
  // In worker mode layers and count_params are Promises (js/src/remote.mjs).
  const layers = await model.layers;
  const shapes = await Promise.all(layers.map(async (l) => (await l.output_shape).slice(1)));
  const need = modelNeed(s, await model.count_params(), shapes);
  const memory = { wasm: wasmBytes(k), wasmBefore, jsHeap: heap, need };
  model.dispose();
  const best = Math.min(...times);
  const cpuBest = cpus.length ? Math.min(...cpus) : undefined;
  return { samplesPerSec: (w.num_samples * s.epochs) / best, seconds: best, times,
    samplesPerCPUSec: cpuBest && (w.num_samples * s.epochs) / cpuBest, cpuSeconds: cpus, memory };
}
