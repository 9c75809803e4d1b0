// keras.vis: the charts a TF.js user gets from tfjs-vis (show.history,
// show.fitCallbacks, render.confusionMatrix, show.modelSummary), with no
// dependency outside this package. Each helper writes SVG (or a table) into
// a container: any element, or any object with an innerHTML property (so it
// runs in Node and in a Web Worker too, where the caller moves the text).
// The drawing itself is vis_svg.mjs.
//
// Porting note: tfjs-vis draws into a "surface" of its visor and needs the
// metrics listed; here the container is a plain element, metrics default to
// every metric of the history, and 'acc' and 'accuracy' name the same logs
// (Keras 2 logs whichever the user compiled with).

import { ValueError } from './errors.mjs';
import { describe } from './tensor.mjs';
import { PALETTE, confusionCounts, confusionSVG, lineChartSVG, summaryHTML } from './vis_svg.mjs';

export { confusionCounts, lineChartSVG, confusionSVG, summaryHTML, ticks, scale, columnMeans } from './vis_svg.mjs';

// checkContainer returns the container, or throws a TypeError saying what it must be.
function checkContainer(where, c) {
  if (c && typeof c === 'object' && 'innerHTML' in c) return c;
  throw new TypeError(`vis.${where}: container must be an element (or an object with innerHTML); received ${describe(c)}`);
}

// widthOf is the container's drawn width, when it has one.
function widthOf(c, opts) {
  return opts.width ?? (c.clientWidth > 0 ? c.clientWidth : 520);
}

// logValue reads metric m from logs, with Keras 2's acc/accuracy spellings as one.
function logValue(logs, m) {
  if (!logs) return undefined;
  if (m in logs) return logs[m];
  const alt = m.replace(/(^|_)acc$/, '$1accuracy');
  if (alt !== m && alt in logs) return logs[alt];
  const back = m.replace(/(^|_)accuracy$/, '$1acc');
  return back !== m ? logs[back] : undefined;
}

// baseMetrics groups metric names into charts: 'loss' and 'val_loss' share the chart 'loss'.
function baseMetrics(names) {
  const out = [];
  for (const n of names) {
    const b = n.startsWith('val_') ? n.slice(4) : n;
    if (!out.includes(b)) out.push(b);
  }
  return out;
}

// chartsHTML wraps one SVG per metric in a figure with its caption.
function chartsHTML(charts) {
  return charts.map(({ name, svg }) => `<figure class="keras-vis-figure" data-metric="${name}">${svg}<figcaption>${name}</figcaption></figure>`).join('');
}

/**
 * historyDict reads a Keras History ({history: {loss: [...]}}), its dict, or
 * TF.js's list of epoch logs into {metric: number[]}.
 */
export function historyDict(h) {
  if (Array.isArray(h)) {
    const d = {};
    h.forEach((logs, e) => { for (const [k, v] of Object.entries(logs ?? {})) (d[k] ??= [])[e] = v; });
    return d;
  }
  const d = h && typeof h === 'object' && h.history && typeof h.history === 'object' ? h.history : h;
  if (!d || typeof d !== 'object') throw new TypeError(`vis.history: history must be a History, its history dict or a list of epoch logs; received ${describe(h)}`);
  return d;
}

/**
 * history draws a History: one chart per metric, with its val_ twin, by
 * epoch (1, 2, ...). metrics: names to draw (default every metric in it);
 * opts: {width, height}. Returns the charts' SVG text.
 */
export function history(container, h, metrics, opts = {}) {
  checkContainer('history', container);
  if (metrics && !Array.isArray(metrics) && typeof metrics === 'object') [metrics, opts] = [metrics.metrics, metrics];
  const d = historyDict(h);
  const names = metrics ?? Object.keys(d);
  for (const n of names) {
    if (logValue(d, n) === undefined) {
      throw new ValueError(`vis.history: the history has no metric ${JSON.stringify(n)}; it has ${Object.keys(d).join(', ') || 'none'}`);
    }
  }
  const width = widthOf(container, opts);
  const charts = baseMetrics(names).map((b) => {
    const series = [b, `val_${b}`].filter((n) => names.includes(n) || (metrics === undefined && logValue(d, n) !== undefined))
      .map((n, k) => {
        const ys = Array.from(logValue(d, n) ?? []);
        return { name: n, x: ys.map((_, e) => e + 1), y: ys, color: PALETTE[k + 1], dash: k ? [5, 3] : undefined, dots: true, width: 2 };
      });
    return { name: b, svg: lineChartSVG(series, { width, height: opts.height, xLabel: 'epoch', title: b }) };
  });
  const html = chartsHTML(charts);
  container.innerHTML = html;
  return html;
}

/**
 * fitCallbacks returns callbacks for model.fit that chart metrics live: one
 * chart per metric (default ['loss', 'acc']) with the batch values, the
 * epoch values and the validation values, the x axis in epochs. It works the
 * same on the main thread and in worker mode (the hooks run on the page).
 * opts: {callbacks: which hooks draw (default ['onBatchEnd', 'onEpochEnd']),
 * width, height, yDomain, schedule(draw): when to redraw (default the next
 * animation frame where there is one, else at once)}.
 */
