// keras.utils' functions that compute in the Go core (sequential/utils_*.go):
// pad_sequences and normalize, with Keras's positional arguments. Here they
// only read arguments and convert data; mode.util reaches the core in this
// thread or in the worker.
import { parseArgs, toWire } from './args.mjs';
import { Tensor, toData } from './tensor.mjs';

/** sequencesIn turns what pad_sequences takes (arrays of arrays, or a 2-D keras tensor) into nested arrays. */
function sequencesIn(s) {
  if (s instanceof Tensor) return s.array();
  if (ArrayBuffer.isView(s)) return [Array.from(s)];
  if (Array.isArray(s)) return s.map((row) => (ArrayBuffer.isView(row) ? Array.from(row) : row instanceof Tensor ? row.array() : row));
  return s;
}

/**
 * makeUtils returns keras.utils.pad_sequences and normalize over mode.util(name, ...args):
 * in this thread, the runtime's padSequences and normalize calls; in a worker, the worker's own.
 */
export function makeUtils(util) {
  /** pad_sequences(sequences, maxlen, dtype, padding, truncating, value). Keras: keras/src/utils/sequence_utils.py. */
  function pad_sequences(...args) {
    const { sequences, ...opts } = parseArgs('pad_sequences', ['sequences', 'maxlen', 'dtype', 'padding', 'truncating', 'value'], args);
    return util('padSequences', JSON.stringify(toWire({ sequences: sequencesIn(sequences), ...opts }, 'pad_sequences')));
  }
  /** normalize(x, axis = -1, order = 2). Keras: keras/src/utils/numerical_utils.py. */
  function normalize(...args) {
    const { x, ...opts } = parseArgs('normalize', ['x', 'axis', 'order'], args);
    return util('normalize', toData(x, 'normalize: x'), JSON.stringify(toWire(opts, 'normalize')));
  }
  /**
   * split_dataset(dataset, left_size, right_size, shuffle = false, seed = null): dataset is one
   * array of samples or a list of keras tensors that share their sample axis ([x, y]); it returns
   * [left, right] in the same form. Keras: keras/src/utils/dataset_utils.py.
   * Porting note: Keras returns two tf.data.Datasets; this returns the arrays themselves.
   */
  function split_dataset(...args) {
    const { dataset, ...opts } = parseArgs('split_dataset', ['dataset', 'left_size', 'right_size', 'shuffle', 'seed'], args);
    // A list whose items are keras tensors is Keras's tuple of arrays; anything else is one array.
    const tuple = Array.isArray(dataset) && dataset.length > 0 && dataset.every((d) => d instanceof Tensor);
    const arrays = tuple ? dataset : [toData(dataset, 'split_dataset: dataset')];
    return util('splitDataset', arrays, JSON.stringify(toWire(opts, 'split_dataset')), tuple);
  }
  return { pad_sequences, padSequences: pad_sequences, normalize, split_dataset, splitDataset: split_dataset };
}

/** localUtil calls the runtime rt in this thread. */
export function localUtil(rt) {
  const out = (r) => new Tensor(r.data, Array.from(r.shape), r.dtype ?? 'float32');
  return (name, ...args) => {
    if (name === 'splitDataset') {
      const [arrays, json, tuple] = args;
      const r = rt.call(name, arrays.map((a) => rt.tensorIn(a)), json);
      const side = (list) => (tuple ? Array.from(list, out) : out(list[0]));
      return [side(r.left), side(r.right)];
    }
    return out(rt.call(name, ...args.map((a) => (a instanceof Tensor ? rt.tensorIn(a) : a))));
  };
}
