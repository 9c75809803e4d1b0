// keras.backend (Keras's K) on keras tensors, in plain JS over Float32Array.
// It serves custom metrics such as mean_pred(y_true, y_pred) = K.mean(y_pred),
// which the runtime calls once per batch with small tensors; it has no
// gradients (a custom loss needs them, so losses come from the Go core).
// Keras: keras/src/legacy/backend.py (the K functions) and numpy semantics.

import { Tensor, tensor, describe } from './tensor.mjs';
import { ValueError } from './errors.mjs';

let EPSILON = 1e-7;

/** epsilon returns the fuzz factor Keras uses (1e-7). */
export function epsilon() { return EPSILON; }

/** set_epsilon changes it, as K.set_epsilon does. */
export function set_epsilon(e) {
  if (typeof e !== 'number' || !(e > 0)) throw new ValueError(`set_epsilon: expected a positive number. Received: e=${describe(e)}`);
  EPSILON = e;
}

/** floatx is always 'float32'. */
export function floatx() { return 'float32'; }

function asTensor(x, fn) {
  if (x instanceof Tensor) return x;
  try {
    return tensor(x);
  } catch (e) {
    throw new TypeError(`keras.backend.${fn}: expected a tensor, an array or a number; received ${describe(x)}`);
  }
}

function strides(shape) {
  const s = new Array(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]; }
  return s;
}

function normAxes(axis, rank, fn) {
  if (axis === null || axis === undefined) return [...Array(rank).keys()];
  const list = Array.isArray(axis) ? axis : [axis];
  const out = [];
  for (const a of list) {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new ValueError(`keras.backend.${fn}: axis ${describe(a)} is out of range for a tensor of rank ${rank}; expected an integer in [${-rank}, ${rank})`);
    }
    const p = a < 0 ? a + rank : a;
    if (!out.includes(p)) out.push(p);
  }
  return out.sort((a, b) => a - b);
}

// reduce folds x over axes with (acc, v) → acc starting at init, then maps
// the accumulator with fin(acc, count). Accumulation is in float64.
function reduce(x, axis, keepdims, fn, init, step, fin) {
  const t = asTensor(x, fn);
  const axes = normAxes(axis, t.rank, fn);
  const outShape = [];
  const keptShape = [];
  t.shape.forEach((d, i) => {
    if (axes.includes(i)) { if (keepdims) outShape.push(1); } else { outShape.push(d); keptShape.push(d); }
  });
  const count = axes.reduce((a, i) => a * t.shape[i], 1);
  const outSize = keptShape.reduce((a, b) => a * b, 1);
  if (count === 0 && (fn === 'max' || fn === 'min' || fn === 'argmax' || fn === 'argmin')) {
    throw new ValueError(`keras.backend.${fn}: cannot reduce an empty tensor of shape [${t.shape}]`);
  }
  const acc = new Array(outSize).fill(init);
  const idx = new Array(outSize).fill(0);
  const st = strides(t.shape);
  const keptSt = strides(keptShape);
  const kept = t.shape.map((_, i) => !axes.includes(i));
  const pos = new Array(t.rank).fill(0);
  const within = new Array(outSize).fill(0);
  for (let flat = 0; flat < t.data.length; flat++) {
    let rem = flat, o = 0, k = 0, r = 0;
    for (let d = 0; d < t.rank; d++) {
      pos[d] = Math.floor(rem / st[d]);
      rem -= pos[d] * st[d];
      if (kept[d]) o += pos[d] * keptSt[k++];
    }
    r = within[o]++;
    const next = step(acc[o], t.data[flat], r, idx[o]);
    if (Array.isArray(next)) { acc[o] = next[0]; idx[o] = next[1]; } else acc[o] = next;
  }
  const out = new Float32Array(outSize);
  for (let i = 0; i < outSize; i++) out[i] = fin(acc[i], count, idx[i]);
  return new Tensor(out, outShape, fn === 'argmax' || fn === 'argmin' ? 'int32' : 'float32');
}

