// make soak: N mixed calls (default 2,000) on one runtime, with random bad
// inputs, memory-limit changes and disposes, from a seeded generator. Every
// call must either work or fail with a Keras error class and a message
// (never an internal error, a Go panic's text or a pending Promise); the
// wasm memory must stay bounded; at the end a fresh model still trains.
// Usage: node js/soak/soak.mjs [calls] [seed] [--worker]
import { loadKeras } from '../keras.mjs';

const args = process.argv.slice(2);
const worker = args.includes('--worker');
const [calls = 2000, seed = 12] = args.filter((a) => !a.startsWith('--')).map(Number);

let s = seed >>> 0;
const rand = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
const int = (n) => Math.floor(rand() * n);
const pick = (xs) => xs[int(xs.length)];

const CLASSES = new Set(['ValueError', 'TypeError', 'NotImplementedError', 'IndexError', 'RecursionError', 'ResourceExhaustedError', 'RangeError']);
const keras = await loadKeras({ worker });
const mem = () => (worker ? NaN : keras.runtime.instance.exports.mem.buffer.byteLength / 2 ** 20);
const models = [];
const outcomes = {};
const failures = [];
const memSeen = [];
const messages = new Set(); // with --messages, the distinct error messages (numbers blanked)

function tensor(n, d, bad) {
  const data = new Float32Array(n * d).map(() => rand());
  if (bad === 'nan' && data.length) data[int(data.length)] = NaN;
  return keras.tensor(data, [n, d]);
}

function dims(m) { return m.in; }
/** outs is the model's output width, or (now and then) a wrong one. */
function outs(m) { return rand() < 0.8 ? m.out : pick([1, 3, 8, 32]); }

const OPS = {
  async new() {
    const d = pick([1, 4, 8, 16]);
    const units = rand() < 0.85 ? pick([1, 3, 8, 32]) : pick([0, -2]);
    const act = rand() < 0.9 ? pick(['relu', 'sigmoid', 'tanh', 'softmax', null]) : 'rellu';
    const layers = [keras.layers.Dense(pick([4, 8, 16]), { input_dim: d, ...(act ? { activation: act } : {}) }), keras.layers.Dense(units)];
    if (rand() < 0.2) layers.push(keras.layers.Dropout(pick([0.5, 0.5, 1.5])));
    const m = keras.Sequential(layers);
    await m.count_params(); // a worker reports a refused model here
    models.push({ m, in: d, out: units });
  },
  async compile() {
    const e = pick(models);
    if (!e) return;
    const good = rand() < 0.75;
    await e.m.compile({ optimizer: good ? pick(['adam', 'sgd', 'rmsprop', keras.optimizers.SGD({ lr: 0.01 })]) : pick(['adamm', keras.optimizers.SGD({ lr: -1 })]),
      loss: good ? pick(['mse', 'binary_crossentropy', 'categorical_crossentropy']) : 'mse2', metrics: good ? pick([[], ['accuracy'], ['mae']]) : ['acc', 'bogus'] });
  },
  async fit() {
    const e = pick(models);
    if (!e) return;
    const n = pick([0, 1, 8, 33]);
    const d = rand() < 0.8 ? dims(e) : dims(e) + 1;
    const good = rand() < 0.7;
    await e.m.fit(tensor(n, d, rand() < 0.1 ? 'nan' : ''), tensor(n, outs(e), ''),
      { epochs: good ? pick([1, 2]) : pick([0, -1, 1.5]), batch_size: good ? pick([4, 8]) : pick([0, 1e9]), verbose: 0,
        validation_split: good ? pick([0, 0.25]) : 1.2 });
  },
  async predict() {
    const e = pick(models);
    if (!e) return;
    const d = rand() < 0.8 ? dims(e) : pick([dims(e) + 3, 0]);
    await e.m.predict(tensor(pick([1, 5, 64]), d, ''), { batch_size: pick([8, 32, -4]) });
  },
  async evaluate() {
    const e = pick(models);
    if (!e) return;
    await e.m.evaluate(tensor(16, dims(e), ''), tensor(16, outs(e), ''), { verbose: 0 });
  },
  async train_on_batch() {
    const e = pick(models);
    if (!e) return;
    await e.m.train_on_batch(tensor(8, dims(e), rand() < 0.2 ? 'nan' : ''), tensor(8, outs(e), ''));
  },
  async predict_on_batch() {
    const e = pick(models);
    if (!e) return;
    await e.m.predict_on_batch(tensor(4, rand() < 0.8 ? dims(e) : 2, ''));
  },
  async weights() {
    const e = pick(models);
    if (!e) return;
    const w = await e.m.get_weights();
    if (rand() < 0.5 && w.length) w[int(w.length)] = keras.tensor(new Float32Array(3), [3]);
    await e.m.set_weights(w);
  },
  async to_categorical() {
    await keras.utils.to_categorical(pick([[0, 1, 2], [1, -1], [0, 2 ** 33], new Float32Array(100)]), pick([3, 10, 2 ** 31, null, 0]));
  },
  async memory() {
    // A small limit refuses most things for a while; then back to the default.
    await keras.config.set_memory_limit(pick([64 * 1024, 2 ** 20, 3 * 2 ** 30, 3 * 2 ** 30, 3 * 2 ** 30]));
  },
  async dispose() {
    if (!models.length) return;
    const i = int(models.length);
    await models[i].m.dispose();
    if (rand() < 0.3) await models[i].m.dispose(); // twice is harmless
    if (rand() < 0.5) await models[i].m.predict(tensor(1, models[i].in, '')); // refused: disposed
    models.splice(i, 1);
  },
};
const weights = { new: 3, compile: 3, fit: 4, predict: 3, evaluate: 2, train_on_batch: 2, predict_on_batch: 2, weights: 1, to_categorical: 1, memory: 1, dispose: 2 };
const bag = Object.entries(weights).flatMap(([k, w]) => Array(w).fill(k));

