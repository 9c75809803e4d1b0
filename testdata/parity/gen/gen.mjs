// gen.mjs writes the TF.js reference fixtures under testdata/parity/.
// Run by hand (make parity-fixtures) and commit its output; the Go tests
// read the JSON and never need Node.
import * as tf from '@tensorflow/tfjs';
import { write } from './lib.mjs';
import { layerFixtures } from './layers.mjs';
import { activationFixtures, lossFixtures } from './funcs.mjs';
import { excludedOptimizers, optimizerFixtures } from './optim.mjs';
import { trainingFixtures } from './training.mjs';
import { metricFixtures } from './metrics.mjs';
import { recurrentFixtures } from './recurrent.mjs';
import { tdRecurrentFixtures, tdTrainingFixtures } from './td_recurrent.mjs';

await tf.setBackend('cpu');

// node gen.mjs [name ...] writes only the named fixtures (e.g. recurrent_td
// training_td); with no names, all of them.
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

if (want('layers')) write('layers', 'Layer forward y = layer(x, training=false) and the gradients of L = sum(y*r) ' +
  'with respect to x (dx) and each trainable weight (grads, in get_weights order), by TF.js layers ' +
  'and tf.variableGrads. Weights set with setWeights; inputs from a seeded mulberry32 generator. ' +
  'Cases with training: true use layer(x, training=true) instead, and weights_after holds the weights after that call.',
{ cases: layerFixtures() });

if (want('recurrent')) write('recurrent', 'Recurrent layers and wrappers (SimpleRNN, LSTM, GRU with reset_after=False, Bidirectional, ' +
  'TimeDistributed): forward y = layer(x) and the gradients of L = sum(y*r) with respect to x (dx) and each ' +
  'trainable weight (grads, in get_weights order), by TF.js layers and tf.variableGrads. Keras\'s ' +
  'recurrent_activation="sigmoid" is given explicitly (TF.js defaults to hard_sigmoid). mask (row-major ' +
  'batch x steps, true for a real step) was passed to the call. Stateful cases: y_next is a second call on the same ' +
  'x (starting from the first call\'s states), y_after_reset a call after resetStates. Weight names are Keras\'s ' +
  '(forward_<layer>/ and backward_<layer>/ in Bidirectional). Not here: GRU reset_after=True (TF.js 4.22 throws).',
{ cases: recurrentFixtures() });

if (want('activations')) write('activations', 'Activation y = f(x) and dx = gradient of sum(f(x)*r), by the TF.js function named ' +
  'in each case ("tfjs"). hard_sigmoid is Keras 2\'s 0.2x+0.5 in TF.js; gelu is the exact erf form ' +
  '(Keras approximate=False). Not covered: hard_silu (Keras 3 only), elu with alpha != 1.',
{ cases: activationFixtures() });

if (want('losses')) write('losses', 'Per-sample loss (Keras\'s loss function, reduced over the last axis) and d_pred = ' +
  'gradient of the sum of per-sample losses with respect to y_pred, by the TF.js function in each case. ' +
  'Excluded: hinge/squared_hinge with {0,1} labels (TF.js does not convert them to {-1,1} as Keras does); ' +
  'kl_divergence with y_true below 1e-7 (TF.js multiplies by the unclipped y_true, Keras by the clipped one).',
{ cases: lossFixtures() });

if (want('optimizers')) write('optimizers', `${5} steps of each optimizer on two weights (shapes (3,2) and (4,)) with fixed seeded ` +
  'gradients given per step (applyGradients); weights after each step. Only optimizers whose TF.js update ' +
  'equals Keras\'s are here; "excluded" says why the others are not.',
{ excluded: excludedOptimizers, cases: optimizerFixtures() });

if (want('metrics')) write('metrics', 'Each case updates a Keras metric with two batches; value is TF.js\'s metric function over ' +
  'both batches together (the mean of its per-sample values, or for precision/recall its ratio of pooled counts). ' +
  'Not covered: TF.js\'s cosineProximity metric is the loss (negative), Keras 2\'s cosine_similarity metric is positive; ' +
  'TF.js precision/recall count only predictions equal to 1, so only 0/1 predictions are compared.',
{ cases: metricFixtures() });

if (want('training')) write('training', 'Small Sequential models trained by TF.js model.fit (shuffle false, verbose 0) from seeded ' +
  'weights set with setWeights. steps[k].loss is the batch loss TF.js reports in onBatchEnd (the mean loss of ' +
  'that batch before its update; Keras logs a running mean instead); steps[k].weights are all weights after ' +
  'the step, in get_weights order; epoch_loss is the mean over the epoch\'s batches. TF.js computes the ' +
  'crossentropy on the softmax output (clipped at 1e-7), not on logits. Losses include the weights\' ' +
  'regularization penalties, as in Keras. The sparse case gives TF.js one-hot targets (categorical ' +
  'crossentropy from logits and categorical accuracy), the same numbers as Keras\'s sparse forms on the labels stored. Metrics are logged under their Keras names (TF.js says acc). ' +
  'evaluate.loss is Keras\'s evaluate loss: TF.js\'s (tfjs_loss, which leaves the penalties out) plus ' +
  'the penalties on the final weights computed by TF.js\'s regularizers.',
{ cases: await trainingFixtures() });

if (want('recurrent_td')) write('recurrent_td', 'TimeDistributed over recurrent layers (SimpleRNN, LSTM, GRU with reset_after=False, ' +
  'Bidirectional) on (batch, outer, timesteps, features) inputs: forward y = layer(x) and the gradients of L = sum(y*r) ' +
  'with respect to x (dx) and each trainable weight, by TF.js layers and tf.variableGrads, in recurrent.json\'s layout. ' +
  'recurrent_activation="sigmoid" is given explicitly (TF.js defaults to hard_sigmoid).',
{ cases: tdRecurrentFixtures() });

if (want('training_td')) write('training_td', 'Sequential models with TimeDistributed(LSTM/GRU/SimpleRNN) trained by TF.js model.fit, ' +
  'in training.json\'s layout (shuffle false, verbose 0, seeded weights set with setWeights; steps[k].loss is the batch\'s own loss ' +
  'from onBatchEnd; weights in Keras\'s layer-by-layer order).',
{ cases: await tdTrainingFixtures() });
