// Training fixtures: small Sequential models trained by TF.js's fit with
// fixed weights and shuffle off; the loss and all weights after each step.
import * as tf from '@tensorflow/tfjs';
import { RNG, enc, onehot, round9, size, t32 } from './lib.mjs';

// logitsCE is Keras's (Sparse)CategoricalCrossentropy(from_logits=True)
// per sample from TF.js's softmaxCrossEntropy on one-hot targets (TF.js's
// compile has no from_logits loss by name, and takes integer targets only
// with its own sparse loss).
const logitsCE = (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred, undefined, 0, tf.Reduction.NONE);
const oneHotLabels = (classes) => (y) => tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32'), classes).cast('float32');

// Each run: name, Keras layer configs (the first with batch_input_shape),
// the TF.js layers, the Keras optimizer config and TF.js optimizer, the
// loss (Keras name, TF.js name), the data, and fit's arguments.
const runs = [
  {
    name: 'mlp_sgd_categorical_crossentropy',
    layers: [
      { class_name: 'Dense', config: { units: 8, activation: 'relu', batch_input_shape: [null, 4] } },
      { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
    tfjs: () => [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), tf.layers.dense({ units: 3, activation: 'softmax' })],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.1 } }, tfjsOptimizer: () => tf.train.sgd(0.1),
    loss: ['categorical_crossentropy', 'categoricalCrossentropy'], metrics: ['accuracy'],
    data: (rng) => [t32(rng.uniform(12 * 4, -1, 1), [12, 4]), t32(onehot(rng, 12, 3), [12, 3])],
    fit: { batch_size: 4, epochs: 1, shuffle: false },
  },
  {
    name: 'mlp_rmsprop_mse_two_epochs',
    layers: [
      { class_name: 'Dense', config: { units: 5, activation: 'tanh', batch_input_shape: [null, 3] } },
      { class_name: 'Dense', config: { units: 2 } },
    ],
    tfjs: () => [tf.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }), tf.layers.dense({ units: 2 })],
    optimizer: { class_name: 'RMSprop', config: { learning_rate: 0.01 } }, tfjsOptimizer: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
    loss: ['mean_squared_error', 'meanSquaredError'], metrics: ['mae'],
    data: (rng) => [t32(rng.uniform(9 * 3, -1, 1), [9, 3]), t32(rng.uniform(9 * 2, -1, 1), [9, 2])],
    fit: { batch_size: 3, epochs: 2, shuffle: false },
  },
  {
    name: 'cnn_momentum_categorical_crossentropy',
    layers: [
      { class_name: 'Conv2D', config: { filters: 2, kernel_size: [3, 3], activation: 'relu', batch_input_shape: [null, 6, 6, 1] } },
      { class_name: 'MaxPooling2D', config: { pool_size: [2, 2] } },
      { class_name: 'Flatten', config: {} },
      { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
    tfjs: () => [tf.layers.conv2d({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 3, activation: 'softmax' })],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.05, momentum: 0.9 } }, tfjsOptimizer: () => tf.train.momentum(0.05, 0.9),
    loss: ['categorical_crossentropy', 'categoricalCrossentropy'], metrics: ['accuracy'],
    data: (rng) => [t32(rng.uniform(6 * 36, -1, 1), [6, 6, 6, 1]), t32(onehot(rng, 6, 3), [6, 3])],
    fit: { batch_size: 2, epochs: 1, shuffle: false },
  },
  {
    name: 'mlp_adagrad_regularized_binary_crossentropy',
    layers: [
      { class_name: 'Dense', config: { units: 6, activation: 'relu', batch_input_shape: [null, 4],
        kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } }, bias_regularizer: { class_name: 'L1', config: { l1: 0.005 } } } },
      { class_name: 'Dense', config: { units: 1, activation: 'sigmoid', kernel_regularizer: { class_name: 'L1L2', config: { l1: 0.002, l2: 0.003 } } } },
    ],
    tfjs: () => [
      tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4],
        kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }), biasRegularizer: tf.regularizers.l1({ l1: 0.005 }) }),
      tf.layers.dense({ units: 1, activation: 'sigmoid', kernelRegularizer: tf.regularizers.l1l2({ l1: 0.002, l2: 0.003 }) })],
    optimizer: { class_name: 'Adagrad', config: { learning_rate: 0.1 } }, tfjsOptimizer: () => tf.train.adagrad(0.1, 0.1),
    loss: ['binary_crossentropy', 'binaryCrossentropy'], metrics: ['accuracy', 'mae'],
    data: (rng) => [t32(rng.uniform(10 * 4, -1, 1), [10, 4]), t32(rng.uniform(10, 0, 1).map((v) => (v < 0.5 ? 0 : 1)), [10, 1])],
    fit: { batch_size: 5, epochs: 2, shuffle: false },
  },
  {
    name: 'mlp_nesterov_sparse_from_logits_partial_batch',
    layers: [
      { class_name: 'Dense', config: { units: 6, activation: 'selu', batch_input_shape: [null, 5] } },
      { class_name: 'Dense', config: { units: 4 } },
    ],
    tfjs: () => [tf.layers.dense({ units: 6, activation: 'selu', inputShape: [5] }), tf.layers.dense({ units: 4 })],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.05, momentum: 0.8, nesterov: true } },
    tfjsOptimizer: () => tf.train.momentum(0.05, 0.8, true),
    loss: [{ class_name: 'SparseCategoricalCrossentropy', config: { from_logits: true } }, logitsCE],
    metrics: ['sparse_categorical_accuracy'], tfjsMetrics: [tf.metrics.categoricalAccuracy], tfjsTargets: oneHotLabels(4),
    data: (rng) => [t32(rng.uniform(10 * 5, -1, 1), [10, 5]), t32(Array.from({ length: 10 }, () => rng.intN(4)), [10, 1])],
    fit: { batch_size: 4, epochs: 2, shuffle: false },
  },
  {
    name: 'cnn_batchnorm_momentum',
    layers: [
      { class_name: 'Conv2D', config: { filters: 2, kernel_size: [3, 3], batch_input_shape: [null, 5, 5, 1] } },
      { class_name: 'BatchNormalization', config: { momentum: 0.9 } },
      { class_name: 'Activation', config: { activation: 'relu' } },
      { class_name: 'Flatten', config: {} },
      { class_name: 'Dense', config: { units: 3, activation: 'softmax' } },
    ],
    tfjs: () => [tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1] }),
      tf.layers.batchNormalization({ momentum: 0.9 }), tf.layers.activation({ activation: 'relu' }),
      tf.layers.flatten(), tf.layers.dense({ units: 3, activation: 'softmax' })],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.05, momentum: 0.9 } }, tfjsOptimizer: () => tf.train.momentum(0.05, 0.9),
    loss: ['categorical_crossentropy', 'categoricalCrossentropy'], metrics: ['accuracy'],
    data: (rng) => [t32(rng.uniform(8 * 25, -1, 1), [8, 5, 5, 1]), t32(onehot(rng, 8, 3), [8, 3])],
    fit: { batch_size: 4, epochs: 2, shuffle: false },
  },
  // Recurrent models (added with issue 9). Keras's recurrent_activation
  // 'sigmoid' is given to TF.js, whose default is hard_sigmoid; GRU runs
  // with reset_after=False, the only form TF.js 4.22 has.
  {
    name: 'text_embedding_mask_zero_lstm_sgd_binary_crossentropy',
    layers: [
      { class_name: 'Embedding', config: { input_dim: 5, output_dim: 3, mask_zero: true, batch_input_shape: [null, 5] } },
      { class_name: 'LSTM', config: { units: 4, recurrent_activation: 'sigmoid' } },
      { class_name: 'Dense', config: { units: 1, activation: 'sigmoid' } },
    ],
    tfjs: () => [tf.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [5] }),
      tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.5 } }, tfjsOptimizer: () => tf.train.sgd(0.5),
    loss: ['binary_crossentropy', 'binaryCrossentropy'], metrics: ['accuracy'],
    // Left-padded token sequences (0 is padding) and 0/1 labels.
    data: (rng) => {
      const n = 8, steps = 5, x = new Float32Array(n * steps);
      for (let i = 0; i < n; i++) {
        const pad = rng.intN(3);
        for (let t = pad; t < steps; t++) x[i * steps + t] = 1 + rng.intN(4);
      }
      return [t32(x, [n, steps]), t32(rng.uniform(n, 0, 1).map((v) => (v < 0.5 ? 0 : 1)), [n, 1])];
    },
    fit: { batch_size: 4, epochs: 2, shuffle: false },
  },
  {
    name: 'bidirectional_gru_time_distributed_rmsprop_mse',
    layers: [
      { class_name: 'Bidirectional', config: { batch_input_shape: [null, 4, 2], merge_mode: 'concat',
        layer: { class_name: 'GRU', config: { units: 3, return_sequences: true, recurrent_activation: 'sigmoid', reset_after: false } } } },
      { class_name: 'TimeDistributed', config: { layer: { class_name: 'Dense', config: { units: 1 } } } },
    ],
    tfjs: () => [tf.layers.bidirectional({ layer: tf.layers.gru({ units: 3, returnSequences: true, recurrentActivation: 'sigmoid' }), inputShape: [4, 2] }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) })],
    optimizer: { class_name: 'RMSprop', config: { learning_rate: 0.01 } }, tfjsOptimizer: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
    loss: ['mean_squared_error', 'meanSquaredError'], metrics: ['mae'],
    data: (rng) => [t32(rng.uniform(6 * 8, -1, 1), [6, 4, 2]), t32(rng.uniform(6 * 4, -1, 1), [6, 4, 1])],
    fit: { batch_size: 3, epochs: 2, shuffle: false },
  },
];

