// keras.vis: the math (ticks, scales, confusion counts) against hand-computed values, the SVG text
// it writes into a container (a plain object with innerHTML here; the demo's browser test draws
// into real elements), live fitCallbacks fed as fit feeds them, and summary on a real model.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnMeans, confusionCounts, confusionSVG, lineChartSVG, scale, ticks } from '../src/vis_svg.mjs';
import * as vis from '../src/vis.mjs';
import { loadKeras } from '../keras.mjs';

test('ticks are round steps of 1, 2 or 5 covering the range', () => {
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(ticks(0.03, 0.41, 4), [0.1, 0.2, 0.3, 0.4]);
  assert.deepEqual(ticks(0, 10, 2), [0, 5, 10]);
  assert.deepEqual(ticks(3, 3, 5), [3]);
});

test('scale maps the domain linearly onto the range (reversed for y)', () => {
  const y = scale(0, 2, 100, 0);
  assert.equal(y(0), 100); assert.equal(y(2), 0); assert.equal(y(0.5), 75);
  assert.equal(scale(1, 1, 0, 10)(1), 5);
});

test('columnMeans averages the points that fall in one pixel column', () => {
  const [xs, ys] = columnMeans([0, 0.4, 1, 1.6, 3], [1, 3, 10, 20, 7], (x) => x);
  assert.deepEqual(xs, [0.2, 1.3, 3]);
  assert.deepEqual(ys, [2, 15, 7]);
});

test('confusionCounts: m[true][pred] from indices, one-hot rows and probabilities', () => {
  // Counted by hand: (0,0) (1,0) (1,1) (2,2).
  assert.deepEqual(confusionCounts([0, 1, 1, 2], [0, 0, 1, 2]), [[1, 0, 0], [1, 1, 0], [0, 0, 1]]);
  const oneHot = [[1, 0], [0, 1], [0, 1]], probs = { data: Float32Array.of(0.9, 0.1, 0.7, 0.3, 0.2, 0.8), shape: [3, 2] };
  assert.deepEqual(confusionCounts(oneHot, probs), [[1, 0], [1, 1]]);
  assert.deepEqual(confusionCounts([0], [0], 3), [[1, 0, 0], [0, 0, 0], [0, 0, 0]]);
  assert.throws(() => confusionCounts([0, 1], [0]), { name: 'ValueError', message: /same length.*2 labels and 1 predictions/ });
  assert.throws(() => confusionCounts([0, 3], [0, 1], 3), { name: 'ValueError', message: /class 3 at sample 1.*numClasses=3/ });
  assert.throws(() => confusionCounts([0.5], [0]), { name: 'ValueError', message: /labels\[0\] is 0.5/ });
});

test('lineChartSVG draws one path per series, skips NaN, and has no style attribute (CSP)', () => {
  const svg = lineChartSVG([{ name: 'loss', x: [1, 2, 3], y: [2, NaN, 1] }, { name: 'val<loss>', x: [1], y: [3] }], { width: 300 });
  assert.match(svg, /^<svg [^>]*viewBox="0 0 300 126"/);
  assert.equal((svg.match(/<path class="series"/g) ?? []).length, 1, 'the one-point series is a dot, not a path');
  assert.match(svg, /data-series="loss" d="M[\d.]+ [\d.]+L[\d.]+ [\d.]+"/, 'the NaN point is skipped: two points');
  assert.match(svg, /val&lt;loss&gt;/, 'names are escaped');
  assert.doesNotMatch(svg, /style=/);
});

test('confusionSVG writes every count in a cell', () => {
  const svg = confusionSVG([[5, 1], [0, 7]]);
  const cells = [...svg.matchAll(/<text class="cell" data-row="(\d)" data-col="(\d)"[^>]*>(\d+)</g)].map((m) => m.slice(1).map(Number));
  assert.deepEqual(cells, [[0, 0, 5], [0, 1, 1], [1, 0, 0], [1, 1, 7]]);
});

