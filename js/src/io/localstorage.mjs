// localstorage://name: a model in the page's Web Storage, in TF.js 4.22's
// layout (tfjs-core io/local_storage.ts), so TF.js and keraswasm read each
// other's models. Five keys per model, all strings:
//
//   tensorflowjs_models/<name>/info            JSON of ModelArtifactsInfo (dateSaved as an ISO string)
//   tensorflowjs_models/<name>/model_topology  JSON of modelTopology
//   tensorflowjs_models/<name>/weight_specs    JSON of weightSpecs
//   tensorflowjs_models/<name>/weight_data     base64 of the weight bytes
//   tensorflowjs_models/<name>/model_metadata  JSON of {format, generatedBy, convertedBy, signature,
//                                               userDefinedMetadata, modelInitializer,
//                                               initializerSignature, trainingConfig}
import { ValueError } from '../errors.mjs';
import { METADATA_KEYS, artifactsInfo, checkWeightData, saveable, show } from './artifacts.mjs';

export const LS_SCHEME = 'localstorage://';
const PREFIX = 'tensorflowjs_models';
const SUFFIXES = { info: 'info', topology: 'model_topology', weightSpecs: 'weight_specs', weightData: 'weight_data', metadata: 'model_metadata' };

/** storage returns the page's localStorage, or throws an Error saying the scheme needs a browser page. */
export function storage(where) {
  let ls;
  try { ls = globalThis.localStorage; } catch (e) {
    // A sandboxed or opaque-origin page throws SecurityError on access.
    throw new Error(`${where}: localstorage:// is not available here: ${e.message}`);
  }
  if (ls == null || typeof ls.getItem !== 'function') {
    throw new Error(`${where}: localstorage:// needs a browser page: this environment has no localStorage ` +
      '(Node.js and Web Workers have none); use indexeddb:// in a worker, or file:// in Node');
  }
  return ls;
}

/** keysOf returns the five storage keys of the model at path. */
function keysOf(path) {
  const k = {};
  for (const [f, s] of Object.entries(SUFFIXES)) k[f] = `${PREFIX}/${path}/${s}`;
  return k;
}

/** toBase64 encodes bytes as standard padded base64 (the same text as TF.js's btoa and Node's Buffer). */
function toBase64(buf) {
  const u8 = new Uint8Array(buf);
  const parts = [];
  for (let i = 0; i < u8.length; i += 0x8000) parts.push(String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000)));
  return btoa(parts.join(''));
}

