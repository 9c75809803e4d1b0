// Recurrent fixtures: SimpleRNN, LSTM, GRU (reset_after=False: TF.js 4.22's
// GRUCell throws on reset_after=True), return_sequences, go_backwards, a
// time-step mask, Bidirectional and TimeDistributed. Forward output and the
// gradients of L = Σ y·r with respect to the input and every trainable
// weight, by TF.js's own layers; stateful cases record two consecutive
// calls and a call after resetStates.
import * as tf from '@tensorflow/tfjs';
import { RNG, enc, size, t32 } from './lib.mjs';

const camelKey = (k) => k.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// tfjsArgs turns a Keras config into TF.js layer args; a nested layer
// config (the wrappers' "layer") becomes the TF.js layer.
function tfjsArgs(config) {
  const out = {};
  for (const [k, v] of Object.entries(config)) {
    if (k === 'layer') out.layer = tfjsLayer(v);
    else if (k.endsWith('activation')) out[camelKey(k)] = v === 'hard_sigmoid' ? 'hardSigmoid' : v;
    else out[camelKey(k)] = v;
  }
  return out;
}

const factories = {
  SimpleRNN: (a) => tf.layers.simpleRNN(a),
  LSTM: (a) => tf.layers.lstm(a),
  GRU: (a) => tf.layers.gru(a),
  Dense: (a) => tf.layers.dense(a),
  Conv2D: (a) => tf.layers.conv2d(a),
  Bidirectional: (a) => tf.layers.bidirectional(a),
  TimeDistributed: (a) => tf.layers.timeDistributed(a),
};

export function tfjsLayer({ class_name: cls, config }) { return factories[cls](tfjsArgs(config)); }

// Keras's defaults written out where TF.js's differ (recurrent_activation:
// TF.js hard_sigmoid, Keras sigmoid) and GRU's reset_after=False, the only
// form TF.js has.
export const lstm = (c) => ({ class_name: 'LSTM', config: { recurrent_activation: 'sigmoid', ...c } });
export const gru = (c) => ({ class_name: 'GRU', config: { recurrent_activation: 'sigmoid', reset_after: false, ...c } });
export const rnn = (c) => ({ class_name: 'SimpleRNN', config: { ...c } });
const snake = (cls) => cls.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

// Cases: name, Keras layer config, input shape (batch first), options:
// mask (true per batch row and step), stateful (two calls and a reset).
const cases = [
  ['simple_rnn_last', rnn({ units: 3 }), [2, 4, 3]],
  ['simple_rnn_sequences_relu', rnn({ units: 3, activation: 'relu', return_sequences: true }), [2, 4, 2]],
  ['simple_rnn_backwards_sequences', rnn({ units: 2, go_backwards: true, return_sequences: true }), [2, 3, 3]],
  ['lstm_last', lstm({ units: 3 }), [2, 4, 3]],
  ['lstm_sequences', lstm({ units: 2, return_sequences: true }), [3, 3, 2]],
  ['lstm_backwards', lstm({ units: 3, go_backwards: true }), [2, 4, 2]],
  ['lstm_hard_sigmoid_no_bias', lstm({ units: 2, recurrent_activation: 'hard_sigmoid', use_bias: false, return_sequences: true }), [2, 3, 2]],
  ['gru_last', gru({ units: 3 }), [2, 4, 3]],
  ['gru_sequences_backwards', gru({ units: 2, return_sequences: true, go_backwards: true }), [2, 3, 2]],
  ['lstm_masked', lstm({ units: 3, return_sequences: true }), [2, 4, 2], { mask: [[true, true, false, true], [false, true, true, false]] }],
  ['gru_masked', gru({ units: 2 }), [2, 4, 3], { mask: [[true, false, true, true], [true, true, false, false]] }],
  ['simple_rnn_masked_backwards', rnn({ units: 2, go_backwards: true }), [2, 3, 2], { mask: [[true, true, false], [false, true, true]] }],
  ['bidirectional_lstm_concat', { class_name: 'Bidirectional', config: { layer: lstm({ units: 2 }) } }, [2, 3, 2]],
  ['bidirectional_gru_sum_sequences', { class_name: 'Bidirectional', config: { layer: gru({ units: 2, return_sequences: true }), merge_mode: 'sum' } }, [2, 3, 2]],
  ['bidirectional_rnn_mul_sequences', { class_name: 'Bidirectional', config: { layer: rnn({ units: 2, return_sequences: true }), merge_mode: 'mul' } }, [2, 3, 3]],
  ['bidirectional_lstm_ave_masked', { class_name: 'Bidirectional', config: { layer: lstm({ units: 2, return_sequences: true }), merge_mode: 'ave' } }, [2, 4, 2],
    { mask: [[true, true, true, false], [true, false, true, true]] }],
  ['time_distributed_dense', { class_name: 'TimeDistributed', config: { layer: { class_name: 'Dense', config: { units: 3, activation: 'tanh' } } } }, [2, 4, 3]],
  ['time_distributed_conv2d', { class_name: 'TimeDistributed', config: { layer: { class_name: 'Conv2D', config: { filters: 2, kernel_size: [2, 2], activation: 'relu' } } } }, [2, 3, 4, 4, 1]],
  // The study note's stateful example, smaller: LSTM(stateful, batch_size) keeps its state from call to call.
  ['lstm_stateful', lstm({ units: 4, stateful: true, batch_input_shape: [2, 3, 2] }), [2, 3, 2], { stateful: true }],
  ['gru_stateful_sequences', gru({ units: 3, stateful: true, return_sequences: true, batch_input_shape: [2, 4, 2] }), [2, 4, 2], { stateful: true }],
  // The study note's own: LSTM(32, batch_size=32, input_shape=(6, 8), stateful=True).
  ['lstm_stateful_study_note', lstm({ units: 32, stateful: true, batch_size: 32, input_shape: [6, 8] }), [32, 6, 8], { stateful: true }],
];

