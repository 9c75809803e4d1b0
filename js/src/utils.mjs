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
  return { pad_sequences, padSequences: pad_sequences, normalize };
}

/** localUtil calls the runtime rt in this thread. */
export function localUtil(rt) {
  return (name, ...args) => {
    const r = rt.call(name, ...args.map((a) => (a instanceof Tensor ? rt.tensorIn(a) : a)));
    return new Tensor(r.data, Array.from(r.shape), r.dtype ?? 'float32');
  };
}
