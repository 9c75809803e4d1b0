// Arguments the Keras way in JavaScript: positional arguments in Keras's
// order, then one options object for the keyword arguments, in snake_case
// (Keras) or camelCase (TF.js). Everything becomes a Keras config dict with
// snake_case keys; the Go core validates the values and rejects unknown keys.

import { Tensor, describe } from './tensor.mjs';

/**
 * KerasObject is a Keras config made in JS (a layer, an optimizer, a
 * regularizer ...): keras.layers.Dense(32) returns one. It serializes as
 * {class_name, config}, the one language the runtime speaks.
 */
export class KerasObject {
  constructor(className, config) {
    this.class_name = className;
    this.config = config;
  }

  /** get_config returns a copy of the Keras config dict (the arguments). */
  get_config() { return structuredClone(toWire(this.config)); }

  /** getConfig is TF.js's spelling of get_config. */
  getConfig() { return this.get_config(); }

  /** getClassName is TF.js's spelling of class_name. */
  getClassName() { return this.class_name; }

  toJSON() { return { class_name: this.class_name, config: toWire(this.config) }; }
}

/** snake turns a camelCase key into snake_case (inputShape → input_shape, beta1 → beta_1). */
export function snake(key) {
  const special = TFJS_KEYS[key];
  if (special) return special;
  return key.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
}

// Keys whose TF.js spelling does not map by case alone.
const TFJS_KEYS = { beta1: 'beta_1', beta2: 'beta_2', className: 'class_name' };

// Values whose TF.js spelling differs (data_format: 'channelsLast').
const TFJS_VALUES = { channelsLast: 'channels_last', channelsFirst: 'channels_first' };

/** isPlainObject reports whether v is an options object rather than a value. */
export function isPlainObject(v) {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * isOptions reports whether v (the last argument) is the keyword-arguments
 * object rather than a value: a config dict ({class_name, config}) and data
 * given as {data, shape} are values.
 */
export function isOptions(v) {
  return isPlainObject(v) && !('class_name' in v) && !('className' in v) && !isTensorLike(v);
}

/** isTensorLike reports whether v is data given as {data, shape}. */
export function isTensorLike(v) {
  return Array.isArray(v.shape) && (ArrayBuffer.isView(v.data) || Array.isArray(v.data));
}

/**
 * toSnakeKeys converts the keys of an options object, refusing one argument
 * given in both spellings. Nested dicts are converted too (a config dict may
 * come from TF.js as {className, config}).
 */
export function toSnakeKeys(owner, obj) {
  const out = {};
  const from = {};
  for (const [k, v] of Object.entries(obj)) {
    const s = snake(k);
    if (s in out) {
      throw new TypeError(`${owner}: argument ${s} was given twice (as ${from[s]} and as ${k}); give it once`);
    }
    from[s] = k;
    out[s] = normalizeValue(s, v, owner);
  }
  return out;
}

function normalizeValue(key, v, owner) {
  // A Map given for a dict argument (class_weight) becomes the dict here, on
  // the page, so it survives the worker's message encoding as well.
  if (v instanceof Map) return mapToDict(v, `${owner}: ${key}`);
  if (key === 'data_format' && typeof v === 'string' && TFJS_VALUES[v]) return TFJS_VALUES[v];
  if (isPlainObject(v) && ('class_name' in v || 'className' in v)) return toSnakeKeys(owner, v);
  return v;
}

/**
 * parseArgs reads Keras-style arguments: args are positional values in the
 * order of names, optionally followed by one options object. It returns the
 * config dict. owner names the callee in errors, as Python's TypeError does.
 */
export function parseArgs(owner, names, args) {
  let pos = args;
  let opts = {};
  if (pos.length > 0 && isOptions(pos[pos.length - 1])) {
    opts = toSnakeKeys(owner, pos[pos.length - 1]);
    pos = pos.slice(0, -1);
  }
  if (pos.length > names.length) {
    const takes = names.length === 0 ? 'no positional arguments' : `at most ${names.length} positional argument${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
    throw new TypeError(`${owner}() takes ${takes} but ${pos.length} were given; pass the others in the options object`);
  }
  const config = {};
  pos.forEach((v, i) => {
    if (v !== undefined) config[names[i]] = normalizeValue(names[i], v, owner);
  });
  for (const [k, v] of Object.entries(opts)) {
    if (k in config) throw new TypeError(`${owner}() got multiple values for argument '${k}'`);
    if (v !== undefined) config[k] = v;
  }
  return config;
}

/**
 * toWire prepares a value for JSON to the runtime: KerasObjects become their
 * config dicts, tagged functions (keras.activations.relu) their names, NaN and
 * the infinities strings (so the core names them in its error instead of JSON
 * turning them into null). Untagged functions and tensors are refused.
 */
export function toWire(v, path = 'config') {
  if (v === null || v === undefined) return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'function') {
    if (typeof v.keras_name === 'string') return v.keras_name;
    throw new TypeError(`${path}: a JavaScript function (${v.name || 'anonymous'}) cannot be used here: the Go core needs ` +
      'a name or a config (for example "relu" or keras.activations.relu); custom functions work only as metrics and callbacks');
  }
  if (v instanceof KerasObject) return { class_name: v.class_name, config: toWire(v.config, `${path}.${v.class_name}`) };
  if (v instanceof Tensor) return Array.from(v.data);
  if (ArrayBuffer.isView(v)) return Array.from(v, Number);
  if (Array.isArray(v)) return v.map((e, i) => toWire(e, `${path}[${i}]`));
  // A Map (class_weight as new Map([[0, 1], [1, 5]]), Python's dict with int
  // keys) is a dict too; JSON would drop its entries silently.
  if (v instanceof Map) return toWire(mapToDict(v, path), path);
  if (typeof v === 'object') {
    const out = {};
    for (const [k, e] of Object.entries(v)) {
      const w = toWire(e, `${path}.${k}`);
      if (w !== undefined) out[k] = w;
    }
    return out;
  }
  throw new TypeError(`${path}: cannot pass ${describe(v)} to the runtime`);
}

/** mapToDict is a Map as the dict (plain object) it stands for; its keys must be numbers or strings. */
export function mapToDict(m, path) {
  const out = {};
  for (const [k, e] of m) {
    if (typeof k !== 'string' && typeof k !== 'number') {
      throw new TypeError(`${path}: a Map key must be a number or a string; found ${describe(k)}`);
    }
    out[String(k)] = e;
  }
  return out;
}

/** wireJSON is JSON.stringify(toWire(v)). */
export function wireJSON(v, path) { return JSON.stringify(toWire(v, path)); }

/**
 * factory makes a Keras constructor that works with or without `new`:
 * keras.layers.Dense(32) and new keras.layers.Dense(32) both return a
 * KerasObject of the class (an instance of the returned function, too).
 */
export function factory(kind, className, names, extra) {
  const ctor = function (...args) {
    const config = parseArgs(className, names, args);
    if (extra) extra(config);
    const obj = new KerasObject(className, config);
    Object.setPrototypeOf(obj, ctor.prototype);
    return obj;
  };
  Object.defineProperty(ctor, 'name', { value: className });
  ctor.prototype = Object.create(KerasObject.prototype, { constructor: { value: ctor } });
  ctor.kind = kind;
  ctor.class_name = className;
  ctor.argNames = names;
  return ctor;
}
