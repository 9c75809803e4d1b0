// Shared helpers of the fixture generator: a seeded random source, tensor
// encoding, and the header every fixture carries.
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));

// RNG is mulberry32: a 32-bit seeded generator, so the fixtures never depend
// on Math.random and regenerate byte for byte.
export class RNG {
  constructor(seed) { this.s = seed >>> 0; }
  next() {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  // uniform returns n float32 values in [lo, hi).
  uniform(n, lo, hi) {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * this.next();
    return a;
  }
  intN(n) { return Math.floor(this.next() * n); }
}

export const size = (shape) => shape.reduce((a, b) => a * b, 1);

// round9 keeps 9 significant digits: enough to give back the exact float32.
export const round9 = (v) => (Number.isFinite(v) ? Number(v.toPrecision(9)) : v);

// enc turns a tf.Tensor or a Float32Array (with its shape) into the JSON
// form {shape, data} the Go tests read.
export function enc(t, shape) {
  if (t instanceof tf.Tensor) return { shape: t.shape, data: Array.from(t.dataSync(), round9) };
  return { shape, data: Array.from(t, round9) };
}

// t32 makes a float32 tensor from data and shape.
export const t32 = (data, shape) => tf.tensor(data, shape, 'float32');

// onehot returns n one-hot rows of k classes as a Float32Array.
export function onehot(rng, n, k) {
  const a = new Float32Array(n * k);
  for (let i = 0; i < n; i++) a[i * k + rng.intN(k)] = 1;
  return a;
}

// softmaxRows returns n rows of k positive values that sum to 1.
export function softmaxRows(rng, n, k) {
  return tf.tidy(() => tf.softmax(t32(rng.uniform(n * k, -2, 2), [n, k])).dataSync());
}

// write stores one fixture as testdata/parity/<name>.json with its header.
export function write(name, note, body) {
  const doc = {
    generator: 'testdata/parity/gen/gen.mjs (make parity-fixtures)',
    tfjs_version: tf.version.tfjs,
    backend: tf.getBackend(),
    note,
    ...body,
  };
  const file = path.join(here, '..', `${name}.json`);
  // Arrays of numbers go on one line each, so a diff shows which case moved.
  const text = JSON.stringify(doc, null, 1)
    .replace(/\[\s*(-?[\d.eE+-]+(?:,\s*-?[\d.eE+-]+)*)\s*\]/g, (_, xs) => `[${xs.split(/,\s*/).join(',')}]`);
  writeFileSync(file, text + '\n');
  const n = body.cases ? body.cases.length : 1;
  console.log(`wrote ${path.relative(path.join(here, '..', '..', '..'), file)} (${n} cases)`);
}
