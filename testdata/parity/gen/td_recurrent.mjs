// TimeDistributed over recurrent layers: a (batch, outer, timesteps,
// features) input, the wrapped layer run on each outer step's (batch,
// timesteps, features) slice. Layer cases in recurrent.json's layout and
// small models trained by fit in training.json's.
import * as tf from '@tensorflow/tfjs';
import { RNG, t32 } from './lib.mjs';
import { gru, lstm, rnn, runCase } from './recurrent.mjs';
import { runTraining } from './training.mjs';

const td = (layer) => ({ class_name: 'TimeDistributed', config: { layer } });

const cases = [
  ['time_distributed_lstm_last', td(lstm({ units: 8 })), [2, 3, 4, 3]],
  ['time_distributed_lstm_sequences_backwards', td(lstm({ units: 2, return_sequences: true, go_backwards: true })), [2, 2, 3, 2]],
  ['time_distributed_simple_rnn_sequences', td(rnn({ units: 3, return_sequences: true })), [2, 3, 3, 2]],
  ['time_distributed_gru_last', td(gru({ units: 3 })), [3, 2, 4, 2]],
  ['time_distributed_bidirectional_lstm', td({ class_name: 'Bidirectional', config: { layer: lstm({ units: 2 }) } }), [2, 2, 3, 2]],
];

export function tdRecurrentFixtures() {
  const rng = new RNG(20261208);
  return cases.map((c) => tf.tidy(() => runCase(rng, c)));
}

// Both models read (batch, outer, timesteps, features) and train with
// shuffle off; GRU runs with reset_after=False, the only form TF.js has.
const runs = [
  {
    name: 'time_distributed_lstm_dense_sgd_mse',
    layers: [
      { class_name: 'TimeDistributed', config: { batch_input_shape: [null, 3, 4, 2], layer: lstm({ units: 4 }) } },
      { class_name: 'TimeDistributed', config: { layer: { class_name: 'Dense', config: { units: 1 } } } },
    ],
    tfjs: () => [tf.layers.timeDistributed({ layer: tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }), inputShape: [3, 4, 2] }),
      tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 1 }) })],
    optimizer: { class_name: 'SGD', config: { learning_rate: 0.1 } }, tfjsOptimizer: () => tf.train.sgd(0.1),
    loss: ['mean_squared_error', 'meanSquaredError'], metrics: ['mae'],
    data: (rng) => [t32(rng.uniform(6 * 24, -1, 1), [6, 3, 4, 2]), t32(rng.uniform(6 * 3, -1, 1), [6, 3, 1])],
    fit: { batch_size: 3, epochs: 2, shuffle: false },
  },
  {
    name: 'time_distributed_gru_sequences_flatten_rmsprop_binary_crossentropy',
    layers: [
      { class_name: 'TimeDistributed', config: { batch_input_shape: [null, 2, 3, 2], layer: gru({ units: 2, return_sequences: true }) } },
      { class_name: 'Flatten', config: {} },
      { class_name: 'Dense', config: { units: 1, activation: 'sigmoid' } },
    ],
    tfjs: () => [tf.layers.timeDistributed({ layer: tf.layers.gru({ units: 2, returnSequences: true, recurrentActivation: 'sigmoid' }), inputShape: [2, 3, 2] }),
      tf.layers.flatten(), tf.layers.dense({ units: 1, activation: 'sigmoid' })],
    optimizer: { class_name: 'RMSprop', config: { learning_rate: 0.01 } }, tfjsOptimizer: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7),
    loss: ['binary_crossentropy', 'binaryCrossentropy'], metrics: ['accuracy'],
    data: (rng) => [t32(rng.uniform(8 * 12, -1, 1), [8, 2, 3, 2]), t32(rng.uniform(8, 0, 1).map((v) => (v < 0.5 ? 0 : 1)), [8, 1])],
    fit: { batch_size: 4, epochs: 2, shuffle: false },
  },
];

export async function tdTrainingFixtures() {
  const rng = new RNG(43);
  const out = [];
  for (const run of runs) out.push(await runTraining(rng, run));
  return out;
}
