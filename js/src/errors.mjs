// Keras's exception classes, as a Keras or TF.js user knows them. An error
// from the Go core arrives with its class's name (ValueError, TypeError,
// NotImplementedError; wasm/runtime.go errorName), and makeError gives the
// JS class of that name, so `err.name` and `instanceof` both tell what went
// wrong; every one is still `instanceof Error`. TypeError is JS's own.

/** ValueError: a bad value, shape or name (Keras raises ValueError). */
export class ValueError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ValueError';
  }
}

/** NotImplementedError: a Keras feature, class or argument value that keraswasm does not build (yet). */
export class NotImplementedError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'NotImplementedError';
  }
}

const classes = { ValueError, NotImplementedError, TypeError, RangeError };

/**
 * makeError returns an error of the class called name (ValueError,
 * NotImplementedError, and JS's TypeError and RangeError) with message; any
 * other name (a user's own exception class, carried from a worker) gives an
 * Error whose name is set, so err.name still tells the class; no name (or
 * "Error", an internal error of the runtime) gives a plain Error.
 */
export function makeError(name, message, options) {
  const C = Object.hasOwn(classes, name) ? classes[name] : Error;
  const e = new C(message, options);
  if (typeof name === 'string' && name !== '' && e.name !== name) {
    Object.defineProperty(e, 'name', { value: name, configurable: true, writable: true });
  }
  return e;
}

/** IndexError: an index past the end (Keras/numpy raise IndexError, e.g. a to_categorical label ≥ num_classes). */
export class IndexError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'IndexError';
  }
}

/** RecursionError: a call reentered itself too deeply (Python raises RecursionError past its recursion limit). */
export class RecursionError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'RecursionError';
  }
}

classes.IndexError = IndexError;
classes.RecursionError = RecursionError;

/**
 * ResourceExhaustedError: an operation would take the runtime's memory in
 * use above its limit (keras.config.set_memory_limit); TensorFlow's class
 * for running out of memory (tf.errors.ResourceExhaustedError). Nothing was
 * allocated: dispose models or raise the limit, and try again.
 */
export class ResourceExhaustedError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'ResourceExhaustedError';
  }
}

classes.ResourceExhaustedError = ResourceExhaustedError;

/**
 * nearestName is the one of options closest to s by edit distance
 * (Levenshtein, case-insensitive), for an error's "Did you mean …?"; null
 * when the closest is more than maxDistance edits away.
 */
export function nearestName(s, options, maxDistance = Infinity) {
  const dist = (a, b) => {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  };
  const lower = String(s).toLowerCase();
  let best = null;
  let bd = Infinity;
  for (const o of options) {
    const d = dist(lower, o.toLowerCase());
    if (d < bd) { bd = d; best = o; }
  }
  return bd <= maxDistance ? best : null;
}
