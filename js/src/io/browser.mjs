// The browser's ways in and out for TF.js model artifacts: the URL schemes
// indexeddb://, localstorage://, downloads:// and http(s)://, File objects,
// and the model management of the two browser stores (tf.io.listModels,
// removeModel, copyModel, moveModel). Everything here works on TF.js 4.22
// ModelArtifacts and SaveResult objects and knows nothing of the runtime:
// the router (io/router.mjs) turns a keras model into artifacts and back.
import { ValueError, nearestName } from '../errors.mjs';
import { show } from './artifacts.mjs';
import { DOWNLOADS_SCHEME, browserFiles, downloadsHandler } from './files.mjs';
import { httpHandler } from './http.mjs';
import { IDB_SCHEME, indexedDBHandler, indexedDBManager } from './indexeddb.mjs';
import { LS_SCHEME, localStorageHandler, localStorageManager } from './localstorage.mjs';

export { browserFiles };

/** MANAGERS are the stores whose models can be listed and removed, by scheme. */
const MANAGERS = { indexeddb: indexedDBManager, localstorage: localStorageManager };
const SCHEMES = [IDB_SCHEME, LS_SCHEME, DOWNLOADS_SCHEME, 'http://', 'https://'];

/**
 * browserHandler returns the IOHandler of a browser URL: indexeddb://name
 * and localstorage://name (save and load), downloads://name (save only) and
 * http(s)://… (load a model.json; save POSTs it), or null when url is none
 * of these. where prefixes every error ('save', 'load_model'). It throws
 * when the environment lacks what the scheme needs (IndexedDB in Node).
 */
export function browserHandler(url, where = 'load_model') {
  if (typeof url !== 'string') return null;
  if (url.startsWith(IDB_SCHEME)) return indexedDBHandler(url.slice(IDB_SCHEME.length), where);
  if (url.startsWith(LS_SCHEME)) return localStorageHandler(url.slice(LS_SCHEME.length), where);
  if (url.startsWith(DOWNLOADS_SCHEME)) return downloadsHandler(url.slice(DOWNLOADS_SCHEME.length), where);
  if (/^https?:\/\//.test(url)) return httpHandler(url, where);
  return null;
}


/** storeOf splits a store URL into its manager and path; other URLs are a ValueError naming the nearest scheme. */
function storeOf(url, where) {
  if (typeof url !== 'string') throw new TypeError(`${where}: expected a model URL string such as 'indexeddb://my-model'; got ${show(url)}`);
  const i = url.indexOf('://');
  const scheme = i < 0 ? '' : url.slice(0, i);
  const path = i < 0 ? '' : url.slice(i + 3);
  if (!Object.hasOwn(MANAGERS, scheme)) {
    const near = scheme && nearestName(scheme, Object.keys(MANAGERS), 3);
    throw new ValueError(`${where}: ${show(url)} is not in a browser model store; the stores are indexeddb://name and localstorage://name` +
      (near ? `. Did you mean '${near}://${path}'?` : ''));
  }
  if (path === '') throw new ValueError(`${where}: ${show(url)} names no model; use '${scheme}://name'`);
  return { manager: MANAGERS[scheme], path };
}

/** handlerOf is browserHandler for copy and move: a ValueError, with the nearest scheme, for a URL it does not know. */
function handlerOf(url, where, kind) {
  if (typeof url !== 'string') throw new TypeError(`${where}: expected a model URL string such as 'indexeddb://my-model'; got ${show(url)}`);
  const h = browserHandler(url, where);
  if (h === null) {
    const i = url.indexOf('://');
    const near = i > 0 && nearestName(url.slice(0, i + 3), SCHEMES, 3);
    throw new ValueError(`${where}: no browser handler for ${show(url)}; the schemes are ${SCHEMES.map((s) => `${s}…`).join(', ')}` +
      (near ? `. Did you mean '${near}${url.slice(i + 3)}'?` : ''));
  }
  if (typeof h[kind] !== 'function') throw new ValueError(`${where}: ${show(url)} cannot be ${kind === 'load' ? 'read from (downloads:// only saves)' : 'written to'}`);
  return h;
}

/**
 * listModels returns {url: ModelArtifactsInfo} for every model in the
 * browser stores this environment has, as tf.io.listModels does (where
 * neither store exists, as in Node, that is {}).
 */
export async function listModels(where = 'list_models') {
  const out = {};
  for (const [scheme, m] of Object.entries(MANAGERS)) {
    if (!m.available()) continue;
    const models = await m.list(where);
    for (const [path, info] of Object.entries(models)) out[`${scheme}://${path}`] = info;
  }
  return out;
}

/** removeModel deletes the model at an indexeddb:// or localstorage:// URL and returns its ModelArtifactsInfo. */
export async function removeModel(url, where = 'remove_model') {
  const { manager, path } = storeOf(url, where);
  return manager.remove(path, where);
}

/**
 * copyModel loads the model at src (any browser URL that loads) and saves it
 * to dst (any that saves); it returns the ModelArtifactsInfo of the copy.
 */
export async function copyModel(src, dst, where = 'copy_model') {
  if (src === dst) throw new ValueError(`${where}: the source and the destination are the same URL, ${show(src)}`);
  const from = handlerOf(src, where, 'load');
  const to = handlerOf(dst, where, 'save');
  const r = await to.save(await from.load());
  return r.modelArtifactsInfo;
}

/**
 * moveModel copies the model at src, a browser store URL, to dst and then
 * removes it from src; it returns the ModelArtifactsInfo of the copy.
 *
 * Porting note: TF.js's moveModel removes the source before it saves the
 * destination when both are in one medium (to make room), and its check for
 * "one medium" compares the source with itself, so a failed save loses the
 * model. Here the source is removed only after the destination is written.
 */
export async function moveModel(src, dst, where = 'move_model') {
  const { manager, path } = storeOf(src, where);
  const info = await copyModel(src, dst, where);
  await manager.remove(path, where);
  return info;
}
