// The drawing pad: the user draws a digit in white on black, and toMNIST turns the drawing into a
// 28×28 image prepared the way MNIST's digits were: the digit's bounding box scaled (keeping its
// aspect ratio, anti-aliased) to fit a 20×20 box, then placed in the 28×28 field so that its centre
// of mass sits at the centre (LeCun et al., "The MNIST database").

export class DrawPad {
  /**
   * @param {HTMLCanvasElement} canvas the pad the user draws on
   * @param {HTMLCanvasElement} preview a 28×28 canvas that shows what the model sees
   * @param {(pixels: Float32Array|null) => void} onChange called while drawing (throttled) and at each stroke's end
   */
  constructor(canvas, preview, onChange) {
    this.canvas = canvas;
    this.preview = preview;
    this.onChange = onChange;
    this.g = canvas.getContext('2d', { willReadFrequently: true });
    this.drawing = false;
    this.last = null;
    this.timer = 0;
    this.clear();
    canvas.addEventListener('pointerdown', e => this.down(e));
    canvas.addEventListener('pointermove', e => this.move(e));
    canvas.addEventListener('pointerup', e => this.up(e));
    canvas.addEventListener('pointercancel', e => this.up(e));
  }

  clear() {
    const { g, canvas } = this;
    g.fillStyle = '#000';
    g.fillRect(0, 0, canvas.width, canvas.height);
    this.preview.getContext('2d').clearRect(0, 0, 28, 28);
    this.onChange(null);
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * this.canvas.width / r.width, (e.clientY - r.top) * this.canvas.height / r.height];
  }

  down(e) {
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.drawing = true;
    this.last = this.point(e);
    this.stroke(this.last, this.last);
  }

  move(e) {
    if (!this.drawing) return;
    const p = this.point(e);
    this.stroke(this.last, p);
    this.last = p;
    // While drawing, update the prediction a few times a second, not on every event.
    if (!this.timer) this.timer = setTimeout(() => { this.timer = 0; this.emit(); }, 120);
  }

  up() {
    if (!this.drawing) return;
    this.drawing = false;
    clearTimeout(this.timer);
    this.timer = 0;
    this.emit();
  }

  stroke(a, b) {
    const g = this.g;
    g.strokeStyle = '#fff';
    g.lineWidth = this.canvas.width / 14;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(a[0], a[1]);
    g.lineTo(b[0], b[1]);
    g.stroke();
  }

  emit() {
    const px = toMNIST(this.canvas);
    const pg = this.preview.getContext('2d');
    if (px) {
      const img = pg.createImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = Math.round(px[i] * 255);
        img.data.set([v, v, v, 255], i * 4);
      }
      pg.putImageData(img, 0, 0);
    } else {
      pg.clearRect(0, 0, 28, 28);
    }
    this.onChange(px);
  }
}

/** toMNIST returns the drawing as 784 intensities in 0..1 (row-major 28×28), or null if it is blank. */
export function toMNIST(canvas) {
  const { width: w, height: h } = canvas;
  const src = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, w, h).data;
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (src[(y * w + x) * 4] > 32) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const sw = Math.max(1, Math.round(bw * scale)), sh = Math.max(1, Math.round(bh * scale));
  // Scale the bounding box into sw×sh (at most 20×20) with smoothing, as MNIST's anti-aliasing did.
  const box = new OffscreenCanvas(sw, sh);
  const bg = box.getContext('2d', { willReadFrequently: true });
  bg.imageSmoothingEnabled = true;
  bg.imageSmoothingQuality = 'high';
  bg.drawImage(canvas, x0, y0, bw, bh, 0, 0, sw, sh);
  const small = bg.getImageData(0, 0, sw, sh).data;
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const v = small[(y * sw + x) * 4];
      mass += v; mx += v * (x + 0.5); my += v * (y + 0.5);
    }
  }
  // Shift so that the centre of mass lands on the centre of the 28×28 field.
  const ox = Math.round(14 - mx / mass), oy = Math.round(14 - my / mass);
  const out = new Float32Array(784);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const tx = x + ox, ty = y + oy;
      if (tx >= 0 && tx < 28 && ty >= 0 && ty < 28) out[ty * 28 + tx] = small[(y * sw + x) * 4] / 255;
    }
  }
  return out;
}