const t0 = performance.now();
for (let i = 1; i <= calls; i++) {
  const op = pick(bag);
  let timer;
  const timeout = new Promise((res) => { timer = setTimeout(() => res('pending'), 20000); });
  const r = await Promise.race([Promise.resolve().then(() => OPS[op]()).then(() => 'ok', (e) => e), timeout]);
  clearTimeout(timer);
  let key = `${op}: ok`;
  if (r === 'pending') {
    failures.push(`call ${i} (${op}) left a Promise pending for 20 s`);
    key = `${op}: PENDING`;
  } else if (r !== 'ok') {
    const name = r?.name ?? typeof r;
    key = `${op}: ${name}`;
    const msg = String(r?.message ?? r);
    if (args.includes('--messages')) messages.add(`${op}: ${name}: ${msg.replace(/\d+(\.\d+)?/g, 'N').slice(0, 160)}`);
    if (!CLASSES.has(name) || /internal error|panic|goroutine|runtime error|\.go:\d/.test(msg)) {
      failures.push(`call ${i} (${op}): ${name}: ${msg}`);
    }
  }
  outcomes[key] = (outcomes[key] ?? 0) + 1;
  if (i % 250 === 0) {
    memSeen.push(mem());
    if (models.length > 40) for (const e of models.splice(0, 20)) await e.m.dispose();
  }
}
await keras.config.set_memory_limit(2 ** 30);
const before = await keras.config.get_memory_info();
for (const e of models.splice(0)) await e.m.dispose();

// A fresh model still trains.
await keras.utils.set_random_seed(seed);
const m = keras.Sequential([keras.layers.Dense(8, { input_dim: 4, activation: 'relu' }), keras.layers.Dense(1, { activation: 'sigmoid' })]);
await m.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
const x = keras.tensor(new Float32Array(256 * 4).map(() => rand()), [256, 4]);
const y = keras.tensor(new Float32Array(256).map((_, i) => (x.data[4 * i] > 0.5 ? 1 : 0)), [256, 1]);
const h = await m.fit(x, y, { epochs: 30, batch_size: 32, verbose: 0 });
const acc = h.history.accuracy.at(-1);
const info = await keras.config.get_memory_info();
const seconds = (performance.now() - t0) / 1000;

console.log(`soak: ${calls} calls (seed ${seed}${worker ? ', worker' : ''}) in ${seconds.toFixed(1)} s`);
console.log('outcomes:', JSON.stringify(Object.fromEntries(Object.entries(outcomes).sort())));
if (!worker) console.log(`wasm memory (MiB) every 250 calls: ${memSeen.join(', ')}`);
console.log(`budget: ${before.current} bytes in use by ${before.holders.length} holders before the last disposes, ` +
  `${info.current} at the end (${info.holders.map((h) => h.name).join(', ')}), peak ${info.peak}; fresh model accuracy ${acc.toFixed(3)} after 30 epochs`);
if (!worker && Math.max(...memSeen) > 256) failures.push(`wasm memory grew to ${Math.max(...memSeen)} MiB`);
if (!(acc > 0.9)) failures.push(`the fresh model did not train: accuracy ${acc}`);
keras.terminate?.();
if (failures.length) {
  console.error(`soak: ${failures.length} failures:\n${failures.slice(0, 30).join('\n')}`);
  process.exit(1);
}
for (const m of [...messages].sort()) console.log(m);
console.log('soak: ok');
