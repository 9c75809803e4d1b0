// Where keraswasm runs: a browser page, a Web Worker, or Node (>= 20, whose
// worker_threads stand in for Web Workers). Everything that differs between
// them is here, once: how a URL or a path is resolved, how bytes are read,
// how fit yields to the event loop, and how a worker is started and talks.

/** isNode reports whether this is Node (a page or a Web Worker has no process.versions.node). */
export const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/**
 * nodeModule imports one of Node's built-in modules (node:fs/promises …),
 * which only Node code paths reach. The specifier is a variable, with the
 * comments Vite and webpack honour, so a bundler building for the browser
 * neither tries to resolve it nor warns that it "externalized" it.
 */
export function nodeModule(name) {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ name);
}

/**
 * resolveURL turns what a user passes as a location (a URL, a URL string,
 * or in Node a file path) into a URL; a relative URL string is taken against
 * base, else against the page.
 */
export async function resolveURL(u, base) {
  if (u instanceof URL) return u;
  if (isNode && !/^[a-z][a-z0-9+.-]*:/i.test(u)) return (await nodeModule('node:url')).pathToFileURL(u);
  return new URL(u, base ?? globalThis.location?.href);
}

/** readBytes reads a file: URL from disk (Node) and any other URL with fetch. */
export async function readBytes(url) {
  if (url.protocol === 'file:') {
    const fs = await nodeModule('node:fs/promises');
    return fs.readFile(url);
  }
  const res = await fetch(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}`);
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * yielder returns how fit gives the event loop a turn without a clamped
 * timer: setImmediate in Node (it lets timers run in the same loop turn),
 * a MessageChannel post in browsers and workers (setTimeout(0) nests to 4 ms).
 */
export function yielder() {
  if (typeof setImmediate === 'function') return (resume) => setImmediate(() => resumeGo(resume));
  const ch = new MessageChannel();
  const queue = [];
  ch.port1.onmessage = () => { const r = queue.shift(); if (r) resumeGo(r); };
  return (resume) => { queue.push(resume); ch.port2.postMessage(0); };
}

/**
 * resumeGo calls a Go function that resumes a yielded fit; if the Go
 * program has ended meanwhile (the runtime stopped, and said so to every
 * pending call), there is nothing to resume, and no exception is left
 * uncaught.
 */
function resumeGo(resume) {
  try {
    resume();
  } catch (e) {
    if (!(e instanceof Error && e.message === 'Go program has already exited')) throw e;
  }
}

/**
 * startWorker starts the module worker at url (a Web Worker in browsers, a
 * worker thread in Node) and returns its port {post, onMessage, onError,
 * onExit, ref, unref, terminate}; unref lets Node exit while the worker idles.
 * In a browser, make (if given) makes the Web Worker instead: the package's
 * own worker is made by src/assets.mjs newWorker, in the form bundlers see.
 */
export async function startWorker(url, make) {
  if (typeof Worker === 'function' && !isNode) {
    const w = make ? make() : new Worker(url, { type: 'module' });
    let onError = () => {};
    w.onerror = (e) => onError(new Error(`keras worker failed: ${e.message ?? e}`));
    return {
      post: (m) => w.postMessage(m),
      onMessage: (f) => { w.onmessage = (e) => f(e.data); },
      onError: (f) => { onError = f; },
      onExit() {}, // a Web Worker has no exit event; terminate() is seen by the Client itself
      ref() {}, unref() {},
      terminate: () => w.terminate(),
    };
  }
  const { Worker: NodeWorker } = await nodeModule('node:worker_threads');
  const w = new NodeWorker(url);
  return {
    post: (m) => w.postMessage(m),
    onMessage: (f) => w.on('message', f),
    onError: (f) => w.on('error', f),
    onExit: (f) => w.on('exit', f),
    ref: () => w.ref(),
    unref: () => w.unref(),
    terminate: () => w.terminate(),
  };
}

/**
 * parentPort is the worker's side of startWorker's port: {post, onMessage}.
 * A Web Worker keeps the messages that arrive before onMessage is given.
 */
export async function parentPort() {
  if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
    const queue = [];
    let handler = null;
    globalThis.onmessage = (e) => (handler ? handler(e.data) : queue.push(e.data));
    return {
      post: (m) => globalThis.postMessage(m),
      onMessage: (f) => { handler = f; queue.splice(0).forEach(f); },
    };
  }
  const { parentPort: port } = await nodeModule('node:worker_threads');
  return { post: (m) => port.postMessage(m), onMessage: (f) => port.on('message', f) };
}