// weightNames gives Keras's names of the layer's weights: the last part of
// TF.js's, under forward_<layer>/ and backward_<layer>/ for Bidirectional
// (Keras's and keraswasm's names; TF.js's carry global counters).
function weightNames(layer, config) {
  const last = layer.weights.map((w) => w.originalName.split('/').pop());
  if (config.class_name === 'TimeDistributed') config = config.config.layer; // a wrapped Bidirectional's names
  if (config.class_name !== 'Bidirectional') return last;
  const inner = snake(config.config.layer.class_name);
  return last.map((n, i) => `${i < last.length / 2 ? 'forward' : 'backward'}_${inner}/${n}`);
}

export function runCase(rng, [name, config, inShape, opts = {}]) {
  const layer = tfjsLayer(config);
  // TF.js's RNN.build alone leaves the layer unbuilt (apply builds it
  // again and fails); one call on zeros builds it, and resetStates forgets it.
  layer.apply(tf.zeros(inShape));
  if (opts.stateful) layer.resetStates();
  const names = weightNames(layer, config);
  const weights = layer.getWeights().map((w, i) => ({ name: names[i], value: t32(rng.uniform(size(w.shape), -0.5, 0.5), w.shape) }));
  layer.setWeights(weights.map((w) => w.value));
  const x = tf.variable(t32(rng.uniform(size(inShape), -2, 2), inShape), true);
  const kwargs = {};
  if (opts.mask) kwargs.mask = tf.tensor2d(opts.mask, undefined, 'bool');
  const y = layer.apply(x, kwargs);
  const out = {
    name, layer: config, x: enc(x),
    weights: weights.map((w) => ({ name: w.name, value: enc(w.value) })), y: enc(y),
  };
  if (opts.mask) out.mask = opts.mask.flat();
  if (opts.stateful) {
    out.y_next = enc(layer.apply(x, kwargs));
    layer.resetStates();
    out.y_after_reset = enc(layer.apply(x, kwargs));
    out.gradients_skipped = 'stateful: the calls are compared forward; the gradient of one batch is the gradcheck\'s';
    return out;
  }
  let r = t32(rng.uniform(size(y.shape), -1, 1), y.shape);
  if (opts.mask && config.class_name === 'Bidirectional' && config.config.layer.config.return_sequences) {
    // Keras's Bidirectional outputs zeros at masked steps (it forces
    // zero_output_for_mask); TF.js's repeats the previous output there. With
    // r zero at those steps the gradients are the same for both; the Go
    // test expects y zero there.
    const keep = tf.tensor(opts.mask.flat().map(Number), [...opts.mask.length ? [opts.mask.length, opts.mask[0].length] : [], 1]);
    r = tf.mul(r, keep);
    out.masked_outputs_zero = true;
  }
  out.r = enc(r);
  const vars = [x, ...layer.trainableWeights.map((w) => w.read())];
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, kwargs), r)), vars);
  out.dx = enc(grads[x.name]);
  out.grads = layer.trainableWeights.map((w, i) => ({ name: names[i], value: enc(grads[w.read().name]) }));
  return out;
}

export function recurrentFixtures() {
  const rng = new RNG(20261204);
  return cases.map((c) => tf.tidy(() => runCase(rng, c)));
}