/** mean averages x over axis (all axes when null). */
export function mean(x, axis = null, keepdims = false) {
  return reduce(x, axis, keepdims, 'mean', 0, (a, v) => a + v, (a, n) => a / n);
}

/** sum adds x over axis (all axes when null). */
export function sum(x, axis = null, keepdims = false) {
  return reduce(x, axis, keepdims, 'sum', 0, (a, v) => a + v, (a) => a);
}

/** max is the largest value over axis; NaN propagates, as in TensorFlow. */
export function max(x, axis = null, keepdims = false) {
  return reduce(x, axis, keepdims, 'max', -Infinity, (a, v) => (v > a || Number.isNaN(v) ? v : a), (a) => a);
}

/** min is the smallest value over axis. */
export function min(x, axis = null, keepdims = false) {
  return reduce(x, axis, keepdims, 'min', Infinity, (a, v) => (v < a || Number.isNaN(v) ? v : a), (a) => a);
}

/** argmax gives the index of the largest value along axis (default the last); ties take the first. */
export function argmax(x, axis = -1) {
  return reduce(x, axis, false, 'argmax', -Infinity,
    (a, v, r, i) => (v > a ? [v, r] : [a, i]), (a, n, i) => i);
}

/** argmin gives the index of the smallest value along axis (default the last). */
export function argmin(x, axis = -1) {
  return reduce(x, axis, false, 'argmin', Infinity,
    (a, v, r, i) => (v < a ? [v, r] : [a, i]), (a, n, i) => i);
}

function unary(fn, f, dtype) {
  return (x) => {
    const t = asTensor(x, fn);
    const out = new Float32Array(t.data.length);
    for (let i = 0; i < out.length; i++) out[i] = f(t.data[i]);
    return new Tensor(out, t.shape.slice(), dtype ?? t.dtype);
  };
}

/** abs, square, sqrt, exp and log work elementwise. */
export const abs = unary('abs', Math.abs);
export const square = unary('square', (v) => v * v);
export const sqrt = unary('sqrt', Math.sqrt);
export const exp = unary('exp', Math.exp);
export const log = unary('log', Math.log);
export const sign = unary('sign', Math.sign);

/** round rounds half to even, as TensorFlow's round does. */
export const round = unary('round', (v) => {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
});

/** cast converts to dtype: 'float32' keeps values, 'int32'/'int64' truncate toward zero, 'bool' is v != 0. */
export function cast(x, dtype) {
  const t = asTensor(x, 'cast');
  const conv = {
    float32: (v) => v, float64: (v) => v, float16: (v) => v,
    int32: Math.trunc, int64: Math.trunc, int8: Math.trunc, uint8: Math.trunc,
    bool: (v) => (v !== 0 ? 1 : 0),
  }[dtype];
  if (!conv) throw new ValueError(`keras.backend.cast: unknown dtype ${describe(dtype)}; expected one of float32, int32, int64, bool`);
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < out.length; i++) out[i] = conv(t.data[i]);
  return new Tensor(out, t.shape.slice(), dtype.startsWith('float') ? 'float32' : dtype === 'bool' ? 'bool' : 'int32');
}

/** clip limits values to [min_value, max_value]; like Keras, max_value below min_value becomes min_value. */
export function clip(x, min_value, max_value) {
  if (typeof min_value !== 'number' || typeof max_value !== 'number') {
    throw new TypeError(`keras.backend.clip: min_value and max_value must be numbers; received ${describe(min_value)}, ${describe(max_value)}`);
  }
  if (max_value < min_value) max_value = min_value;
  return unary('clip', (v) => (v < min_value ? min_value : v > max_value ? max_value : v))(x);
}

