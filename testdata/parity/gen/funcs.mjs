// Activation and loss fixtures: values and gradients computed by TF.js.
import * as tf from '@tensorflow/tfjs';
import { RNG, enc, onehot, size, softmaxRows, t32 } from './lib.mjs';
import { tfjsActivation } from './layers.mjs';

// layerAct applies TF.js's activation of the given Keras name the way a
// layer does (tf.layers.activation), so the fixture is TF.js's own function.
const layerAct = (name) => {
  const layer = tf.layers.activation({ activation: tfjsActivation(name) });
  return (x) => layer.apply(x);
};

// Activations TF.js has under Keras's meaning, with the TF.js function used.
// exponential and leaky_relu are not TF.js activation names: their ops
// (tf.exp, tf.leakyRelu with Keras 3's negative_slope 0.2) stand in.
const activations = [
  ...['linear', 'relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hard_sigmoid', 'tanh', 'softmax',
    'log_softmax', 'softplus', 'softsign', 'swish', 'mish', 'gelu'].map((n) => [n, layerAct(n), `tf.layers.activation('${tfjsActivation(n)}')`]),
  ['exponential', (x) => tf.exp(x), 'tf.exp'],
  ['leaky_relu', (x) => tf.leakyRelu(x, 0.2), 'tf.leakyRelu(x, 0.2)'],
];

// activationFixtures evaluates each activation on ordinary inputs in
// (-3, 3) and on large ones in (-40, 40) that test the stable forms.
export function activationFixtures() {
  const rng = new RNG(7);
  const out = [];
  for (const [range, lo, hi] of [['', -3, 3], ['_large', -40, 40]]) {
    for (const [name, f, via] of activations) {
      if (range && ['exponential', 'linear', 'relu', 'relu6', 'leaky_relu'].includes(name)) continue;
      out.push(tf.tidy(() => {
        const shape = [4, 5];
        const x = t32(rng.uniform(size(shape), lo, hi), shape);
        const r = t32(rng.uniform(size(shape), -1, 1), shape);
        const dx = tf.grad((v) => tf.sum(tf.mul(f(v), r)))(x);
        return { name: name + range, activation: name, tfjs: via, x: enc(x), r: enc(r), y: enc(f(x)), dx: enc(dx) };
      }));
    }
  }
  return out;
}

// layersLoss returns TF.js's Keras-style loss function (tfjs-layers
// losses.ts) of the given TF.js name, as model.compile resolves it.
function layersLoss(name) {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: 'sgd', loss: name });
  return m.model.lossFunctions[0];
}

const NONE = tf.Reduction.NONE;
const meanLast = (t) => tf.mean(t, -1);

