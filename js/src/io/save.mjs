// model.save, keras.models.load_model, model.save_weights and
// model.load_weights over the runtime's file doors: TF.js's Layers artifacts
// (wasm/tfjsfile.go) handed to any IOHandler (router.mjs), and Keras 3's
// .keras and .weights.h5 files (wasm/kerasfile.go) for paths that end so.
// In worker mode a TF.js IOHandler object runs on the page and rt is a
// stand-in whose door calls go to the model in the worker and return
// Promises (worker_io.mjs); the door results are awaited for that.
// Keras: keras/src/saving/saving_api.py (save_model, load_model);
// TF.js: tfjs-layers/src/engine/training.ts (save), models.ts (loadLayersModel).

import { NotImplementedError, ValueError } from '../errors.mjs';
import { saveHandlerFor, loadHandlerFor, kerasPath, filePath } from './router.mjs';
import { artifactsInfo, weightBytes, writeFile, readFile } from './node_files.mjs';
import { isNode, nodeModule } from '../env.mjs';

/** The artifact keys that cross to the core; userDefinedMetadata is not kept (it has no meaning for the model). */
const ARTIFACT_KEYS = ['modelTopology', 'format', 'generatedBy', 'convertedBy', 'trainingConfig', 'weightSpecs',
  'signature', 'modelInitializer', 'initializerSignature'];

/** artifactsOut (also BackupAndRestore's) turns the core's artifacts JSON and bytes into TF.js ModelArtifacts. */
export function artifactsOut([json, bytes]) {
  const a = JSON.parse(json);
  if (a.modelTopology === null) delete a.modelTopology;
  if (a.trainingConfig === undefined) delete a.trainingConfig;
  a.weightData = bytes.buffer.byteLength === bytes.length ? bytes.buffer : bytes.slice().buffer;
  return a;
}

/** artifactsIn checks what a handler's load() gave and returns [json, bytes] for the core. */
export function artifactsIn(a, where) {
  if (a === null || typeof a !== 'object') throw new ValueError(`${where}: the IOHandler's load() gave ${a === null ? 'null' : typeof a}; expected model artifacts {modelTopology, weightSpecs, weightData}`);
  if (a.modelTopology instanceof ArrayBuffer || ArrayBuffer.isView(a.modelTopology)) {
    throw new NotImplementedError(`${where}: a binary modelTopology (a graph model's GraphDef) cannot be loaded; only Layers models (format "layers-model") can`);
  }
  const out = {};
  for (const k of ARTIFACT_KEYS) if (a[k] !== undefined) out[k] = a[k];
  return [JSON.stringify(out), weightBytes(a.weightData, where)];
}

function checkOptions(where, { overwrite = true, save_format: format = null, trainable_only: trainableOnly = false, ...rest }, dest) {
  for (const k of Object.keys(rest)) {
    throw new TypeError(`${where}: unknown option ${k}; expected overwrite, include_optimizer, save_format`);
  }
  if (format !== null && format !== undefined && format !== 'keras' && format !== 'tfjs') {
    throw new NotImplementedError(`${where}: save_format=${JSON.stringify(format)} is not implemented ` +
      "(TensorFlow's SavedModel and the legacy whole-model HDF5 are not written here); use a path ending .keras, or a TF.js destination");
  }
  if (trainableOnly) throw new NotImplementedError(`${where}: trainableOnly=true is not implemented; every weight is saved`);
  if (typeof overwrite !== 'boolean') throw new TypeError(`${where}: overwrite must be true or false`);
  return { overwrite, keras: format === 'keras' || (format !== 'tfjs' && kerasPath(dest) === 'keras') };
}

async function refuseExisting(path, overwrite, where) {
  if (overwrite || !isNode) return;
  const fs = await nodeModule('node:fs/promises');
  if (await fs.stat(path).then(() => true, () => false)) {
    throw new ValueError(`${where}: ${path} exists and overwrite=false; remove it or pass overwrite: true`);
  }
}

function kerasFilePath(dest, where) {
  const p = filePath(dest);
  if (p === null || !isNode) {
    throw new NotImplementedError(`${where}: a .keras or .weights.h5 file is written to a path in Node; in a browser, save to indexeddb:// or downloads:// (TF.js's format) instead`);
  }
  return p;
}

/**
 * saveModel is model.save(filepath, {overwrite, include_optimizer, save_format})
 * for the model under handle h: a .keras file for a path ending .keras (or
 * save_format 'keras'), otherwise TF.js artifacts to the destination's
 * IOHandler. It resolves with TF.js's SaveResult.
 *
 * Porting note: Keras saves the optimizer by default (include_optimizer=True)
 * and TF.js does not (includeOptimizer=false); the keras namespace follows
 * Keras and keras.tf follows TF.js. A .keras file holds the compiled
 * optimizer's state under optimizer/vars of model.weights.h5, as Keras 3's
 * model.save always writes it (Keras 3 takes no include_optimizer for a
 * .keras file; tf.keras 2 did, for its own formats); include_optimizer: false
 * leaves it out here, and the loaded model then starts with a fresh optimizer.
 */
