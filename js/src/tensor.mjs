// Keras tensors on the JS side: a Float32Array and a shape, row-major, like
// the Go core's tensor.Tensor. Data crosses to the runtime as these (one bulk
// copy each way); nested arrays and typed arrays are turned into one here.

import { ValueError } from './errors.mjs';

/** A keras tensor: float32 data in row-major order with a shape. */
export class Tensor {
  /**
   * @param {Float32Array} data row-major values; its length is the product of shape
   * @param {number[]} shape dimensions; [] for a scalar
   * @param {string} [dtype] 'float32' (default), 'int32' or 'bool': only a tag, values are float32
   */
  constructor(data, shape, dtype = 'float32') {
    if (!(data instanceof Float32Array)) {
      throw new TypeError(`keras.tensor: data must be a Float32Array here; received ${describe(data)}`);
    }
    const size = shapeSize(shape, 'keras.tensor');
    if (size !== data.length) {
      throw new ValueError(`keras.tensor: shape [${shape}] holds ${size} values but the data has ${data.length}; ` +
        'pass a shape whose product equals the number of values');
    }
    this.data = data;
    this.shape = shape.slice();
    this.dtype = dtype;
    Object.freeze(this.shape);
  }

  /** The number of dimensions. */
  get rank() { return this.shape.length; }

  /** The number of values. */
  get size() { return this.data.length; }

  /** The values as nested arrays (a number for a scalar); also works with await, as in TF.js. */
  array() { return nest(this.data, this.shape, 0, 0); }

  /** The same as array(), TF.js's synchronous spelling. */
  arraySync() { return this.array(); }

  /** The flat values (TF.js's dataSync). */
  dataSync() { return this.data; }

  /** A tensor of the same data viewed with another shape of the same size. */
  reshape(shape) { return new Tensor(this.data, shape, this.dtype); }

  toString() { return `Tensor(shape=[${this.shape}], dtype=${this.dtype}, ${JSON.stringify(this.array())})`; }
}

function nest(data, shape, dim, offset) {
  if (shape.length === 0) return data[0];
  const n = shape[dim];
  const out = new Array(n);
  if (dim === shape.length - 1) {
    for (let i = 0; i < n; i++) out[i] = data[offset + i];
    return out;
  }
  let stride = 1;
  for (let d = dim + 1; d < shape.length; d++) stride *= shape[d];
  for (let i = 0; i < n; i++) out[i] = nest(data, shape, dim + 1, offset + i * stride);
  return out;
}

/** shapeSize returns the product of shape, checking that it is a list of non-negative integers. */
export function shapeSize(shape, where) {
  if (!Array.isArray(shape)) {
    throw new TypeError(`${where}: shape must be an array of integers such as [32, 10]; received ${describe(shape)}`);
  }
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new TypeError(`${where}: shape must be an array of non-negative integers; received [${shape.map(describe)}]`);
    }
    size *= d;
  }
  return size;
}

/** describe names a value for an error message. */
export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return `function ${v.name || '(anonymous)'}`;
  if (v instanceof Tensor) return `a tensor of shape [${v.shape}]`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return `an object (${v.constructor?.name ?? 'Object'})`;
}

/**
 * tensor makes a keras tensor from nested arrays, a typed array with a shape,
 * a number, or another tensor (which is returned as is when no shape is given).
 */
export function tensor(data, shape) {
  if (data instanceof Tensor) return shape === undefined ? data : new Tensor(data.data, shape, data.dtype);
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const f = toFloat32(data);
    return new Tensor(f, shape ?? [f.length]);
  }
  if (typeof data === 'number' || typeof data === 'boolean') {
    const t = new Tensor(Float32Array.of(Number(data)), []);
    return shape === undefined ? t : t.reshape(shape);
  }
  if (Array.isArray(data)) {
    const t = fromNested(data, 'keras.tensor');
    return shape === undefined ? t : t.reshape(shape);
  }
  throw new TypeError(`keras.tensor: expected nested arrays of numbers, a typed array with a shape, or a tensor; received ${describe(data)}`);
}

