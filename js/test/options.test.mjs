// Keras's options as JS passes them: the Go core (sequential's options
// readers) reads every one, so weighted_metrics, predict's verbose and the
// unknown-argument answers behave here as in Keras and in the Go tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load, lcg, randomArray, assertThrowsMessage, assertRejectsMessage } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

function model() {
  keras.utils.set_random_seed(5);
  return keras.Sequential([L.Dense(4, { activation: 'relu', input_dim: 3 }), L.Dense(1, { activation: 'sigmoid' })]);
}

const g = lcg(11);
const x = randomArray(g, 12, 3);
const y = x.map((r) => [r[0] > 0.5 ? 1 : 0]);
const w = x.map((_, i) => [0, 1, 2.5, 0.5][i % 4]);

// Keras's MeanMetricWrapper with sample_weight: sum(w·m)/sum(w); the
// unweighted metric: mean(m).
function means(values) {
  const sw = w.reduce((a, b) => a + b, 0);
  return {
    plain: values.reduce((a, b) => a + b, 0) / values.length,
    weighted: values.reduce((a, v, i) => a + w[i] * v, 0) / sw,
  };
}

test('weighted_metrics (names and JS functions) are weighted by sample_weight; a clashing name gets weighted_', () => {
  const m = model();
  function pred(y_true, y_pred) { return y_pred; }
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'], weighted_metrics: ['mae', pred] });
  assert.deepEqual(m.metrics_names, ['loss', 'mae', 'weighted_mae', 'pred']);
  const p = Array.from(m.predict(x).data);
  const [, mae, wMae, wPred] = m.evaluate(x, y, { sample_weight: w, verbose: 0 });
  const abs = means(p.map((v, i) => Math.abs(y[i][0] - v)));
  assert.ok(Math.abs(mae - abs.plain) < 1e-6, `mae ${mae} vs ${abs.plain}`);
  assert.ok(Math.abs(wMae - abs.weighted) < 1e-6, `weighted_mae ${wMae} vs ${abs.weighted}`);
  assert.ok(Math.abs(wPred - means(p).weighted) < 1e-6, `pred ${wPred} vs ${means(p).weighted}`);
  assert.notEqual(mae, wMae);

  const camel = model();
  camel.compile({ optimizer: 'sgd', loss: 'mse', weightedMetrics: ['accuracy'] });
  assert.deepEqual(camel.metrics_names, ['loss', 'accuracy'], 'no clash: the weighted metric keeps its name');
  m.dispose(); camel.dispose();
});

test('weighted_metrics through fit log per epoch under their names', async () => {
  const m = model();
  m.compile('sgd', 'binary_crossentropy', ['accuracy'], { weighted_metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 2, sample_weight: w, verbose: 0, validation_data: [x, y, w] });
  assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss', 'val_weighted_accuracy', 'weighted_accuracy']);
  m.dispose();
});

test('predict: verbose 1 prints the progress bar through console.log; the default (Keras 2: 0) prints nothing', () => {
  const m = model();
  const lines = [];
  const orig = console.log;
  console.log = (s) => lines.push(String(s));
  try {
    m.predict(x);
    assert.deepEqual(lines, [], 'silent by default');
    m.predict(x, { verbose: 1, batch_size: 4 });
    assert.match(lines.at(-1), /^12\/12 \[={30}\] - \d+s \d+(u|m)?s\/step$/, lines.join('\n'));
    lines.length = 0;
    m.predict(x, { verbose: 0 });
    assert.deepEqual(lines, []);
  } finally {
    console.log = orig;
  }
  assertThrowsMessage(() => m.predict(x, { verbose: 3 }), 'predict:', 'verbose');
  m.dispose();
});

test('an unknown option names the nearest one and lists only what the call takes', async () => {
  const m = model();
  let err = assertThrowsMessage(() => m.compile({ optimizer: 'sgd', loss: 'mse', weighted_metric: ['mae'] }),
    'unknown argument "weighted_metric" (did you mean "weighted_metrics"?)',
    'compile takes: jit_compile, loss, metrics, optimizer, run_eagerly, steps_per_execution, weighted_metrics');
  assert.ok(!err.message.includes('loss_weights'), err.message);
  m.compile('sgd', 'mse');
  err = await assertRejectsMessage(m.fit(x, y, { epocs: 2, verbose: 0 }),
    'unknown argument "epocs" (did you mean "epochs"?)', 'fit takes: batch_size, callbacks, class_weight, epochs');
  for (const refused of ['workers', 'use_multiprocessing', 'max_queue_size']) assert.ok(!err.message.includes(refused), err.message);
  assertThrowsMessage(() => m.predict(x, { batchsize: 4 }), 'predict takes: batch_size, callbacks, steps, verbose');
  assertThrowsMessage(() => m.evaluate(x, y, { workers: 2 }), 'workers', 'Python generators');
  m.dispose();
});