export async function saveModel(rt, h, cfg, where = 'save') {
  const { filepath: dest, include_optimizer: includeOptimizer = true, ...opts } = cfg;
  const { overwrite, keras } = checkOptions(where, opts, dest);
  if (typeof includeOptimizer !== 'boolean') throw new TypeError(`${where}: include_optimizer must be true or false`);
  if (keras) {
    const p = kerasFilePath(dest, where);
    await refuseExisting(p, overwrite, where);
    const bytes = rt.call('saveKeras', h, includeOptimizer, where);
    await writeFile(p, bytes);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.length } };
  }
  const handler = saveHandlerFor(dest, where);
  if (!overwrite) {
    const p = filePath(dest);
    if (p === null || typeof dest !== 'string') throw new NotImplementedError(`${where}: overwrite=false is implemented for paths only`);
    await refuseExisting(p, overwrite, where);
  }
  const artifacts = artifactsOut(await rt.call('saveTFJS', h, includeOptimizer, false, where));
  const r = await handler.save(artifacts);
  return r ?? { modelArtifactsInfo: artifactsInfo(artifacts) };
}

/** loadModel is keras.models.load_model(source): a .keras path, or any TF.js load source; it resolves with a handle. */
export async function loadModel(rt, src, opts = {}, where = 'load_model') {
  const { compile = true, custom_objects: custom = null, safe_mode: safe = true, ...rest } = opts ?? {};
  for (const k of Object.keys(rest)) throw new TypeError(`${where}: unknown option ${k}; expected compile, custom_objects, safe_mode`);
  if (custom !== null && custom !== undefined) throw new NotImplementedError(`${where}: custom_objects is not implemented (custom classes cannot be registered here)`);
  if (compile !== true) throw new NotImplementedError(`${where}: compile=false is not implemented; the model is compiled from its file when it was saved compiled`);
  void safe; // safe_mode guards Python lambdas, which these files never hold.
  if (kerasPath(src) === 'keras') {
    const bytes = await readFile(kerasFilePath(src, where), where);
    return rt.call('loadKeras', bytes, where);
  }
  if (kerasPath(src) === 'h5') {
    throw new ValueError(`${where}: ${src} holds weights only, not a model; make the model and call model.load_weights`);
  }
  const a = await loadHandlerFor(src, where).load();
  if (a && a.format === 'keras' && a.kerasBytes !== undefined) {
    return rt.call('loadKeras', weightBytes(a.kerasBytes, where), where);
  }
  const [json, bytes] = artifactsIn(a, where);
  return rt.call('loadTFJS', json, bytes, where);
}

/** saveWeights is model.save_weights(filepath): .weights.h5 for a path ending so, else TF.js weights to the destination. */
export async function saveWeights(rt, h, cfg, where = 'save_weights') {
  const { filepath: dest, overwrite = true, ...rest } = cfg;
  for (const k of Object.keys(rest)) throw new TypeError(`${where}: unknown option ${k}; expected overwrite`);
  if (kerasPath(dest) === 'h5') {
    const p = kerasFilePath(dest, where);
    await refuseExisting(p, overwrite, where);
    await writeFile(p, rt.call('saveWeightsH5', h, where));
    return undefined;
  }
  if (kerasPath(dest) === 'keras') throw new ValueError(`${where}: a .keras file holds a whole model; save_weights writes .weights.h5 (or TF.js weights)`);
  const handler = saveHandlerFor(dest, where);
  const artifacts = artifactsOut(await rt.call('saveTFJS', h, false, true, where));
  await handler.save(artifacts);
  return undefined;
}

/** loadWeights is model.load_weights(filepath): .weights.h5, or TF.js weights from any load source, matched by name. */
export async function loadWeights(rt, h, cfg, where = 'load_weights') {
  const { filepath: src, skip_mismatch: skip = false, ...rest } = cfg;
  for (const k of Object.keys(rest)) throw new TypeError(`${where}: unknown option ${k}; expected skip_mismatch`);
  if (skip) throw new NotImplementedError(`${where}: skip_mismatch=true is not implemented; every weight must fit`);
  if (kerasPath(src) === 'h5') {
    rt.call('loadWeightsH5', h, await readFile(kerasFilePath(src, where), where), where);
    return undefined;
  }
  const a = await loadHandlerFor(src, where).load();
  const [json, bytes] = artifactsIn(a, where);
  await rt.call('loadTFJSWeights', h, json, bytes, where);
  return undefined;
}
