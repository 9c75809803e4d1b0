// TF.js 4.22's ModelArtifacts as plain objects: the pieces every browser
// handler shares. A ModelArtifacts is {modelTopology, weightSpecs, weightData,
// format, generatedBy, convertedBy, trainingConfig, userDefinedMetadata,
// signature, modelInitializer, initializerSignature} (tfjs-core io/types.ts);
// a SaveResult is {modelArtifactsInfo: {dateSaved, modelTopologyType,
// modelTopologyBytes, weightSpecsBytes, weightDataBytes}}.
//
// Every byte count read from outside (a weights manifest, a store) is checked
// here against the bytes that are really there, before anything is decoded
// or allocated from it: weightBytes sizes specs without touching data, and
// checkWeightData proves that specs and bytes agree exactly.
import { NotImplementedError, ValueError } from '../errors.mjs';

/** DTYPE_BYTES is TF.js's DTYPE_VALUE_SIZE_MAP (io/types.ts): bytes per value of each dtype. */
export const DTYPE_BYTES = { float32: 4, float16: 2, int32: 4, uint16: 2, uint8: 1, bool: 1, complex64: 8 };

/** QUANT_DTYPES are the quantization dtypes TF.js decodes (io_utils.ts decodeWeight). */
const QUANT_DTYPES = ['uint8', 'uint16', 'float16'];

/**
 * MAX_WEIGHT_BYTES caps the weights one model may declare: 4 GiB, all a
 * wasm32 runtime can address (and more than one ArrayBuffer holds in most
 * browsers). A manifest that declares more is refused before any fetch.
 */
export const MAX_WEIGHT_BYTES = 2 ** 32;

/** METADATA_KEYS are the optional ModelArtifacts fields besides topology and weights, in TF.js's order. */
export const METADATA_KEYS = ['format', 'generatedBy', 'convertedBy', 'signature', 'userDefinedMetadata',
  'modelInitializer', 'initializerSignature', 'trainingConfig'];

