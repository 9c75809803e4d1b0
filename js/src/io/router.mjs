// Where a model goes and comes from: TF.js's IOHandler objects ({save},
// {load}) as they are, file:// URLs and plain paths in Node (model.json and
// its weight shards, node_files.mjs), and the browser schemes (indexeddb://,
// localstorage://, downloads://, http(s)://) through one hook that the
// browser module installs (useBrowserHandlers). A path ending .keras or
// .weights.h5 is Keras's own file, read and written whole (kerasPath).
// TF.js: tfjs-core/src/io/router_registry.ts (getSaveHandlers, getLoadHandlers).

import { NotImplementedError, ValueError } from '../errors.mjs';
import { isNode } from '../env.mjs';
import { fileHandler } from './node_files.mjs';

let browser = null;

/**
 * useBrowserHandlers installs fn(url, where), which returns an IOHandler for
 * a browser URL (indexeddb://, localstorage://, downloads://, http(s)://) or
 * null when it does not take it. Pass null to remove it. Returns the hook it
 * replaces. js/src/io/namespace_io.mjs installs browser.mjs's browserHandler.
 */
export function useBrowserHandlers(fn) {
  if (fn !== null && typeof fn !== 'function') throw new TypeError('useBrowserHandlers: expected a function (url, where) => IOHandler | null, or null');
  const before = browser;
  browser = fn;
  return before; // so a test can put back the hook it replaced
}

const BROWSER_SCHEMES = ['indexeddb://', 'localstorage://', 'downloads://', 'http://', 'https://'];

/** schemeOf returns a URL's scheme with its "://" ("file://"), or '' for a plain path. */
function schemeOf(url) {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  return m ? `${m[1].toLowerCase()}://` : '';
}

/** filePath returns the file-system path of a file:// URL or a plain path, in Node; null otherwise. */
export function filePath(dest) {
  if (typeof dest !== 'string') return null;
  const scheme = schemeOf(dest);
  if (scheme === 'file://') return dest.slice('file://'.length);
  if (scheme === '' && !/^[a-z]+:/i.test(dest)) return dest;
  return null;
}

/** kerasPath reports which Keras file a destination names: 'keras' (.keras), 'h5' (.weights.h5) or null. */
export function kerasPath(dest) {
  if (typeof dest !== 'string') return null;
  if (dest.endsWith('.keras')) return 'keras';
  if (dest.endsWith('.weights.h5')) return 'h5';
  return null;
}

function handlerFor(url, where, kind) {
  if (url !== null && typeof url === 'object' && typeof url[kind] === 'function') return url;
  if (url !== null && typeof url === 'object') {
    throw new TypeError(`${where}: the IOHandler given has no ${kind}() method; expected an object with ${kind}(), a URL such as file://path or indexeddb://name, or a path`);
  }
  if (typeof url !== 'string' || url === '') {
    throw new TypeError(`${where}: expected a destination: an IOHandler, a URL (file://, indexeddb://, localstorage://, downloads://, http(s)://) or a path; received ${url === '' ? 'an empty string' : typeof url}`);
  }
  const scheme = schemeOf(url);
  if (BROWSER_SCHEMES.includes(scheme)) {
    const h = browser ? browser(url, where) : null;
    if (h && typeof h[kind] === 'function') return h;
    throw new NotImplementedError(`${where}: the ${scheme} scheme is not available in this build${browser ? ` for ${kind}` : ''} ` +
      '(its browser handlers are not installed); pass a TF.js IOHandler instead, or in Node a file:// URL or a path');
  }
  const path = filePath(url);
  if (path === null) {
    throw new ValueError(`${where}: cannot find a ${kind} handler for URL '${url}'; expected file://, indexeddb://, localstorage://, downloads://, http(s):// or a path`);
  }
  if (!isNode) {
    throw new NotImplementedError(`${where}: '${url}' is a file path, and files can be written and read only in Node; in a browser use indexeddb://, localstorage://, downloads:// or an IOHandler`);
  }
  return fileHandler(path, where);
}

/** saveHandlerFor returns the IOHandler that saves to dest: an object with save(artifacts), a URL or a path. */
export function saveHandlerFor(dest, where) { return handlerFor(dest, where, 'save'); }

/** loadHandlerFor returns the IOHandler that loads from src: an object with load(), a URL or a path. */
export function loadHandlerFor(src, where) { return handlerFor(src, where, 'load'); }
