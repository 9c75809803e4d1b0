// A compact line chart on a canvas: a few series of (x, y) points and axes with round ticks. The
// page decides when to draw (see frames.mjs): points are only stored as they come. The demo needs
// only this, so it draws its own rather than ship a charting library (no dependency to vet, update
// and copy into the site; ~150 lines).

export class LineChart {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{series: {key: string, color: string, width?: number, dash?: number[], dots?: boolean, bin?: boolean}[],
   *          yRange?: (lo: number, hi: number) => [number, number]}} opts (x is in epochs; a series
   *          with bin draws one mean point per pixel column, for thousands of batch points)
   */
  constructor(canvas, opts) {
    this.canvas = canvas;
    this.opts = opts;
    this.data = new Map(opts.series.map(s => [s.key, []]));
    this.xMax = 1;
    this.draw();
  }

  /** clear removes all points; xMax is the extent of the x axis (for example the epoch count). */
  clear(xMax = 1) {
    for (const pts of this.data.values()) pts.length = 0;
    this.xMax = xMax;
  }

  /** push adds one point to a series; the next draw() shows it. */
  push(key, x, y) {
    if (!Number.isFinite(y)) return;
    this.data.get(key).push(x, y);
    if (x > this.xMax) this.xMax = x;
  }

  // draw paints axes and series; the backing store follows the element's CSS size and the pixel ratio.
  draw() {
    const c = this.canvas, dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, Math.round(c.clientWidth || c.width / dpr));
    const h = Math.round(w * 220 / 520);
    if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    const g = c.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const pad = { l: 44, r: 10, t: 10, b: 24 };
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    let lo = Infinity, hi = -Infinity;
    for (const pts of this.data.values()) {
      for (let i = 1; i < pts.length; i += 2) { lo = Math.min(lo, pts[i]); hi = Math.max(hi, pts[i]); }
    }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    [lo, hi] = this.opts.yRange ? this.opts.yRange(lo, hi) : [Math.min(0, lo), hi];
    if (hi - lo < 1e-9) hi = lo + 1;
    const X = x => pad.l + (x / this.xMax) * pw;
    const Y = y => pad.t + (1 - (y - lo) / (hi - lo)) * ph;
    this.axes(g, { lo, hi, X, Y, pad, pw, ph });
    g.save();
    g.beginPath();
    g.rect(pad.l, pad.t, pw, ph);
    g.clip();
    for (const s of this.opts.series) {
      const pts = this.data.get(s.key);
      this.line(g, s, s.bin ? columnMeans(pts, X) : pts, X, Y);
    }
    g.restore();
  }

  axes(g, { lo, hi, X, Y, pad, pw, ph }) {
    g.strokeStyle = '#e5e7eb';
    g.fillStyle = '#5c6773';
    g.lineWidth = 1;
    g.font = '11px system-ui, sans-serif';
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (const v of ticks(lo, hi, 5)) {
      const y = Math.round(Y(v)) + 0.5;
      g.beginPath(); g.moveTo(pad.l, y); g.lineTo(pad.l + pw, y); g.stroke();
      g.fillText(formatTick(v), pad.l - 5, y);
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const v of ticks(0, this.xMax, Math.min(10, Math.max(2, Math.ceil(this.xMax))))) {
      const x = Math.round(X(v)) + 0.5;
      g.beginPath(); g.moveTo(x, pad.t); g.lineTo(x, pad.t + ph); g.stroke();
      g.fillText(formatTick(v), x, pad.t + ph + 5);
    }
    g.strokeStyle = '#9ca3af';
    g.strokeRect(pad.l + 0.5, pad.t + 0.5, pw, ph);
  }

  line(g, s, pts, X, Y) {
    if (pts.length === 0) return;
    g.strokeStyle = s.color;
    g.fillStyle = s.color;
    g.lineWidth = s.width ?? 1.5;
    g.setLineDash(s.dash ?? []);
    g.beginPath();
    for (let i = 0; i < pts.length; i += 2) {
      const x = X(pts[i]), y = Y(pts[i + 1]);
      if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
    }
    g.stroke();
    g.setLineDash([]);
    if (s.dots) {
      for (let i = 0; i < pts.length; i += 2) {
        g.beginPath(); g.arc(X(pts[i]), Y(pts[i + 1]), 3, 0, 2 * Math.PI); g.fill();
      }
    }
  }
}

/**
 * columnMeans reduces points [x0, y0, x1, y1, ...] with increasing x to one point per pixel column
 * (toX maps x to pixels): the mean x and y of the points in it. An epoch at batch size 16 is 3,750
 * batch points on a few hundred columns; the path then costs the same whatever the epoch count.
 */
export function columnMeans(pts, toX) {
  const out = [];
  let col = NaN, sx = 0, sy = 0, n = 0;
  for (let i = 0; i < pts.length; i += 2) {
    const c = Math.floor(toX(pts[i]));
    if (c !== col && n > 0) { out.push(sx / n, sy / n); sx = 0; sy = 0; n = 0; }
    col = c; sx += pts[i]; sy += pts[i + 1]; n++;
  }
  if (n > 0) out.push(sx / n, sy / n);
  return out;
}

/** ticks returns about n round values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function ticks(lo, hi, n) {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / n, mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(m => m * mag).find(s => s >= raw);
  const out = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

function formatTick(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? String(+v.toFixed(2)) : String(+v.toPrecision(2));
}
