// Shared by the JS tests: one runtime per test file (each file runs in its
// own process under node --test), the data generator the Go tests share,
// and small assertions.
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

let kerasPromise;

/** keras loads the runtime once per test file. */
export function keras() {
  kerasPromise ??= loadKeras();
  return kerasPromise;
}

/**
 * lcg is the 32-bit linear congruential generator of wasm/runtime_test.go:
 * the same seed gives the same numbers in Go and here.
 */
export function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** binaryData is binaryData of wasm/runtime_test.go: label 1 when the first ten features sum past 5. */
export function binaryData(seed, n, d) {
  const g = lcg(seed);
  const x = new Float32Array(n * d);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = Math.fround(g());
      x[i * d + j] = v;
      if (j < 10) s += v;
    }
    y[i] = s > 5 ? 1 : 0;
  }
  return { x, y };
}

/** randomArray makes nested arrays of shape [n, d] from g, as numpy.random.random would. */
export function randomArray(g, n, d) {
  return Array.from({ length: n }, () => Array.from({ length: d }, () => g()));
}

/** assertThrowsMessage checks that fn throws an Error whose message contains every part. */
export function assertThrowsMessage(fn, ...parts) {
  let err;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, `expected an Error, got ${err}`);
  for (const p of parts) assert.ok(err.message.includes(p), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(p)}`);
  return err;
}

/** assertRejectsMessage is assertThrowsMessage for a Promise. */
export async function assertRejectsMessage(p, ...parts) {
  let err;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error, `expected a rejection with an Error, got ${err}`);
  for (const q of parts) assert.ok(err.message.includes(q), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(q)}`);
  return err;
}

/** close checks |a - b| <= tol * max(|a|, |b|, 1e-12) elementwise. */
export function assertClose(actual, expected, tol, what = 'value') {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], b = expected[i];
    const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
    assert.ok(rel <= tol, `${what}[${i}]: ${a} vs ${b} (relative difference ${rel} > ${tol})`);
  }
}
