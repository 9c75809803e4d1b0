// Runs a workload with TensorFlow.js 4.22 (backend 'cpu' or 'wasm') and
// returns the training throughput in samples per second.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { makeData, settings } from './workloads.mjs';
import { jsHeap } from './memory.mjs';

export async function useBackend(name) {
  await tf.setBackend(name);
  await tf.ready();
  return tf.getBackend();
}

function buildModel(w) {
  const s = settings(w);
  const model = tf.sequential();
  w.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: w.input_shape } : {};
    const init = { kernelInitializer: tf.initializers.glorotUniform({ seed: s.init_seed + i }), biasInitializer: 'zeros' };
    switch (l.type) {
      case 'Dense':
        model.add(tf.layers.dense({ units: l.units, activation: l.activation, ...init, ...first }));
        break;
      case 'Conv2D':
        model.add(tf.layers.conv2d({ filters: l.filters, kernelSize: l.kernel_size, activation: l.activation, ...init, ...first }));
        break;
      case 'MaxPooling2D':
        model.add(tf.layers.maxPooling2d({ poolSize: l.pool_size, ...first }));
        break;
      case 'Dropout':
        model.add(tf.layers.dropout({ rate: l.rate, ...first }));
        break;
      case 'Flatten':
        model.add(tf.layers.flatten(first));
        break;
      case 'Embedding':
        model.add(tf.layers.embedding({ inputDim: l.input_dim, outputDim: l.output_dim, ...first }));
        break;
      case 'LSTM':
        // Porting note: TF.js's default recurrentActivation is hardSigmoid; Keras's is sigmoid.
        model.add(tf.layers.lstm({ units: l.units, recurrentActivation: 'sigmoid', kernelInitializer: init.kernelInitializer, ...first }));
        break;
      default:
        throw new Error(`bench: layer type ${l.type} not known to the TF.js runner`);
    }
  });
  return model;
}

function optimizer(o) {
  switch (o.type) {
    case 'RMSprop':
      return tf.train.rmsprop(o.learning_rate, 0.9, 0, 1e-7);
    case 'Adam':
      return tf.train.adam(o.learning_rate, 0.9, 0.999, 1e-7);
    case 'SGD':
      // Porting note: TF.js's SGD has no momentum; tf.train.momentum is the equivalent.
      return o.momentum ? tf.train.momentum(o.learning_rate, o.momentum, !!o.nesterov) : tf.train.sgd(o.learning_rate);
    default:
      throw new Error(`bench: optimizer ${o.type} not known to the TF.js runner`);
  }
}

// cpuSegmentSumFits throws when TF.js's cpu backend cannot take the
// Embedding's gradient: its UnsortedSegmentSum (tfjs-backend-cpu
// kernels/UnsortedSegmentSum.js) loops over every vocabulary entry and keeps
// each entry's masked product, a (batch·steps, output_dim) float32 tensor,
// until the loop ends. For W5 that is 20000 × 1.3 MB = 26 GB; the page
// fails with "RangeError: Array buffer allocation failed" after minutes.
function cpuSegmentSumFits(w, s) {
  if (tf.getBackend() !== 'cpu') return;
  const steps = w.input_shape.reduce((a, b) => a * b, 1);
  for (const l of w.layers) {
    if (l.type !== 'Embedding') continue;
    const bytes = l.input_dim * Math.min(s.batch_size, w.num_samples) * steps * l.output_dim * 4;
    if (bytes > 4 * 2 ** 30) {
      throw new Error(`TF.js cpu's UnsortedSegmentSum (Embedding gradient) would hold ${(bytes / 2 ** 30).toFixed(0)} GB: ` +
        `one (batch·steps, ${l.output_dim}) product per each of ${l.input_dim} tokens`);
    }
  }
}

const lossName = { categorical_crossentropy: 'categoricalCrossentropy', binary_crossentropy: 'binaryCrossentropy' };

// wasmBytes is the wasm backend's memory (it only grows: the peak so far),
// undefined on other backends.
const wasmBytes = () => (tf.getBackend() === 'wasm' ? tf.backend().wasm?.HEAPU8?.buffer?.byteLength : undefined);

// stepPeak returns the most bytes TF.js's tensors held at once (tf.profile's
// peakBytes) over one training step on the first batch, with the whole data
// alive as in fit: the data, the weights, the optimizer's slots and the
// step's activations and gradients. It is not timed.
async function stepPeak(model, x, y, batch) {
  const xb = tf.slice(x, 0, batch);
  const yb = tf.slice(y, 0, batch);
  try {
    return (await tf.profile(() => model.trainOnBatch(xb, yb))).peakBytes;
  } finally {
    tf.dispose([xb, yb]);
  }
}

// run times settings.timed_fits fit calls after settings.warmup_fits and
// returns {samplesPerSec, seconds} using the best (shortest) timed fit, and
// in Node samplesPerCPUSec from the fit that used the least CPU time;
// memory is {tensorsPeak: stepPeak's bytes, wasm: the wasm backend's memory
// after the fits (its peak so far), jsHeap: the most JS heap seen after a fit}.
export async function run(w) {
  const s = settings(w);
  cpuSegmentSumFits(w, s);
  const d = makeData(w);
  const x = tf.tensor(d.x, d.xShape);
  const y = tf.tensor(d.y, d.yShape);
  const model = buildModel(w);
  model.compile({ optimizer: optimizer(w.optimizer), loss: lossName[w.loss] });
  let heap = 0;
  const fit = async () => {
    await model.fit(x, y, { batchSize: s.batch_size, epochs: s.epochs, shuffle: s.shuffle, verbose: 0, yieldEvery: 'never' });
    heap = Math.max(heap, jsHeap() ?? NaN);
  };
  for (let i = 0; i < s.warmup_fits; i++) await fit();
  const times = [];
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
  const tensorsPeak = await stepPeak(model, x, y, Math.min(s.batch_size, w.num_samples));
  const memory = { tensorsPeak, wasm: wasmBytes(), jsHeap: heap };
  tf.dispose([x, y]);
  model.dispose();
  const best = Math.min(...times);
  const cpuBest = cpus.length ? Math.min(...cpus) : undefined;
  return { samplesPerSec: (w.num_samples * s.epochs) / best, seconds: best, times,
    samplesPerCPUSec: cpuBest && (w.num_samples * s.epochs) / cpuBest, cpuSeconds: cpus, memory };
}
