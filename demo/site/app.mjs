// The demo page: wires the form, the worker runtime, the charts, the test results, the drawing pad
// and the examples together. URL parameters drive it for automation:
//   /?run=mnist-mlp&epochs=1&samples=5000   trains at load; the test accuracy then appears in
//   [data-testid="test-accuracy"]. Also: batch_size, optimizer, lr, decay, validation_split, seed, test_samples,
//   and worker=0 to train on the main thread rather than in a Web Worker.
// document.body.dataset.state follows the run: loading, ready, training, evaluating, done, stopped, error.

import { DrawPad } from './draw.mjs';
import { frameThrottle } from './frames.mjs';
import { renderExamples } from './examples.mjs';
import { argmaxRows, confusionMatrix, renderConfusion, renderProbs } from './views.mjs';
import { PRESETS, train } from './train.mjs';
import { readParams } from './params.mjs';
import { wireStore } from './storeui.mjs';

const $ = id => document.getElementById(id);
const page = {
  keras: null, // the worker runtime
  model: null, // the last trained model, for the drawing pad
  shape: null, // its input shape
  running: false,
  pending: null, // the model being trained, which Stop reaches
  stopped: false, // Stop was pressed during this run
};

// liveCharts returns the fit callbacks that chart loss and accuracy live: the package's own
// keras.vis.fitCallbacks (tfjs-vis's show.fitCallbacks), per batch and per epoch with validation,
// redrawn at most every LIVE_MS in an animation frame (frames.mjs).
function liveCharts(keras) {
  const charts = [['loss-chart', ['loss', 'val_loss']], ['acc-chart', ['accuracy', 'val_accuracy']]];
  return charts.map(([id, metrics]) => {
    let pending = null;
    const frame = frameThrottle(() => pending?.());
    return keras.vis.fitCallbacks($(id), metrics, { schedule: draw => { pending = draw; frame(); } });
  });
}

function setState(s) { document.body.dataset.state = s; }

function status(id, text, error = false) {
  $(id).textContent = text;
  $(id).classList.toggle('error', error);
}

// usePreset fills the definition, optimizer, learning rate, decay and batch size (and the epochs and
// training images, where the preset names them) from a preset ('custom' keeps the form).
function usePreset(name) {
  const p = PRESETS[name];
  if (!p) return;
  $('preset').value = name;
  $('model-def').value = p.definition;
  $('optimizer').value = p.optimizer;
  $('lr').value = p.lr;
  $('decay').value = p.decay;
  $('batch-size').value = String(p.batchSize);
  if (p.epochs) $('epochs').value = String(p.epochs);
  if (p.samples) $('samples').value = String(p.samples);
  if (p.validationSplit !== undefined) $('validation-split').value = String(p.validationSplit);
}

// readURL copies URL parameters into the form (after the preset they name) and returns the
// preset to run at load, if any.
// Bad parameters (params.mjs) are all shown in the page, and nothing runs.
function readURL() {
  const p = readParams(location.search, { presets: Object.keys(PRESETS), optimizers: [...$('optimizer').options].map(o => o.value) });
  if (p.errors.length) throw new Error(`URL parameters: ${p.errors.join('; ')}`);
  if (p.run) usePreset(p.run);
  for (const [id, v] of Object.entries(p.fields)) $(id).value = v;
  return p;
}

function number(id, lo, hi, integer = true) {
  const v = Number($(id).value);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new Error(`${$(id).parentElement.firstChild.textContent.trim()} must be ${integer ? 'a whole number' : 'a number'} from ${lo} to ${hi}; got ${JSON.stringify($(id).value)}`);
  }
  return v;
}

