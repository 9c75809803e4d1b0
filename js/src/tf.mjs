// keras.tf and the `keraswasm/tf` entry point: TF.js's training API over the
// same runtime, so that TF.js code runs unchanged apart from its import.
// Everything here is a thin layer over the keras namespace (namespace.mjs):
// the layer factories are made from the core's registry (keras.layers, the
// Go catalog), TF.js's camelCase arguments and names are turned into the
// Keras ones, and a model is a keras Model behind TF.js's method names.
// Where TF.js and Keras differ this namespace behaves like TF.js (each such
// place has a "Porting note"); the keras namespace stays Keras.

import { Tensor as KTensor, toData, describe } from './tensor.mjs';
import { ValueError, NotImplementedError } from './errors.mjs';

// LAYER_NAMES are the TF.js factory names the generic rule (first letter
// lowercased, "2D" → "2d") does not give: names that begin with an acronym.
const LAYER_NAMES = { LSTM: 'lstm', GRU: 'gru', PReLU: 'prelu', ReLU: 'reLU', ELU: 'elu', Cropping2D: 'cropping2D', Cropping1D: 'cropping1D', InputLayer: 'inputLayer' };

/** tfLayerName is TF.js's factory name for Keras layer class name. */
export function tfLayerName(name) {
  if (LAYER_NAMES[name]) return LAYER_NAMES[name];
  return name[0].toLowerCase() + name.slice(1).replace(/(\d)D(?=$|[A-Z])/g, '$1d');
}

/** snake turns TF.js's camelCase ('glorotUniform', 'meanSquaredError') into Keras's snake_case. */
export function snake(s) { return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/^le_cun_/, 'lecun_'); }

// NAME_VALUES are the arguments whose string values name a Keras object
// (TF.js spells them in camelCase: kernelInitializer: 'heNormal').
const NAME_VALUE = /(initializer|regularizer|constraint|activation)$/i;

/** layerArgs makes a TF.js layer's config Keras's: camelCase keys and names snake_cased. */
function layerArgs(cfg = {}) {
  const out = {};
  for (const [k, v] of Object.entries(cfg)) {
    const key = snake(k);
    out[key] = typeof v === 'string' && NAME_VALUE.test(k) ? snake(v) : v;
  }
  return out;
}

/**
 * TFTensor is TF.js's tensor: data() is an async method here (a keras
 * tensor's data is a property), with the methods training code uses. Values
 * are float32 (dtype is a tag, as on keras tensors).
 */