export function fitCallbacks(container, metrics = ['loss', 'acc'], opts = {}) {
  checkContainer('fitCallbacks', container);
  if (!Array.isArray(metrics) || metrics.some((m) => typeof m !== 'string')) {
    throw new TypeError(`vis.fitCallbacks: metrics must be a list of names such as ['loss', 'acc']; received ${describe(metrics)}`);
  }
  const hooks = opts.callbacks ?? ['onBatchEnd', 'onEpochEnd'];
  for (const k of hooks) {
    if (k !== 'onBatchEnd' && k !== 'onEpochEnd') throw new ValueError(`vis.fitCallbacks: callbacks may name onBatchEnd and onEpochEnd; received ${JSON.stringify(k)}`);
  }
  const bases = baseMetrics(metrics);
  const data = new Map(bases.map((b) => [b, { batch: { x: [], y: [] }, epoch: { x: [], y: [] }, val: { x: [], y: [] } }]));
  let steps = 0, seen = 0, epoch = 0, epochs = 1, pending = false;
  const schedule = opts.schedule ?? (typeof requestAnimationFrame === 'function' ? (f) => requestAnimationFrame(f) : (f) => f());
  const draw = () => {
    pending = false;
    const width = widthOf(container, opts);
    container.innerHTML = chartsHTML(bases.map((b) => {
      const s = data.get(b);
      const series = [];
      if (hooks.includes('onBatchEnd')) series.push({ name: `${b} (batch)`, ...s.batch, color: PALETTE[0], width: 1, bin: true });
      if (hooks.includes('onEpochEnd')) {
        if (metrics.includes(b)) series.push({ name: b, ...s.epoch, color: PALETTE[1], width: 2, dots: true });
        if (metrics.includes(`val_${b}`) || !metrics.includes(b)) series.push({ name: `val_${b}`, ...s.val, color: PALETTE[2], width: 2, dash: [5, 3], dots: true });
      }
      return { name: b, svg: lineChartSVG(series, { width, height: opts.height, xLabel: 'epoch', xDomain: [0, Math.max(epochs, epoch + 1)], yDomain: opts.yDomain, title: b }) };
    }));
  };
  const redraw = () => { if (!pending) { pending = true; schedule(draw); } };
  const cb = {
    setParams(params) { steps = params?.steps ?? 0; epochs = params?.epochs ?? 1; },
    onTrainBegin() { for (const s of data.values()) for (const p of Object.values(s)) { p.x.length = 0; p.y.length = 0; } seen = 0; redraw(); },
    onEpochBegin(e) { epoch = e; seen = 0; },
    onTrainEnd() { draw(); },
  };
  if (hooks.includes('onBatchEnd')) {
    cb.onBatchEnd = (batch, logs) => {
      seen = batch + 1;
      const x = epoch + (steps > 0 ? seen / steps : 0);
      for (const b of bases) {
        const v = logValue(logs, b);
        if (Number.isFinite(v)) { data.get(b).batch.x.push(x); data.get(b).batch.y.push(v); }
      }
      redraw();
    };
  }
  if (hooks.includes('onEpochEnd')) {
    cb.onEpochEnd = (e, logs) => {
      for (const b of bases) {
        const s = data.get(b);
        for (const [key, name] of [['epoch', b], ['val', `val_${b}`]]) {
          const v = logValue(logs, name);
          if (Number.isFinite(v)) { s[key].x.push(e + 1); s[key].y.push(v); }
        }
      }
      redraw();
    };
  }
  draw();
  return cb;
}

/**
 * confusionMatrix draws a confusion matrix: data is {labels, predictions}
 * (class indices, or rows of scores read by argmax), a k×k matrix of counts,
 * or tfjs-vis's {values, tickLabels}. opts: {numClasses, tickLabels, width}.
 * Returns the matrix (rows: true class, columns: predicted).
 */
export function confusionMatrix(container, data, opts = {}) {
  checkContainer('confusionMatrix', container);
  let m;
  if (Array.isArray(data)) m = data;
  else if (data && Array.isArray(data.values)) { m = data.values; opts = { tickLabels: data.tickLabels, ...opts }; }
  else if (data && 'labels' in data && 'predictions' in data) m = confusionCounts(data.labels, data.predictions, opts.numClasses);
  else throw new TypeError(`vis.confusionMatrix: data must be {labels, predictions}, {values} or a square matrix of counts; received ${describe(data)}`);
  if (!m.every((r) => Array.isArray(r) && r.length === m.length && r.every(Number.isFinite))) {
    throw new ValueError(`vis.confusionMatrix: the matrix must be square (k rows of k counts); received ${m.length} rows of lengths ${m.map((r) => r?.length).join(', ')}`);
  }
  if (opts.tickLabels && opts.tickLabels.length !== m.length) {
    throw new ValueError(`vis.confusionMatrix: tickLabels has ${opts.tickLabels.length} names for ${m.length} classes; give one per class`);
  }
  container.innerHTML = confusionSVG(m, { tickLabels: opts.tickLabels, width: widthOf(container, opts) });
  return m;
}

/**
 * summaryRows reads a model's layers as summary rows {name, class_name,
 * output_shape, params, trainable} (awaiting them in worker mode) and the totals.
 */
export async function summaryRows(model) {
  const layers = await model?.layers;
  if (!Array.isArray(layers)) throw new TypeError(`vis.summary: model must be a keras model; received ${describe(model)}`);
  const rows = [];
  let total = 0, trainable = 0;
  for (const l of layers) {
    const sizes = (ws) => ws.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    const params = await l.count_params();
    const tp = sizes(await l.trainable_weights);
    rows.push({ name: l.name, class_name: l.class_name, output_shape: l.output_shape, params });
    total += params; trainable += tp;
  }
  return { rows, totals: { total, trainable } };
}

/** summary draws the model's layers as a table (name, output shape, parameters) with Keras's totals. */
export async function summary(container, model) {
  checkContainer('summary', container);
  const { rows, totals } = await summaryRows(model);
  const html = summaryHTML(rows, totals);
  container.innerHTML = html;
  return html;
}
