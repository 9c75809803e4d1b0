// Makes the TF.js-written fixture the Go and JS tests load: a Sequential
// built, compiled (adam) and trained by @tensorflow/tfjs 4.22 (the pinned
// dependency of ../parity/gen), saved with includeOptimizer as TF.js's
// downloads handler lays it out (model.json + model.weights.bin, path
// "./model.weights.bin"), and TF.js's predictions for fixed inputs.
// Run by hand: node testdata/tfjs/gen.mjs (after make installs ../parity/gen).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { writeFileSync } from 'node:fs';

const req = createRequire(new URL('../parity/gen/package.json', import.meta.url));
const tf = await import(pathToFileURL(req.resolve('@tensorflow/tfjs')).href);
await tf.setBackend('cpu');
const here = (f) => new URL(f, import.meta.url);

const model = tf.sequential();
model.add(tf.layers.dense({ units: 5, inputShape: [4], activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
model.add(tf.layers.batchNormalization());
model.add(tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const n = 16;
const x = [], y = [];
for (let i = 0; i < n; i++) {
  const r = [Math.sin(i), Math.cos(i * 0.7), (i % 5) / 5, ((i * 7) % 11) / 11];
  x.push(r);
  const c = (r[0] + r[1] > 0.5) ? 0 : (r[2] > 0.4 ? 1 : 2);
  y.push([0, 1, 2].map((k) => (k === c ? 1 : 0)));
}
await model.fit(tf.tensor2d(x), tf.tensor2d(y), { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
let arts;
await model.save(tf.io.withSaveHandler(async (a) => { arts = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }), { includeOptimizer: true });
const { weightData, weightSpecs, ...rest } = arts;
const modelJSON = { ...rest, weightsManifest: [{ paths: ['./model.weights.bin'], weights: weightSpecs }] };
writeFileSync(here('tfjs_adam/model.json'), JSON.stringify(modelJSON));
writeFileSync(here('tfjs_adam/model.weights.bin'), new Uint8Array(weightData));
const pred = model.predict(tf.tensor2d(x)).arraySync();
writeFileSync(here('tfjs_adam/expected.json'), JSON.stringify({ x, y, predictions: pred, generatedBy: arts.generatedBy }));
console.log('wrote testdata/tfjs/tfjs_adam', weightData.byteLength, 'bytes of weights');
