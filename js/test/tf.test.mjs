// keras.tf / keraswasm/tf: TF.js's training API over the runtime. The TF.js
// programs of tf_snippets.mjs run unchanged apart from the import; the
// tensor methods, tf.data, fitDataset, earlyStopping and the layer factories
// (made from the core's registry) behave as TF.js's do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../tf.mjs';
import { loadKeras } from '../keras.mjs';
import * as S from './tf_snippets.mjs';
import { tfLayerName } from '../src/tf.mjs';

const keras = await loadKeras();

test('tf: the getting-started snippet learns y = 2x - 1 (predicts ~39 for 20), with TF.js\'s fit defaults', async () => {
  const logged = [];
  const orig = console.log;
  console.log = (...a) => logged.push(a.join(' '));
  let r;
  try { r = await S.gettingStarted(tf); } finally { console.log = orig; }
  assert.ok(Math.abs(r.prediction - 39) < 2, `prediction ${r.prediction}`);
  assert.deepEqual(logged, [], 'verbose defaults to silent, as in TF.js\'s browser build');
  assert.equal(r.history.history.loss.length, 250);
  assert.deepEqual(r.history.epoch.slice(0, 3), [0, 1, 2]);
});

test('tf: iris (tfjs-examples) trains; history and logs say acc/val_acc; batch logs carry batch and size', async () => {
  const model = S.irisModel(tf, 0.05);
  const { xs, ys, labels } = S.irisData(tf);
  const epochLogs = [];
  const batchLogs = [];
  const h = await model.fit(xs, ys, { epochs: 40, batchSize: 50, validationSplit: 0.25, callbacks: {
    onEpochEnd: async (epoch, logs) => { epochLogs.push(logs); await tf.nextFrame(); },
    onBatchEnd: (batch, logs) => { if (epochLogs.length === 0) batchLogs.push(logs); },
  } });
  assert.deepEqual(Object.keys(h.history).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
  assert.deepEqual(Object.keys(epochLogs[0]).sort(), ['acc', 'loss', 'val_acc', 'val_loss']);
  // 120 samples, 90 for training in batches of 50: sizes 50 and 40.
  assert.deepEqual(batchLogs.map((l) => [l.batch, l.size]), [[0, 50], [1, 40]]);
  assert.ok('acc' in batchLogs[0] && 'loss' in batchLogs[0]);
  const pred = model.predict(xs).argMax(-1);
  const got = await pred.array();
  const acc = got.filter((k, i) => k === labels[i]).length / labels.length;
  assert.ok(acc > 0.9, `iris accuracy ${acc}`);
  const [loss, accT] = model.evaluate(xs, ys);
  assert.deepEqual(loss.shape, []);
  assert.ok(accT.dataSync()[0] > 0.9);
});

test('tf: mnist convnet via fitDataset over tf.data.generator/zip/batch/shuffle/map', async () => {
  // Seeded: this 4-filter net, initialized at random, ends below 0.6 for about 1 seed in 40
  // (seed 18 reaches 0.5), which made the test fail now and then. TF.js has no global seed and
  // the keraswasm/tf entry imported above has a runtime of its own, so this test runs on
  // keras.tf, the same runtime as keras, whose set_random_seed then fixes the run.
  const tf = keras.tf;
  keras.utils.set_random_seed(0);
  const model = S.mnistModel(tf);
  const { xs, labels } = S.mnistData(tf, 200);
  const img = xs.dataSync();
  const images = tf.data.generator(function* () { for (let i = 0; i < labels.length; i++) yield Array.from(img.subarray(i * 64, i * 64 + 64)); })
    .map((v) => tf.tensor(v, [8, 8, 1]));
  const ys = tf.data.array(labels).map((k) => tf.oneHot(tf.tensor1d([k], 'int32'), 10).reshape([10]));
  const ds = tf.data.zip({ xs: images, ys }).shuffle(50, 1).batch(32);
  const seen = [];
  const h = await model.fitDataset(ds, { epochs: 40, callbacks: { onEpochEnd: (e, logs) => seen.push(logs) } });
  assert.equal(h.epoch.length, 40);
  assert.deepEqual(Object.keys(seen[0]).sort(), ['acc', 'loss']);
  assert.ok(h.history.loss[39] < h.history.loss[0] / 2, `loss went ${h.history.loss[0]} → ${h.history.loss[39]}`);
  const [, acc] = model.evaluate(xs, S.mnistData(tf, 200).ys);
  assert.ok(acc.dataSync()[0] > 0.6, `accuracy ${acc.dataSync()[0]}`);
  // batchesPerEpoch with repeat: the iterator goes on across epochs.
  const h2 = await model.fitDataset(ds.repeat(), { epochs: 2, batchesPerEpoch: 3 });
  assert.equal(h2.history.loss.length, 2);
});

test('tf: boston-housing (sgd, leCunNormal) trains; earlyStopping stops on val_loss', async () => {
  const model = S.bostonModel(tf);
  const { xs, ys } = S.bostonData(tf);
  const h = await model.fit(xs, ys, { epochs: 200, batchSize: 16, validationSplit: 0.2,
    callbacks: tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 0, minDelta: 10 }) });
  assert.equal(h.history.loss.length, 2, 'minDelta 10 is never met: stops after one epoch of patience 0');
  assert.equal(model.keras.layers[0].get_config().kernel_initializer.class_name, 'LecunNormal');
});