// Each loss case: name, Keras loss config, TF.js function (yTrue, yPred) →
// per-sample loss, a description of it, and the inputs.
function lossCases(rng) {
  const u = (shape, lo, hi) => t32(rng.uniform(size(shape), lo, hi), shape);
  const signs = (shape) => t32(rng.uniform(size(shape), 0, 1).map((v) => (v < 0.5 ? -1 : 1)), shape);
  const bits = (shape) => t32(rng.uniform(size(shape), 0, 1).map((v) => (v < 0.5 ? 0 : 1)), shape);
  const hot = (n, k) => t32(onehot(rng, n, k), [n, k]);
  const probs = (n, k) => t32(softmaxRows(rng, n, k), [n, k]);
  const labels = (n, k) => t32(Array.from({ length: n }, () => rng.intN(k)), [n, 1]);
  const cfg = (className, config = {}) => ({ class_name: className, config });
  const L = (n) => [layersLoss(n), `tfjs-layers losses.${n}`];
  const s = [4, 5];
  const mape = () => tf.mul(u(s, 0.5, 2), signs(s));
  return [
    ['mean_squared_error', cfg('MeanSquaredError'), ...L('meanSquaredError'), u(s, -1, 1), u(s, -1, 1)],
    ['mean_absolute_error', cfg('MeanAbsoluteError'), ...L('meanAbsoluteError'), u(s, -1, 1), u(s, -1, 1)],
    ['mean_absolute_percentage_error', cfg('MeanAbsolutePercentageError'), ...L('meanAbsolutePercentageError'), mape(), u(s, -2, 2)],
    ['mean_squared_logarithmic_error', cfg('MeanSquaredLogarithmicError'), ...L('meanSquaredLogarithmicError'), u(s, 0, 3), u(s, -0.5, 3)],
    ['hinge', cfg('Hinge'), ...L('hinge'), signs(s), u(s, -2, 2)],
    ['squared_hinge', cfg('SquaredHinge'), ...L('squaredHinge'), signs(s), u(s, -2, 2)],
    ['categorical_hinge', cfg('CategoricalHinge'), ...L('categoricalHinge'), hot(4, 5), u(s, -2, 2)],
    ['log_cosh', cfg('LogCosh'), ...L('logcosh'), u(s, -2, 2), u(s, -2, 2)],
    ['kl_divergence', cfg('KLDivergence'), ...L('kullbackLeiblerDivergence'), probs(4, 5), probs(4, 5)],
    ['poisson', cfg('Poisson'), ...L('poisson'), u(s, 0, 3), u(s, 0.1, 3)],
    ['cosine_similarity', cfg('CosineSimilarity'), ...L('cosineProximity'), u(s, -1, 1), u(s, -1, 1)],
    ['binary_crossentropy', cfg('BinaryCrossentropy'), ...L('binaryCrossentropy'), bits([4, 3]), u([4, 3], 0.05, 0.95)],
    ['binary_crossentropy_soft_targets', cfg('BinaryCrossentropy'), ...L('binaryCrossentropy'), u([4, 3], 0, 1), u([4, 3], 0.05, 0.95)],
    ['binary_crossentropy_clipped', cfg('BinaryCrossentropy'), ...L('binaryCrossentropy'),
      t32([1, 0, 1, 0, 1, 0], [2, 3]), t32([0, 1, 1, 0, 0.5, 1e-9], [2, 3])],
    ['categorical_crossentropy', cfg('CategoricalCrossentropy'), ...L('categoricalCrossentropy'), hot(4, 5), probs(4, 5)],
    ['categorical_crossentropy_unnormalized', cfg('CategoricalCrossentropy'), ...L('categoricalCrossentropy'), hot(4, 5), u(s, 0.1, 1)],
    ['categorical_crossentropy_clipped', cfg('CategoricalCrossentropy'), ...L('categoricalCrossentropy'),
      t32([1, 0, 0, 0, 0, 1], [2, 3]), t32([0, 0.3, 0.7, 0.2, 0.8, 0], [2, 3])],
    ['sparse_categorical_crossentropy', cfg('SparseCategoricalCrossentropy'), ...L('sparseCategoricalCrossentropy'), labels(4, 5), probs(4, 5)],
    ['categorical_crossentropy_label_smoothing', cfg('CategoricalCrossentropy', { label_smoothing: 0.2 }),
      (t, p) => layersLoss('categoricalCrossentropy')(tf.add(tf.mul(t, 0.8), 0.2 / 5), p),
      'tfjs-layers losses.categoricalCrossentropy on targets smoothed as Keras does, t*(1-0.2) + 0.2/classes', hot(4, 5), probs(4, 5)],
    ['categorical_crossentropy_from_logits', cfg('CategoricalCrossentropy', { from_logits: true }),
      (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0, NONE), 'tf.losses.softmaxCrossEntropy (reduction NONE)', hot(4, 5), u(s, -3, 3)],
    ['categorical_crossentropy_from_logits_label_smoothing', cfg('CategoricalCrossentropy', { from_logits: true, label_smoothing: 0.1 }),
      (t, p) => tf.losses.softmaxCrossEntropy(t, p, undefined, 0.1, NONE), 'tf.losses.softmaxCrossEntropy labelSmoothing 0.1 (reduction NONE)', hot(4, 5), u(s, -3, 3)],
    ['sparse_categorical_crossentropy_from_logits', cfg('SparseCategoricalCrossentropy', { from_logits: true }),
      (t, p) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(tf.reshape(t, [-1]), 'int32'), 5), p, undefined, 0, NONE),
      'tf.losses.softmaxCrossEntropy of tf.oneHot(labels) (reduction NONE)', labels(4, 5), u(s, -3, 3)],
    ['binary_crossentropy_from_logits', cfg('BinaryCrossentropy', { from_logits: true }),
      (t, p) => meanLast(tf.losses.sigmoidCrossEntropy(t, p, undefined, 0, NONE)), 'mean over the last axis of tf.losses.sigmoidCrossEntropy (reduction NONE)', bits([4, 3]), u([4, 3], -4, 4)],
    ['binary_crossentropy_from_logits_label_smoothing', cfg('BinaryCrossentropy', { from_logits: true, label_smoothing: 0.2 }),
      (t, p) => meanLast(tf.losses.sigmoidCrossEntropy(t, p, undefined, 0.2, NONE)), 'mean over the last axis of tf.losses.sigmoidCrossEntropy labelSmoothing 0.2 (reduction NONE)', bits([4, 3]), u([4, 3], -4, 4)],
    ['binary_crossentropy_label_smoothing', cfg('BinaryCrossentropy', { label_smoothing: 0.2 }),
      (t, p) => layersLoss('binaryCrossentropy')(tf.add(tf.mul(t, 0.8), 0.1), p),
      'tfjs-layers losses.binaryCrossentropy on targets smoothed as Keras does, t*(1-0.2) + 0.5*0.2', bits([4, 3]), u([4, 3], 0.05, 0.95)],
    ['huber', cfg('Huber'), (t, p) => meanLast(tf.losses.huberLoss(t, p, undefined, 1, NONE)),
      'mean over the last axis of tf.losses.huberLoss delta 1 (reduction NONE)', u(s, -2, 2), u(s, -2, 2)],
    ['huber_delta_0.5', cfg('Huber', { delta: 0.5 }), (t, p) => meanLast(tf.losses.huberLoss(t, p, undefined, 0.5, NONE)),
      'mean over the last axis of tf.losses.huberLoss delta 0.5 (reduction NONE)', u(s, -2, 2), u(s, -2, 2)],
  ];
}

// lossFixtures records each case's per-sample loss and the gradient of
// their sum with respect to y_pred (row i is ∂loss_i/∂y_pred_i).
export function lossFixtures() {
  const rng = new RNG(11);
  return tf.tidy(() => lossCases(rng).map(([name, loss, f, via, yTrue, yPred]) => {
    const perSample = f(yTrue, yPred);
    const dPred = tf.grad((p) => tf.sum(f(yTrue, p)))(yPred);
    return { name, loss, tfjs: via, y_true: enc(yTrue), y_pred: enc(yPred), per_sample: enc(perSample), d_pred: enc(dPred) };
  }));
}
