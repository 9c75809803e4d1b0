// One training run on the worker runtime: build the model from a definition, compile, fit with
// live logs, evaluate on the test set and predict it for the confusion matrix. The keras namespace
// here is loadKeras({worker: true}): the same API as on the main thread, every call a Promise.

import { parseModelDef } from './keras-def.mjs';
import { loadSplit } from './data.mjs';

// KERAS_MNIST_MLP is Keras's examples/mnist_mlp.py as written: two Dense(512, relu) layers each
// followed by Dropout(0.2), Dense(10, softmax), RMSprop with its defaults, batch_size 128, 20 epochs
// on the 60,000 training images (Keras reports 98.40% test accuracy after 20 epochs).
const KERAS_MNIST_MLP = {
  optimizer: 'rmsprop',
  lr: '',
  decay: '',
  batchSize: 128,
  samples: 60000,
  validationSplit: 0, // Keras's example validates on the test set, which the page evaluates at the end
  definition: [
    "Dense(512, activation='relu', input_shape=(784,))",
    'Dropout(0.2)',
    "Dense(512, activation='relu')",
    'Dropout(0.2)',
    "Dense(10, activation='softmax')",
  ].join('\n'),
};

/**
 * Presets are Keras-style definitions the page offers, with the settings they train well with;
 * `run=` in the URL names one. 'keras-mnist-mlp' is Keras's mnist_mlp.py exactly, 20 epochs;
 * 'keras-mnist-mlp-2' the same for 2 epochs (a tenth of the time). The others set 2 epochs on
 * 10,000 images, the page's defaults.
 * The quick MLP ('mnist-mlp') is Keras's mnist_mlp.py with one hidden layer. For the
 * one-epoch run on 4,500 images, Adam at 0.003 with Keras 2's learning-rate decay (lr / (1 + decay
 * * iterations)) and batches of 16 ends at 0.907-0.918 test accuracy over 18 seeds in native Go,
 * where Adam's default 0.001 ends at 0.894-0.913.
 */
export const PRESETS = {
  'keras-mnist-mlp-2': { ...KERAS_MNIST_MLP, epochs: 2 },
  'keras-mnist-mlp': { ...KERAS_MNIST_MLP, epochs: 20 },
  'mnist-mlp': {
    epochs: 2,
    samples: 10000,
    validationSplit: 0.1,
    optimizer: 'adam',
    lr: '0.003',
    decay: '0.02',
    batchSize: 16,
    definition: [
      "Dense(512, activation='relu', input_shape=(784,))",
      'Dropout(0.2)',
      "Dense(10, activation='softmax')",
    ].join('\n'),
  },
  // A Keras-style convnet for one epoch on the full training set: Keras's "Simple MNIST convnet"
  // (keras.io/examples/vision/mnist_convnet) with Dense(128, relu) in place of its Dropout(0.5),
  // in batches of 32 rather than 128, with Adam at 0.002 and Keras 2's decay 0.001 (the rate falls
  // to 0.002 / 2.9 over the 1,875 steps). In headless Chromium (demo/test/timing.mjs
  // 'run=mnist-convnet-1&seed=N', 65-105 s of fit on a busy 2-core machine): test accuracy 0.9888,
  // 0.9875, 0.9870 for seeds 1, 2, 3; with seed 1 the same model at Adam's defaults gave 0.9833
  // and keras.io's model itself (its Dropout, no Dense(128)) 0.9816.
  'mnist-convnet-1': {
    epochs: 1,
    samples: 60000,
    validationSplit: 0,
    optimizer: 'adam',
    lr: '0.002',
    decay: '0.001',
    batchSize: 32,
    definition: [
      "Conv2D(32, kernel_size=(3, 3), activation='relu', input_shape=(28, 28, 1))",
      'MaxPooling2D(pool_size=(2, 2))',
      "Conv2D(64, kernel_size=(3, 3), activation='relu')",
      'MaxPooling2D(pool_size=(2, 2))',
      'Flatten()',
      "Dense(128, activation='relu')",
      "Dense(10, activation='softmax')",
    ].join('\n'),
  },
  'mnist-cnn': {
    epochs: 2,
    samples: 10000,
    validationSplit: 0.1,
    optimizer: 'adam',
    lr: '',
    decay: '',
    batchSize: 32,
    definition: [
      "Conv2D(16, (3, 3), activation='relu', input_shape=(28, 28, 1))",
      'MaxPooling2D(pool_size=(2, 2))',
      "Conv2D(32, (3, 3), activation='relu')",
      'MaxPooling2D(pool_size=(2, 2))',
      'Flatten()',
      "Dense(64, activation='relu')",
      "Dense(10, activation='softmax')",
    ].join('\n'),
  },
};

