// indexeddb://name: a model in the browser's IndexedDB, in TF.js 4.22's
// layout (tfjs-core io/indexed_db.ts), so TF.js and keraswasm read each
// other's models: database 'tensorflowjs' version 1, two object stores keyed
// by 'modelPath':
//
//   models_store      {modelPath, modelArtifacts, modelArtifactsInfo}   (weightData one ArrayBuffer)
//   model_info_store  {modelPath, modelArtifactsInfo}                   (what listModels reads)
//
// Porting note: TF.js writes the two stores in two transactions, one after
// the other, and removes a model the same way; a failure between them leaves
// an info record without its model. Here both stores change in one
// transaction, which IndexedDB commits whole or not at all, so a failed save
// leaves the model stored before intact.
import { ValueError } from '../errors.mjs';
import { artifactsInfo, checkWeightData, saveable, show } from './artifacts.mjs';

export const IDB_SCHEME = 'indexeddb://';
const DATABASE = 'tensorflowjs';
const VERSION = 1;
const MODELS = 'models_store';
const INFO = 'model_info_store';

/** factory returns the environment's IndexedDB, or throws an Error saying the scheme needs a browser. */
export function factory(where) {
  let f;
  try { f = globalThis.indexedDB; } catch (e) {
    throw new Error(`${where}: indexeddb:// is not available here: ${e.message}`);
  }
  if (f == null || typeof f.open !== 'function') {
    throw new Error(`${where}: indexeddb:// needs a browser (a page or a Web Worker): this environment has no IndexedDB ` +
      '(Node.js has none); in Node save to file://path instead');
  }
  return f;
}

/** open opens TF.js's database, creating its two stores the first time (as TF.js's setUpDatabase does). */
function open(idb, where) {
  return new Promise((resolve, reject) => {
    let req;
    // open throws at once where storage is denied (an opaque origin, a sandboxed frame).
    try { req = idb.open(DATABASE, VERSION); } catch (e) { reject(wrap(e, where, `cannot open the IndexedDB database '${DATABASE}'`)); return; }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(INFO)) db.createObjectStore(INFO, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(wrap(req.error, where, `cannot open the IndexedDB database '${DATABASE}'`));
    req.onblocked = () => reject(new Error(`${where}: the IndexedDB database '${DATABASE}' is blocked by another tab holding an older version open; close it and retry`));
  });
}

function wrap(e, where, what) {
  return new Error(`${where}: ${what}: ${e?.message ?? e}`, { cause: e });
}

/**
 * run opens the database, runs body(stores) in one transaction over names
 * and resolves to body's result once the transaction has committed; it
 * rejects (and the transaction is aborted, changing nothing) if body throws
 * or a request fails. body's result may be a function called at commit.
 */
async function run(idb, names, mode, where, what, body) {
  const db = await open(idb, where);
  try {
    return await new Promise((resolve, reject) => {
      let tx;
      try { tx = db.transaction(names, mode); } catch (e) { reject(wrap(e, where, what)); return; }
      const stores = Object.fromEntries(names.map((n) => [n, tx.objectStore(n)]));
      let result, failure = null;
      const fail = (e) => { if (failure === null) failure = e; try { tx.abort(); } catch { /* already finished */ } };
      tx.oncomplete = () => (failure ? reject(failure) : resolve(result));
      tx.onabort = () => reject(failure ?? wrap(tx.error, where, what));
      tx.onerror = (ev) => { ev?.preventDefault?.(); fail(wrap(tx.error ?? ev?.target?.error, where, what)); };
      try {
        body(stores, (r) => { result = r; }, fail);
      } catch (e) { fail(e?.message?.startsWith(`${where}: `) ? e : wrap(e, where, what)); }
    });
  } finally {
    db.close();
  }
}

/** onDone calls then with an IDBRequest's result when it succeeds (a failure aborts the transaction). */
function onDone(req, then) { req.onsuccess = () => then(req.result); }

/** indexedDBHandler is the IOHandler of indexeddb://path. */
export function indexedDBHandler(path, where) {
  if (typeof path !== 'string' || path === '') {
    throw new ValueError(`${where}: indexeddb:// needs a model name, e.g. 'indexeddb://my-model'; got ${show(path)}`);
  }
  const idb = factory(where);
  const url = IDB_SCHEME + path;
  return {
    /** save puts the model and its info in one transaction. */
    async save(artifacts) {
      const modelArtifacts = saveable(artifacts, where);
      const modelArtifactsInfo = artifactsInfo(modelArtifacts);
      await run(idb, [INFO, MODELS], 'readwrite', where, `cannot save ${url} (the storage quota is a possible cause)`, (s, done) => {
        s[INFO].put({ modelPath: path, modelArtifactsInfo });
        s[MODELS].put({ modelPath: path, modelArtifacts, modelArtifactsInfo });
        done();
      });
      return { modelArtifactsInfo };
    },

    /** load reads the model record and checks its weight data against its specs. */
    async load() {
      const rec = await run(idb, [MODELS], 'readonly', where, `cannot read ${url}`, (s, done) => {
        onDone(s[MODELS].get(path), done);
      });
      if (rec == null) throw new ValueError(`${where}: there is no model ${url} in IndexedDB; list_models() lists the saved ones`);
      const a = rec.modelArtifacts;
      if (a == null || typeof a !== 'object') throw new ValueError(`${where}: the record of ${url} holds no model artifacts; the stored model is damaged`);
      if (a.modelTopology instanceof ArrayBuffer) throw new ValueError(`${where}: ${url} has a binary topology; only JSON topologies are read`);
      if (a.weightSpecs != null || a.weightData != null) {
        if (!(a.weightData instanceof ArrayBuffer)) throw new ValueError(`${where}: the weight data of ${url} is not an ArrayBuffer (${show(a.weightData)}); the stored model is damaged`);
        checkWeightData(a.weightSpecs, new Uint8Array(a.weightData), where, url);
      }
      return a;
    },
  };
}

/** indexedDBManager lists and removes the models in IndexedDB (TF.js's BrowserIndexedDBManager). */
export const indexedDBManager = {
  scheme: 'indexeddb',
  available: () => { try { factory('list'); return true; } catch { return false; } },
  /** list returns {path: ModelArtifactsInfo} from the info store. */
  list(where) {
    return run(factory(where), [INFO], 'readonly', where, 'cannot list the models', (s, done) => {
      onDone(s[INFO].getAll(), (items) => {
        const out = {};
        for (const it of items) out[it.modelPath] = it.modelArtifactsInfo;
        done(out);
      });
    });
  },
  /** remove deletes the model at path from both stores, in one transaction, and returns its info. */
  remove(path, where) {
    const url = IDB_SCHEME + path;
    return run(factory(where), [INFO, MODELS], 'readwrite', where, `cannot remove ${url}`, (s, done, fail) => {
      onDone(s[INFO].get(path), (rec) => {
        if (rec == null) { fail(new ValueError(`${where}: there is no model ${url} in IndexedDB; list_models() lists the saved ones`)); return; }
        s[INFO].delete(path);
        s[MODELS].delete(path);
        done(rec.modelArtifactsInfo);
      });
    });
  },
};
