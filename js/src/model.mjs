// keras.Sequential in JavaScript: argument handling and data conversion over
// the runtime's function table (rt). The model itself (layers, compile, the
// fit loop, callbacks, History) lives in the Go core; this file only turns
// Keras-style JS calls into a handle, JSON and tensors, and back.
// Keras: keras/src/models/sequential.py, keras/src/trainers/trainer.py.

import { KerasObject, parseArgs, toWire, isPlainObject } from './args.mjs';
import { MODEL_API, LAYER_API, OPTIMIZER_API, installLocal } from './api.mjs';
import { Tensor, toData, describe } from './tensor.mjs';
import { History, normalizeCallbacks, callHook, setModel, BEFORE_FIT } from './callbacks.mjs';
import { ValueError, NotImplementedError } from './errors.mjs';
import { saveModel, saveWeights, loadWeights } from './io/save.mjs';
import { claimLayer, releaseLayer } from './placed.mjs';

/**
 * callArgs reads Keras's call(inputs, training=None, mask=None), also as
 * call(inputs, {training}) (TF.js's kwargs). A mask is refused: a tensor given
 * by hand carries none in keraswasm, and an explicit one is not built.
 */
function callArgs(where, x, rest) {
  const tx = dataArg(x, `${where}: inputs`);
  if (!tx) throw new TypeError(`${where}: inputs is missing; call(x) runs on the batch x, e.g. model.call(keras.tensor(data, [n, ...]))`);
  const cfg = parseArgs(where, ['training', 'mask'], rest);
  if (cfg.mask != null) throw new NotImplementedError(`${where}: an explicit mask is not implemented in keraswasm; masks come from Embedding(mask_zero=true) or Masking inside the model`);
  const training = cfg.training ?? false;
  if (typeof training !== 'boolean') throw new TypeError(`${where}: training must be true, false or null; received ${describe(training)}`);
  return { tx, training };
}

/**
 * dataArg converts x/y/sample weights to a tensor for the runtime (null
 * stays null). NaN and infinities are the runtime's to refuse, where fit and
 * evaluate would see them (its SIMD scan, naming the sample), not scanned
 * here a second time.
 */
function dataArg(v, what) {
  if (v === undefined || v === null) return null;
  return toData(v, what);
}

/** customName gives a JS metric function's name, as Keras uses __name__. */
function customName(fn, where) {
  if (!fn.name) {
    throw new TypeError(`${where}: a custom function needs a name, which Keras logs it under; ` +
      'write function mean_pred(y_true, y_pred) {...} or const mean_pred = (y_true, y_pred) => ...');
  }
  return fn.name;
}

/** metricResult turns what a JS metric returns into float32 values: one per sample, or one for the batch. */
export function metricResult(r, name) {
  if (typeof r === 'number' || typeof r === 'boolean') return Float32Array.of(Number(r));
  if (r instanceof Tensor) return r.data;
  if (ArrayBuffer.isView(r)) return Float32Array.from(r, Number);
  if (Array.isArray(r)) return toData(r, `the result of metric ${name}`).data;
  throw new TypeError(`custom metric ${name} returned ${describe(r)}; expected a number or a tensor (for example keras.backend.mean(y_pred))`);
}

/**
 * Model is a Sequential model living in the runtime under an integer handle.
 * Construct it with keras.Sequential (with or without new). A method that
 * takes Keras arguments is written here on its parsed config dict (cfg):
 * installLocal (api.mjs) gives it its public form, positional arguments and
 * one options object, from the same table the worker proxy is derived from.
 */
let runtimeOf;

/** modelRuntime returns [runtime, handle] of a model made here (not through a worker), or null. */
export function modelRuntime(m) { return m !== null && typeof m === 'object' ? runtimeOf(m) : null; }

/**
 * reclaim frees the Go side of a model that JS can no longer reach (and no
 * fit, layer view or optimizer view holds): dispose() stays the prompt way,
 * this the safety net, so a page that drops models without dispose keeps
 * the runtime's memory bounded. The held value names the model without
 * referring to it; nothing Go holds refers to the Model either (see
 * userRunner), or the model could never become unreachable.
 */
const reclaim = new FinalizationRegistry(({ rt, h }) => {
  if (rt.dead) return;
  try {
    rt.call('dispose', h);
  } catch {
    // The runtime stopped meanwhile; nothing is left to free.
  }
});