/** TEST_BATCH is the batch size of the test-set evaluation and prediction. */
const TEST_BATCH = 256;

/** inputShapeOf reads the first layer's input shape and checks that it holds one MNIST image. */
export function inputShapeOf(specs) {
  const kw = specs[0].kwargs;
  let shape = kw.input_shape ?? kw.inputShape;
  if (shape === undefined && (kw.input_dim ?? kw.inputDim) !== undefined) shape = [kw.input_dim ?? kw.inputDim];
  if (shape === undefined && (kw.batch_input_shape ?? kw.batchInputShape)) shape = (kw.batch_input_shape ?? kw.batchInputShape).slice(1);
  if (!Array.isArray(shape)) shape = shape === undefined ? undefined : [shape];
  const size = shape?.reduce((a, b) => a * b, 1);
  if (size !== 784) {
    throw new Error(`The first layer (${specs[0].name}, line ${specs[0].line}) must say the input shape of an MNIST image: ` +
      `input_shape=(784,) for dense models or (28, 28, 1) for convolutions; got ${shape === undefined ? 'none' : `(${shape})`}`);
  }
  return shape;
}

/** buildLayers turns layer specs into keras.layers calls, naming the valid layers on a typo. */
export async function buildLayers(keras, specs) {
  const out = [];
  for (const s of specs) {
    const make = keras.layers[s.name];
    if (typeof make !== 'function') {
      const names = Object.keys(keras.layers).filter(k => /^[A-Z]/.test(k)).sort();
      throw new Error(`line ${s.line}: unknown layer ${s.name}; the layers are ${names.join(', ')}`);
    }
    const args = Object.keys(s.kwargs).length ? [...s.args, s.kwargs] : s.args;
    out.push(await make(...args));
  }
  return out;
}

/**
 * optimizerOf returns the optimizer name, or its Keras config dict when a learning rate or a
 * decay (Keras 2's legacy lr / (1 + decay * iterations)) is set.
 */
export function optimizerOf(name, lr, decay) {
  const config = {};
  for (const [key, v] of [['learning_rate', lr], ['decay', decay]]) {
    if (v === undefined || v === null || String(v).trim() === '') continue;
    const x = Number(v);
    if (!(x >= 0) || (key === 'learning_rate' && x === 0)) {
      throw new Error(`${key === 'decay' ? 'Decay must be a number ≥ 0' : 'Learning rate must be a positive number'}; got ${JSON.stringify(v)}`);
    }
    config[key] = x;
  }
  if (Object.keys(config).length === 0) return name;
  const cls = { sgd: 'SGD', rmsprop: 'RMSprop', adam: 'Adam', adagrad: 'Adagrad', adadelta: 'Adadelta', adamax: 'Adamax', nadam: 'Nadam' }[name] ?? name;
  return { class_name: cls, config };
}

/**
 * train runs one session; settings: {definition, optimizer, lr, decay, epochs, batchSize, samples,
 * validationSplit, seed (null: random), testSamples}; hooks: {onStatus(text), onModel(model, summary), onBegin(plan),
 * onBatch(epoch, batch, logs), onEpoch(epoch, logs), callbacks (more fit callbacks: the live charts), onEvaluate(phase, done, total) (phase 'evaluate' then
 * 'predict', done of total test batches), onTest(result)}.
 */