function settings(testSamples) {
  return {
    definition: $('model-def').value,
    optimizer: $('optimizer').value,
    lr: $('lr').value.trim(),
    decay: $('decay').value.trim(),
    epochs: number('epochs', 1, 100),
    batchSize: number('batch-size', 1, 4096),
    samples: number('samples', 10, 60000),
    validationSplit: number('validation-split', 0, 0.9, false),
    seed: $('seed').value.trim() === '' ? null : number('seed', 0, Number.MAX_SAFE_INTEGER),
    testSamples,
  };
}

// Progress: a bar, samples/s and ETA from the batch logs. The hooks only record; the progress line
// is drawn in an animation frame, a few times a second (frames.mjs).
function progressHooks() {
  let plan = null, t0 = 0, done = 0, at = null;
  const draw = () => {
    if (!at) return;
    const { epoch, batch } = at;
    const step = epoch * plan.steps + batch + 1, total = plan.epochs * plan.steps;
    const secs = (performance.now() - t0) / 1000, rate = done / secs;
    const eta = (plan.epochs * plan.samples - done) / rate;
    $('progress-bar').style.width = `${(100 * step / total).toFixed(1)}%`;
    $('progress-text').textContent = `epoch ${epoch + 1}/${plan.epochs} · batch ${batch + 1}/${plan.steps} · ` +
      `${Math.round(rate)} samples/s · ETA ${eta < 1 ? '<1' : Math.round(eta)} s`;
  };
  const redraw = frameThrottle(draw);
  return {
    onBegin(p) {
      plan = p; t0 = performance.now(); done = 0; at = null;
      redraw();
    },
    onBatch(epoch, batch) {
      done += Math.min(plan.batchSize, plan.samples - batch * plan.batchSize);
      at = { epoch, batch };
      redraw();
    },
    onEpoch(epoch, logs) {
      redraw();
      const now = performance.now();
      const fmt = v => (typeof v === 'number' ? v.toFixed(4) : v);
      console.info(`epoch ${epoch + 1}/${plan.epochs}: ${((now - t0) / 1000).toFixed(1)} s since fit began, ` +
        `${(now / 1000).toFixed(1)} s since the page began loading; ` +
        Object.entries(logs).map(([k, v]) => `${k} ${fmt(v)}`).join(', '));
    },
  };
}

// testHooks show the test-set evaluation: its progress in the bar, then the accuracy, the loss and
// the confusion matrix (after training, and after a model is loaded).
function testHooks() {
  return {
    onEvaluate: (phase, done, total) => {
      if (document.body.dataset.state !== 'evaluating') setState('evaluating');
      // Both passes over the test set fill one bar: evaluate (loss, accuracy), then predict (the matrix).
      const step = (phase === 'predict' ? total : 0) + done;
      $('progress-bar').style.width = `${(100 * step / (2 * total)).toFixed(1)}%`;
      $('progress-text').textContent = `${phase === 'evaluate' ? 'Evaluating on the test set' : 'Predicting the test set'}: batch ${done}/${total}`;
    },
    onTest: ({ loss, accuracy, labels, probs }) => {
      setState('evaluating');
      $('progress-text').textContent = `Evaluated and predicted ${labels.length} test images.`;
      $('test-accuracy').textContent = accuracy.toFixed(4);
      $('test-accuracy').dataset.value = String(accuracy); // every digit, for comparing runs
      $('test-loss').textContent = `(loss ${loss.toFixed(4)} on ${labels.length} test images)`;
      renderConfusion($('confusion'), confusionMatrix(labels, argmaxRows(probs, 10)));
    },
  };
}

let refreshStore = () => {};