test('tf: tensors: data() is async, dataSync/array/arraySync, reshape(-1), math, argMax, asType, print', async () => {
  const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  assert.ok((await t.data()) instanceof Float32Array);
  assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(await t.array(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.reshape([-1]).shape, [6]);
  assert.deepEqual(t.reshape([3, -1]).arraySync(), [[1, 2], [3, 4], [5, 6]]);
  assert.throws(() => t.reshape([4, -1]), { name: 'ValueError', message: /cannot reshape a tensor of size 6/ });
  assert.deepEqual(t.sum().arraySync(), 21);
  assert.deepEqual(t.mean(0).arraySync(), [2.5, 3.5, 4.5]);
  assert.deepEqual(t.sum(1).arraySync(), [6, 15]);
  assert.deepEqual(t.argMax(1).arraySync(), [2, 2]);
  assert.equal(t.argMax(1).dtype, 'int32');
  assert.deepEqual(t.sub(tf.tensor1d([1, 1, 1])).arraySync(), [[0, 1, 2], [3, 4, 5]]);
  assert.deepEqual(t.mul(2).add(1).arraySync(), [[3, 5, 7], [9, 11, 13]]);
  assert.deepEqual(t.div(tf.tensor2d([[2], [4]])).arraySync(), [[0.5, 1, 1.5], [1, 1.25, 1.5]]);
  assert.deepEqual(t.square().sqrt().arraySync(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.equal(tf.tensor1d([1, 0, 3])).arraySync(), [[1, 0, 1], [0, 0, 0]]);
  assert.deepEqual(tf.tensor1d([1.7, -0.2, 0]).asType('int32').arraySync(), [1, -0, 0]);
  assert.throws(() => t.add(tf.tensor1d([1, 2])), { name: 'ValueError', message: /cannot be broadcast/ });
  assert.throws(() => tf.tensor2d([1, 2, 3]), { name: 'ValueError', message: /rank 2/ });
  assert.deepEqual(tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3).arraySync(), [[1, 0, 0], [0, 0, 1]]);
  assert.deepEqual(tf.zeros([2, 2]).arraySync(), [[0, 0], [0, 0]]);
  assert.deepEqual(tf.ones([3]).arraySync(), [1, 1, 1]);
  const rn = tf.randomNormal([2000], 1, 2, 'float32', 42).dataSync();
  const m = rn.reduce((a, b) => a + b, 0) / rn.length;
  assert.ok(Math.abs(m - 1) < 0.2, `randomNormal mean ${m}`);
  assert.deepEqual(Array.from(tf.randomUniform([5], 0, 1, 'float32', 3).dataSync()), Array.from(tf.randomUniform([5], 0, 1, 'float32', 3).dataSync()));
  const lines = [];
  const orig = console.log;
  console.log = (s) => lines.push(s);
  try { t.print(); } finally { console.log = orig; }
  assert.match(lines[0], /\[\[1,2,3\],\[4,5,6\]\]/);
  // tidy/keep/dispose/memory are honest no-ops and accounting.
  assert.equal(tf.tidy(() => 5), 5);
  assert.equal(tf.tidy('named', () => 6), 6);
  tf.dispose([t]);
  assert.equal(t.isDisposed, true);
  assert.equal(tf.memory().unreliable, true);
  // The keras namespace stays Keras: its tensors keep data as a property.
  assert.ok(keras.tensor([1, 2]).data instanceof Float32Array);
});

test('tf: tf.layers has one TF.js-named factory per layer class of the core\'s registry, and nothing else', () => {
  const classes = Object.entries(keras.layers).filter(([n, f]) => typeof f === 'function' && n !== 'get' && n !== 'Input' && f.name === n).map(([n]) => n);
  assert.equal(Object.keys(tf.layers).length, classes.length);
  for (const c of classes) assert.equal(typeof tf.layers[tfLayerName(c)], 'function', c);
  for (const n of ['dense', 'conv2d', 'maxPooling2d', 'flatten', 'dropout', 'batchNormalization', 'leakyReLU', 'reLU', 'prelu', 'elu',
    'globalAveragePooling2d', 'conv2dTranspose', 'separableConv2d', 'depthwiseConv2d', 'zeroPadding2d', 'cropping2D', 'upSampling2d', 'reshape', 'inputLayer',
    'lstm', 'gru', 'simpleRNN', 'bidirectional', 'timeDistributed']) {
    assert.equal(typeof tf.layers[n], 'function', n);
  }
  assert.equal(tf.layers.conv3d, undefined, 'a layer the core lacks is not offered');
  assert.equal(tf.layers.lSTM, undefined, 'TF.js\'s own spelling only');
});

test('tf: tf.train factories take TF.js\'s argument orders and defaults', () => {
  const cfg = (o) => o.get_config?.() ?? o.config;
  assert.throws(() => tf.train.sgd(), { name: 'TypeError', message: /learningRate is required/ });
  assert.equal(cfg(tf.train.sgd(0.1)).learning_rate, 0.1);
  const mom = cfg(tf.train.momentum(0.1, 0.8, true));
  assert.deepEqual([mom.momentum, mom.nesterov], [0.8, true]);
  const adam = cfg(tf.train.adam());
  assert.deepEqual([adam.learning_rate, adam.beta_1, adam.beta_2], [0.001, 0.9, 0.999]);
  const rms = cfg(tf.train.rmsprop(0.01, 0.8, 0.1, 1e-6, true));
  assert.deepEqual([rms.rho, rms.momentum, rms.epsilon, rms.centered], [0.8, 0.1, 1e-6, true]);
  assert.equal(cfg(tf.train.adagrad(0.1)).initial_accumulator_value, 0.1);
  assert.deepEqual([cfg(tf.train.adadelta()).learning_rate, cfg(tf.train.adadelta()).rho], [0.001, 0.95]);
  assert.equal(cfg(tf.train.adamax()).learning_rate, 0.002, 'TF.js\'s adamax default (Keras says 0.001)');
  assert.throws(() => tf.train.adamax(0.002, 0.9, 0.999, null, 0.1), { name: 'NotImplementedError', message: /decay/ });
});

test('tf: loadLayersModel and save name what they need; fit rejects unknown and unsupported options', async () => {
  const model = S.irisModel(tf);
  if (typeof keras.models.load_model !== 'function') {
    await assert.rejects(tf.loadLayersModel('x.json'), { name: 'NotImplementedError', message: /keras\.models\.load_model/ });
  }
  if (typeof model.keras.save !== 'function') {
    await assert.rejects(model.save('downloads://m'), { name: 'NotImplementedError', message: /model\.save/ });
  }
  const { xs, ys } = S.irisData(tf);
  await assert.rejects(model.fit(xs, ys, { epoch: 3 }), { name: 'TypeError', message: /unknown argument epoch/ });
  await assert.rejects(model.fit(xs, ys, { classWeight: { 0: 1 } }), { name: 'NotImplementedError' });
  const h = await model.fit(xs, ys, { epochs: 1 });
  assert.equal(h.history.loss.length, 1, 'the model stays usable');
  assert.equal(typeof keras.tf.sequential, 'function', 'loadKeras().tf is the same namespace');
});