export async function train(keras, settings, hooks) {
  const specs = parseModelDef(settings.definition);
  const shape = inputShapeOf(specs);
  hooks.onStatus('Loading MNIST…');
  const [tr, te] = await Promise.all([loadSplit('train', settings.samples), loadSplit('test', settings.testSamples)]);
  hooks.onStatus('Building the model…');
  // One seed drives the initializers, dropout and shuffling: the same seed, the same run.
  if (settings.seed !== null && settings.seed !== undefined) await keras.utils.set_random_seed(settings.seed);
  const model = await keras.Sequential(await buildLayers(keras, specs), { name: 'mnist' });
  await model.compile({ optimizer: optimizerOf(settings.optimizer, settings.lr, settings.decay), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  hooks.onModel(model, await model.summary());
  const x = await keras.tensor(tr.x, [tr.n, ...shape]);
  const y = await keras.tensor(tr.y, [tr.n, tr.classes]);
  const nTrain = tr.n - Math.floor(tr.n * settings.validationSplit);
  const steps = Math.ceil(nTrain / settings.batchSize);
  hooks.onBegin({ epochs: settings.epochs, steps, samples: nTrain, batchSize: settings.batchSize });
  hooks.onStatus(`Training on ${nTrain} images…`);
  let epoch = 0;
  performance.mark('fit-begin'); // for timing tools (demo/test/timing.mjs)
  const history = await model.fit(x, y, {
    epochs: settings.epochs,
    batch_size: settings.batchSize,
    validation_split: settings.validationSplit,
    verbose: 0,
    callbacks: [{
      onEpochBegin: e => { epoch = e; },
      onBatchEnd: (batch, logs) => hooks.onBatch(epoch, batch, logs),
      onEpochEnd: (e, logs) => hooks.onEpoch(e, logs),
    }, ...(hooks.callbacks ?? [])],
  });
  performance.mark('fit-end');
  hooks.onStatus('Evaluating on the test set…');
  await evaluateTest(keras, model, shape, te, hooks, history);
  return { model, shape };
}

/** modelShape returns a model's input shape without the batch (a loaded model's), checked to hold one MNIST image. */
export async function modelShape(model) {
  const full = await model.input_shape;
  const shape = Array.isArray(full) ? full.slice(1) : [];
  if (shape.reduce((a, b) => a * b, 1) !== 784 || shape.some(d => d === null)) {
    throw new Error(`This model takes inputs of shape (${shape.join(', ')}), not MNIST images: expected (784,) or (28, 28, 1).`);
  }
  return shape;
}

/**
 * evaluateTest evaluates model on the test set (te, from loadSplit; or testSamples, a count, to
 * load it) and predicts it for the confusion matrix: hooks.onEvaluate(phase, done, total) as it
 * goes and hooks.onTest({loss, accuracy, labels, probs, history}) at the end. The Load buttons
 * call it on a loaded model, so a saved model's accuracy is measured exactly as after training.
 */
export async function evaluateTest(keras, model, shape, te, hooks, history = null) {
  if (typeof te !== 'object' || te === null) te = await loadSplit('test', te);
  const xt = await keras.tensor(te.x, [te.n, ...shape]);
  const yt = await keras.tensor(te.y, [te.n, te.classes]);
  // Progress through the test set: Keras's test and predict batch hooks, streamed from the worker.
  const testSteps = Math.ceil(te.n / TEST_BATCH);
  hooks.onEvaluate?.('evaluate', 0, testSteps);
  const [loss, accuracy] = await model.evaluate(xt, yt, {
    batch_size: TEST_BATCH, verbose: 0,
    callbacks: [{ on_test_batch_end: batch => hooks.onEvaluate?.('evaluate', batch + 1, testSteps) }],
  });
  const probs = await model.predict(xt, {
    batch_size: TEST_BATCH,
    callbacks: [{ on_predict_batch_end: batch => hooks.onEvaluate?.('predict', batch + 1, testSteps) }],
  });
  hooks.onTest({ loss, accuracy, labels: te.labels, probs: probs.data, history });
  return { loss, accuracy };
}