export class TFTensor {
  #t;
  constructor(t) { this.#t = t; }
  /** The keras tensor underneath (what the runtime takes). */
  get keras() { return this.#t; }
  get shape() { return this.#t.shape.slice(); }
  get dtype() { return this.#t.dtype; }
  get rank() { return this.#t.rank; }
  get size() { return this.#t.size; }
  async data() { return this.#t.data.slice(); }
  dataSync() { return this.#t.data.slice(); }
  async array() { return this.#t.array(); }
  arraySync() { return this.#t.array(); }
  /** print logs the tensor as TF.js does (values, nested). */
  print() { console.log(`Tensor\n    ${JSON.stringify(this.#t.array())}`); }
  /** Porting note: TF.js frees GPU/wasm memory here; the Go heap frees tensors itself, so dispose only marks it. */
  dispose() { this.isDisposedInternal = true; }
  get isDisposed() { return this.isDisposedInternal === true; }
  reshape(shape) {
    const known = shape.filter((d) => d !== -1);
    const minus = shape.length - known.length;
    if (minus > 1) throw new ValueError(`reshape: only one dimension can be -1; received [${shape}]`);
    const prod = known.reduce((a, b) => a * b, 1);
    let s = shape;
    if (minus === 1) {
      if (prod === 0 || this.size % prod !== 0) throw new ValueError(`reshape: cannot reshape a tensor of size ${this.size} into [${shape}]`);
      s = shape.map((d) => (d === -1 ? this.size / prod : d));
    } else if (prod !== this.size) {
      throw new ValueError(`reshape: a tensor of shape [${this.shape}] (size ${this.size}) cannot be reshaped into [${shape}]`);
    }
    return wrap(new KTensor(this.#t.data, s, this.dtype));
  }
  asType(dtype) {
    if (!['float32', 'int32', 'bool'].includes(dtype)) throw new ValueError(`asType: dtype must be 'float32', 'int32' or 'bool'; received ${describe(dtype)}`);
    const d = this.#t.data;
    const out = dtype === 'int32' ? Float32Array.from(d, Math.trunc) : dtype === 'bool' ? Float32Array.from(d, (v) => (v !== 0 ? 1 : 0)) : d.slice();
    return wrap(new KTensor(out, this.shape, dtype));
  }
  argMax(axis = -1) { return reduce(this, axis, 'argMax', (v) => { let b = 0; for (let i = 1; i < v.length; i++) if (v[i] > v[b]) b = i; return b; }, 'int32'); }
  sum(axis = null) { return reduce(this, axis, 'sum', (v) => v.reduce((a, b) => a + b, 0)); }
  mean(axis = null) { return reduce(this, axis, 'mean', (v) => v.reduce((a, b) => a + b, 0) / v.length); }
  add(b) { return binary(this, b, 'add', (x, y) => x + y); }
  sub(b) { return binary(this, b, 'sub', (x, y) => x - y); }
  mul(b) { return binary(this, b, 'mul', (x, y) => x * y); }
  div(b) { return binary(this, b, 'div', (x, y) => x / y); }
  equal(b) { return binary(this, b, 'equal', (x, y) => (x === y ? 1 : 0), 'bool'); }
  square() { return wrap(new KTensor(this.#t.data.map((v) => v * v), this.shape, this.dtype)); }
  sqrt() { return wrap(new KTensor(this.#t.data.map(Math.sqrt), this.shape, this.dtype)); }
  toString() { return `Tensor ${JSON.stringify(this.#t.array())}`; }
}

const wrap = (t) => new TFTensor(t);

/** unwrap gives the keras tensor (or plain data) under a TF.js value, for the runtime. */
function unwrap(v, where) {
  if (v instanceof TFTensor) return v.keras;
  if (Array.isArray(v) && v.length > 0 && v.every((e) => e instanceof TFTensor)) {
    throw new NotImplementedError(`${where}: a list of tensors (a multi-input model) is not supported; Sequential models take one tensor`);
  }
  return toData(v, where);
}

/** binary is an element-wise op with TF.js broadcasting (shapes aligned from the right). */
function binary(a, b, name, f, dtype) {
  const ta = a.keras;
  const tb = b instanceof TFTensor ? b.keras : toData(typeof b === 'number' ? [b] : b, `${name}: b`);
  const sa = ta.shape;
  const sb = tb.shape.length === 1 && tb.size === 1 && typeof b === 'number' ? [] : tb.shape;
  const rank = Math.max(sa.length, sb.length);
  const shape = [];
  for (let i = 0; i < rank; i++) {
    const da = sa[sa.length - rank + i] ?? 1;
    const db = sb[sb.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new ValueError(`${name}: shapes [${sa}] and [${sb}] cannot be broadcast`);
    shape.push(Math.max(da, db));
  }
  const size = shape.reduce((x, y) => x * y, 1);
  const out = new Float32Array(size);
  const idx = (s, flat) => {
    let off = 0; let stride = 1; let rem = flat;
    const coords = new Array(rank);
    for (let i = rank - 1; i >= 0; i--) { coords[i] = rem % shape[i]; rem = Math.floor(rem / shape[i]); }
    for (let i = s.length - 1; i >= 0; i--) {
      const c = coords[rank - s.length + i];
      off += (s[i] === 1 ? 0 : c) * stride;
      stride *= s[i];
    }
    return off;
  };
  for (let i = 0; i < size; i++) out[i] = f(ta.data[idx(sa, i)], tb.data[idx(sb, i)]);
  return wrap(new KTensor(out, shape, dtype ?? ta.dtype));
}

/** reduce applies f to the values along axis (null: all of them), dropping that axis. */
function reduce(t, axis, name, f, dtype) {
  const kt = t.keras;
  if (axis === null || axis === undefined) return wrap(new KTensor(Float32Array.of(f(Array.from(kt.data))), [], dtype ?? kt.dtype));
  const r = kt.shape.length;
  const ax = axis < 0 ? axis + r : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= r) throw new ValueError(`${name}: axis ${axis} is out of range for a tensor of rank ${r}`);
  const outer = kt.shape.slice(0, ax).reduce((a, b) => a * b, 1);
  const n = kt.shape[ax];
  const inner = kt.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(outer * inner);
  const v = new Array(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let k = 0; k < n; k++) v[k] = kt.data[(o * n + k) * inner + i];
      out[o * inner + i] = f(v);
    }
  }
  return wrap(new KTensor(out, [...kt.shape.slice(0, ax), ...kt.shape.slice(ax + 1)], dtype ?? kt.dtype));
}

/** makeTensor is tf.tensor(values, shape, dtype): nested arrays, a flat array or typed array with a shape, or a number. */
function makeTensor(values, shape, dtype = 'float32', rank = null, where = 'tf.tensor') {
  let t;
  if (values instanceof TFTensor) t = values.keras;
  else if (typeof values === 'number' || typeof values === 'boolean') t = new KTensor(Float32Array.of(Number(values)), []);
  else if (ArrayBuffer.isView(values)) t = new KTensor(Float32Array.from(values, Number), [values.length]);
  else if (Array.isArray(values) && (values.length === 0 || !Array.isArray(values[0])) && shape) t = new KTensor(Float32Array.from(values, Number), [values.length]);
  else t = toData(values, where);
  if (shape) t = new KTensor(t.data, shape, dtype);
  else t = new KTensor(t.data, t.shape, dtype);
  if (rank !== null && t.rank !== rank) {
    throw new ValueError(`${where}: expected a tensor of rank ${rank}, but the values give shape [${t.shape}]; pass a shape or use tf.tensor`);
  }
  return wrap(t);
}

/** normalRandom is one N(0, 1) draw by Box–Muller over rand (a function to [0, 1)). */
function normalRandom(rand) {
  let u = 0;
  while (u === 0) u = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** seeded is a small LCG in [0, 1) for tf.randomNormal/randomUniform with a seed (Math.random without). */
function seeded(seed) {
  if (seed === undefined || seed === null) return Math.random;
  let s = (seed >>> 0) || 1;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/** renameLogs gives Keras's log keys TF.js's names: accuracy → acc (TF.js training.js). */
function renameLogs(logs) {
  if (!logs) return logs;
  const out = {};
  for (const [k, v] of Object.entries(logs)) out[k.replace(/(^|_)accuracy$/, '$1acc')] = v;
  return out;
}

const HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onYield'];

/** tfCallbacks wraps TF.js callback objects so their logs have TF.js's keys; batch logs get batch and size. */
function tfCallbacks(callbacks, batchSize) {
  if (callbacks === undefined || callbacks === null) return [];
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  return list.map((cb) => {
    if (cb && cb.kerasCallback) return cb.kerasCallback;
    const out = {};
    for (const h of HOOKS) {
      if (typeof cb[h] !== 'function') continue;
      if (h === 'onBatchBegin' || h === 'onBatchEnd') {
        out[h] = (batch, logs) => cb[h](batch, { batch, size: batchSize(batch), ...renameLogs(logs) });
      } else if (h === 'onEpochBegin' || h === 'onEpochEnd') {
        out[h] = (epoch, logs) => cb[h](epoch, renameLogs(logs));
      } else {
        out[h] = (logs) => cb[h](renameLogs(logs));
      }
    }
    return out;
  });
}

/** compileArgs turns TF.js's compile config into Keras's (names snake_cased). */
function compileArgs({ optimizer, loss, metrics, ...rest }) {
  for (const k of Object.keys(rest)) throw new TypeError(`compile: unknown argument ${k}; TF.js's compile takes optimizer, loss, metrics`);
  const name = (v) => (typeof v === 'string' ? snake(v) : v);
  const opt = typeof optimizer === 'string' ? snake(optimizer) : optimizer;
  const ms = metrics === undefined ? undefined : (Array.isArray(metrics) ? metrics : [metrics]).map(name);
  return { optimizer: opt, loss: Array.isArray(loss) ? loss.map(name) : name(loss), ...(ms ? { metrics: ms } : {}) };
}

/**
 * makeTF builds the tf namespace over a loaded keras namespace (main thread:
 * its models are synchronous, as TF.js's are).
 */
export function makeTF(keras) {
  if (keras.worker) throw new NotImplementedError('keras.tf: the TF.js namespace runs on the main thread; load with loadKeras() (no worker: true)');
  const K = keras;

  /** TFModel is TF.js's LayersModel (tf.sequential) over a keras Sequential model. */
  class TFModel {
    #m;
    constructor(m) { this.#m = m; }
    get keras() { return this.#m; }
    get layers() { return this.#m.layers; }
    get name() { return this.#m.name; }
    get stopTraining() { return this.#m.stop_training; }
    set stopTraining(v) { this.#m.stop_training = v; }
    get optimizer() { return this.#m.optimizer; }
    add(layer) { this.#m.add(layer); }
    compile(cfg) { this.#m.compile(compileArgs(cfg)); }
    summary(lineLength, positions, printFn) { this.#m.summary(printFn ? { print_fn: printFn } : {}); }
    getWeights() { return this.#m.get_weights().map(wrap); }
    setWeights(ws) { this.#m.set_weights(ws.map((w, i) => unwrap(w, `setWeights: weights[${i}]`))); }
    countParams() { return this.#m.count_params(); }
    predict(x, cfg = {}) {
      const { batchSize, verbose, ...rest } = cfg;
      for (const k of Object.keys(rest)) throw new TypeError(`predict: unknown argument ${k}; it takes batchSize, verbose`);
      return wrap(this.#m.predict(unwrap(x, 'predict: x'), { verbose: 0, ...(batchSize ? { batch_size: batchSize } : {}) }));
    }
    /** evaluate returns a scalar tensor, or a list of them with metrics (TF.js's shape). */
    evaluate(x, y, cfg = {}) {
      const { batchSize = 32, verbose, ...rest } = cfg;
      for (const k of Object.keys(rest)) throw new TypeError(`evaluate: unknown argument ${k}; it takes batchSize, verbose`);
      const r = this.#m.evaluate(unwrap(x, 'evaluate: x'), unwrap(y, 'evaluate: y'), { batch_size: batchSize, verbose: 0 });
      const s = (v) => wrap(new KTensor(Float32Array.of(v), []));
      return Array.isArray(r) ? r.map(s) : s(r);
    }
    /**
     * fit trains as TF.js's does. Porting notes: verbose defaults to 0 (the
     * browser build of TF.js prints nothing at its default); history and log
     * keys say acc where Keras says accuracy; batch logs carry batch and size.
     */
    async fit(x, y, cfg = {}) {
      const { batchSize = 32, epochs = 1, verbose = 0, callbacks, validationSplit = 0, validationData, shuffle = true,
        initialEpoch = 0, classWeight, yieldEvery, ...rest } = cfg;
      for (const k of Object.keys(rest)) throw new TypeError(`fit: unknown argument ${k}; TF.js's fit takes batchSize, epochs, verbose, callbacks, validationSplit, validationData, shuffle, initialEpoch, yieldEvery`);
      if (classWeight !== undefined) throw new NotImplementedError('fit: classWeight is not supported here yet; weight the samples by repeating them');
      const tx = unwrap(x, 'fit: x');
      const n = tx.shape[0];
      // TF.js splits at floor(n * (1 - validationSplit)) (training.js), as Keras does.
      const nTrain = validationSplit > 0 ? Math.floor(n * (1 - validationSplit)) : n;
      const size = (b) => Math.min(batchSize, nTrain - b * batchSize);
      const opts = { batch_size: batchSize, epochs: initialEpoch + epochs, verbose, shuffle, initial_epoch: initialEpoch,
        callbacks: tfCallbacks(callbacks, size) };
      if (validationSplit) opts.validation_split = validationSplit;
      if (validationData) opts.validation_data = validationData.map((v, i) => unwrap(v, `fit: validationData[${i}]`));
      if (yieldEvery !== undefined) opts.yield_every = yieldEvery;
      const h = await this.#m.fit(tx, unwrap(y, 'fit: y'), opts);
      return { history: renameLogs(h.history), epoch: h.epoch, params: h.params, model: this };
    }
    /**
     * fitDataset trains on a tf.data dataset of {xs, ys} batches, one
     * gradient step a batch (train_on_batch); an epoch's logs are the
     * batch logs averaged by batch size, as TF.js's BaseLogger does.
     */
    async fitDataset(dataset, cfg = {}) {
      const { epochs = 1, batchesPerEpoch, callbacks, validationData, verbose, initialEpoch = 0, ...rest } = cfg;
      for (const k of Object.keys(rest)) throw new TypeError(`fitDataset: unknown argument ${k}; it takes epochs, batchesPerEpoch, callbacks, validationData, verbose, initialEpoch`);
      if (!(dataset instanceof Dataset)) throw new TypeError(`fitDataset: dataset must be a tf.data dataset; received ${describe(dataset)}`);
      const cbs = Array.isArray(callbacks) ? callbacks : callbacks ? [callbacks] : [];
      if (cbs.some((c) => c.kerasCallback)) throw new NotImplementedError('fitDataset: tf.callbacks.earlyStopping works with fit only here; stop from onEpochEnd with model.stopTraining = true');
      const call = async (h, ...a) => { for (const c of cbs) if (typeof c[h] === 'function') await c[h](...a); };
      const history = { history: {}, epoch: [], params: { epochs }, model: this };
      this.#m.stop_training = false;
      let it = batchesPerEpoch ? dataset[Symbol.asyncIterator]() : null;
      await call('onTrainBegin', {});
      for (let epoch = initialEpoch; epoch < initialEpoch + epochs; epoch++) {
        await call('onEpochBegin', epoch, {});
        if (!batchesPerEpoch) it = dataset[Symbol.asyncIterator]();
        const sums = {};
        let seen = 0;
        for (let b = 0; !batchesPerEpoch || b < batchesPerEpoch; b++) {
          const { value, done } = await it.next();
          if (done) break;
          const { xs, ys } = value;
          const bx = unwrap(xs, 'fitDataset: xs');
          const sz = bx.shape[0];
          const logs = { batch: b, size: sz };
          await call('onBatchBegin', b, logs);
          const r = this.#m.train_on_batch(bx, unwrap(ys, 'fitDataset: ys'), { return_dict: true });
          Object.assign(logs, renameLogs(r));
          for (const [k, v] of Object.entries(renameLogs(r))) sums[k] = (sums[k] ?? 0) + v * sz;
          seen += sz;
          await call('onBatchEnd', b, logs);
          if (this.#m.stop_training) break;
        }
        const epochLogs = {};
        for (const [k, v] of Object.entries(sums)) epochLogs[k] = v / seen;
        if (validationData) {
          const [vx, vy] = validationData;
          const r = this.evaluate(vx, vy);
          const names = this.#m.metrics_names.map((m) => renameLogs({ [m]: 0 }) && Object.keys(renameLogs({ [m]: 0 }))[0]);
          (Array.isArray(r) ? r : [r]).forEach((t, i) => { epochLogs[`val_${names[i]}`] = t.dataSync()[0]; });
        }
        history.epoch.push(epoch);
        for (const [k, v] of Object.entries(epochLogs)) (history.history[k] ??= []).push(v);
        await call('onEpochEnd', epoch, epochLogs);
        if (this.#m.stop_training) break;
      }
      await call('onTrainEnd', {});
      return history;
    }
    /**
     * save writes TF.js's Layers format to an IOHandler or URL (keras model.save).
     * Porting note: as in TF.js, the optimizer is left out unless includeOptimizer is true
     * (Keras's model.save includes it by default).
     */
    async save(handlerOrURL, config = {}) {
      const { includeOptimizer = false, trainableOnly = false, ...rest } = config ?? {};
      for (const k of Object.keys(rest)) throw new TypeError(`save: unknown option ${k}; expected includeOptimizer, trainableOnly`);
      return this.#m.save(handlerOrURL, { include_optimizer: includeOptimizer, trainable_only: trainableOnly });
    }
    dispose() { return { refCountAfterDispose: 0, numDisposedVariables: 0 }; }
  }

  // tf.layers: one TF.js-named factory per layer class of the core's registry.
  const layers = {};
  for (const [name, f] of Object.entries(K.layers)) {
    if (name === 'get' || name === 'Input' || typeof f !== 'function') continue;
    if (name !== f.name && f.name) continue; // an alias (Convolution2D): TF.js lists the main name
    layers[tfLayerName(name)] = (cfg = {}) => f(layerArgs(cfg));
  }

  const sequential = (cfg = {}) => {
    const { layers: ls = [], name, ...rest } = cfg;
    for (const k of Object.keys(rest)) throw new TypeError(`tf.sequential: unknown argument ${k}; it takes layers, name`);
    return new TFModel(name === undefined ? K.Sequential(ls) : K.Sequential(ls, name));
  };

  // tf.train: TF.js's factories, in its argument order and with its defaults.
  const O = K.optimizers;
  const noDecay = (where, decay) => {
    if (decay !== undefined && decay !== 0) throw new NotImplementedError(`${where}: decay is not supported; use a learning-rate schedule callback`);
  };
  const eps = (e) => (e === undefined || e === null ? {} : { epsilon: e });
  const need = (where, lr) => {
    if (typeof lr !== 'number') throw new TypeError(`${where}: learningRate is required (TF.js has no default for it); e.g. ${where}(0.01)`);
    return lr;
  };
  const train = {
    sgd: (learningRate) => O.SGD({ learning_rate: need('tf.train.sgd', learningRate) }),
    momentum: (learningRate, momentum, useNesterov = false) => O.SGD({ learning_rate: need('tf.train.momentum', learningRate), momentum, nesterov: useNesterov }),
    // Porting note: TF.js's adam, like Keras's, defaults to 0.001, 0.9, 0.999 and epsilon 1e-7.
    adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon) => O.Adam({ learning_rate: learningRate, beta_1: beta1, beta_2: beta2, ...eps(epsilon) }),
    // Porting note: TF.js's rmsprop names rho "decay" (default 0.9, as Keras's rho) and needs a learning rate.
    rmsprop: (learningRate, decay = 0.9, momentum = 0, epsilon, centered = false) => O.RMSprop({ learning_rate: need('tf.train.rmsprop', learningRate), rho: decay, momentum, centered, ...eps(epsilon) }),
    adagrad: (learningRate, initialAccumulatorValue = 0.1) => O.Adagrad({ learning_rate: need('tf.train.adagrad', learningRate), initial_accumulator_value: initialAccumulatorValue }),
    adadelta: (learningRate = 0.001, rho = 0.95, epsilon) => O.Adadelta({ learning_rate: learningRate, rho, ...eps(epsilon) }),
    // Porting note: TF.js's adamax defaults to learningRate 0.002; Keras's Adamax to 0.001.
    adamax: (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon, decay = 0) => { noDecay('tf.train.adamax', decay); return O.Adamax({ learning_rate: learningRate, beta_1: beta1, beta_2: beta2, ...eps(epsilon) }); },
  };

  /** earlyStopping is TF.js's tf.callbacks.earlyStopping over keras.callbacks.EarlyStopping (TF.js's defaults). */
  const earlyStopping = (cfg = {}) => {
    const { monitor = 'val_loss', minDelta = 0, patience = 0, verbose = 0, mode = 'auto', baseline, restoreBestWeights, ...rest } = cfg;
    for (const k of Object.keys(rest)) throw new TypeError(`tf.callbacks.earlyStopping: unknown argument ${k}`);
    // Porting note: TF.js does not support restoreBestWeights (it throws); neither does this namespace.
    if (restoreBestWeights) throw new NotImplementedError('tf.callbacks.earlyStopping: restoreBestWeights is not supported (nor is it in TF.js)');
    const kmon = monitor.replace(/(^|_)acc$/, '$1accuracy');
    const cb = K.callbacks.EarlyStopping({ monitor: kmon, min_delta: minDelta, patience, verbose, mode, ...(baseline !== undefined ? { baseline } : {}) });
    return { kerasCallback: cb };
  };

  const memoryState = { numTensors: 0, numDataBuffers: 0, numBytes: 0, unreliable: true,
    reasons: ['keraswasm: tensors are JS typed arrays and Go heap values; the garbage collectors free them, nothing is counted'] };

  const tf = {
    version: { keraswasm: K.version, 'tfjs-layers-api': '4.22' },
    sequential, layers, train,
    callbacks: { earlyStopping },
    tensor: (v, s, d) => makeTensor(v, s, d),
    scalar: (v, d) => makeTensor(v, [], d, 0, 'tf.scalar'),
    tensor1d: (v, d) => makeTensor(v, undefined, d, 1, 'tf.tensor1d'),
    tensor2d: (v, s, d) => makeTensor(v, s, d, 2, 'tf.tensor2d'),
    tensor3d: (v, s, d) => makeTensor(v, s, d, 3, 'tf.tensor3d'),
    tensor4d: (v, s, d) => makeTensor(v, s, d, 4, 'tf.tensor4d'),
    zeros: (shape, dtype = 'float32') => wrap(new KTensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, dtype)),
    ones: (shape, dtype = 'float32') => wrap(new KTensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape, dtype)),
    randomNormal: (shape, mean = 0, stdDev = 1, dtype = 'float32', seed) => {
      const r = seeded(seed);
      return wrap(new KTensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => mean + stdDev * normalRandom(r)), shape, dtype));
    },
    randomUniform: (shape, minval = 0, maxval = 1, dtype = 'float32', seed) => {
      const r = seeded(seed);
      return wrap(new KTensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => minval + (maxval - minval) * r()), shape, dtype));
    },
    oneHot: (indices, depth, onValue = 1, offValue = 0) => {
      const t = indices instanceof TFTensor ? indices.keras : toData(indices, 'tf.oneHot: indices');
      const out = new Float32Array(t.size * depth).fill(offValue);
      for (let i = 0; i < t.size; i++) {
        const k = t.data[i];
        if (Number.isInteger(k) && k >= 0 && k < depth) out[i * depth + k] = onValue;
      }
      return wrap(new KTensor(out, [...t.shape, depth], 'int32'));
    },
    /** Porting note: tidy runs fn and returns its result; nothing needs freeing (the garbage collector does it). */
    tidy: (nameOrFn, fn) => (typeof nameOrFn === 'function' ? nameOrFn() : fn()),
    dispose: (x) => { for (const t of [x].flat()) if (t && typeof t.dispose === 'function') t.dispose(); },
    keep: (t) => t,
    /** nextFrame resolves at the next animation frame (a macrotask in Node), as TF.js's does. */
    nextFrame: () => new Promise((r) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => r()) : setTimeout(r, 0))),
    memory: () => ({ ...memoryState }),
    data: dataNamespace(),
    /** loadLayersModel loads TF.js's Layers format (or a .keras file) through keras.models.load_model; loading is always strict. */
    loadLayersModel: async (pathOrIOHandler, options = {}) => {
      const { strict = true, ...rest } = options ?? {};
      if (strict !== true) throw new NotImplementedError('tf.loadLayersModel: strict=false is not implemented; every weight must be in the file');
      for (const [k, v] of Object.entries(rest)) {
        if (v !== undefined) throw new NotImplementedError(`tf.loadLayersModel: the option ${k} is not implemented (HTTP loading goes through the browser handlers)`);
      }
      return new TFModel(await K.models.load_model(pathOrIOHandler));
    },
    /** A keras model seen through TF.js's API (for models made with keras.Sequential). */
    fromKeras: (m) => new TFModel(m),
    Tensor: TFTensor,
  };
  return tf;
}

/**
 * Dataset is the tf.data subset training code uses: array, generator, zip,
 * and batch, shuffle, map, take, repeat, each returning a new dataset that
 * iterates (asynchronously) from the start every time.
 */
export class Dataset {
  #make;
  constructor(make) { this.#make = make; }
  [Symbol.asyncIterator]() { return this.#make(); }
  async iterator() { const it = this.#make(); return { next: () => it.next() }; }
  map(f) {
    const src = this;
    return new Dataset(async function* () { for await (const v of src) yield f(v); });
  }
  take(n) {
    const src = this;
    return new Dataset(async function* () { let i = 0; if (n <= 0) return; for await (const v of src) { yield v; if (++i >= n) return; } });
  }
  repeat(count) {
    const src = this;
    return new Dataset(async function* () { for (let i = 0; count === undefined || i < count; i++) for await (const v of src) yield v; });
  }
  /** shuffle draws from a buffer of bufferSize elements (TF.js's semantics), with a seed if given. */
  shuffle(bufferSize, seed) {
    const src = this;
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new ValueError(`shuffle: bufferSize must be a positive integer; received ${describe(bufferSize)}`);
    return new Dataset(async function* () {
      const r = seeded(seed);
      const buf = [];
      for await (const v of src) {
        buf.push(v);
        if (buf.length >= bufferSize) { const i = Math.floor(r() * buf.length); yield buf[i]; buf[i] = buf[buf.length - 1]; buf.pop(); }
      }
      while (buf.length) { const i = Math.floor(r() * buf.length); yield buf[i]; buf[i] = buf[buf.length - 1]; buf.pop(); }
    });
  }
  /** batch stacks batchSize elements (numbers, arrays, tensors, or objects of them) into tensors; the last batch may be smaller. */
  batch(batchSize, smallLastBatch = true) {
    const src = this;
    return new Dataset(async function* () {
      let buf = [];
      for await (const v of src) {
        buf.push(v);
        if (buf.length === batchSize) { yield stack(buf); buf = []; }
      }
      if (buf.length && smallLastBatch) yield stack(buf);
    });
  }
  async toArray() { const out = []; for await (const v of this) out.push(v); return out; }
  async forEachAsync(f) { for await (const v of this) f(v); }
}

/** stack turns a list of like elements into one batched element. */
function stack(items) {
  const first = items[0];
  if (first && typeof first === 'object' && !Array.isArray(first) && !(first instanceof TFTensor) && !ArrayBuffer.isView(first)) {
    const out = {};
    for (const k of Object.keys(first)) out[k] = stack(items.map((v) => v[k]));
    return out;
  }
  const ts = items.map((v) => (v instanceof TFTensor ? v.keras : toData(typeof v === 'number' ? [v] : v, 'batch')));
  const shape = typeof first === 'number' ? [] : ts[0].shape;
  const per = ts[0].size;
  const out = new Float32Array(per * ts.length);
  ts.forEach((t, i) => {
    if (t.size !== per) throw new ValueError(`batch: element ${i} has shape [${t.shape}], the first [${shape}]; elements of a batch must match`);
    out.set(t.data, i * per);
  });
  return wrap(new KTensor(out, [ts.length, ...shape]));
}

function dataNamespace() {
  return {
    array: (items) => {
      if (!Array.isArray(items)) throw new TypeError(`tf.data.array: expected an array; received ${describe(items)}`);
      return new Dataset(async function* () { yield* items; });
    },
    generator: (gen) => new Dataset(async function* () { yield* gen(); }),
    zip: (datasets) => {
      const keys = Object.keys(datasets);
      const arr = Array.isArray(datasets);
      return new Dataset(async function* () {
        const its = keys.map((k) => datasets[k][Symbol.asyncIterator]());
        for (;;) {
          const rs = await Promise.all(its.map((it) => it.next()));
          if (rs.some((r) => r.done)) return;
          const out = arr ? [] : {};
          keys.forEach((k, i) => { out[k] = rs[i].value; });
          yield out;
        }
      });
    },
    Dataset,
  };
}
