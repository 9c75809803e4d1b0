// The demo page's URL parameters (/?run=mnist-mlp&epochs=1&samples=5000 ...), read and checked
// here, apart from the DOM, so that Node tests them (demo/test/params.test.mjs). A bad value is
// never passed on silently: a number input given "12a" would read as empty (a random seed), a
// select given "adamm" as no optimizer, run=__proto__ as a preset (it is `in` every object).
// Every problem is reported at once, each with what was expected and the nearest valid name
// for a typo; the page shows them and does not run.

/** NUMBERS are the numeric parameters: the form field each fills, its range, whether whole. */
const NUMBERS = {
  epochs: { id: 'epochs', lo: 1, hi: 100, integer: true },
  samples: { id: 'samples', lo: 10, hi: 60000, integer: true },
  batch_size: { id: 'batch-size', lo: 1, hi: 4096, integer: true },
  validation_split: { id: 'validation-split', lo: 0, hi: 0.9, integer: false },
  // seed, lr and decay may be empty: a random seed, Keras's default learning rate, no decay.
  seed: { id: 'seed', lo: 0, hi: Number.MAX_SAFE_INTEGER, integer: true, optional: true },
  lr: { id: 'lr', lo: 0, hi: 10, integer: false, above: true, optional: true },
  decay: { id: 'decay', lo: 0, hi: 10, integer: false, optional: true },
  test_samples: { lo: 1, hi: 10000, integer: true }, // the MNIST test split has 10,000 images
};

/** NAMES are every parameter the page reads. */
export const NAMES = ['run', 'optimizer', 'worker', ...Object.keys(NUMBERS)];

/** editDistance is Levenshtein's distance between a and b. */
function editDistance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** nearest returns the option closest to s, or null when none is within a third of its length (at least 2 edits). */
export function nearest(s, options) {
  let best = null, bestD = Infinity;
  for (const o of options) {
    const d = editDistance(s.toLowerCase(), o.toLowerCase());
    if (d < bestD) [best, bestD] = [o, d];
  }
  return bestD <= Math.max(2, Math.floor(s.length / 3)) ? best : null;
}

/** oneOf is the message for value v of parameter k that is none of options. */
function oneOf(k, v, options) {
  const near = nearest(v, options);
  return `${k}=${JSON.stringify(v)} is not valid; ${near ? `did you mean ${k}=${near}? Expected` : 'expected'} one of: ${options.join(', ')}`;
}

/** numberProblem says what is wrong with the text v of numeric parameter k (null: nothing). */
function numberProblem(k, v, { lo, hi, integer, above, optional }) {
  const text = v.trim();
  if (optional && text === '') return null;
  // Number('') is 0 and Number('0x10') 16: only plain decimals are numbers here.
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
  const want = `${integer ? 'a whole number' : 'a number'} from ${lo}${above ? ' (exclusive)' : ''} to ${hi}`;
  if (Number.isNaN(n)) return `${k}=${JSON.stringify(v)} is not a number; expected ${want}`;
  if (n < lo || n > hi || (above && n === lo) || (integer && !Number.isInteger(n))) return `${k}=${JSON.stringify(v)} is out of range; expected ${want}`;
  return null;
}

/**
 * readParams reads the URL's query string search against the page's presets and optimizers
 * (their names). It returns {run, fields: {form field id: value}, testSamples, worker, errors}:
 * errors lists every problem (empty when all is well); the rest holds the valid values only.
 */
export function readParams(search, { presets, optimizers }) {
  const q = new URLSearchParams(search);
  const errors = [];
  const out = { run: null, fields: {}, testSamples: undefined, worker: true, errors };
  const seen = new Set();
  for (const [k, v] of q) {
    if (seen.has(k)) continue;
    seen.add(k);
    if (q.getAll(k).length > 1) {
      errors.push(`${k} is given more than once; give it once`);
      continue;
    }
    if (k === 'run') {
      if (Object.hasOwn(Object.fromEntries(presets.map((p) => [p, true])), v)) out.run = v;
      else errors.push(oneOf('run', v, presets));
    } else if (k === 'optimizer') {
      if (optimizers.includes(v)) out.fields.optimizer = v;
      else errors.push(oneOf('optimizer', v, optimizers));
    } else if (k === 'worker') {
      if (v === '0' || v === '1') out.worker = v === '1';
      else errors.push(`worker=${JSON.stringify(v)} is not valid; expected 1 (train in a Web Worker, the default) or 0 (on the main thread)`);
    } else if (Object.hasOwn(NUMBERS, k)) {
      const p = NUMBERS[k];
      const problem = numberProblem(k, v, p);
      if (problem) errors.push(problem);
      else if (k === 'test_samples') out.testSamples = Number(v);
      else out.fields[p.id] = v.trim();
    } else {
      const near = nearest(k, NAMES);
      errors.push(`unknown URL parameter ${JSON.stringify(k)}${near ? `: did you mean ${near}?` : ''} The page reads: ${NAMES.join(', ')}`);
    }
  }
  return out;
}
