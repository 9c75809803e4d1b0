// Optimizer fixtures: weights after each of a few steps of TF.js optimizers
// whose update rule equals Keras's, fed fixed seeded gradients.
import * as tf from '@tensorflow/tfjs';
import { RNG, enc, size, t32 } from './lib.mjs';

const shapes = [[3, 2], [4]];
const STEPS = 5;

// Each case: name, Keras optimizer config, TF.js optimizer, its call, and
// the scale of the gradients.
const cases = [
  ['sgd', { class_name: 'SGD', config: { learning_rate: 0.1 } }, () => tf.train.sgd(0.1), 'tf.train.sgd(0.1)'],
  ['sgd_momentum', { class_name: 'SGD', config: { learning_rate: 0.05, momentum: 0.9 } },
    () => tf.train.momentum(0.05, 0.9), 'tf.train.momentum(0.05, 0.9)'],
  ['sgd_nesterov', { class_name: 'SGD', config: { learning_rate: 0.05, momentum: 0.9, nesterov: true } },
    () => tf.train.momentum(0.05, 0.9, true), 'tf.train.momentum(0.05, 0.9, true)'],
  ['rmsprop', { class_name: 'RMSprop', config: { learning_rate: 0.01, rho: 0.9, epsilon: 1e-7 } },
    () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7), 'tf.train.rmsprop(0.01, 0.9, 0, 1e-7)'],
  ['rmsprop_momentum', { class_name: 'RMSprop', config: { learning_rate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-7 } },
    () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-7), 'tf.train.rmsprop(0.01, 0.8, 0.5, 1e-7)'],
  ['rmsprop_small_gradients', { class_name: 'RMSprop', config: { learning_rate: 0.001 } },
    () => tf.train.rmsprop(0.001, 0.9, 0, 1e-7), 'tf.train.rmsprop(0.001, 0.9, 0, 1e-7)', 1e-3],
  ['adagrad', { class_name: 'Adagrad', config: { learning_rate: 0.1, initial_accumulator_value: 0.1 } },
    () => tf.train.adagrad(0.1, 0.1), 'tf.train.adagrad(0.1, 0.1) (epsilon 1e-7 inside the root)'],
  ['adamax', { class_name: 'Adamax', config: { learning_rate: 0.01 } },
    () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7), 'tf.train.adamax(0.01, 0.9, 0.999, 1e-7)'],
  ['adamax_legacy_decay', { class_name: 'Adamax', config: { learning_rate: 0.02, beta_1: 0.8, beta_2: 0.99, decay: 0.1 } },
    () => tf.train.adamax(0.02, 0.8, 0.99, 1e-7, 0.1), 'tf.train.adamax(0.02, 0.8, 0.99, 1e-7, 0.1)'],
];

export const excludedOptimizers = {
  Adam: 'TF.js adds epsilon to sqrt(v_hat) after bias correction; Keras adds it to sqrt(v) and folds the bias correction into the step size',
  'RMSprop(centered=True)': 'TF.js divides by sqrt(ms - (mg^2 + eps)); Keras by sqrt(ms - mg^2 + eps)',
  Adadelta: 'TF.js (tfjs-core adadelta_optimizer.js) scales by sqrt(accum_update+eps)/sqrt(accum_grad+eps) with the accumulated gradient of the PREVIOUS step; Keras (keras/src/optimizers/adadelta.py) uses the one just updated with this gradient',
  'SGD(decay)': 'tf.train.sgd and tf.train.momentum have no decay argument',
  'Nadam, AdamW': 'not in TF.js',
};

function runCase(rng, [name, optimizer, make, via, scale = 1]) {
  const vars = shapes.map((s, i) => tf.variable(t32(rng.uniform(size(s), -1, 1), s), true, `${name}_w${i}`));
  const initial = vars.map((v) => enc(v));
  const opt = make();
  const steps = [];
  for (let k = 0; k < STEPS; k++) {
    const grads = shapes.map((s) => t32(rng.uniform(size(s), -scale, scale), s));
    opt.applyGradients(Object.fromEntries(vars.map((v, i) => [v.name, grads[i]])));
    steps.push({ grads: grads.map((g) => enc(g)), weights: vars.map((v) => enc(v)) });
  }
  opt.dispose();
  vars.forEach((v) => v.dispose());
  return { name, optimizer, tfjs: via, initial, steps };
}

export function optimizerFixtures() {
  const rng = new RNG(3);
  return cases.map((c) => tf.tidy(() => runCase(rng, c)));
}