/** fromBase64 decodes base64 text; the result's size comes from the text, never from a declared size. */
function fromBase64(s, where, what) {
  let bin;
  try { bin = atob(s); } catch {
    throw new ValueError(`${where}: ${what} is not base64 text; the stored model is damaged (remove it with remove_model)`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function parseItem(ls, key, where, what) {
  const s = ls.getItem(key);
  if (s == null) return null;
  try { return JSON.parse(s); } catch (e) {
    throw new ValueError(`${where}: ${what} (key ${key}) is not JSON (${e.message}); the stored model is damaged (remove it with remove_model)`);
  }
}

/** localStorageHandler is the IOHandler of localstorage://path. */
export function localStorageHandler(path, where) {
  if (typeof path !== 'string' || path === '') {
    throw new ValueError(`${where}: localstorage:// needs a model name, e.g. 'localstorage://my-model'; got ${show(path)}`);
  }
  const ls = storage(where);
  const keys = keysOf(path);
  const url = LS_SCHEME + path;
  return {
    /**
     * save writes the five keys. When the quota runs out half way, the keys
     * already written are taken back and the model saved there before is put
     * back, so a failed save leaves the old model intact.
     */
    async save(artifacts) {
      const a = saveable(artifacts, where);
      const info = artifactsInfo(a);
      const meta = {};
      // TF.js's order and rule: the first three as they are (JSON drops undefined), the rest when not null.
      METADATA_KEYS.forEach((k, i) => { if (i < 3 ? a[k] !== undefined : a[k] != null) meta[k] = a[k]; });
      const items = [
        [keys.info, JSON.stringify(info)],
        [keys.topology, JSON.stringify(a.modelTopology)],
        [keys.weightSpecs, JSON.stringify(a.weightSpecs ?? [])],
        [keys.weightData, toBase64(a.weightData ?? new ArrayBuffer(0))],
        [keys.metadata, JSON.stringify(meta)],
      ];
      const old = items.map(([k]) => [k, ls.getItem(k)]);
      try {
        for (const [k, v] of items) {
          if (v === undefined) ls.removeItem(k); else ls.setItem(k, v);
        }
      } catch (e) {
        restore(ls, old);
        const err = new Error(`${where}: cannot save to ${url}: ${e.message}; the storage quota is the likely cause ` +
          `(topology ${info.modelTopologyBytes} bytes, weight specs ${info.weightSpecsBytes}, weights ${info.weightDataBytes} ` +
          'as base64 text, 4/3 as many); the model stored there before is unchanged. Use indexeddb:// for larger models', { cause: e });
        throw err;
      }
      return { modelArtifactsInfo: info };
    },

    /** load reads the five keys back and checks the weight data against the specs. */
    async load() {
      const info = parseItem(ls, keys.info, where, `the info of ${url}`);
      if (info == null) throw new ValueError(`${where}: there is no model ${url} in local storage; list_models() lists the saved ones`);
      if (info.modelTopologyType !== 'JSON') {
        throw new ValueError(`${where}: ${url} has a ${show(info.modelTopologyType)} topology; only JSON topologies are stored in local storage`);
      }
      const topology = parseItem(ls, keys.topology, where, `the topology of ${url}`);
      if (topology == null) throw new ValueError(`${where}: the topology of ${url} is missing from local storage; the stored model is damaged`);
      const specs = parseItem(ls, keys.weightSpecs, where, `the weight specs of ${url}`);
      if (specs == null) throw new ValueError(`${where}: the weight specs of ${url} are missing from local storage; the stored model is damaged`);
      const b64 = ls.getItem(keys.weightData);
      if (b64 == null) throw new ValueError(`${where}: the weight data of ${url} is missing from local storage; the stored model is damaged`);
      const data = fromBase64(b64, where, `the weight data of ${url}`);
      checkWeightData(specs, data, where, url);
      const out = { modelTopology: topology, weightSpecs: specs };
      const meta = parseItem(ls, keys.metadata, where, `the metadata of ${url}`);
      if (meta != null) {
        out.format = meta.format;
        out.generatedBy = meta.generatedBy;
        out.convertedBy = meta.convertedBy;
        for (const k of METADATA_KEYS.slice(3)) if (meta[k] != null) out[k] = meta[k];
      }
      out.weightData = data.buffer;
      return out;
    },
  };
}

/** restore puts the saved [key, value] pairs back (null: the key was absent), new keys first removed to free room. */
function restore(ls, old) {
  for (const [k] of old) ls.removeItem(k);
  for (const [k, v] of old) if (v != null) ls.setItem(k, v);
}

/** localStorageManager lists and removes the models in local storage (TF.js's BrowserLocalStorageManager). */
export const localStorageManager = {
  scheme: 'localstorage',
  available: () => { try { storage('list'); return true; } catch { return false; } },
  /** list returns {path: ModelArtifactsInfo} of every model with an info key. */
  list(where) {
    const ls = storage(where);
    const out = {};
    const prefix = `${PREFIX}/`, suffix = `/${SUFFIXES.info}`;
    for (let i = 0; i < ls.length; i++) {
      const key = ls.key(i);
      if (key == null || !key.startsWith(prefix) || !key.endsWith(suffix)) continue;
      const parts = key.split('/');
      if (parts.length < 3) continue;
      out[parts.slice(1, -1).join('/')] = parseItem(ls, key, where, `the info of ${LS_SCHEME}${parts.slice(1, -1).join('/')}`);
    }
    return out;
  },
  /** remove deletes the model at path and returns its info. */
  remove(path, where) {
    const ls = storage(where);
    const keys = keysOf(path);
    if (ls.getItem(keys.info) == null) throw new ValueError(`${where}: there is no model ${LS_SCHEME}${path} in local storage; list_models() lists the saved ones`);
    const info = parseItem(ls, keys.info, where, `the info of ${LS_SCHEME}${path}`);
    for (const k of Object.values(keys)) ls.removeItem(k);
    return info;
  },
};
