// The TF.js programs the tf namespace is tested with, written as TF.js users
// write them (the getting-started snippet and tfjs-examples' iris, mnist and
// boston-housing training code, on small synthetic data). Each takes the tf
// module, so the same source runs with `keraswasm/tf` and with
// `@tensorflow/tfjs` 4.22; only the import differs (tf_parity.test.mjs).

/** lcg is a small deterministic generator in [0, 1). */
export function lcg(seed) {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** gettingStarted is TF.js's getting-started snippet (js.tensorflow.org), with its epochs. */
export async function gettingStarted(tf, epochs = 250) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 1, inputShape: [1] }));
  model.compile({ loss: 'meanSquaredError', optimizer: 'sgd' });
  const xs = tf.tensor2d([-1, 0, 1, 2, 3, 4], [6, 1]);
  const ys = tf.tensor2d([-3, -1, 1, 3, 5, 7], [6, 1]);
  const h = await model.fit(xs, ys, { epochs });
  const out = model.predict(tf.tensor2d([20], [1, 1]));
  return { model, history: h, prediction: (await out.data())[0] };
}

/** irisData makes an iris-like data set: 3 classes of 4 features, one-hot labels (tfjs-examples/iris/data.js's shapes). */
export function irisData(tf, n = 120, seed = 7) {
  const g = lcg(seed);
  const xs = [];
  const labels = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    xs.push([5 + c + g(), 3 + g() - c * 0.3, 1.5 + 2 * c + g(), 0.2 + c * 0.8 + g() * 0.3]);
    labels.push(c);
  }
  return { xs: tf.tensor2d(xs, [n, 4]), ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 3), labels };
}

/** irisModel is tfjs-examples/iris's trainModel: Dense(10, sigmoid), Dense(3, softmax), adam. */
export function irisModel(tf, learningRate = 0.01) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 10, activation: 'sigmoid', inputShape: [4] }));
  model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** mnistModel is tfjs-examples/mnist's createConvModel, shrunk for 8×8 digits. */
export function mnistModel(tf) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], kernelSize: 3, filters: 4, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.flatten({}));
  model.add(tf.layers.dense({ units: 16, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** mnistData makes n synthetic 8×8 "digits": class k lights row k%8 and column k>>1 (learnable, deterministic). */
export function mnistData(tf, n = 64, seed = 3) {
  const g = lcg(seed);
  const img = new Float32Array(n * 64);
  const labels = [];
  for (let i = 0; i < n; i++) {
    const k = i % 10;
    labels.push(k);
    for (let p = 0; p < 64; p++) {
      const r = p >> 3, c = p & 7;
      img[i * 64 + p] = (r === k % 8 || c === k >> 1 ? 0.8 : 0) + 0.2 * g();
    }
  }
  return { xs: tf.tensor4d(img, [n, 8, 8, 1]), ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10), labels };
}

/** bostonModel is tfjs-examples/boston-housing's multiLayerPerceptronRegressionModel1Hidden (sgd, meanSquaredError). */
export function bostonModel(tf, features = 12) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [features], units: 50, activation: 'sigmoid', kernelInitializer: 'leCunNormal' }));
  model.add(tf.layers.dense({ units: 1 }));
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

/** bostonData makes standardized features and a linear-plus-noise target (the example normalizes its data the same way). */
export function bostonData(tf, n = 80, features = 12, seed = 11) {
  const g = lcg(seed);
  const x = [];
  const y = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: features }, () => g() * 2 - 1);
    x.push(row);
    y.push([row.reduce((a, v, j) => a + v * ((j % 3) - 1), 0) + 0.1 * g()]);
  }
  return { xs: tf.tensor2d(x), ys: tf.tensor2d(y) };
}

/** fixedWeights sets every weight of model to a deterministic value (the same in both libraries). */
export function fixedWeights(tf, model, seed = 1) {
  const g = lcg(seed);
  model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => (g() - 0.5) * 0.6), w.shape)));
}
