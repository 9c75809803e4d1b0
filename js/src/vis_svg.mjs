// The pure half of keras.vis: scales, round ticks, confusion counts and the
// SVG text of a line chart, a confusion matrix and a summary table. Nothing
// here touches the DOM, so Node tests it directly; vis.mjs puts the strings
// into containers. The SVG uses presentation attributes only (fill, stroke),
// never style attributes or <style>, so a page whose Content-Security-Policy
// forbids inline styles shows it as drawn.

import { ValueError } from './errors.mjs';

/** PALETTE colours series in order: train per batch, train per epoch, validation, then others. */
export const PALETTE = ['#9fb3c8', '#1f5fa8', '#d97706', '#15803d', '#7c3aed', '#b91c1c'];

/** scale maps [d0, d1] linearly onto [r0, r1]; a zero-width domain maps to the range's middle. */
export function scale(d0, d1, r0, r1) {
  if (!(d1 !== d0)) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** ticks returns about n round values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function ticks(lo, hi, n = 5) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / Math.max(1, n), mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw);
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** formatTick prints a tick value short: 0, 0.05, 1.5, 120. */
export function formatTick(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? String(+v.toFixed(2)) : String(+v.toPrecision(2));
}

/** escapeXML makes text safe inside SVG and HTML text and attribute values. */
export function escapeXML(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * columnMeans reduces points xs, ys (x increasing) to one point per pixel
 * column of toX: the mean x and y of the points in it. An epoch of MNIST at
 * batch 16 is 3,375 batch points on a few hundred columns; the path then has
 * the same size whatever the epoch count.
 */
export function columnMeans(xs, ys, toX) {
  const ox = [], oy = [];
  let col = NaN, sx = 0, sy = 0, n = 0;
  for (let i = 0; i < xs.length; i++) {
    const c = Math.floor(toX(xs[i]));
    if (c !== col && n > 0) { ox.push(sx / n); oy.push(sy / n); sx = 0; sy = 0; n = 0; }
    col = c; sx += xs[i]; sy += ys[i]; n++;
  }
  if (n > 0) { ox.push(sx / n); oy.push(sy / n); }
  return [ox, oy];
}

const num = (v) => String(Math.round(v * 10) / 10);

/**
 * lineChartSVG draws series [{name, x: number[], y: number[], color?, width?,
 * dash?, dots?, bin?}] as one SVG. opts: width (px, default 520), height
 * (default width * 0.42), xLabel, yLabel, xDomain [lo, hi], yDomain [lo, hi]
 * or a function (lo, hi) => [lo, hi] of the data's extent, zeroBased (the
 * y axis starts at 0 when the data are positive; default true). Non-finite
 * y values are skipped. A series with bin draws one mean point per pixel
 * column. The legend names each series below the plot.
 */
export function lineChartSVG(series, opts = {}) {
  const w = Math.max(160, Math.round(opts.width ?? 520));
  const h = Math.max(100, Math.round(opts.height ?? w * 0.42));
  const pad = { l: 46, r: 10, t: 10, b: 38 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  let xlo = Infinity, xhi = -Infinity, ylo = Infinity, yhi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.x.length; i++) {
      if (!Number.isFinite(s.y[i])) continue;
      xlo = Math.min(xlo, s.x[i]); xhi = Math.max(xhi, s.x[i]);
      ylo = Math.min(ylo, s.y[i]); yhi = Math.max(yhi, s.y[i]);
    }
  }
  if (!Number.isFinite(ylo)) { xlo = 0; xhi = 1; ylo = 0; yhi = 1; }
  let [x0, x1] = opts.xDomain ?? [Math.min(0, xlo), xhi];
  if (!(x1 > x0)) x1 = x0 + 1;
  let [y0, y1] = typeof opts.yDomain === 'function' ? opts.yDomain(ylo, yhi)
    : opts.yDomain ?? [(opts.zeroBased ?? true) && ylo >= 0 ? 0 : ylo, yhi];
  if (!(y1 - y0 > 1e-12)) y1 = y0 + (Math.abs(y0) || 1);
  const X = scale(x0, x1, pad.l, pad.l + pw), Y = scale(y0, y1, pad.t + ph, pad.t);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" class="keras-vis-chart" viewBox="0 0 ${w} ${h}" width="100%" role="img"` +
    ` font-family="system-ui, sans-serif" font-size="11">`];
  if (opts.title) out.push(`<title>${escapeXML(opts.title)}</title>`);
  for (const v of ticks(y0, y1, 5)) {
    const y = num(Y(v));
    out.push(`<line x1="${pad.l}" x2="${pad.l + pw}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${pad.l - 5}" y="${y}" text-anchor="end" dominant-baseline="middle" fill="#5c6773">${formatTick(v)}</text>`);
  }
  for (const v of ticks(x0, x1, Math.min(10, Math.max(2, Math.round(pw / 60))))) {
    const x = num(X(v));
    out.push(`<line x1="${x}" x2="${x}" y1="${pad.t}" y2="${pad.t + ph}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${pad.t + ph + 13}" text-anchor="middle" fill="#5c6773">${formatTick(v)}</text>`);
  }
  out.push(`<rect x="${pad.l}" y="${pad.t}" width="${pw}" height="${ph}" fill="none" stroke="#9ca3af"/>`);
  if (opts.yLabel) out.push(`<text x="4" y="${pad.t + 2}" dominant-baseline="hanging" fill="#5c6773" transform="rotate(-90 4 ${pad.t + 2})" text-anchor="end">${escapeXML(opts.yLabel)}</text>`);
  let lx = pad.l;
  const ly = h - 6;
  if (opts.xLabel) {
    out.push(`<text x="${pad.l + pw}" y="${ly}" text-anchor="end" fill="#5c6773">${escapeXML(opts.xLabel)}</text>`);
  }
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length];
    let xs = [], ys = [];
    for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.y[i])) { xs.push(s.x[i]); ys.push(s.y[i]); }
    if (s.bin) [xs, ys] = columnMeans(xs, ys, X);
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : '';
    const sw = s.width ?? 1.5;
    if (xs.length > 1) {
      const d = xs.map((x, i) => `${i ? 'L' : 'M'}${num(X(x))} ${num(Y(ys[i]))}`).join('');
      out.push(`<path class="series" data-series="${escapeXML(s.name)}" d="${d}" fill="none" stroke="${color}" stroke-width="${sw}"${dash}/>`);
    }
    if (s.dots || xs.length === 1) {
      for (let i = 0; i < xs.length; i++) out.push(`<circle cx="${num(X(xs[i]))}" cy="${num(Y(ys[i]))}" r="3" fill="${color}"/>`);
    }
    out.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="3"${dash}/>`,
      `<text x="${lx + 20}" y="${ly}" fill="#5c6773">${escapeXML(s.name)}</text>`);
    lx += 28 + 6.2 * String(s.name).length;
  });
  out.push('</svg>');
  return out.join('');
}

/**
 * confusionCounts counts m[true][predicted] over n samples. labels and
 * predictions are class indices (arrays or typed arrays), or rows of
 * scores (one-hot labels, predicted probabilities: n×k nested arrays or
 * {data, shape: [n, k]}), which are read by their largest entry (argmax).
 * numClasses defaults to one more than the largest class seen.
 */
export function confusionCounts(labels, predictions, numClasses) {
  const t = classIndices(labels, 'labels'), p = classIndices(predictions, 'predictions');
  if (t.length !== p.length) {
    throw new ValueError(`confusionMatrix: labels and predictions must have the same length; received ${t.length} labels and ${p.length} predictions`);
  }
  let k = numClasses;
  if (k === undefined || k === null) k = Math.max(t.width, p.width, 1 + Math.max(-1, ...t.idx, ...p.idx));
  if (!Number.isInteger(k) || k < 1) throw new ValueError(`confusionMatrix: numClasses must be a positive integer; received ${k}`);
  const m = Array.from({ length: k }, () => new Array(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    const a = t.idx[i], b = p.idx[i];
    if (a >= k || b >= k) {
      throw new ValueError(`confusionMatrix: class ${Math.max(a, b)} at sample ${i} is out of range for numClasses=${k}; raise numClasses or check the data`);
    }
    m[a][b]++;
  }
  return m;
}

// classIndices reads class indices from indices or from rows of scores (argmax); width is the row length (0 for indices).
function classIndices(v, what) {
  let data, shape;
  if (v && typeof v === 'object' && 'shape' in v && 'data' in v) { data = v.data; shape = v.shape; }
  else if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) { shape = [v.length, v[0].length]; data = v.flat(); }
  else if (Array.isArray(v) || ArrayBuffer.isView(v)) { data = v; shape = [v.length]; }
  else throw new TypeError(`confusionMatrix: ${what} must be class indices or rows of scores (an array, typed array or tensor); received ${typeof v}`);
  if (shape.length === 2 && shape[1] === 1) shape = [shape[0]];
  if (shape.length > 2) throw new ValueError(`confusionMatrix: ${what} must be 1-D indices or 2-D (samples, classes) scores; received shape [${shape}]`);
  const n = shape[0], k = shape.length === 2 ? shape[1] : 0;
  const idx = new Array(n);
  for (let i = 0; i < n; i++) {
    if (k === 0) {
      const c = Number(data[i]);
      if (!Number.isInteger(c) || c < 0) throw new ValueError(`confusionMatrix: ${what}[${i}] is ${data[i]}; class indices must be non-negative integers`);
      idx[i] = c;
      continue;
    }
    let best = 0;
    for (let j = 1; j < k; j++) if (data[i * k + j] > data[i * k + best]) best = j;
    idx[i] = best;
  }
  return { idx, length: n, width: k };
}

/**
 * confusionSVG draws matrix m (rows: true class, columns: predicted) as a
 * grid of counts; a diagonal cell is green by its share of the row, an
 * off-diagonal one red. opts: tickLabels, width (px).
 */
export function confusionSVG(m, opts = {}) {
  const k = m.length;
  const labels = opts.tickLabels ?? m.map((_, i) => String(i));
  const cell = Math.max(14, Math.min(40, Math.floor(((opts.width ?? 440) - 40) / Math.max(1, k))));
  const off = 40, w = off + k * cell + 4, h = off + k * cell + 20;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" class="keras-vis-confusion" viewBox="0 0 ${w} ${h}" width="100%" role="img"` +
    ` font-family="system-ui, sans-serif" font-size="${Math.min(11, Math.round(cell / 2.8))}">`];
  out.push(`<title>Confusion matrix: rows are the true class, columns the predicted class</title>`);
  out.push(`<text x="${off}" y="11" fill="#5c6773">predicted →</text>`,
    `<text x="2" y="${off - 4}" fill="#5c6773">true ↓</text>`);
  for (let j = 0; j < k; j++) {
    out.push(`<text x="${off + j * cell + cell / 2}" y="${off - 6}" text-anchor="middle" fill="#5c6773">${escapeXML(labels[j])}</text>`,
      `<text x="${off - 6}" y="${off + j * cell + cell / 2}" text-anchor="end" dominant-baseline="middle" fill="#5c6773">${escapeXML(labels[j])}</text>`);
  }
  m.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((v, j) => {
      const share = v / total;
      const fill = i === j ? `rgba(21,128,61,${(0.15 + 0.6 * share).toFixed(3)})`
        : share > 0 ? `rgba(208,0,0,${Math.min(0.7, 0.1 + 4 * share).toFixed(3)})` : '#fff';
      const x = off + j * cell, y = off + i * cell;
      out.push(`<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#eef0f2"/>`,
        `<text class="cell" data-row="${i}" data-col="${j}" x="${x + cell / 2}" y="${y + cell / 2}" text-anchor="middle" dominant-baseline="middle" fill="#1d232b">${v}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('');
}

/** summaryHTML renders summary rows [{name, class_name, output_shape, params}] and the totals as an HTML table. */
export function summaryHTML(rows, totals) {
  const shape = (s) => (Array.isArray(s) ? `(${s.map((d) => (d === null ? 'None' : d)).join(', ')}${s.length === 1 ? ',' : ''})` : String(s ?? '?'));
  const body = rows.map((r) => `<tr><td>${escapeXML(r.name)} (${escapeXML(r.class_name)})</td><td>${escapeXML(shape(r.output_shape))}</td>` +
    `<td>${r.params.toLocaleString('en-US')}</td></tr>`).join('');
  const foot = `<tr><td colspan="3">Total params: ${totals.total.toLocaleString('en-US')} · Trainable params: ${totals.trainable.toLocaleString('en-US')}` +
    ` · Non-trainable params: ${(totals.total - totals.trainable).toLocaleString('en-US')}</td></tr>`;
  return `<table class="keras-vis-summary"><thead><tr><th>Layer (type)</th><th>Output Shape</th><th>Param #</th></tr></thead>` +
    `<tbody>${body}</tbody><tfoot>${foot}</tfoot></table>`;
}
