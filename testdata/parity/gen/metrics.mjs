// Metric fixtures: the value of TF.js's metric functions over all the
// batches of a case; Keras's stateful metrics updated batch by batch must
// give the same (the mean metrics average per-sample values; precision and
// recall pool their counts).
import * as tf from '@tensorflow/tfjs';
import { RNG, enc, onehot, size, softmaxRows, t32 } from './lib.mjs';

// Each case: name, the Keras metric name, the TF.js function and how it is
// reduced, and a generator of one batch (y_true, y_pred).
function metricCases(rng) {
  const u = (shape, lo, hi) => t32(rng.uniform(size(shape), lo, hi), shape);
  const bits = (shape) => t32(rng.uniform(size(shape), 0, 1).map((v) => (v < 0.5 ? 0 : 1)), shape);
  const hot = (n, k) => t32(onehot(rng, n, k), [n, k]);
  const probs = (n, k) => t32(softmaxRows(rng, n, k), [n, k]);
  const labels = (n, k) => t32(Array.from({ length: n }, () => rng.intN(k)), [n, 1]);
  const mean = (f) => (t, p) => tf.mean(f(t, p));
  const m = tf.metrics;
  return [
    ['binary_accuracy', 'binary_accuracy', mean(m.binaryAccuracy), 'tf.metrics.binaryAccuracy', () => [bits([5, 3]), u([5, 3], 0, 1)]],
    ['categorical_accuracy', 'categorical_accuracy', mean(m.categoricalAccuracy), 'tf.metrics.categoricalAccuracy', () => [hot(5, 4), probs(5, 4)]],
    ['sparse_categorical_accuracy', 'sparse_categorical_accuracy', mean(m.sparseCategoricalAccuracy), 'tf.metrics.sparseCategoricalAccuracy', () => [labels(5, 4), probs(5, 4)]],
    ['mse', 'mse', mean(m.meanSquaredError), 'tf.metrics.meanSquaredError', () => [u([5, 3], -1, 1), u([5, 3], -1, 1)]],
    ['mae', 'mae', mean(m.meanAbsoluteError), 'tf.metrics.meanAbsoluteError', () => [u([5, 3], -1, 1), u([5, 3], -1, 1)]],
    ['mape', 'mape', mean(m.meanAbsolutePercentageError), 'tf.metrics.meanAbsolutePercentageError', () => [u([5, 3], 0.5, 2), u([5, 3], -1, 2)]],
    ['binary_crossentropy', 'binary_crossentropy', mean(m.binaryCrossentropy), 'tf.metrics.binaryCrossentropy', () => [bits([5, 3]), u([5, 3], 0.05, 0.95)]],
    ['categorical_crossentropy', 'categorical_crossentropy', mean(m.categoricalCrossentropy), 'tf.metrics.categoricalCrossentropy', () => [hot(5, 4), probs(5, 4)]],
    ['precision', 'Precision', m.precision, 'tf.metrics.precision (predictions given as 0/1, where it agrees with Keras\'s threshold 0.5)', () => [bits([5, 3]), bits([5, 3])]],
    ['recall', 'Recall', m.recall, 'tf.metrics.recall (predictions given as 0/1)', () => [bits([5, 3]), bits([5, 3])]],
  ];
}

export function metricFixtures() {
  const rng = new RNG(5);
  return tf.tidy(() => metricCases(rng).map(([name, metric, f, via, batch]) => {
    const batches = [batch(), batch()];
    const value = f(tf.concat(batches.map((b) => b[0])), tf.concat(batches.map((b) => b[1])));
    return { name, metric, tfjs: via, batches: batches.map(([t, p]) => ({ y_true: enc(t), y_pred: enc(p) })), value: enc(value) };
  }));
}
