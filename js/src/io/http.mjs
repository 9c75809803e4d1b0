// http:// and https://: load a model.json and its weight files with fetch,
// save by POSTing a multipart form, as TF.js 4.22's tf.io.http does
// (tfjs-core io/http.ts, weights_loader.ts).
//
// The weight files of a manifest group are read against the bytes the group
// declares: a Content-Length larger than what is left, or a body that runs
// past it, stops every download at once; after the last byte each group's
// total must equal what its specs declare. Nothing is allocated from a
// declared size: chunks are kept as they arrive and joined once they add up.
import { ValueError } from '../errors.mjs';
import { MAX_WEIGHT_BYTES, artifactsInfo, checkWeightData, concat, fromModelJSON, modelJSON, parseModelJSON, saveable } from './artifacts.mjs';

/**
 * MAX_JSON_BYTES caps a fetched model.json: 64 MiB, hundreds of times the
 * topology and manifest of a large Keras model, so a wrong URL (a weights
 * file, a video) is refused instead of read whole into a string.
 */
const MAX_JSON_BYTES = 64 * 2 ** 20;

/** fetcher returns the environment's fetch, or throws an Error saying it is missing. */
function fetcher(where) {
  if (typeof globalThis.fetch !== 'function') {
    throw new Error(`${where}: http(s):// needs fetch, which this environment lacks (browsers and Node ≥ 18 have it)`);
  }
  return globalThis.fetch.bind(globalThis);
}

/** parseUrl is TF.js's: the URL up to its last '/' (weight paths are appended to it) and its query string. */
function parseUrl(url) {
  const slash = url.lastIndexOf('/');
  const q = url.lastIndexOf('?');
  return [url.substring(0, slash) + '/', q > slash ? url.substring(q) : ''];
}

async function get(fetch, url, init, where, what) {
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    if (init?.signal?.aborted) throw init.signal.reason;
    throw new Error(`${where}: cannot fetch ${what} ${url}: ${e.message}${e.cause ? ` (${e.cause.message ?? e.cause})` : ''}`, { cause: e });
  }
  if (!res.ok) {
    throw new ValueError(`${where}: ${what} ${url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}; ` +
      (what === 'the model JSON' ? 'check that the URL points to a TF.js model.json' : "the model's weight files must be served beside its model.json, under the paths its weightsManifest names"));
  }
  return res;
}

/**
 * readCapped reads a response body into chunks, counting into budget
 * ({left}); it throws (and the caller aborts the other downloads) as soon as
 * the group's files hold more than the group declares.
 */
async function readCapped(res, budget, tooMuch) {
  const len = res.headers?.get?.('content-length');
  if (len != null && len !== '' && Number(len) > budget.left) throw tooMuch();
  if (!res.body || typeof res.body.getReader !== 'function') {
    const b = new Uint8Array(await res.arrayBuffer());
    budget.left -= b.byteLength;
    if (budget.left < 0) throw tooMuch();
    return [b];
  }
  const reader = res.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    budget.left -= value.byteLength;
    if (budget.left < 0) {
      reader.cancel().catch(() => {});
      throw tooMuch();
    }
    chunks.push(value);
  }
}

/** readBody is readCapped with a broken connection reported under where and the URL. */
async function readBody(res, budget, tooMuch, signal, where, url) {
  try {
    return await readCapped(res, budget, tooMuch);
  } catch (e) {
    if (e instanceof ValueError) throw e;
    if (signal?.aborted) throw signal.reason;
    throw new Error(`${where}: reading ${url} failed part way: ${e.message}; retry, or check the server`, { cause: e });
  }
}

/**
 * loadWeights fetches every group's files in parallel and returns the weight
 * data as one ArrayBuffer, each group checked against its declared bytes.
 */
async function loadWeights(fetch, url, groups, where) {
  const [prefix, suffix] = parseUrl(url);
  const ctl = new AbortController();
  const describe = (g, i) => `weightsManifest[${i}] (${g.paths.join(', ')})`;
  const jobs = groups.map((g, i) => {
    // A group with string weights declares only a lower bound; the exact
    // check walks the strings once the bytes are in.
    const budget = { left: g.lowerBound ? MAX_WEIGHT_BYTES : g.bytes };
    const tooMuch = () => new ValueError(`${where}: ${url}: the files of ${describe(g, i)} hold more than the ${g.bytes} bytes ` +
      'its weights declare; the weight files belong to another model or the manifest is damaged');
    return Promise.all(g.paths.map(async (p) => {
      const u = prefix + p + suffix;
      const res = await get(fetch, u, { signal: ctl.signal }, where, 'weight file');
      return readBody(res, budget, tooMuch, ctl.signal, where, u);
    }));
  });
  let files;
  try {
    files = await Promise.all(jobs);
  } catch (e) {
    ctl.abort(e);
    await Promise.allSettled(jobs);
    throw e;
  }
  groups.forEach((g, i) => {
    const sizes = files[i].map((chunks) => chunks.reduce((n, c) => n + c.byteLength, 0));
    const got = sizes.reduce((a, b) => a + b, 0);
    if (got < g.bytes) {
      throw new ValueError(`${where}: ${url}: ${describe(g, i)} declares ${g.bytes} bytes of weights but its files hold ${got} ` +
        `(${g.paths.map((p, j) => `${p}: ${sizes[j]}`).join(', ')}); a weight file is truncated or belongs to another model`);
    }
  });
  const data = concat(files.flat(2));
  checkWeightData(groups.flatMap((g) => g.weights), new Uint8Array(data), where, url);
  return data;
}

/** httpHandler is the IOHandler of an http(s):// URL: load reads a model.json, save POSTs to the URL. */
export function httpHandler(url, where) {
  return {
    async load() {
      const fetch = fetcher(where);
      const res = await get(fetch, url, undefined, where, 'the model JSON');
      const tooBig = () => new ValueError(`${where}: ${url} is larger than ${MAX_JSON_BYTES / 2 ** 20} MiB; ` +
        'a model.json holds the topology and the weights manifest, not the weights: check that the URL is the model.json');
      const text = new TextDecoder().decode(concat(await readBody(res, { left: MAX_JSON_BYTES }, tooBig, null, where, url)));
      const { json, groups } = parseModelJSON(text, where, url);
      const data = json.weightsManifest == null ? undefined : await loadWeights(fetch, url, groups, where);
      return fromModelJSON(json, groups, data);
    },

    /**
     * save POSTs a multipart/form-data body with the parts model.json
     * (topology + a manifest naming ./model.weights.bin) and
     * model.weights.bin, TF.js's form; the server decides where they go.
     */
    async save(artifacts) {
      const fetch = fetcher(where);
      const a = saveable(artifacts, where);
      const body = new FormData();
      body.append('model.json', new Blob([JSON.stringify(modelJSON(a, './model.weights.bin'))], { type: 'application/json' }), 'model.json');
      if (a.weightData != null) {
        body.append('model.weights.bin', new Blob([a.weightData], { type: 'application/octet-stream' }), 'model.weights.bin');
      }
      let res;
      try {
        res = await fetch(url, { method: 'POST', body });
      } catch (e) {
        throw new Error(`${where}: cannot POST the model to ${url}: ${e.message}`, { cause: e });
      }
      if (!res.ok) throw new Error(`${where}: POST ${url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}; the model was not saved`);
      return { modelArtifactsInfo: artifactsInfo(a), responses: [res] };
    },
  };
}