/** show describes a value read from a file for an error message, short. */
export function show(v) {
  let s;
  try { s = JSON.stringify(v); } catch { s = String(v); }
  if (s === undefined) s = String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** isObject tells a plain JSON object (not null, not an array). */
export function isObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * weightBytes returns the bytes one weight spec takes in the weight data, and
 * whether that is only a lower bound (a string weight: 4 bytes per value plus
 * each string's own length, known only from the data). It throws ValueError
 * for a spec that is not {name, shape, dtype[, quantization]} with a known
 * dtype and a shape of non-negative integers.
 */
export function weightBytes(spec, where, what) {
  if (!isObject(spec)) throw new ValueError(`${where}: ${what}: a weight spec must be an object {name, shape, dtype}; got ${show(spec)}`);
  const name = spec.name;
  if (typeof name !== 'string') throw new ValueError(`${where}: ${what}: a weight spec has no string name: ${show(spec)}`);
  if (!Array.isArray(spec.shape)) throw new ValueError(`${where}: ${what}: weight '${name}' has no shape array: ${show(spec.shape)}`);
  let size = 1;
  for (const d of spec.shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new ValueError(`${where}: ${what}: weight '${name}' has shape ${show(spec.shape)}; dimensions must be non-negative integers`);
    }
    size *= d;
    if (size > MAX_WEIGHT_BYTES) {
      throw new ValueError(`${where}: ${what}: weight '${name}' declares shape ${show(spec.shape)}, more than ${MAX_WEIGHT_BYTES} values ` +
        '(4 GiB is the most a model may hold); the manifest is damaged or not meant for a browser');
    }
  }
  let dtype = spec.dtype;
  if (spec.quantization != null) {
    const q = spec.quantization;
    if (!isObject(q) || !QUANT_DTYPES.includes(q.dtype)) {
      throw new ValueError(`${where}: ${what}: weight '${name}' has quantization ${show(q)}; its dtype must be one of ${QUANT_DTYPES.join(', ')}`);
    }
    dtype = q.dtype;
  } else if (dtype === 'string') {
    return { bytes: 4 * size, size, lowerBound: true };
  }
  if (!Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw new ValueError(`${where}: ${what}: weight '${name}' has dtype ${show(spec.dtype)}; ` +
      `TF.js weight dtypes are ${[...Object.keys(DTYPE_BYTES), 'string'].join(', ')}`);
  }
  return { bytes: size * DTYPE_BYTES[dtype], size, lowerBound: false };
}

/**
 * expectedBytes sums weightBytes over specs: {bytes, lowerBound}. It refuses
 * a total past MAX_WEIGHT_BYTES.
 */
export function expectedBytes(specs, where, what) {
  if (!Array.isArray(specs)) throw new ValueError(`${where}: ${what}: the weight specs must be an array; got ${show(specs)}`);
  let bytes = 0, lowerBound = false;
  for (const s of specs) {
    const w = weightBytes(s, where, what);
    bytes += w.bytes;
    lowerBound ||= w.lowerBound;
    if (bytes > MAX_WEIGHT_BYTES) {
      throw new ValueError(`${where}: ${what}: the weight specs declare more than ${MAX_WEIGHT_BYTES} bytes (4 GiB, the most a model may hold); ` +
        'the manifest is damaged or not meant for a browser');
    }
  }
  return { bytes, lowerBound };
}

/**
 * checkWeightData throws ValueError unless specs describe exactly the bytes
 * of data (a Uint8Array): each weight's bytes in order, nothing missing and
 * nothing left over. String weights are walked through their 4-byte
 * little-endian length prefixes (TF.js's encoding), each checked against
 * what is left.
 */
export function checkWeightData(specs, data, where, what) {
  const { bytes, lowerBound } = expectedBytes(specs, where, what);
  if (!lowerBound) {
    if (bytes !== data.byteLength) throw sizeMismatch(bytes, data.byteLength, where, what);
    return;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let off = 0;
  for (const s of specs) {
    const w = weightBytes(s, where, what);
    if (!w.lowerBound) {
      off += w.bytes;
      if (off > data.byteLength) throw sizeMismatch(`at least ${off}`, data.byteLength, where, what);
      continue;
    }
    for (let i = 0; i < w.size; i++) {
      if (off + 4 > data.byteLength) throw sizeMismatch(`at least ${off + 4}`, data.byteLength, where, what);
      off += 4 + view.getUint32(off, true);
      if (off > data.byteLength) throw sizeMismatch(`at least ${off}`, data.byteLength, where, what);
    }
  }
  if (off !== data.byteLength) throw sizeMismatch(off, data.byteLength, where, what);
}

function sizeMismatch(want, got, where, what) {
  return new ValueError(`${where}: ${what}: the weight specs describe ${want} bytes but the weight data has ${got}; ` +
    'the weight files are truncated, damaged or belong to another model');
}

/**
 * weightBuffer joins a ModelArtifacts weightData (an ArrayBuffer, an array of
 * them as TF.js 4.22's WeightData allows, or a typed array) into one
 * ArrayBuffer; null when there is none. It throws TypeError for anything else.
 */
export function weightBuffer(weightData, where) {
  if (weightData == null) return null;
  if (weightData instanceof ArrayBuffer) return weightData;
  if (ArrayBuffer.isView(weightData)) {
    return weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength);
  }
  if (Array.isArray(weightData)) {
    let n = 0;
    for (const b of weightData) {
      if (!(b instanceof ArrayBuffer)) throw new TypeError(`${where}: weightData must be an ArrayBuffer or an array of ArrayBuffers; an element is ${show(b)}`);
      n += b.byteLength;
    }
    const out = new Uint8Array(n);
    let off = 0;
    for (const b of weightData) { out.set(new Uint8Array(b), off); off += b.byteLength; }
    return out.buffer;
  }
  throw new TypeError(`${where}: weightData must be an ArrayBuffer or an array of ArrayBuffers; got ${show(weightData)}`);
}

/**
 * saveable checks a ModelArtifacts before any store is touched and returns a
 * copy with weightData joined into one ArrayBuffer and only TF.js's fields
 * (so it can be structured-cloned). The topology must be JSON (TF.js's
 * stores refuse binary ones too) and the specs must describe the data.
 */
export function saveable(artifacts, where) {
  if (!isObject(artifacts)) throw new TypeError(`${where}: expected TF.js model artifacts {modelTopology, weightSpecs, weightData, ...}; got ${show(artifacts)}`);
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new NotImplementedError(`${where}: a binary model topology (a GraphDef) cannot be saved here; TF.js's browser handlers save JSON topologies only`);
  }
  const out = {};
  if (artifacts.modelTopology !== undefined) out.modelTopology = artifacts.modelTopology;
  const data = weightBuffer(artifacts.weightData, where);
  if (artifacts.weightSpecs != null || data !== null) {
    if (artifacts.weightSpecs == null) throw new ValueError(`${where}: the artifacts have weightData but no weightSpecs to describe it`);
    checkWeightData(artifacts.weightSpecs, new Uint8Array(data ?? new ArrayBuffer(0)), where, 'the model to save');
    out.weightSpecs = artifacts.weightSpecs;
    out.weightData = data ?? new ArrayBuffer(0);
  }
  for (const k of METADATA_KEYS) if (artifacts[k] !== undefined) out[k] = artifacts[k];
  return out;
}