function toFloat32(a) {
  if (a instanceof Float32Array) return a;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return Float32Array.from(a, Number);
  return new Float32Array(a);
}

/** fromNested flattens rectangular nested arrays of numbers, naming the first offending index. */
export function fromNested(arr, what) {
  const shape = [];
  let probe = arr;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  if (ArrayBuffer.isView(probe)) shape.push(probe.length);
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  let k = 0;
  const name = what.split(': ').pop();
  const walk = (a, dim, path) => {
    const isRow = Array.isArray(a) || (ArrayBuffer.isView(a) && !(a instanceof DataView));
    if (!isRow || a.length !== shape[dim]) {
      throw new ValueError(`${what}: ragged nested array: ${name}${path} is ${describe(a)}, expected an array of length ${shape[dim]} ` +
        `(all rows must have the same length; shape so far [${shape}])`);
    }
    if (dim === shape.length - 1) {
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v === 'number') out[k++] = v;
        else if (typeof v === 'boolean') out[k++] = v ? 1 : 0;
        else {
          throw new TypeError(`${what}: expected numbers, found ${describe(v)} at ${name}${path}[${i}]; ` +
            'convert strings and other values to numbers first');
        }
      }
      return;
    }
    for (let i = 0; i < a.length; i++) walk(a[i], dim + 1, `${path}[${i}]`);
  };
  if (shape.length === 0) throw new TypeError(`${what}: expected an array`);
  walk(arr, 0, '');
  return new Tensor(out, shape);
}

/**
 * toData turns what a user passes as x or y (nested arrays, a typed array with
 * an optional shape, or a keras tensor) into a tensor; what names it in errors
 * ("x", "y", "validation_data[0]").
 */
export function toData(v, what) {
  if (v instanceof Tensor) return v;
  if (Array.isArray(v)) {
    if (v.length === 0) throw new ValueError(`${what} is empty: expected at least one sample`);
    return fromNested(v, what);
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const f = toFloat32(v);
    return new Tensor(f, [f.length]);
  }
  if (v && typeof v === 'object' && typeof v.dataSync === 'function' && Array.isArray(v.shape)) return fromTFJS(v, what);
  if (v && typeof v === 'object' && 'data' in v && 'shape' in v) {
    const data = ArrayBuffer.isView(v.data) ? toFloat32(v.data) : fromNested(v.data, what).data;
    return new Tensor(data, v.shape);
  }
  throw new TypeError(`${what} must be nested arrays of numbers, a typed array, a keras tensor or {data, shape}; ` +
    `received ${describe(v)}`);
}

/**
 * fromTFJS copies a TF.js tensor (anything with shape, dtype and dataSync(),
 * as tf.tensor gives) into a keras tensor. Numeric and bool dtypes are read
 * as float32, as TF.js's own model.fit casts them; string and complex64
 * tensors have no meaning here. Porting note: TF.js's model.fit takes its
 * tensors; keraswasm copies them (the runtime owns its buffers).
 */
function fromTFJS(v, what) {
  const { dtype, shape } = v;
  if (dtype !== undefined && !['float32', 'int32', 'bool'].includes(dtype)) {
    throw new TypeError(`${what}: a TF.js tensor of dtype ${describe(dtype)} cannot be used; give a float32, int32 or bool tensor`);
  }
  if (v.isDisposed === true || v.isDisposedInternal === true) {
    throw new ValueError(`${what}: the TF.js tensor was disposed; pass a live tensor`);
  }
  if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`${what}: the TF.js tensor's shape ${describe(shape)} is not a list of non-negative integers`);
  }
  const raw = v.dataSync();
  if (!ArrayBuffer.isView(raw) && !Array.isArray(raw)) {
    throw new TypeError(`${what}: dataSync() of the TF.js tensor returned ${describe(raw)}, not a typed array`);
  }
  const data = Float32Array.from(raw, Number);
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new ValueError(`${what}: the TF.js tensor's shape ${describe(shape)} holds ${size} values but dataSync() gave ${data.length}`);
  }
  if (shape.length === 0) throw new ValueError(`${what}: a scalar TF.js tensor has no samples; give at least a 1-D tensor`);
  return new Tensor(data, shape.slice());
}

