// Shared by the browser IO tests (io_browser, io_http): TF.js 4.22 when it is
// installed, model artifacts made by TF.js or by hand, and assertions.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// TF.js 4.22: the dev dependency of js/ when it has one, else the parity generator's (make installs it).
export let tf = null;
for (const dir of ['../package.json', '../../testdata/parity/gen/package.json']) {
  try {
    tf = await import(pathToFileURL(createRequire(new URL(dir, import.meta.url)).resolve('@tensorflow/tfjs')).href);
    break;
  } catch { /* try the next */ }
}
if (tf === null && process.env.CI === 'true') throw new Error('@tensorflow/tfjs 4.22 is not installed (make installs it under testdata/parity/gen)');
export const skipTF = tf ? false : '@tensorflow/tfjs not installed (cd testdata/parity/gen && npm ci)';

/** tfArtifacts is a TF.js-made model's artifacts, as its save handlers receive them. */
export async function tfArtifacts() {
  await tf.setBackend('cpu');
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 5, inputShape: [4], activation: 'relu' }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let a;
  await m.save(tf.io.withSaveHandler(async (x) => { a = x; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
  return { m, a };
}

/** handArtifacts is a small ModelArtifacts that needs no TF.js: two float32 weights, 12 + 3 values. */
export function handArtifacts() {
  const w = Float32Array.from({ length: 15 }, (_, i) => i / 7 - 1);
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { units: 3 } }] } },
    weightSpecs: [{ name: 'dense/kernel', shape: [4, 3], dtype: 'float32' }, { name: 'dense/bias', shape: [3], dtype: 'float32' }],
    weightData: w.buffer, format: 'layers-model', generatedBy: 'keraswasm test', convertedBy: null,
    userDefinedMetadata: { note: 'hi' },
  };
}

export const bytes = (b) => Array.from(new Uint8Array(b));

/** rejects asserts that p rejects with an error of class name whose message has every part. */
export async function rejects(p, name, ...parts) {
  let err = null;
  try { await p; } catch (e) { err = e; }
  assert.ok(err instanceof Error, `expected a rejection, got ${err}`);
  assert.equal(err.name, name, err.message);
  for (const s of parts) assert.ok(err.message.includes(s), `message ${JSON.stringify(err.message)} lacks ${JSON.stringify(s)}`);
  return err;
}

