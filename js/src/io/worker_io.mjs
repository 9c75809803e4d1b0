// TF.js IOHandler objects ({save(artifacts)}, {load()}) in worker mode
// (loadKeras({worker: true})): a handler's functions cannot cross to the
// worker, so the handler runs on the page and only the artifacts cross.
// model.save(handler) asks the model in the worker for its artifacts (the
// saveTFJS door) and hands them to handler.save here; load_model(handler)
// and model.load_weights(handler) call handler.load() here and send what it
// gave to the worker. The checks and the option handling are save.mjs's,
// the main thread's, with a stand-in runtime whose door calls are requests
// (OP.door) to the model in the worker.
// TF.js: tfjs-core/src/io/types.ts (IOHandler, ModelArtifacts, SaveResult).

import { OP } from '../wire.mjs';
import { parseArgs } from '../args.mjs';
import { BEFORE_FIT } from '../callbacks.mjs';
import { modelRuntime } from '../model.mjs';
import { saveModel, saveWeights, loadWeights, loadModel } from './save.mjs';

/** METHODS are the model methods that take an IOHandler: their option names (model.mjs's) and save.mjs's function. */
const METHODS = {
  save: [['overwrite', 'include_optimizer', 'save_format'], saveModel],
  save_weights: [['overwrite'], saveWeights],
  load_weights: [['skip_mismatch'], loadWeights],
};

/** PAGE_DOORS are the runtime doors the page may run on a model in the worker (OP.door). */
export const PAGE_DOORS = new Set(['saveTFJS', 'loadTFJSWeights', 'loadTFJSState']);

/** LOAD_DOORS are the doors that make a model in the worker from what a handler's load() gave (OP.new, ctor 'door'). */
export const LOAD_DOORS = new Set(['loadTFJS', 'loadKeras']);

/** workerDoors is the stand-in runtime of model target in the worker: call(door, h, ...args) runs the door there. */
export function workerDoors(client, target) {
  return { call: (door, _h, ...args) => client.request({ op: OP.door, target, door, args }) };
}

/**
 * handlerCall runs model.save, save_weights or load_weights (method) whose
 * first argument is not a string (an IOHandler, or something else, refused
 * as on the main thread) for model target in the worker.
 */
export function handlerCall(client, target, method, args) {
  const [names, fn] = METHODS[method];
  const [filepath, ...rest] = args;
  return fn(workerDoors(client, target), null, { filepath, ...parseArgs(method, names, rest) });
}

/**
 * handlerLoad is keras.models.load_model(source, options) for a source that
 * is not a string: the checks and source.load() run here; it resolves with
 * [door, ...args], the call that makes the model in the worker.
 */
export async function handlerLoad(source, options) {
  let made = null;
  const doors = { call: (door, ...args) => { made = [door, ...args]; return null; } };
  await loadModel(doors, source, options, 'load_model');
  return made;
}

// remotes holds, for each model proxy of the page (remote.mjs RemoteModel),
// how to reach its model in the worker: {client, target, created}.
const remotes = new WeakMap();

/** setRemote records where model (a page proxy) lives: model target of client, made once created settles. */
export function setRemote(model, client, target, created) { remotes.set(model, { client, target, created }); }

/**
 * modelDoors returns how callbacks reach a model's runtime doors wherever it
 * lives: {call(door, ...args), remote, parallel}. call returns the door's
 * result (a Promise for a model in a worker); remote is true for a model in
 * a worker, parallel for one trained by several (workers > 1). null for
 * anything else (not a model, or one disposed).
 */
export function modelDoors(model) {
  const rh = modelRuntime(model);
  if (rh !== null) {
    const [rt, h] = rh;
    return { call: (door, ...args) => rt.call(door, h, ...args), remote: false, parallel: false };
  }
  const r = remotes.get(model);
  if (!r) return null;
  const doors = workerDoors(r.client, r.target);
  return {
    call: async (door, ...args) => { await r.created; return doors.call(door, null, ...args); },
    remote: true,
    parallel: Array.isArray(r.client.clients),
  };
}

/**
 * beforeFit runs, on the page, the BEFORE_FIT step of fit's callbacks
 * (cfg.callbacks, page objects) for model, a proxy of a model in the
 * worker, as model.mjs's fit does on the main thread: the epoch a restore
 * gives replaces initial_epoch.
 */
export async function beforeFit(model, cfg) {
  const cbs = Array.isArray(cfg.callbacks) ? cfg.callbacks : [];
  for (const cb of cbs) {
    if (cb === null || typeof cb !== 'object' || typeof cb[BEFORE_FIT] !== 'function') continue;
    const e = await cb[BEFORE_FIT](model);
    if (e !== undefined) cfg.initial_epoch = e;
  }
}
