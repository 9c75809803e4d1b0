// The training workloads of workloads.json (copied from the team's shared
// bench card): the synthetic data and model description every runner uses,
// so keraswasm and TensorFlow.js time exactly the same fit calls.
// In Node the card is read from disk; in a page (bench/browser.html) it is fetched.
const cardURL = new URL('./workloads.json', import.meta.url);
export const card = typeof process === 'undefined' || cardURL.protocol !== 'file:'
  ? await (await fetch(cardURL)).json()
  : JSON.parse((await import('node:fs')).readFileSync(cardURL));

// mulberry32 is the card's generator: a 32-bit state, u in [0, 1).
export function mulberry32(seed) {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// makeData draws one workload's x (num_samples × input_shape, sample-major,
// channels_last) and then one label per sample, in the card's order.
export function makeData(w) {
  const next = mulberry32(card.data.seed);
  const per = w.input_shape.reduce((a, b) => a * b, 1);
  const n = w.num_samples;
  const x = new Float32Array(n * per);
  for (let i = 0; i < x.length; i++) x[i] = next();
  if (w.x?.kind === 'tokens') for (let i = 0; i < x.length; i++) x[i] = Math.floor(x[i] * w.x.vocab);
  let y;
  if (w.labels.kind === 'categorical') {
    const k = w.labels.num_classes;
    y = new Float32Array(n * k);
    for (let i = 0; i < n; i++) y[i * k + Math.floor(next() * k)] = 1;
    return { x, xShape: [n, ...w.input_shape], y, yShape: [n, k] };
  }
  y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = next() < 0.5 ? 1 : 0;
  return { x, xShape: [n, ...w.input_shape], y, yShape: [n, 1] };
}

// settings returns the card's defaults merged with the workload's own values.
export function settings(w) {
  return { ...card.defaults, ...w };
}
