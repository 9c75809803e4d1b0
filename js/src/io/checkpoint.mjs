// keras.callbacks.ModelCheckpoint: saves the model (or its weights) at the
// end of epochs, to any destination model.save takes, with Keras's filepath
// formatting ('ckpt-{epoch:02d}-{val_loss:.2f}.keras').
// Keras: keras/src/callbacks/model_checkpoint.py.

import { Callback } from '../callbacks.mjs';
import { parseArgs } from '../args.mjs';
import { ValueError, NotImplementedError, makeError } from '../errors.mjs';
import { describe } from '../tensor.mjs';

/**
 * formatPath fills Python format fields of a Keras checkpoint path from
 * vars: {name} and {name:spec} with spec [0][width][.precision][d|f|e|g|s].
 * An unknown name throws KeyError, as Keras does.
 *
 * Porting note: a value exactly halfway in binary (0.25 with .1f) rounds up
 * here (JS toFixed), where Python rounds it to even ('0.2').
 */
export function formatPath(path, vars) {
  return path.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, name, spec = '') => {
    if (!Object.hasOwn(vars, name)) {
      throw makeError('KeyError', `Failed to format this callback filepath: "${path}". Reason: '${name}'`);
    }
    return formatValue(vars[name], spec, path);
  });
}

function formatValue(v, spec, path) {
  const m = /^(0)?(\d+)?(?:\.(\d+))?([dfeEgs%])?$/.exec(spec);
  if (!m) throw new ValueError(`Failed to format this callback filepath: "${path}". Reason: the format spec '${spec}' is not supported (use [0][width][.precision][d|f|e|g|s])`);
  const [, zero, width, prec, type] = m;
  let s;
  switch (type) {
    case 'd':
      if (!Number.isInteger(v)) throw new ValueError(`Failed to format this callback filepath: "${path}". Reason: ${v} is not an integer for format 'd'`);
      s = String(Math.abs(v));
      break;
    case 'f': case '%': s = (type === '%' ? Math.abs(v) * 100 : Math.abs(v)).toFixed(prec === undefined ? 6 : Number(prec)) + (type === '%' ? '%' : ''); break;
    case 'e': case 'E': {
      const [mant, exp] = Math.abs(v).toExponential(prec === undefined ? 6 : Number(prec)).split('e');
      s = `${mant}e${exp[0] === '-' ? '-' : '+'}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
      if (type === 'E') s = s.toUpperCase();
      break;
    }
    case 'g': s = String(Number(Math.abs(v).toPrecision(prec === undefined ? 6 : Math.max(1, Number(prec))))); break;
    default: s = typeof v === 'number' ? String(Math.abs(v)) : String(v);
  }
  const neg = typeof v === 'number' && v < 0 && type !== 's';
  const w = width === undefined ? 0 : Number(width);
  if (zero) return (neg ? '-' : '') + s.padStart(Math.max(0, w - (neg ? 1 : 0)), '0');
  return ((neg ? '-' : '') + s).padStart(w, ' ');
}

/**
 * ModelCheckpoint(filepath, {monitor, verbose, save_best_only,
 * save_weights_only, mode, save_freq, initial_value_threshold}) saves at each
 * epoch end (or only when monitor improved, with save_best_only).
 *
 * Porting note: Keras 3 wants filepath to end in .keras (.weights.h5 with
 * save_weights_only); here it is any destination model.save or save_weights
 * takes (a path, file://, indexeddb://, an IOHandler), so TF.js's format
 * works too. The model saves with its optimizer, as Keras's model.save does.
 * In worker mode the save runs while the worker waits for on_epoch_end (an
 * epoch-level hook is a round trip, worker-server.mjs), so it holds that
 * epoch's weights; a path is written by the worker, an IOHandler is called
 * here with the artifacts the worker made.
 */
export class ModelCheckpoint extends Callback {
  static argNames = ['filepath', 'monitor', 'verbose', 'save_best_only', 'save_weights_only', 'mode', 'save_freq', 'initial_value_threshold'];

  constructor(...args) {
    super();
    const {
      filepath, monitor = 'val_loss', verbose = 0, save_best_only: bestOnly = false, save_weights_only: weightsOnly = false,
      mode = 'auto', save_freq: freq = 'epoch', initial_value_threshold: threshold = null, ...rest
    } = parseArgs('ModelCheckpoint', ModelCheckpoint.argNames, args);
    for (const k of Object.keys(rest)) throw new TypeError(`ModelCheckpoint: unknown argument ${k}; it takes ${ModelCheckpoint.argNames.join(', ')}`);
    if (typeof filepath !== 'string' && !(filepath && typeof filepath === 'object' && typeof filepath.save === 'function')) {
      throw new TypeError(`ModelCheckpoint: filepath must be a path or URL (it may hold {epoch:02d}-style fields) or an IOHandler; received ${describe(filepath)}`);
    }
    if (typeof freq === 'number') {
      throw new NotImplementedError(`ModelCheckpoint: save_freq=${freq} (saving every ${freq} batches) is not implemented; use save_freq: 'epoch'`);
    }
    if (freq !== 'epoch') throw new ValueError(`ModelCheckpoint: Unrecognized save_freq: ${describe(freq)}. Expected save_freq are 'epoch' or integer values`);
    if (!['auto', 'min', 'max'].includes(mode)) throw new ValueError(`ModelCheckpoint: mode ${describe(mode)} is unknown; expected 'auto', 'min' or 'max'`);
    if (!Number.isInteger(verbose)) throw new TypeError(`ModelCheckpoint: verbose must be an integer. Received: verbose=${describe(verbose)}`);
    if (typeof monitor !== 'string') throw new TypeError(`ModelCheckpoint: monitor must be the name of a logged value such as 'val_loss'`);
    this.filepath = filepath;
    this.monitor = monitor;
    this.verbose = verbose;
    this.save_best_only = bestOnly;
    this.save_weights_only = weightsOnly;
    this.save_freq = freq;
    // Keras: 'auto' is max for an accuracy or an f-measure, min otherwise.
    this.mode = mode === 'auto' ? (monitor.includes('acc') || monitor.startsWith('fmeasure') ? 'max' : 'min') : mode;
    this.best = threshold ?? (this.mode === 'max' ? -Infinity : Infinity);
  }

  async on_epoch_end(epoch, logs = {}) {
    const dest = typeof this.filepath === 'string' ? formatPath(this.filepath, { ...logs, epoch: epoch + 1 }) : this.filepath;
    const where = typeof dest === 'string' ? dest : 'the IOHandler';
    if (this.save_best_only) {
      const current = logs[this.monitor];
      if (current === undefined) {
        console.warn(`Can save best model only with ${this.monitor} available, skipping.`);
        return;
      }
      const better = this.mode === 'max' ? current > this.best : current < this.best;
      if (!better) {
        if (this.verbose > 0) console.log(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${this.best.toFixed(5)}`);
        return;
      }
      if (this.verbose > 0) {
        console.log(`\nEpoch ${epoch + 1}: ${this.monitor} improved from ${this.best.toFixed(5)} to ${current.toFixed(5)}, saving model to ${where}`);
      }
      this.best = current;
    } else if (this.verbose > 0) {
      console.log(`\nEpoch ${epoch + 1}: saving model to ${where}`);
    }
    if (this.save_weights_only) await this.model.save_weights(dest);
    else await this.model.save(dest);
  }
}