async function onTrain(testSamples) {
  if (page.running || !page.keras) return;
  page.running = true;
  refreshStore();
  $('train').disabled = true;
  $('progress-bar').style.width = '0%';
  $('progress-text').textContent = 'Starting…';
  $('test-accuracy').textContent = '';
  $('test-loss').textContent = '';
  $('confusion').replaceChildren();
  status('train-status', '');
  setState('training');
  let model = null;
  try {
    const s = settings(testSamples);
    const result = await train(page.keras, s, {
      ...progressHooks(),
      callbacks: liveCharts(page.keras),
      onStatus: t => status('train-status', t),
      onModel: (m, summary) => {
        model = m;
        page.pending = m;
        $('stop').disabled = false;
        $('summary').textContent = summary;
      },
      ...testHooks(),
    });
    if (page.model) await page.model.dispose();
    page.model = result.model;
    page.shape = result.shape;
    status('train-status', page.stopped ? 'Stopped; the model keeps what it learned.' : 'Done.');
    status('draw-status', 'Draw a digit: the bars show the model\'s probabilities.');
    setState(page.stopped ? 'stopped' : 'done');
  } catch (err) {
    if (model) await Promise.resolve(model.dispose()).catch(() => {});
    status('train-status', String(err?.message ?? err), true);
    console.error('training failed:', err);
    setState('error');
  } finally {
    page.running = false;
    page.stopped = false;
    page.pending = null;
    $('train').disabled = false;
    $('stop').disabled = true;
    refreshStore();
  }
}

// onStop asks the fitting model to stop after its current batch, as Keras's stop_training does.
function onStop() {
  if (!page.pending) return;
  page.stopped = true;
  page.pending.stop_training = true;
  status('train-status', 'Stopping after this batch…');
}

// predicting chains predictDrawing's predictions so that one runs at a time; predictDrawing shows the
// model's probabilities for the drawn digit.
let predicting = Promise.resolve();
function predictDrawing(pixels) {
  if (!pixels || !page.model || page.running) {
    renderProbs($('probs'), null);
    return;
  }
  predicting = predicting.then(async () => {
    const x = await page.keras.tensor(pixels, [1, ...page.shape]);
    const y = await page.model.predict(x);
    const probs = Array.from(y.data);
    renderProbs($('probs'), probs);
    const best = probs.indexOf(Math.max(...probs));
    status('draw-status', `The model reads a ${best} (p = ${probs[best].toFixed(3)}).`);
  }).catch(err => {
    status('draw-status', String(err?.message ?? err), true);
    console.error('predict failed:', err);
  });
}

// importKeras loads the keraswasm package, saying what to do when the runtime is not built.
async function importKeras() {
  try {
    return await import('/keraswasm/keras.mjs');
  } catch (err) {
    throw new Error(`The keraswasm package did not load (${err.message}); build the runtime with \`make wasm\` and reload.`);
  }
}

let mainKeras = null;
function mainThreadKeras() {
  mainKeras ??= importKeras().then(m => m.loadKeras());
  return mainKeras;
}

async function main() {
  setState('loading');
  usePreset('mnist-mlp');
  $('preset').addEventListener('change', () => usePreset($('preset').value));
  $('model-def').addEventListener('input', () => { $('preset').value = 'custom'; });
  renderProbs($('probs'), null);
  const pad = new DrawPad($('pad'), $('pad-small'), predictDrawing);
  $('clear').addEventListener('click', () => pad.clear());
  const { run, testSamples, worker } = readURL();
  $('train').addEventListener('click', () => onTrain(testSamples));
  $('stop').addEventListener('click', onStop);
  const examples = renderExamples($('examples'), mainThreadKeras);
  const t0 = performance.now();
  // worker=0 trains on the main thread instead, where fit yields to the event loop between batches.
  page.keras = worker ? await (await importKeras()).loadKeras({ worker: true }) : await mainThreadKeras();
  status('runtime-status', `Runtime ready ${worker ? 'in a Web Worker' : 'on the main thread'} (${Math.round(performance.now() - t0)} ms).`);
  $('train').disabled = false;
  refreshStore = wireStore({ page, main: mainThreadKeras, local: !worker, testSamples, testHooks, setState });
  setState('ready');
  await examples;
  if (run) await onTrain(testSamples);
}

main().catch(err => {
  status('runtime-status', String(err?.message ?? err), true);
  console.error(err);
  setState('error');
});
