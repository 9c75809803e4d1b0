// MNIST from the demo's own server: raw uint8 pixels and labels (see demo/mnist.go), turned into
// the float32 arrays a Keras model trains on: pixels / 255, labels one-hot over 10 classes.

let manifestPromise = null;

/** manifest returns the server's description of the MNIST files (counts, image size). */
export function manifest() {
  manifestPromise ??= fetchOK('/data/mnist/manifest.json').then(r => r.json());
  return manifestPromise;
}

async function fetchOK(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`fetching ${url}: the server answered ${r.status} ${await r.text()}`);
  return r;
}

async function bytes(url) {
  return new Uint8Array(await (await fetchOK(url)).arrayBuffer());
}

/**
 * loadSplit fetches the first n images of a split ('train' or 'test') and returns
 * {n, x: Float32Array(n*784) in 0..1, labels: Uint8Array(n), y: Float32Array(n*10) one-hot}.
 */
export async function loadSplit(split, n) {
  const m = await manifest();
  const info = m[split];
  if (!info) throw new Error(`MNIST has no split ${JSON.stringify(split)}; expected "train" or "test"`);
  const count = Math.min(n ?? info.count, info.count);
  const per = m.rows * m.cols;
  const [pixels, labels] = await Promise.all([
    bytes(`/data/mnist/${info.images}?n=${count}`),
    bytes(`/data/mnist/${info.labels}?n=${count}`),
  ]);
  if (pixels.length !== count * per || labels.length !== count) {
    throw new Error(`MNIST ${split}: got ${pixels.length} pixel bytes and ${labels.length} labels; expected ${count * per} and ${count}`);
  }
  const x = new Float32Array(count * per);
  for (let i = 0; i < x.length; i++) x[i] = pixels[i] / 255;
  const y = new Float32Array(count * m.classes);
  for (let i = 0; i < count; i++) y[i * m.classes + labels[i]] = 1;
  return { n: count, rows: m.rows, cols: m.cols, classes: m.classes, x, labels, y };
}