/** utf8Length is the UTF-8 byte length of s (TF.js's stringByteLength). */
export function utf8Length(s) {
  return new TextEncoder().encode(s).byteLength;
}

/** artifactsInfo is TF.js's getModelArtifactsInfoForJSON: what listModels reports of a saved model. */
export function artifactsInfo(a) {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: a.modelTopology == null ? 0 : utf8Length(JSON.stringify(a.modelTopology)),
    weightSpecsBytes: a.weightSpecs == null ? 0 : utf8Length(JSON.stringify(a.weightSpecs)),
    weightDataBytes: a.weightData == null ? 0 : a.weightData.byteLength,
  };
}

/**
 * modelJSON is TF.js's getModelJSONForModelArtifacts: the model.json of a
 * saved model whose weights are the one file weightsPath.
 */
export function modelJSON(a, weightsPath) {
  const out = { modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
    weightsManifest: [{ paths: [weightsPath], weights: a.weightSpecs }] };
  for (const k of METADATA_KEYS.slice(3)) if (a[k] != null) out[k] = a[k];
  return out;
}

/**
 * parseModelJSON checks the text of a model.json: JSON, an object with a
 * modelTopology or a weightsManifest, the manifest an array of groups
 * {paths: [string...], weights: [spec...]} whose sizes are sane. It returns
 * {json, groups: [{paths, weights, bytes, lowerBound}]}.
 */
export function parseModelJSON(text, where, what) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValueError(`${where}: ${what} is not JSON (${e.message}); a TF.js model.json was expected`);
  }
  if (!isObject(json)) throw new ValueError(`${where}: ${what} is not a TF.js model.json: expected an object, got ${show(json)}`);
  if (json.modelTopology == null && json.weightsManifest == null) {
    throw new ValueError(`${where}: ${what} has neither a modelTopology nor a weightsManifest; it is not a TF.js model.json`);
  }
  const groups = [];
  if (json.weightsManifest != null) {
    if (!Array.isArray(json.weightsManifest)) throw new ValueError(`${where}: ${what}: weightsManifest must be an array of groups; got ${show(json.weightsManifest)}`);
    let total = 0;
    json.weightsManifest.forEach((g, i) => {
      if (!isObject(g) || !Array.isArray(g.paths) || !g.paths.every((p) => typeof p === 'string' && p !== '')) {
        throw new ValueError(`${where}: ${what}: weightsManifest[${i}] must be {paths: [file names], weights: [specs]}; got ${show(g)}`);
      }
      const e = expectedBytes(g.weights, where, `${what} weightsManifest[${i}]`);
      total += e.bytes;
      if (total > MAX_WEIGHT_BYTES) throw new ValueError(`${where}: ${what}: the manifest declares more than ${MAX_WEIGHT_BYTES} bytes of weights (4 GiB, the most a model may hold)`);
      if (g.paths.length === 0 && (e.bytes > 0 || e.lowerBound)) throw new ValueError(`${where}: ${what}: weightsManifest[${i}] declares weights but no files`);
      groups.push({ paths: g.paths, weights: g.weights, ...e });
    });
  }
  return { json, groups };
}

/**
 * fromModelJSON is TF.js's getModelArtifactsForJSONSync: the artifacts of a
 * parsed model.json and its weight data (one ArrayBuffer, already checked).
 */
export function fromModelJSON(json, groups, data) {
  const out = { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy };
  if (json.trainingConfig != null) out.trainingConfig = json.trainingConfig;
  if (json.weightsManifest != null) {
    out.weightSpecs = groups.flatMap((g) => g.weights);
    out.weightData = data;
  }
  for (const k of ['signature', 'userDefinedMetadata', 'modelInitializer', 'initializerSignature']) if (json[k] != null) out[k] = json[k];
  return out;
}

/** concat joins Uint8Array chunks into one ArrayBuffer. */
export function concat(chunks) {
  let n = 0;
  for (const c of chunks) n += c.byteLength;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.byteLength; }
  return out.buffer;
}

/** basename is TF.js's io_utils basename: the last path component. */
export function basename(path) {
  const parts = path.trim().replace(/\/+$/, '').split('/');
  return parts[parts.length - 1];
}