export class Model {
  #rt; #h; #custom = false;

  constructor(rt, args, handle) {
    this.#rt = rt;
    if (handle !== undefined) {
      this.#h = handle;
      reclaim.register(this, { rt, h: handle }, this);
      return;
    }
    const cfg = parseArgs('Sequential', ['layers', 'name', 'trainable'], args);
    const { layers = [], name = null, ...rest } = cfg;
    if (!Array.isArray(layers)) {
      throw new TypeError(`Sequential: layers must be a list of layers; received ${describe(layers)}`);
    }
    this.#h = rt.call('newModel', JSON.stringify({ name, ...toWire(rest) }));
    let added = 0;
    try {
      layers.forEach((l, i) => { this.#add(l, `Sequential: layers[${i}]`); added++; });
    } catch (e) {
      for (const l of layers.slice(0, added)) releaseLayer(l);
      rt.call('dispose', this.#h);
      throw e;
    }
    reclaim.register(this, { rt, h: this.#h }, this);
  }

  #call(name, ...args) { return this.#rt.call(name, this.#h, ...args); }

  // For js/src/kerasfile.mjs: the runtime and handle of a model, without a public accessor.
  static { runtimeOf = (m) => (#h in m ? [m.#rt, m.#h] : null); }

  #add(layer, where) {
    if (!(layer instanceof KerasObject) && !(isPlainObject(layer) && typeof layer.class_name === 'string')) {
      throw new TypeError(`${where}: the added layer must be a layer such as keras.layers.Dense(32) or a config ` +
        `{class_name, config}. Received: layer=${describe(layer)}`);
    }
    if (layer instanceof KerasObject && layer.constructor.kind && layer.constructor.kind !== 'layer') {
      throw new TypeError(`${where}: ${layer.class_name} is a ${layer.constructor.kind}, not a layer`);
    }
    claimLayer(layer, this, where);
    try {
      this.#call('add', JSON.stringify(toWire(layer, where)));
    } catch (e) {
      releaseLayer(layer);
      throw e;
    }
  }

  /** build(input_shape) builds the model for inputs of that shape, the batch first: build([null, 784]). */
  build(cfg) {
    const { input_shape: shape, ...rest } = cfg;
    if (shape !== undefined && shape !== null && !Array.isArray(shape)) {
      throw new TypeError(`build: input_shape must be a list with the batch first, such as [null, 784]. Received: input_shape=${describe(shape)}`);
    }
    this.#call('build', JSON.stringify(toWire({ ...rest, ...(shape == null ? {} : { input_shape: shape }) })));
  }

  /** add appends a layer (Keras's model.add). */
  add(layer) { this.#add(layer, 'Sequential.add'); }

  /** pop removes the last layer. */
  pop() { this.#call('pop'); }

  /** reset_states sets the carried states of every stateful layer back to zeros (Keras's model.reset_states()). */
  reset_states() { this.#call('resetStates', -1); }

  /** The model's name. */
  get name() { return this.#info().name; }

  /** The layers, as views that read and write their weights. */
  get layers() { return this.#info().layers.map((l, i) => new LayerView(this.#rt, this.#h, i, l, this)); }

  /**
   * The model's weights as Keras's model.weights lists them: layer by layer,
   * each {name, path, shape, trainable}; trainable_weights and
   * non_trainable_weights split them by the layers' trainable flags now.
   */
  get weights() { return this.#info().layers.flatMap(weightList); }
  get trainable_weights() { return this.weights.filter((w) => w.trainable); }
  get non_trainable_weights() { return this.weights.filter((w) => !w.trainable); }

  /**
   * get_layer(name) or get_layer({index}) returns one layer's view, as
   * Keras's model.get_layer(name=None, index=None). A number given first is
   * read as the index (TF.js's getLayer takes it second).
   */
  get_layer(cfg) {
    let { name = null, index = null } = cfg;
    if (typeof name === 'number' && index === null) [name, index] = [null, name];
    if ((name === null) === (index === null)) {
      throw new ValueError(`get_layer: provide only a layer name or a layer index. Received: index=${describe(index)}, name=${describe(name)}`);
    }
    const layers = this.#info().layers;
    let i = index;
    if (index !== null) {
      if (!Number.isInteger(index) || index < 0 || index >= layers.length) {
        throw new ValueError(`get_layer: was asked to retrieve layer at index ${describe(index)} but model only has ${layers.length} layers`);
      }
    } else {
      if (typeof name !== 'string') throw new TypeError(`get_layer: name must be a string. Received: name=${describe(name)}`);
      i = layers.findIndex((l) => l.name === name);
      if (i < 0) {
        throw new ValueError(`get_layer: no such layer: ${name}. Existing layers are: [${layers.map((l) => `'${l.name}'`).join(', ')}]`);
      }
    }
    return new LayerView(this.#rt, this.#h, i, layers[i], this);
  }

  get input_shape() { return this.#info().input_shape; }
  get output_shape() { return this.#info().output_shape; }
  get built() { return this.#info().built; }
  get metrics_names() { return this.#info().metrics_names; }

  #info() { return JSON.parse(this.#call('info')); }

  /**
   * compile configures training: compile(optimizer, loss, metrics) or
   * compile({optimizer, loss, metrics}); optimizer defaults to 'rmsprop'.
   */
  compile(cfg) {
    const fns = [];
    const custom = (fn, where, kind) => {
      fns.push({ fn, kind });
      return { __js_fn__: fns.length - 1, name: customName(fn, where) };
    };
    const isCustom = (f) => typeof f === 'function' && typeof f.keras_name !== 'string';
    let { metrics, weighted_metrics: weighted, loss } = cfg;
    const metricList = (list, key) => {
      if (list === undefined || list === null) return list;
      if (!Array.isArray(list)) list = [list];
      return list.map((m, i) => (isCustom(m) ? custom(m, `compile: ${key}[${i}]`, 'metric') : toWire(m, `compile: ${key}[${i}]`)));
    };
    metrics = metricList(metrics, 'metrics');
    weighted = metricList(weighted, 'weighted_metrics');
    // A JS loss function gives no gradient; the core takes it by central
    // differences on the function (two calls per output value), which suits
    // small outputs. Keras's losses (names or keras.losses.*) are exact.
    if (isCustom(loss)) loss = custom(loss, 'compile: loss', 'loss');
    const wire = toWire({ ...cfg, metrics, weighted_metrics: weighted, loss }, 'compile');
    if (metrics === undefined) delete wire.metrics;
    if (weighted === undefined) delete wire.weighted_metrics;
    if (loss === undefined) delete wire.loss;
    this.#call('compile', JSON.stringify(wire), userRunner(this.#rt, fns));
    this.#custom = fns.length > 0;
  }

  /** Returns the extras every data call passes: how to print and which JS callbacks to call. */
  #extras(callbacks, where) {
    const { items, js } = normalizeCallbacks(callbacks, `${where}: callbacks`);
    for (const { cb } of js) setModel(cb, this);
    const rt = this.#rt;
    // dispatch is the one guarded path from Go to a JS callback: whatever the
    // hook does (throw, install a throwing getter or a Proxy on logs, return
    // a hostile thenable), Go reads only what this makes: undefined, {error,
    // name} with strings, or {logs, then} with a fresh object of numbers and
    // a Promise that never rejects.
    const dispatch = (i, hook, step, logs, batch) => {
      const entry = js[i];
      const fail = (e) => {
        rt.lastError = e;
        return { error: `${entry.where}.${entry.hooks[hook] ?? hook} threw: ${safeMessage(e)}`, name: safeName(e) };
      };
      if (hook === 'set_params') {
        // The core ignores set_params's result: its exception is reported by
        // the callback's next hook call.
        try {
          const setter = entry.cb.set_params ?? entry.cb.setParams;
          if (typeof setter === 'function') setter.call(entry.cb, logs);
        } catch (e) {
          entry.paramsError = fail(e);
          entry.paramsError.error = `${entry.where}.set_params threw: ${safeMessage(e)}`;
        }
        return undefined;
      }
      if (entry.paramsError) {
        const e = entry.paramsError;
        entry.paramsError = null;
        return e;
      }
      let changed = false;
      const proxy = new Proxy(logs, {
        set(t, k, v) { t[k] = v; changed = true; return true; },
        deleteProperty(t, k) { delete t[k]; changed = true; return true; },
        defineProperty(t, k, d) { changed = true; return Reflect.defineProperty(t, k, d); },
        setPrototypeOf() { return false; },
      });
      try {
        const r = callHook(entry, hook, step, proxy, batch);
        const thenable = r !== null && (typeof r === 'object' || typeof r === 'function') && typeof r.then === 'function';
        if (!changed && !thenable) return undefined;
        const out = {};
        if (changed) out.logs = plainLogs(logs);
        if (thenable) out.then = Promise.resolve(r).then(() => undefined, fail).catch(fail);
        return out;
      } catch (e) {
        return fail(e);
      }
    };
    return { callbacks: JSON.stringify(items), dispatch, print: rt.print };
  }

  /**
   * fit trains the model; it returns a Promise of the History and yields to
   * the event loop while it runs (yield_every: 'auto', 'batch', 'epoch',
   * 'never' or milliseconds).
   */
  fit(cfg) {
    const cbs = cfg?.callbacks;
    const before = (Array.isArray(cbs) ? cbs : [cbs]).filter((cb) => cb !== null && typeof cb === 'object' && typeof cb[BEFORE_FIT] === 'function');
    if (before.length === 0) return this.#fit(cfg);
    // A callback that restores a training state (BackupAndRestore) runs
    // first; the epoch it gives replaces initial_epoch, as in Keras.
    return (async () => {
      let initial;
      for (const cb of before) {
        const e = await cb[BEFORE_FIT](this);
        if (e !== undefined) initial = e;
      }
      return this.#fit(initial === undefined ? cfg : { ...cfg, initial_epoch: initial });
    })();
  }

  #fit(cfg) {
    return new Promise((resolve, reject) => {
      const { x, y, callbacks, validation_data: vd, sample_weight: sw, yield_every: ye, ...opts } = cfg;
      const tx = dataArg(x, 'fit: x');
      const ty = dataArg(y, 'fit: y');
      if (!tx) throw new TypeError('fit: x is missing: pass the training inputs, e.g. model.fit(x, y, {epochs: 10})');
      if (!ty) throw new TypeError('fit: y is missing: pass the targets, e.g. model.fit(x, y, {epochs: 10})');
      const extras = this.#extras(callbacks, 'fit');
      if (sw !== undefined && sw !== null) extras.sample_weight = dataArg(sw, 'fit: sample_weight');
      if (vd !== undefined && vd !== null) {
        if (!Array.isArray(vd) || vd.length < 2 || vd.length > 3) {
          throw new TypeError(`fit: validation_data must be [x_val, y_val] or [x_val, y_val, val_sample_weight]; received ${describe(vd)}`);
        }
        extras.validation_x = dataArg(vd[0], 'fit: validation_data[0]');
        extras.validation_y = dataArg(vd[1], 'fit: validation_data[1]');
        if (vd.length === 3 && vd[2] != null) extras.validation_sample_weight = dataArg(vd[2], 'fit: validation_data[2]');
      }
      if (ye !== undefined) extras.yield_every = ye;
      const history = new History();
      history.set_model(this);
      // If the runtime stops during the fit, the fit rejects with its Error.
      const untrack = this.#rt.track(reject);
      const [done, failed] = settlers(this.#rt, { resolve, reject, history, untrack });
      try {
        this.#call('fit', this.#rt.tensorIn(tx), this.#rt.tensorIn(ty), JSON.stringify(toWire(opts, 'fit')),
          this.#rt.extrasIn(extras), done, failed);
      } catch (e) {
        untrack();
        throw e;
      }
    });
  }

  /** evaluate returns the loss, or [loss, ...metrics], or a dict with return_dict. */
  evaluate(cfg) {
    const { x, y, callbacks, sample_weight: sw, return_dict: rd = false, ...opts } = cfg;
    const tx = dataArg(x, 'evaluate: x');
    const ty = dataArg(y, 'evaluate: y');
    if (!tx || !ty) throw new TypeError('evaluate: x and y are required: model.evaluate(x_test, y_test)');
    const extras = this.#extras(callbacks, 'evaluate');
    if (sw !== undefined && sw !== null) extras.sample_weight = dataArg(sw, 'evaluate: sample_weight');
    const r = this.#call('evaluate', this.#rt.tensorIn(tx), this.#rt.tensorIn(ty), JSON.stringify(toWire(opts, 'evaluate')),
      this.#rt.extrasIn(extras));
    return this.#scores(r, rd);
  }

  #scores(r, returnDict) {
    const values = Array.from(r);
    if (returnDict) {
      const names = this.metrics_names;
      return Object.fromEntries(names.map((n, i) => [n, values[i]]));
    }
    return values.length === 1 ? values[0] : values;
  }

  /** predict returns the outputs for x as a keras tensor. */
  predict(cfg) {
    const { x, callbacks, ...opts } = cfg;
    const tx = dataArg(x, 'predict: x');
    if (!tx) throw new TypeError('predict: x is missing: model.predict(x)');
    const extras = this.#extras(callbacks, 'predict');
    return this.#rt.tensorOut(this.#call('predict', this.#rt.tensorIn(tx), JSON.stringify(toWire(opts, 'predict')),
      this.#rt.extrasIn(extras)));
  }

  /** train_on_batch runs one gradient step on one batch; it returns the loss or [loss, ...metrics]. */
  train_on_batch(cfg) {
    return this.#onBatch('trainOnBatch', 'train_on_batch', cfg);
  }

  /** test_on_batch evaluates one batch. */
  test_on_batch(cfg) {
    return this.#onBatch('testOnBatch', 'test_on_batch', cfg);
  }

  #onBatch(op, where, cfg) {
    const { x, y, sample_weight: sw, return_dict: rd = false, ...opts } = cfg;
    const tx = dataArg(x, `${where}: x`);
    const ty = dataArg(y, `${where}: y`);
    if (!tx || !ty) throw new TypeError(`${where}: x and y are required`);
    const tsw = sw === undefined || sw === null ? null : dataArg(sw, `${where}: sample_weight`);
    // The wasmexport fast path, unless JS functions (custom metrics) must be
    // called back during the step, or options need the general path.
    if (this.#rt.hasFast && !this.#custom && Object.keys(opts).length === 0) {
      return this.#scores(this.#rt.fastOnBatch(this.#h, op === 'trainOnBatch', tx, ty, tsw), rd);
    }
    const extras = {};
    if (tsw) extras.sample_weight = tsw;
    const r = this.#call(op, this.#rt.tensorIn(tx), this.#rt.tensorIn(ty), JSON.stringify(toWire(opts, where)),
      this.#rt.extrasIn(extras));
    return this.#scores(r, rd);
  }

  /**
   * call runs the model on one batch: Keras's model(x, training=false).
   *
   * Keras calls a model as a function, model(x). A JS object cannot be
   * called, and making Sequential return a function (a callable with the
   * model's prototype) would lose the class's private fields and
   * instanceof, so keraswasm names the call: model.call(x, {training}),
   * which is also TF.js's Layer.call(inputs, kwargs), with TF.js's apply
   * as an alias. The result is a keras tensor, like predict_on_batch's.
   */
  call(x, ...rest) {
    const { tx, training } = callArgs('call', x, rest);
    return this.#rt.tensorOut(this.#call('call', -1, this.#rt.tensorIn(tx), training));
  }

  /** predict_on_batch returns the outputs for one batch. */
  predict_on_batch(x) {
    const tx = dataArg(x, 'predict_on_batch: x');
    if (!tx) throw new TypeError('predict_on_batch: x is missing');
    if (this.#rt.hasFast) return this.#rt.fastPredictOnBatch(this.#h, tx);
    return this.#rt.tensorOut(this.#call('predictOnBatch', this.#rt.tensorIn(tx)));
  }

  /** summary prints Keras's table (through print_fn, default console.log) and returns it. */
  summary(cfg) {
    const { print_fn: printFn = this.#rt.print, show_trainable: showTrainable = false, ...rest } = cfg;
    for (const k of Object.keys(rest)) {
      throw new TypeError(`summary: ${k} is not implemented (the table has Keras's default layout); pass only print_fn and show_trainable`);
    }
    if (typeof showTrainable !== 'boolean') throw new TypeError(`summary: show_trainable must be true or false; received ${describe(showTrainable)}`);
    const s = this.#call('summary', showTrainable);
    printFn(s);
    return s;
  }

  count_params() { return this.#call('countParams'); }

  /** get_weights returns every weight as a keras tensor, in Keras's order and layouts. */
  get_weights() { return Array.from(this.#call('getWeights', -1), (t) => this.#rt.tensorOut(t)); }

  /** set_weights loads weights (tensors, nested arrays or {shape, data}) in get_weights order. */
  set_weights(weights) { this.#call('setWeights', -1, weightsIn(this.#rt, weights, 'set_weights')); }

  get_config() { return JSON.parse(this.#call('getConfig')); }
  to_json() { return this.#call('toJSON'); }

  /** save writes the model to filepath (a path, a URL or a TF.js IOHandler); it resolves with TF.js's SaveResult. */
  save(filepath, ...rest) {
    return saveModel(this.#rt, this.#h, { filepath, ...parseArgs('save', ['overwrite', 'include_optimizer', 'save_format'], rest) });
  }

  /** save_weights writes the weights alone: .weights.h5 for a path ending so, TF.js weights otherwise. */
  save_weights(filepath, ...rest) {
    return saveWeights(this.#rt, this.#h, { filepath, ...parseArgs('save_weights', ['overwrite'], rest) });
  }

  /** load_weights reads weights saved by save_weights or save (TF.js weights matched by name; .weights.h5 by layer position within each class, as Keras 3). */
  load_weights(filepath, ...rest) {
    return loadWeights(this.#rt, this.#h, { filepath, ...parseArgs('load_weights', ['skip_mismatch'], rest) });
  }

  get stop_training() { return this.#call('stopTraining'); }
  set stop_training(v) {
    if (typeof v !== 'boolean') throw new TypeError(`stop_training must be true or false; received ${describe(v)}`);
    this.#call('setStopTraining', v);
  }

  /** The optimizer after compile (null before), with its learning_rate readable and writable. */
  get optimizer() {
    return this.#info().compiled ? new OptimizerView(this.#rt, this.#h, this) : null;
  }

  /** dispose frees the model in the runtime; later calls throw. Disposing twice is harmless. */
  dispose() {
    this.#call('dispose');
    reclaim.unregister(this);
  }
}

/**
 * settlers are the functions Go calls when a fit ends, to settle its
 * Promise (p: resolve, reject, the History, untrack). Go keeps them until
 * its garbage collector runs, so they are made here, where no Model is in
 * scope, and forget p once called: a fit that ended keeps nothing alive.
 */
function settlers(rt, p) {
  let pending = p;
  const take = () => {
    const q = pending;
    pending = null;
    q?.untrack();
    return q;
  };
  return [
    (h) => {
      const q = take();
      if (!q) return;
      q.history.history = h.history;
      q.history.epoch = h.epoch;
      q.history.params = h.params;
      q.resolve(q.history);
    },
    (err) => take()?.reject(rt.error(err)),
  ];
}

/**
 * userRunner is the function Go calls for compile's custom metrics and
 * losses (fns). Go keeps it as long as the model, so it refers to the
 * runtime and the functions only, never to the Model: a Model Go's side
 * kept alive could never be reclaimed.
 */
function userRunner(rt, fns) {
  return (i, yt, yp) => {
    const { fn, kind } = fns[i];
    try {
      const r = fn(new Tensor(yt.data, Array.from(yt.shape)), new Tensor(yp.data, Array.from(yp.shape)));
      // A fresh copy: Go reads only bytes this made, never the user's object.
      const f = Float32Array.from(metricResult(r, fn.name));
      return new Uint8Array(f.buffer, f.byteOffset, f.byteLength);
    } catch (e) {
      rt.lastError = e;
      return { error: `custom ${kind} ${fn.name} threw: ${safeMessage(e)}`, name: safeName(e) };
    }
  };
}

// The argument lists, and TF.js's spellings (trainOnBatch, stopTraining ...), come from api.mjs.
installLocal(Model, MODEL_API);

function weightsIn(rt, weights, where) {
  if (!Array.isArray(weights)) {
    throw new TypeError(`${where}: expected a list of weights (as get_weights returns); received ${describe(weights)}`);
  }
  return weights.map((w, i) => rt.tensorIn(toData(w, `${where}: weights[${i}]`)));
}

/** weightList gives a layer's weights as model.weights lists them, with their path (layer/weight). */
function weightList(l) {
  return l.weights.map((w) => ({ ...w, path: `${l.name}/${w.name}` }));
}

/** LAYER_INDEX is a LayerView's position in its model, for the worker to say where a view lives. */
export const LAYER_INDEX = Symbol('layer index');

/**
 * LayerView is one layer of a model: its description (taken when
 * model.layers is read) and its weights. Setting trainable reaches the
 * model at once; as in Keras, training obeys it from the next compile.
 */
export class LayerView {
  #rt; #h; #i; #config; #trainable;
  #owner; // the Model: a view keeps it (and its Go side) alive
  constructor(rt, h, i, info, owner) {
    this.#rt = rt; this.#h = h; this.#i = i; this.#owner = owner;
    this.name = info.name;
    this.class_name = info.class_name;
    this.#trainable = info.trainable;
    this.input_shape = info.input_shape;
    this.output_shape = info.output_shape;
    this.weights = weightList(info);
    this.#config = info.config.config;
  }
  get [LAYER_INDEX]() { return this.#i; }
  get trainable() { return this.#trainable; }
  set trainable(v) {
    if (typeof v !== 'boolean') throw new TypeError(`${this.name}.trainable must be true or false; received ${describe(v)}`);
    this.#rt.call('setTrainable', this.#h, this.#i, v);
    this.#trainable = v;
    const info = JSON.parse(this.#rt.call('info', this.#h)).layers[this.#i];
    this.weights = weightList(info);
    this.#config = info.config.config;
  }
  get trainable_weights() { return this.weights.filter((w) => w.trainable); }
  get non_trainable_weights() { return this.weights.filter((w) => !w.trainable); }
  get_config() { return structuredClone(this.#config); }
  count_params() { return this.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0); }
  getClassName() { return this.class_name; }
  get_weights() { return Array.from(this.#rt.call('getWeights', this.#h, this.#i), (t) => this.#rt.tensorOut(t)); }
  set_weights(w) { this.#rt.call('setWeights', this.#h, this.#i, weightsIn(this.#rt, w, `${this.name}.set_weights`)); }
  /** call runs this layer alone on one batch of its input shape: Keras's layer(x); see Model.call. */
  call(x, ...rest) {
    const { tx, training } = callArgs(`${this.name}.call`, x, rest);
    return this.#rt.tensorOut(this.#rt.call('call', this.#h, this.#i, this.#rt.tensorIn(tx), training));
  }
  /** reset_states sets this stateful layer's carried states back to zeros; other layers refuse. */
  reset_states() { this.#rt.call('resetStates', this.#h, this.#i); }
}

installLocal(LayerView, LAYER_API);

/** OptimizerView is a compiled model's optimizer. */
export class OptimizerView {
  #rt; #h;
  #owner; // the Model, kept alive by the view
  constructor(rt, h, owner) { this.#rt = rt; this.#h = h; this.#owner = owner; }
  get learning_rate() { return this.#rt.call('learningRate', this.#h); }
  set learning_rate(v) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`learning_rate must be a finite number; received ${describe(v)}`);
    this.#rt.call('setLearningRate', this.#h, v);
  }
  get iterations() { return this.#rt.call('iterations', this.#h); }
  get_config() { return JSON.parse(this.#rt.call('optimizerConfig', this.#h)).config; }
}

installLocal(OptimizerView, OPTIMIZER_API);

/**
 * plainLogs copies logs a callback changed into a fresh object of own
 * number-valued keys, the only form Go reads; a getter that throws throws
 * here, inside the guarded dispatch, and so does a value that is no number.
 */
function plainLogs(logs) {
  const out = {};
  for (const k of Object.keys(logs)) {
    const v = logs[k];
    if (typeof v !== 'number') {
      throw new TypeError(`it set logs[${JSON.stringify(k)}] to ${v === null ? 'null' : `a ${typeof v}`}; logs hold numbers`);
    }
    out[k] = v;
  }
  return out;
}

/** safeMessage is an exception's message as a string, whatever the exception (getters and toString may throw). */
export function safeMessage(e) {
  try {
    const m = e !== null && typeof e === 'object' ? e.message : undefined;
    if (typeof m === 'string') return m;
    return String(m ?? e);
  } catch {
    return 'an exception whose message cannot be read';
  }
}

/** safeName is an exception's class name as a string, or undefined. */
export function safeName(e) {
  try {
    const n = e !== null && typeof e === 'object' ? e.name : undefined;
    return typeof n === 'string' ? n : undefined;
  } catch {
    return undefined;
  }
}