test('vis.history draws a chart per metric with its val_ twin; unknown metrics and containers are errors', () => {
  const box = { innerHTML: '' };
  vis.history(box, { history: { loss: [1, 0.5], val_loss: [1.2, 0.7], accuracy: [0.5, 0.8] } });
  assert.equal((box.innerHTML.match(/<figure/g) ?? []).length, 2);
  assert.match(box.innerHTML, /data-metric="loss".*data-series="loss".*data-series="val_loss"/s);
  vis.history(box, [{ loss: 1, acc: 0.5 }, { loss: 0.5, acc: 0.7 }], ['acc']);
  assert.equal((box.innerHTML.match(/<figure/g) ?? []).length, 1);
  assert.throws(() => vis.history(box, { loss: [1] }, ['mae']), { name: 'ValueError', message: /no metric "mae"; it has loss/ });
  assert.throws(() => vis.history(null, { loss: [1] }), { name: 'TypeError', message: /vis.history: container must be an element/ });
});

test('vis.fitCallbacks charts batch, epoch and validation values as a fit feeds them', () => {
  const box = { innerHTML: '' };
  const cb = vis.fitCallbacks(box, ['loss', 'val_loss', 'acc'], { schedule: (f) => f() });
  cb.setParams({ epochs: 2, steps: 2 });
  cb.onTrainBegin();
  for (let e = 0; e < 2; e++) {
    cb.onEpochBegin(e);
    cb.onBatchEnd(0, { loss: 1 - e / 2, accuracy: 0.5 });
    cb.onBatchEnd(1, { loss: 0.9 - e / 2, accuracy: 0.6 });
    cb.onEpochEnd(e, { loss: 0.95 - e / 2, val_loss: 1 - e / 3, accuracy: 0.55 });
  }
  cb.onTrainEnd();
  assert.match(box.innerHTML, /data-series="loss \(batch\)"/);
  assert.match(box.innerHTML, /data-series="val_loss"/);
  assert.match(box.innerHTML, /data-metric="acc".*data-series="acc \(batch\)"/s, "'acc' reads the accuracy logs");
  assert.throws(() => vis.fitCallbacks(box, 'loss'), { name: 'TypeError', message: /metrics must be a list/ });
  assert.throws(() => vis.fitCallbacks(box, ['loss'], { callbacks: ['onYield'] }), { name: 'ValueError', message: /onBatchEnd and onEpochEnd/ });
});

test('vis.confusionMatrix takes {labels, predictions}, a matrix or {values, tickLabels}', () => {
  const box = { innerHTML: '' };
  assert.deepEqual(vis.confusionMatrix(box, { labels: [0, 1, 1], predictions: [0, 1, 0] }), [[1, 0], [1, 1]]);
  vis.confusionMatrix(box, { values: [[2, 0], [0, 3]], tickLabels: ['cat', 'dog'] });
  assert.match(box.innerHTML, />cat<.*>dog</s);
  assert.throws(() => vis.confusionMatrix(box, [[1, 2], [3]]), { name: 'ValueError', message: /must be square/ });
});

test('keras.vis.summary lists a real model\'s layers with Keras\'s parameter counts (main thread)', async () => {
  const keras = await loadKeras();
  const model = keras.Sequential([keras.layers.Dense(4, { input_shape: [3] }), keras.layers.Dense(2)]);
  const box = { innerHTML: '' };
  await keras.vis.summary(box, model);
  // Dense(4) on 3 inputs: 3*4 + 4 = 16; Dense(2) on 4: 4*2 + 2 = 10.
  assert.match(box.innerHTML, /<td>16<\/td>.*<td>10<\/td>/s);
  assert.match(box.innerHTML, /Total params: 26 · Trainable params: 26 · Non-trainable params: 0/);
  assert.match(box.innerHTML, /\(None, 4\)/);
  model.dispose();
});