// broadcastShape returns the numpy broadcast of two shapes.
function broadcastShape(a, b, fn) {
  const n = Math.max(a.length, b.length);
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ValueError(`keras.backend.${fn}: shapes [${a}] and [${b}] cannot be broadcast together (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = Math.max(da, db);
  }
  return out;
}

function binary(fn, f, dtype) {
  return (x, y) => {
    const a = asTensor(x, fn);
    const b = asTensor(y, fn);
    const shape = broadcastShape(a.shape, b.shape, fn);
    const size = shape.reduce((p, d) => p * d, 1);
    const out = new Float32Array(size);
    if (a.data.length === size && b.data.length === size) {
      for (let i = 0; i < size; i++) out[i] = f(a.data[i], b.data[i]);
    } else {
      const st = strides(shape);
      const sa = bstrides(a.shape, shape);
      const sb = bstrides(b.shape, shape);
      for (let i = 0; i < size; i++) {
        let rem = i, ia = 0, ib = 0;
        for (let d = 0; d < shape.length; d++) {
          const p = Math.floor(rem / st[d]);
          rem -= p * st[d];
          ia += p * sa[d];
          ib += p * sb[d];
        }
        out[i] = f(a.data[ia], b.data[ib]);
      }
    }
    return new Tensor(out, shape, dtype ?? 'float32');
  };
}

// bstrides gives the strides of shape s read as the broadcast shape out
// (0 where s broadcasts).
function bstrides(s, out) {
  const full = new Array(out.length - s.length).fill(1).concat(s);
  const st = strides(full);
  return full.map((d, i) => (d === 1 ? 0 : st[i]));
}

/** equal, not_equal, greater, less ... compare elementwise with broadcasting and give 0/1 ('bool'). */
export const equal = binary('equal', (a, b) => (a === b ? 1 : 0), 'bool');
export const not_equal = binary('not_equal', (a, b) => (a !== b ? 1 : 0), 'bool');
export const greater = binary('greater', (a, b) => (a > b ? 1 : 0), 'bool');
export const greater_equal = binary('greater_equal', (a, b) => (a >= b ? 1 : 0), 'bool');
export const less = binary('less', (a, b) => (a < b ? 1 : 0), 'bool');
export const less_equal = binary('less_equal', (a, b) => (a <= b ? 1 : 0), 'bool');

/**
 * JavaScript has no operator overloading, so the arithmetic Keras writes with
 * + - * / has functions here (the keras.ops names), with broadcasting.
 */
export const add = binary('add', (a, b) => a + b);
export const subtract = binary('subtract', (a, b) => a - b);
export const multiply = binary('multiply', (a, b) => a * b);
export const divide = binary('divide', (a, b) => a / b);
export const maximum = binary('maximum', (a, b) => (a > b || Number.isNaN(a) ? a : b));
export const minimum = binary('minimum', (a, b) => (a < b || Number.isNaN(a) ? a : b));
export const pow = binary('pow', (a, b) => a ** b);

/** shape returns the dimensions of x (int_shape in Keras). */
export function int_shape(x) { return asTensor(x, 'int_shape').shape.slice(); }
export { int_shape as shape };

/** ndim returns the rank. */
export function ndim(x) { return asTensor(x, 'ndim').rank; }

/** flatten views x as one dimension. */
export function flatten(x) { const t = asTensor(x, 'flatten'); return t.reshape([t.size]); }

/** reshape views x with another shape of the same size. */
export function reshape(x, shape) { return asTensor(x, 'reshape').reshape(shape); }

/** constant makes a tensor from a value. */
export function constant(value, dtype = 'float32', shape) {
  const t = tensor(value, shape);
  return dtype === 'float32' ? t : cast(t, dtype);
}

/** ones_like and zeros_like fill a tensor of x's shape. */
export function ones_like(x) { const t = asTensor(x, 'ones_like'); return new Tensor(new Float32Array(t.size).fill(1), t.shape.slice()); }
export function zeros_like(x) { const t = asTensor(x, 'zeros_like'); return new Tensor(new Float32Array(t.size), t.shape.slice()); }

/** get_value and eval read a tensor's values as nested arrays (a number for a scalar). */
export function get_value(x) { return asTensor(x, 'get_value').array(); }
export { get_value as eval };