export async function runTraining(rng, run) {
  const model = tf.sequential({ layers: run.tfjs() });
  // TF.js's getWeights lists all trainable weights first; the fixture lists
  // them in Keras's order, layer by layer (the same order without
  // non-trainable weights). kerasOrder(ws) reorders a getWeights list.
  const order = model.layers.flatMap((l) => l.weights).map((v) => model.weights.indexOf(v));
  const kerasOrder = (ws) => order.map((i) => ws[i]);
  const initial = model.getWeights().map((w, i) => {
    const data = rng.uniform(size(w.shape), -0.5, 0.5);
    if (model.weights[i].originalName.endsWith('moving_variance')) data.forEach((v, j) => { data[j] = v + 0.75; });
    return t32(data, w.shape);
  });
  model.setWeights(initial);
  // Weight names as layer index / Keras weight name (TF.js's own names carry
  // global counters that would change with every other case).
  const weightNames = model.layers.flatMap((l, i) => l.weights.map((w) => `${i}/${w.originalName.split('/').pop()}`));
  model.compile({ optimizer: run.tfjsOptimizer(), loss: run.loss[1], metrics: run.tfjsMetrics ?? run.metrics });
  // TF.js logs metrics under its own names ('acc' for 'accuracy'); the
  // fixture uses the Keras names.
  const tfjsNames = model.metricsNames.slice(1);
  const metricsOf = (logs) => Object.fromEntries(run.metrics.map((n, i) => [n, round9(logs[tfjsNames[i]])]));
  const [x, y] = run.data(rng);
  const yTF = run.tfjsTargets ? run.tfjsTargets(y) : y;
  const initialPrediction = enc(model.predict(x));
  const steps = [];
  const epochs = [];
  const epochMetrics = [];
  await model.fit(x, yTF, {
    batchSize: run.fit.batch_size, epochs: run.fit.epochs, shuffle: run.fit.shuffle, verbose: 0,
    callbacks: {
      onBatchEnd: async (batch, logs) => { steps.push({ loss: round9(logs.loss), metrics: metricsOf(logs), weights: kerasOrder(model.getWeights()).map((w) => enc(w)) }); },
      onEpochEnd: async (epoch, logs) => { epochs.push(round9(logs.loss)); epochMetrics.push(metricsOf(logs)); },
    },
  });
  // TF.js's evaluate leaves out the regularization penalties that Keras's
  // includes; the penalty on the final weights is recorded from TF.js's
  // own regularizers (calculateLosses) so that the Keras value is their sum.
  const [evalLoss, ...evalMetrics] = model.evaluate(x, yTF, { batchSize: run.fit.batch_size }).map((t) => t.dataSync()[0]);
  const penalty = model.calculateLosses().reduce((a, t) => a + t.dataSync()[0], 0);
  const evaluate = {
    batch_size: run.fit.batch_size, tfjs_loss: round9(evalLoss), regularization_penalty: round9(penalty),
    loss: round9(Math.fround(evalLoss + penalty)), metrics: Object.fromEntries(run.metrics.map((n, i) => [n, round9(evalMetrics[i])])),
  };
  return {
    name: run.name, layers: run.layers,
    compile: { optimizer: run.optimizer, loss: run.loss[0], metrics: run.metrics }, fit: run.fit,
    x: enc(x), y: enc(y), weight_names: weightNames, initial_weights: kerasOrder(initial).map((w) => enc(w)),
    initial_prediction: initialPrediction, steps, epoch_loss: epochs, epoch_metrics: epochMetrics, evaluate,
  };
}

export async function trainingFixtures() {
  const rng = new RNG(42);
  const out = [];
  for (const run of runs) out.push(await runTraining(rng, run));
  return out;
}
